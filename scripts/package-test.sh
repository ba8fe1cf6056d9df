#!/usr/bin/env bash
# make package-test: the Debian package as an operator meets it, in a bare Debian 12 root (debootstrap, chroot).
#   apt installs it (dependencies from the mirror), `qari serve` runs as the qari user with /etc/qari/qari.yaml,
#   reads a sentence in Arabic (vowels restored), French and Amazigh, reads a page, takes a report; a newer build
#   upgrades it, keeping the configuration, the reports and the cache; remove keeps data, purge deletes it and the
#   user. The unit is checked with systemd-analyze verify (systemd cannot run in a chroot).
# Skipped with one line where this machine cannot make a root (not root, no chroot, no debootstrap).
# Usage: scripts/package-test.sh  (MIRROR=http://deb.debian.org/debian by default; the bare root is kept in
#   .build/package-test/bookworm.tar.gz and made again when older than a week)
set -euo pipefail
cd "$(dirname "$0")/.."
MIRROR=${MIRROR:-http://deb.debian.org/debian}
WORK=.build/package-test
BASE=$WORK/bookworm.tar.gz

skip() { echo "package-test: skipped: $*"; exit 0; }
[ "$(id -u)" = 0 ] || skip "making a Debian root needs root (run as root, or in a VM)"
chroot / true 2>/dev/null || skip "this machine cannot chroot (no CAP_SYS_CHROOT)"
if ! command -v debootstrap >/dev/null; then
    bash scripts/apt-install.sh debootstrap >/dev/null 2>&1 || skip "debootstrap cannot be installed"
fi
command -v systemd-analyze >/dev/null || bash scripts/apt-install.sh systemd >/dev/null

mkdir -p "$WORK"
ROOT=$(realpath "$WORK")/root
cleanup() {
    [ -n "${DAEMON:-}" ] && kill "$DAEMON" 2>/dev/null && wait "$DAEMON" 2>/dev/null
    for m in "$ROOT/proc" "$ROOT/dev/pts" "$ROOT/dev"; do mountpoint -q "$m" && umount -l "$m"; done
    return 0
}
trap cleanup EXIT
cleanup
rm -rf "$ROOT"

# The two builds: this clone's, and a newer one of the same code to upgrade to.
deb1=$(bash scripts/package.sh 2> "$WORK/package.log") || { tail -30 "$WORK/package.log"; exit 1; }
version1=$(dpkg-deb -f "$deb1" Version)
mv "$deb1" "$WORK/" && deb1=$WORK/$(basename "$deb1")
deb2=$(bash scripts/package.sh "$version1.1" 2>> "$WORK/package.log") || { tail -30 "$WORK/package.log"; exit 1; }
mv "$deb2" "$WORK/" && deb2=$WORK/$(basename "$deb2")
dpkg --compare-versions "$version1.1" gt "$version1"
echo "package-test: built $(basename "$deb1") and $(basename "$deb2") (log: $WORK/package.log)"

if [ -z "$(find "$BASE" -mtime -7 2>/dev/null)" ]; then
    echo "package-test: a bare Debian 12 root from $MIRROR (debootstrap --variant=minbase)"
    rm -rf "$ROOT.new"
    debootstrap --variant=minbase bookworm "$ROOT.new" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 \
        || { tail -20 "$WORK/debootstrap.log"; echo "package-test: debootstrap failed"; exit 1; }
    tar -C "$ROOT.new" -czf "$BASE" . && rm -rf "$ROOT.new"
fi
mkdir -p "$ROOT" && tar -C "$ROOT" -xzf "$BASE"
mount -t proc proc "$ROOT/proc"
mount --bind /dev "$ROOT/dev"
security=${MIRROR%/debian}/debian-security
[ "$MIRROR" = http://deb.debian.org/debian ] || security=http://deb.debian.org/debian-security
cat > "$ROOT/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb $security bookworm-security main
EOF
# Services are not started by maintainer scripts in a chroot (no systemd runs here): the test starts the daemon.
printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d" && chmod 755 "$ROOT/usr/sbin/policy-rc.d"
cp "$deb1" "$deb2" "$ROOT/tmp/"
in_root() { chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"; }

in_root apt-get -qq update
# Downloaded first: the 60 s target counts from a server that has the packages to a first answer.
in_root apt-get -qq install --download-only -y "/tmp/$(basename "$deb1")" >/dev/null
started=$(date +%s.%N)
in_root apt-get -qq install -y --no-install-recommends "/tmp/$(basename "$deb1")" > "$WORK/install.log" 2>&1 \
    || { tail -30 "$WORK/install.log"; echo "FAIL apt-get install"; exit 1; }
echo "PASS apt installed $(basename "$deb1") and its dependencies in a bare root"

uid=$(in_root id -u qari) && gid=$(in_root id -g qari) || { echo "FAIL no qari user"; exit 1; }
echo "PASS the qari system user ($uid:$gid, shell $(in_root getent passwd qari | cut -d: -f7))"

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
serve() {
    chroot --userspec="$uid:$gid" "$ROOT" env -i PATH=/usr/bin:/bin LANG=C.UTF-8 HOME=/var/lib/qari \
        /usr/bin/qari serve --port "$PORT" --log-level notice > "$WORK/daemon.log" 2>&1 &
    DAEMON=$!
}
stop() { kill -TERM "$DAEMON" && wait "$DAEMON" || true; DAEMON=; }
serve
python3 Tests/Package/package_check.py "http://127.0.0.1:$PORT" "$ROOT" "$started" first
stop

# systemd cannot run in a chroot: the installed unit is verified as systemd would load it, and it is enabled.
unit=$WORK/qari@8471.service
sed "s|/usr/bin/qari|$ROOT/usr/bin/qari|" "$ROOT/usr/lib/systemd/system/qari@.service" > "$unit"
out=$(systemd-analyze verify "$unit" 2>&1 | grep -i qari || true)
[ -z "$out" ] || { echo "$out"; echo "FAIL systemd-analyze verify"; exit 1; }
[ -L "$ROOT/etc/systemd/system/multi-user.target.wants/qari@8471.service" ] \
    || { echo "FAIL qari@8471 is not enabled"; exit 1; }
echo "PASS the installed unit verifies (systemd-analyze verify) and qari@8471 is enabled"

# An upgrade keeps the operator's configuration, the reports and the cache.
echo "# kept across upgrades" >> "$ROOT/etc/qari/qari.yaml"
in_root apt-get -qq install -y "/tmp/$(basename "$deb2")" > "$WORK/upgrade.log" 2>&1 \
    || { tail -30 "$WORK/upgrade.log"; echo "FAIL the upgrade"; exit 1; }
[ "$(in_root dpkg-query -W -f '${Version}' qari)" = "$version1.1" ] || { echo "FAIL not upgraded"; exit 1; }
grep -q "kept across upgrades" "$ROOT/etc/qari/qari.yaml" || { echo "FAIL the configuration was replaced"; exit 1; }
echo "PASS upgraded to $version1.1; /etc/qari/qari.yaml kept as the operator left it"
serve
python3 Tests/Package/package_check.py "http://127.0.0.1:$PORT" "$ROOT" "$started" upgraded
stop

in_root apt-get -qq remove -y qari > "$WORK/remove.log" 2>&1 || { tail "$WORK/remove.log"; exit 1; }
[ ! -e "$ROOT/usr/bin/qari" ] || { echo "FAIL remove left the binary"; exit 1; }
for kept in /etc/qari/qari.yaml /var/lib/qari/reports.sqlite /var/cache/qari/readings; do
    [ -e "$ROOT$kept" ] || { echo "FAIL remove deleted $kept"; exit 1; }
done
echo "PASS remove: the binary gone; the configuration, the reports and the cache kept"
in_root apt-get -qq purge -y qari > "$WORK/purge.log" 2>&1 || { tail "$WORK/purge.log"; exit 1; }
for gone in /etc/qari /var/lib/qari /var/cache/qari /usr/share/qari /usr/lib/qari; do
    [ ! -e "$ROOT$gone" ] || { echo "FAIL purge left $gone"; exit 1; }
done
! in_root getent passwd qari >/dev/null || { echo "FAIL purge left the qari user"; exit 1; }
echo "PASS purge: configuration, reports, cache and the qari user gone"
echo "package-test: $(basename "$deb1") $(du -h "$deb1" | cut -f1), installed $(dpkg-deb -f "$deb1" Installed-Size) KB"

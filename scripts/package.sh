#!/usr/bin/env bash
# make package: .build/package/qari_VERSION_amd64.deb for Debian 12, from this clone.
#   The binary: release, the Swift standard library linked in (--static-swift-stdlib), stripped. Qari's own files
#   under /usr/share/qari, the diacritizer with its model and Python modules under /usr/lib/qari/diacritizer, the
#   unit, the configuration (a conffile), the maintainer scripts and the documentation from packaging/ and deploy/.
# Usage: scripts/package.sh [VERSION]   (default: from `git describe`; see version() below)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=.build/package
ROOT=$OUT/root

# A Debian version that grows with every commit: a tag vX.Y.Z gives X.Y.Z (+N.gHASH past it); with no tag,
# 0.0.N+gHASH, N the number of commits. A tree with changes not committed gets +dirty.
version() {
    local described
    if described=$(git describe --tags --match 'v[0-9]*' --dirty=+dirty 2>/dev/null); then
        echo "$described" | sed -E 's/^v//; s/-([0-9]+)-g([0-9a-f]+)/+\1.g\2/'
    else
        echo "0.0.$(git rev-list --count HEAD)+g$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- || echo +dirty)"
    fi
}
VERSION=${1:-$(version)}

echo "package: building qari $VERSION (release, static Swift standard library)" >&2
swift build -c release --product qari --static-swift-stdlib >&2
BIN=$(swift build -c release --static-swift-stdlib --show-bin-path)/qari

rm -rf "$ROOT" && mkdir -p "$ROOT/DEBIAN"
install -D -m 755 "$BIN" "$ROOT/usr/bin/qari"
strip --strip-all "$ROOT/usr/bin/qari"

share=$ROOT/usr/share/qari
install -d "$share"
cp -r Public voices lexicons openapi.json "$share/"
install -d "$share/samples" && cp -r samples/pages "$share/samples/"

# The diacritizer: our worker script, then its Python modules installed from wheels now, so that installing the
# package needs no network and no pip. Wheels for Debian 12's CPython 3.11 on x86-64, whatever this machine runs.
lib=$ROOT/usr/lib/qari/diacritizer
install -D -m 644 diacritizer/qari_diacritizer.py "$lib/qari_diacritizer.py"
PIP=(python3 -m pip)
[ -x .venv/bin/pip ] && PIP=(.venv/bin/pip)
grep -E '^(text2tashkeel|onnxruntime|numpy)==' diacritizer/requirements.txt > "$OUT/wheels.txt"
"${PIP[@]}" install --quiet --disable-pip-version-check --no-deps --no-compile --only-binary=:all: \
    --implementation cp --python-version 3.11 --abi cp311 --abi abi3 --abi none \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
    --platform any --target "$lib/site-packages" -r "$OUT/wheels.txt" >&2
bash packaging/prune-diacritizer "$lib/site-packages"
find "$ROOT" -type d -exec chmod 755 {} + && find "$lib" -type f -exec chmod 644 {} +

# The unit, the configuration, the documentation.
install -D -m 644 deploy/qari@.service "$ROOT/usr/lib/systemd/system/qari@.service"
install -D -m 644 deploy/qari.example.yaml "$ROOT/etc/qari/qari.yaml"
doc=$ROOT/usr/share/doc/qari
install -D -m 644 README.md "$doc/README.md"
install -d "$doc/docs" && install -m 644 docs/*.md "$doc/docs/"
install -D -m 644 deploy/nginx/qari.conf "$doc/examples/nginx/qari.conf"
install -m 644 packaging/copyright "$doc/copyright"
sed "s/@VERSION@/$VERSION/; s/@DATE@/$(date -R -d "@$(git log -1 --format=%ct)")/" packaging/changelog \
    | gzip -9n > "$doc/changelog.gz"
# The manual page: the command's own help (each subcommand's: `qari help SUBCOMMAND`).
install -d "$ROOT/usr/share/man/man1"
help2man --no-info --no-discard-stderr --version-string="$VERSION" --section=1 \
    --name="reads Morocco's e-services portal aloud" --include=packaging/qari.1.h2m "$ROOT/usr/bin/qari" \
    | gzip -9n > "$ROOT/usr/share/man/man1/qari.1.gz"
install -D -m 644 packaging/lintian-overrides "$ROOT/usr/share/lintian/overrides/qari"

for script in postinst prerm postrm; do install -m 755 "packaging/$script" "$ROOT/DEBIAN/$script"; done
echo /etc/qari/qari.yaml > "$ROOT/DEBIAN/conffiles"

# Depends: what the binary and the diacritizer's libraries load, as dpkg-shlibdeps finds it from the installed
# libraries' packages, and python3 3.11 for the wheels.
mkdir -p "$OUT/shlibs/debian"
printf 'Source: qari\n\nPackage: qari\nArchitecture: amd64\n' > "$OUT/shlibs/debian/control"
binaries=("$PWD/$ROOT/usr/bin/qari")
while IFS= read -r -d '' so; do binaries+=("$PWD/$so"); done < <(find "$lib/site-packages" -name '*.so*' -type f -print0)
# The wheels' own libraries (numpy.libs, onnxruntime's capi) are found beside them, not in a package.
private=()
while IFS= read -r dir; do private+=("-l$PWD/$dir"); done < <(find "$lib/site-packages" -name '*.so*' -printf '%h\n' | sort -u)
shlibs=$(cd "$OUT/shlibs" && dpkg-shlibdeps -O "${private[@]}" --ignore-missing-info "${binaries[@]}" \
    | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "package: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
(cd "$ROOT" && find . -path ./DEBIAN -prune -o -type f -printf '%P\n' | sort | xargs -d '\n' md5sum) \
    > "$ROOT/DEBIAN/md5sums"
size=$(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)
sed "s/@VERSION@/$VERSION/; s/@DEPENDS@/$shlibs, espeak-ng-data, python3 (>= 3.11), python3 (<< 3.12)/; s/@SIZE@/$size/" \
    packaging/control > "$ROOT/DEBIAN/control"

deb=$OUT/qari_${VERSION}_amd64.deb
rm -f "$OUT"/qari_*_amd64.deb
dpkg-deb --root-owner-group -Zxz --build "$ROOT" "$deb" >&2
echo "package: $deb ($(du -h "$deb" | cut -f1), installed $((size / 1024)) MB)" >&2
echo "$deb"

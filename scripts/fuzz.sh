#!/usr/bin/env bash
# Builds each libFuzzer target (-sanitize=fuzzer,address) and runs it for SECONDS; exits non-zero on a crash.
# Usage: scripts/fuzz.sh SECONDS TARGET...   (QARI_FUZZ makes Package.swift declare the Fuzz/ targets)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=$1
shift
mkdir -p .build-fuzz/crashes
status=0
for target in "$@"; do
  QARI_FUZZ=1 swift build --scratch-path .build-fuzz --product "$target" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld -Xlinker --export-dynamic >/dev/null
  corpus=.build-fuzz/corpus/$target
  mkdir -p "$corpus"
  # Seeds: the project's own sample pages and texts.
  case $target in
    FuzzPage) cp -n samples/pages/*.html "$corpus"/ 2>/dev/null || true ;;
    FuzzCSS) cp -n samples/pages/*.css "$corpus"/ 2>/dev/null || true ;;
    FuzzNormalizer|FuzzSSML|FuzzAmazigh) cp -n samples/texts/*_short.txt samples/texts/*_services.txt "$corpus"/ 2>/dev/null || true ;;
  esac
  echo "fuzz: $target for $seconds s"
  if ! SWIFT_BACKTRACE=enable=no ".build-fuzz/debug/$target" "$corpus" -max_total_time="$seconds" -max_len=65536 \
      -timeout=20 -rss_limit_mb=4096 -artifact_prefix=".build-fuzz/crashes/$target-" -print_final_stats=1 \
      2>".build-fuzz/$target.log"; then
    echo "fuzz: $target FAILED; see .build-fuzz/$target.log and .build-fuzz/crashes/"
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" ".build-fuzz/$target.log" | sed "s/^/  $target /" || true
done
exit $status

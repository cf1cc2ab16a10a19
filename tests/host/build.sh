#!/bin/bash
# The build itself: a module that does not compile must fail make, with the
# compiler's message shown, even where a .ko from an earlier build is
# there (it used to pass on the stale one). Builds a broken copy of kmod/
# in a temporary folder. One line per test: PASS/FAIL host/build/...
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

kver=$(scripts/guest-kernel-version) || { echo "FAIL host/build/guest-kernel: none installed"; exit 1; }
# The sources, broken, and the earlier build's output (a stale .ko) beside.
mkdir -p "$tmp/src" "$tmp/out"
cp -r kmod/. "$tmp/src/"
cp -rp "build/kmod/$kver" "$tmp/out/" 2>/dev/null
[ -f "$tmp/out/$kver/mymem.ko" ] || { echo "FAIL host/build/stale-ko-present: run make first"; exit 1; }
printf '\nthis_is_not_c(;\n' >>"$tmp/src/mymem.c"
make -s modules KVER="$kver" KMOD="$tmp/src" KMOD_OUT="$tmp/out" >"$tmp/out.log" 2>&1
got=$?
if [ "$got" -eq 0 ]; then
	echo "FAIL host/build/broken-module-fails-make: make exited 0 with a stale mymem.ko"
	failed=1
elif ! grep -q 'mymem.c:.*error' "$tmp/out.log"; then
	echo "FAIL host/build/broken-module-says-why: $(head -c 300 "$tmp/out.log")"
	failed=1
else
	echo "PASS host/build/broken-module-fails-make (exit $got, $(grep -m1 -o 'mymem.c:[0-9]*:[0-9]*: error' "$tmp/out.log"))"
fi
exit $failed

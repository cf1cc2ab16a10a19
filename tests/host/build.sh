#!/bin/bash
# The build itself: a module that does not compile must fail make, with the
# compiler's message shown, even where a .ko from an earlier build is
# there (it used to pass on the stale one). Builds a broken copy of kmod/
# in a temporary folder. One line per test: PASS/FAIL host/build/...
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

SUITE=host/build
. tests/lib/prologue.sh

kver=$(scripts/guest-kernel-version) || { fail guest-kernel "none installed"; exit 1; }
# The sources, broken, and the earlier build's output (a stale .ko) beside.
mkdir -p "$TMP/src" "$TMP/out"
cp -r kmod/. "$TMP/src/"
cp -rp "build/kmod/$kver" "$TMP/out/" 2>/dev/null
[ -f "$TMP/out/$kver/mymem.ko" ] || { fail stale-ko-present "run make first"; exit 1; }
printf '\nthis_is_not_c(;\n' >>"$TMP/src/mymem.c"
make -s modules KVER="$kver" KMOD="$TMP/src" KMOD_OUT="$TMP/out" >"$TMP/out.log" 2>&1
got=$?
if [ "$got" -eq 0 ]; then
	fail broken-module-fails-make "make exited 0 with a stale mymem.ko"
elif ! grep -q 'mymem.c:.*error' "$TMP/out.log"; then
	fail broken-module-says-why "$(head -c 300 "$TMP/out.log")"
else
	pass "broken-module-fails-make (exit $got, $(grep -m1 -o 'mymem.c:[0-9]*:[0-9]*: error' "$TMP/out.log"))"
fi
exit $failed

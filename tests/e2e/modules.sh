#!/bin/sh
# Unloading the modules while they are in use: refused, never a crash, and
# what was running finishes correctly. (The unload itself, mymem_test
# without mymem and bad parameters are in tests/e2e/lifecycle.sh.)
# One line per test: PASS/FAIL e2e/modules/...
set -u

SUITE=e2e/modules
. tests/lib/prologue.sh

# refused NAME MODULE: rmmod MODULE must fail, and MODULE stay loaded.
refused() {
	if rmmod "$2" 2>"$TMP/rmmod"; then
		fail "$1" "rmmod $2 succeeded"
		return 1
	fi
	if grep -q "^$2 " /proc/modules; then
		pass "$1 ($(head -1 "$TMP/rmmod" | sed 's/^rmmod: //'))"
	else
		fail "$1" "$2 is gone"
	fi
}

# The buffer mapped, its file already closed: the mapping holds the module
# (mymem_test, which holds it too, is out of the way for this one).
rmmod mymem_test || fail "unload-mymem_test" "rmmod mymem_test failed"
mkfifo "$TMP/go"
python3 -c '
import mmap, os, sys
fd = os.open("/dev/mymem", os.O_RDWR)
m = mmap.mmap(fd, 8192, mmap.MAP_SHARED)
os.close(fd)
m[0:5] = b"kept!"
print("mapped", flush=True)
sys.stdin.readline()
print(m[0:5].decode(), flush=True)
' <"$TMP/go" >"$TMP/map.out" 2>&1 &
map_pid=$!
exec 4>"$TMP/go"
for _ in $(seq 50); do grep -q mapped "$TMP/map.out" && break; sleep 0.1; done
refused "unload-mymem-while-mapped" mymem
echo >&4
exec 4>&-
wait $map_pid
grep -q "kept!" "$TMP/map.out" && pass "mapping-still-works-after-refusal" ||
	fail "mapping-still-works-after-refusal" "$(cat "$TMP/map.out")"
insmod "$KMOD"/mymem_test.ko || fail "reload-mymem_test" "insmod failed"

# mymem_test imports mymem's API: mymem cannot go first.
refused "unload-mymem-under-mymem_test" mymem

# mymem_test in the middle of a run: refused, and the run stays exact.
# Long enough that rmmod (a fork and an exec, slow under emulation, with
# eight busy kernel threads) runs before it ends: at 8 x 500000 it once
# came too late under --tcg single.
"$BENCH" --mode kernel --race 8 2000000 --lock mutex --trials 1 --json >"$TMP/race" 2>&1 &
race_pid=$!
# The run is under way once its kernel threads exist.
for _ in $(seq 200); do
	pgrep "^mymem_race" >/dev/null && break
	sleep 0.05
done
if pgrep "^mymem_race" >/dev/null; then
	refused "unload-mymem_test-during-a-run" mymem_test ||
		{ kill -0 $race_pid 2>/dev/null || echo "  (the run had already ended: rmmod came too late)"; }
else
	fail "unload-mymem_test-during-a-run" "the run's kernel threads never showed"
fi
if wait $race_pid && why=$(python3 tests/e2e/check_json.py race-exact "$TMP/race" 1 2>&1); then
	pass "run-survives-unload-attempt${why:+ ($why)}"
else
	fail "run-survives-unload-attempt" "$why $(head -c 300 "$TMP/race")"
fi

exit $failed

#!/bin/sh
# A real client nobody here wrote: Debian's fio against /dev/mymem under
# mymemtrace, every synchronous engine and io_uring at several depths. The
# tracer's calls per direction must equal fio's own total_ios, with the
# rows named by how the calls came in and nothing dropped
# (tests/e2e/check_fio.py). libaio is left out: fio refuses it on a
# device without read_iter, before any I/O.
# One line per test: PASS/FAIL/SKIP e2e/fio/<name>.
set -u

SUITE=e2e/fio
. tests/lib/prologue.sh

if ! command -v fio >/dev/null; then
	skip all "fio is not installed (apt-get install fio)"
	exit 0
fi

# run NAME ENGINE FIO_ARGS...: fio under the tracer, checked.
run() {
	name=$1 engine=$2
	shift 2
	if ! $TRACE --json "$TMP/trace.json" -- fio --output-format=json --output="$TMP/fio.json" \
		--filename=/dev/mymem --bs=4k --size=512k --ioengine="$engine" "$@" \
		>"$TMP/out" 2>"$TMP/err"; then
		fail "$name" "mymemtrace -- fio failed: $(tail -c 400 "$TMP/err")"
	elif note=$(python3 tests/e2e/check_fio.py "$TMP/trace.json" "$TMP/fio.json" "$engine" 2>&1); then
		pass "$name ($note)"
	else
		fail "$name" "$note"
	fi
}

# Reads and writes mixed, 128 I/Os of 4 KiB over the whole buffer.
for engine in sync psync vsync pvsync pvsync2 posixaio; do
	run "$engine" "$engine" --name="$engine" --rw=rw
done
# vsync at a depth above 1 may put adjacent I/Os into one readv (fio 3.33
# did not here); the check counts the handler's entries either way.
run vsync-read-depth-4 vsync --name=vsync4 --rw=read --iodepth=4
for depth in 1 4 8 32; do
	run "io_uring-depth-$depth" io_uring --name="uring$depth" --rw=rw --iodepth=$depth
done
# io_uring's workers waiting on mymem's mutex, held by four psync writers
# at once: the mutex's slow path begins its contention twice and ends it
# once (the tracer lost calls so on 6.1). Reads through io_uring, writes
# through pwrite64: each direction is one engine.
if $TRACE --json "$TMP/trace.json" -- fio --output-format=json --output="$TMP/fio.json" \
	--filename=/dev/mymem --bs=4k --size=512k --loops=4 \
	--name=uring --ioengine=io_uring --rw=read --iodepth=8 \
	--name=writers --ioengine=psync --rw=write --numjobs=4 \
	>"$TMP/out" 2>"$TMP/err"; then
	python3 - "$TMP/trace.json" "$TMP/fio.json" >"$TMP/note" 2>&1 <<'PY'
import json, sys
t = json.load(open(sys.argv[1])); f = json.load(open(sys.argv[2]))
reads = sum(j["read"]["total_ios"] for j in f["jobs"] if j["jobname"] == "uring")
writes = sum(j["write"]["total_ios"] for j in f["jobs"] if j["jobname"] == "writers")
rows = [r for r in t["rows"] if r["path"] == "syscall"]
got_r = sum(r["count"] for r in rows if r["op"] == "read" and str(r.get("via")).startswith("outside:"))
got_w = sum(r["count"] for r in rows if r["op"] == "write" and "via" not in r)
lock = sum(r["count"] * r["breakdown_ns"]["lock_wait"] for r in rows)
drops = {k: v for k, v in t["drops"].items() if v}
if (got_r, got_w) != (reads, writes) or drops:
    print(f"fio {reads} reads, {writes} writes; traced {got_r}, {got_w}; drops {drops}")
    sys.exit(1)
print(f"{reads} io_uring reads, {writes} pwrite64 writes, {lock / 1e6:.1f} ms of lock wait")
PY
	if [ $? -eq 0 ]; then
		pass "io_uring-under-mutex-contention ($(cat "$TMP/note"))"
	else
		fail "io_uring-under-mutex-contention" "$(cat "$TMP/note")"
	fi
else
	fail "io_uring-under-mutex-contention" "mymemtrace -- fio failed: $(tail -c 400 "$TMP/err")"
fi

exit $failed

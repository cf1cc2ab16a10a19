#!/bin/sh
# The task filters, each with a workload it must leave out running at the
# same time as the one it keeps: --cgroup (a real cgroup v2 hierarchy, the
# kept workload in a child of the cgroup given), --tid (two threads of one
# process) and --name. Sizes tell the workloads apart in the saved run.
set -u

SUITE=e2e/filters
. tests/lib/prologue.sh

CG=/sys/fs/cgroup
INSIDE=$CG/mt-filter-inside
on_exit() {
	rmdir "$INSIDE/below" "$INSIDE" 2>/dev/null
	[ -n "${mounted:-}" ] && umount "$CG"
}

# tracer NAME OUT.json OPTIONS...: the tracer in the background, system-wide,
# until it says it is tracing; its pid in $tracer_pid.
tracer() {
	name=$1 out=$2
	shift 2
	"$TRACE" --json "$out" "$@" >/dev/null 2>"$TMP/$name.err" &
	tracer_pid=$!
	for _ in $(seq 150); do
		grep -q "Tracing" "$TMP/$name.err" && return 0
		sleep 0.2
	done
	fail "$name" "the tracer did not start: $(head -c 300 "$TMP/$name.err")"
	kill -INT $tracer_pid
	return 1
}

# stop NAME: SIGINT, and the tracer must write its run.
stop() {
	kill -INT $tracer_pid
	wait $tracer_pid || { fail "$1" "mymemtrace exited $?: $(tail -c 300 "$TMP/$1.err")"; return 1; }
}

# only NAME RUN.json SIZE COUNT: the run's syscall rows are SIZE's alone, COUNT reads.
only() {
	if note=$(python3 -c '
import json, sys
run = json.load(open(sys.argv[1]))
size, count = int(sys.argv[2]), int(sys.argv[3])
rows = {(r["op"], r["size"]): r["count"] for r in run["rows"] if r["path"] == "syscall"}
ok = rows == {("read", size): count}
print(f"{rows}")
sys.exit(0 if ok else 1)' "$2" "$3" "$4" 2>&1); then
		pass "$1 ($note)"
	else
		fail "$1" "want only $4 reads of $3 B: $note"
	fi
}

# --- --cgroup: a workload in a cgroup below the one given, one outside
if ! grep -q " $CG cgroup2 " /proc/mounts; then
	mount -t cgroup2 none "$CG" && mounted=1
fi
if mkdir -p "$INSIDE/below" 2>"$TMP/mkdir.err"; then
	if tracer cgroup "$TMP/cgroup.json" -c "$INSIDE"; then
		sh -c 'echo $$ >"$1/cgroup.procs" && exec dd if=/dev/mymem of=/dev/null bs=64 count=300 2>/dev/null' \
			sh "$INSIDE/below" &
		inside=$!
		dd if=/dev/mymem of=/dev/null bs=128 count=500 2>/dev/null
		wait $inside
		stop cgroup && only "cgroup-keeps-inside-and-below" "$TMP/cgroup.json" 64 300
	fi
else
	fail "cgroup-keeps-inside-and-below" "no cgroup v2 here: $(cat "$TMP/mkdir.err")"
fi

# --- --tid: one thread of two, reading at once
cat >"$TMP/threads.py" <<'PY'
import os, sys, threading
go = threading.Event()
def reader(size, n):
    go.wait()
    fd = os.open("/dev/mymem", os.O_RDONLY)
    for _ in range(n):
        os.pread(fd, size, 0)
    os.close(fd)
a = threading.Thread(target=reader, args=(32, 70))
b = threading.Thread(target=reader, args=(48, 90))
a.start(); b.start()
with open(sys.argv[1], "w") as f:
    f.write(f"{a.native_id}\n")
sys.stdin.readline()
go.set()
a.join(); b.join()
PY
mkfifo "$TMP/go"
python3 "$TMP/threads.py" "$TMP/tid" <"$TMP/go" &
threads=$!
exec 3>"$TMP/go"
for _ in $(seq 100); do [ -s "$TMP/tid" ] && break; sleep 0.1; done
if tracer tid "$TMP/tid.json" -t "$(cat "$TMP/tid")"; then
	echo go >&3
	wait $threads
	stop tid && only "tid-keeps-that-thread" "$TMP/tid.json" 32 70
fi
exec 3>&-
wait $threads 2>/dev/null

# --- --name: dd kept, python left out, at once
if tracer name "$TMP/name.json" -n dd; then
	python3 -c 'import os
fd = os.open("/dev/mymem", os.O_RDONLY)
for _ in range(40): os.pread(fd, 16, 0)' &
	other=$!
	dd if=/dev/mymem of=/dev/null bs=256 count=60 2>/dev/null
	wait $other
	stop name && only "name-keeps-that-name" "$TMP/name.json" 256 60
fi

exit $failed

#!/bin/sh
# The tracer under attack, in the guest with mymem and mymem_test loaded:
# bad command lines (exit 2, nothing loaded), signals (report and exports
# written, every program and link gone, SIGKILL included), no BTF, kprobes
# switched off, and mymem unloaded while traced. One line per test:
# PASS/FAIL/SKIP e2e/faults/...
set -u

SUITE=e2e/faults
. tests/lib/prologue.sh

# BPF programs and links in the kernel: ours must all be gone after a run.
progs() { bpftool prog show 2>/dev/null | grep -c '^[0-9]*:'; }
links() { bpftool link show 2>/dev/null | grep -c '^[0-9]*:'; }
progs0=$(progs)
links0=$(links)

# nothing_left NAME: no program or link beyond those there at the start
# (freeing is asynchronous after a kill: allow it 5 s).
nothing_left() {
	for _ in $(seq 50); do
		[ "$(progs)" -eq "$progs0" ] && [ "$(links)" -eq "$links0" ] && break
		sleep 0.1
	done
	if [ "$(progs)" -eq "$progs0" ] && [ "$(links)" -eq "$links0" ]; then
		pass "$1"
	else
		fail "$1" "$(progs) programs and $(links) links, $progs0 and $links0 before"
	fi
}

# --- bad command lines: exit 2, a message naming the problem, nothing loaded
bad() {
	want=$1
	shift
	"$TRACE" "$@" >/dev/null 2>"$TMP/err"
	st=$?
	if [ $st -eq 2 ] && head -1 "$TMP/err" | grep -q -- "$want" &&
	   [ "$(progs)" -eq "$progs0" ]; then
		pass "usage-exit-2 ($*)"
	else
		fail "usage-exit-2" "'$*': exit $st, want 2 and '$want': $(head -2 "$TMP/err")"
	fi
}
bad "unrecognized option" --bogus
bad "'abc' is not a number" -i abc
bad "'0' is not a number" -i 0
bad "'-1' is not a number" -d -1
bad "not a power of 2" --events "$TMP/e.csv" --ringbuf-size 5000
bad "requires an argument" -p
bad "no such process" -p 99999999
bad "exclude each other" -p 1 -- true
bad "measures nothing" --floor --json "$TMP/x.json"
bad "1 to 15 characters" -n 0123456789abcdef
bad "no such thread" -t 99999999
bad "not a duration" --events "$TMP/e.csv" --min-latency 10min
bad "give one of them" --min-latency 10us
bad "No such file or directory" -c /sys/fs/cgroup/no-such-cgroup
bad "not a cgroup v2 directory" -c /tmp
bad "cannot write there" --json /nonexistent/dir/x.json -- true
bad "cannot write there" --csv /proc/x.csv -- true
bad "is a directory" --svg "$TMP" -- true
bad "both write" --json "$TMP/a" --csv "$TMP/a" -- true
bad "command not found" -- /nonexistent/cmd
# exists GLOB: does any file match (a glob that matches nothing stays as is)?
exists() { for f in "$@"; do [ -e "$f" ] && return 0; done; return 1; }
if exists "$TMP"/.mymemtrace-probe-*; then
	fail "output-probe-cleaned" "$(ls -a "$TMP")"
else
	pass "output-probe-cleaned"
fi

# --- signals: SIGTERM, SIGINT and SIGHUP write everything; SIGKILL leaves nothing
# CMD makes its calls, says so on a FIFO, then waits to be stopped.
traced_then_wait() {
	rm -f "$TMP/done"
	mkfifo "$TMP/done"
	"$TRACE" "$@" -- sh -c "$BENCH -n 50 --sizes 64 >/dev/null; echo done >$TMP/done; sleep 60" \
		>"$TMP/out" 2>"$TMP/err" &
	trace_pid=$!
	# Bounded: a tracer that fails early never lets CMD say "done".
	timeout 120 cat "$TMP/done" >/dev/null || echo "(no done from CMD: $(cat "$TMP/err"))"
}
for sig in TERM INT HUP; do
	traced_then_wait --json "$TMP/$sig.json" --csv "$TMP/$sig.csv"
	[ "$(progs)" -gt "$progs0" ] || fail "sig$sig-check-can-fail" "no program loaded while tracing"
	kill -$sig $trace_pid
	wait $trace_pid
	st=$?
	if note=$($CHECK counts "$TMP/$sig.json" syscall 50 64 2>&1) &&
	   grep -q "^syscall,read,64" "$TMP/$sig.csv" && grep -q "Why is user space slower" "$TMP/err"; then
		pass "sig$sig-writes-report-and-exports (exit $st; $note)"
	else
		fail "sig$sig-writes-report-and-exports" "exit $st: $note $(tail -c 300 "$TMP/err")"
	fi
	nothing_left "sig$sig-detaches-everything"
done

traced_then_wait --json "$TMP/kill.json"
kill -KILL $trace_pid
wait $trace_pid 2>/dev/null
nothing_left "sigkill-leaves-no-program-or-link"
if [ -e "$TMP/kill.json" ] || exists "$TMP"/kill.json.tmp*; then
	fail "sigkill-leaves-no-partial-export" "$(ls "$TMP")"
else
	pass "sigkill-leaves-no-partial-export"
fi
pkill -f "sleep 60" 2>/dev/null

# --- a closed report stream, and an export that cannot be written at the end
# (With CMD the report is on stderr: both streams go into the closed pipe.)
"$TRACE" --json "$TMP/pipe.json" -- sh -c "$BENCH -n 20 --sizes 64 >/dev/null" 2>&1 | head -c 1 >/dev/null
if note=$($CHECK counts "$TMP/pipe.json" syscall 20 64 2>&1); then
	pass "closed-stdout-exports-still-written ($note)"
else
	fail "closed-stdout-exports-still-written" "$note"
fi
mkdir "$TMP/gone"
"$TRACE" --json "$TMP/gone/x.json" --csv "$TMP/kept.csv" -- \
	sh -c "rmdir $TMP/gone; $BENCH -n 20 --sizes 64 >/dev/null" >"$TMP/out" 2>"$TMP/err"
st=$?
if [ $st -eq 1 ] && grep -q "cannot write $TMP/gone/x.json" "$TMP/err" &&
   grep -q "^syscall,read,64" "$TMP/kept.csv" && grep -q "Why is user space slower" "$TMP/err"; then
	pass "unwritable-export-exit-1-rest-kept"
else
	fail "unwritable-export-exit-1-rest-kept" "exit $st: $(cat "$TMP/err")"
fi

# --- no BTF at all: refused, exit 3, the reason given ------------------------
# libbpf looks for the kernel's BTF in /sys/kernel/btf/vmlinux, then in
# vmlinux files on disk (btf__load_vmlinux_btf). Debian's 6.12 headers
# ship one (/lib/modules/VERSION/build/vmlinux, with .BTF), which 6.1's do
# not: hiding only the sysfs file left 6.12 with BTF, and the tracer ran.
# Every place libbpf 1.1 looks is hidden, and the test says which it found.
if command -v unshare >/dev/null; then
	r=$(uname -r)
	hide="" found=""
	for f in /sys/kernel/btf/vmlinux /boot/vmlinux-$r /lib/modules/$r/vmlinux-$r \
		/lib/modules/$r/build/vmlinux /usr/lib/modules/$r/kernel/vmlinux \
		/usr/lib/debug/boot/vmlinux-$r /usr/lib/debug/boot/vmlinux-$r.debug \
		/usr/lib/debug/lib/modules/$r/vmlinux; do
		[ -e "$f" ] || continue
		hide="$hide mount --bind /dev/null $f &&"
		[ "$f" = /sys/kernel/btf/vmlinux ] || found="$found $f"
	done
	unshare -m sh -c "$hide exec $TRACE -- true" >/dev/null 2>"$TMP/err"
	st=$?
	if [ $st -eq 3 ] && grep -q "has no BTF" "$TMP/err" && [ "$(progs)" -eq "$progs0" ]; then
		pass "no-btf-refused-exit-3 (hidden: /sys/kernel/btf/vmlinux${found:+ and}${found:- only})"
	else
		fail "no-btf-refused-exit-3" "exit $st: $(cat "$TMP/err")"
	fi
	# Where a vmlinux with BTF is on disk (6.12), the sysfs file alone
	# hidden is not fatal: libbpf reads the types from the file.
	if [ -n "$found" ]; then
		unshare -m sh -c "mount --bind /dev/null /sys/kernel/btf/vmlinux && exec $TRACE -- true" \
			>/dev/null 2>"$TMP/err"
		st=$?
		if [ $st -eq 0 ]; then
			pass "btf-from-disk-without-sysfs (libbpf read$found)"
		else
			fail "btf-from-disk-without-sysfs" "exit $st with$found there: $(cat "$TMP/err")"
		fi
	fi
else
	skip "no-btf-refused-exit-3" "no unshare(1) in this system"
fi

# --- kprobes switched off: functions untraced and said so; syscalls exact ----
grep -q " /sys/kernel/debug " /proc/mounts || mount -t debugfs none /sys/kernel/debug
KP=/sys/kernel/debug/kprobes/enabled
if [ -w $KP ]; then
	echo 0 >$KP
	"$TRACE" --force-kprobes --json "$TMP/nokp.json" -- "$BENCH" -n 40 --sizes 64 \
		>"$TMP/out" 2>"$TMP/err"
	st=$?
	echo 1 >$KP
	if [ $st -eq 0 ] && grep -q "switched off" "$TMP/err" &&
	   note=$($CHECK counts "$TMP/nokp.json" syscall 40 64 2>&1) &&
	   python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["attach"]["mymem_read"] == "unavailable" and "switched off" in d["unavailable"]["mymem_read"]["why"] else 1)' "$TMP/nokp.json"; then
		pass "kprobes-off-degrades-and-says-so ($note)"
	else
		fail "kprobes-off-degrades-and-says-so" "exit $st: $(head -3 "$TMP/err")"
	fi
else
	skip "kprobes-off-degrades-and-says-so" "$KP is not writable"
fi

# --- mymem unloaded while traced ---------------------------------------------
# fentry holds the module: the unload is refused, and allowed once we exit.
traced_then_wait --json "$TMP/held.json"
rmmod mymem_test
if rmmod mymem 2>/dev/null; then
	fail "unload-refused-under-fentry" "rmmod mymem succeeded"
	insmod "$KMOD"/mymem.ko
else
	pass "unload-refused-under-fentry"
fi
kill -INT $trace_pid
wait $trace_pid
if rmmod mymem; then
	pass "module-released-after-trace"
	insmod "$KMOD"/mymem.ko
else
	fail "module-released-after-trace" "rmmod mymem still refused: a leaked reference"
fi
# kprobes do not hold it: the unload happens, and the tracer notices.
traced_then_wait --force-kprobes --json "$TMP/gone.json"
if rmmod mymem; then
	for _ in $(seq 50); do kill -0 $trace_pid 2>/dev/null || break; sleep 0.1; done
	wait $trace_pid
	st=$?
	if [ $st -eq 4 ] && grep -q "went away" "$TMP/err" &&
	   note=$($CHECK counts "$TMP/gone.json" syscall 50 64 2>&1); then
		pass "unload-noticed-data-kept-exit-4 ($note)"
	else
		fail "unload-noticed-data-kept-exit-4" "exit $st: $(tail -c 300 "$TMP/err")"
	fi
	nothing_left "unload-then-nothing-left"
	insmod "$KMOD"/mymem.ko
else
	fail "unload-noticed-data-kept-exit-4" "rmmod mymem refused under kprobes"
	kill -INT $trace_pid
	wait $trace_pid
fi
pkill -f "sleep 60" 2>/dev/null
grep -q "^mymem_test " /proc/modules || insmod "$KMOD"/mymem_test.ko

exit $failed

#!/bin/bash
# --prometheus, --trace and -o on the host: bad addresses refused before
# anything is loaded; then, as root on the host's tracepoint-only kernel, a
# scrape promtool accepts (parts the probes cannot tell apart are
# "unattributed", never zeros), a port already taken, and a timeline.
# One line per test: PASS/FAIL/SKIP host/ecosystem/...
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

SUITE=host/ecosystem
. tests/lib/prologue.sh
on_exit() { [ -n "${holder:-}" ] && kill "$holder" 2>/dev/null; }

for bad in 0 65536 abc 1.2.3:9100 localhost:9100 "[::1:9100" ":9100" ""; do
	"$TRACE" --prometheus "$bad" -- true >/dev/null 2>"$TMP/err"
	st=$?
	if [ $st -eq 2 ] && grep -q "is not \[ADDR:\]PORT" "$TMP/err"; then
		pass "prometheus-bad-address-exit-2 ('$bad')"
	else
		fail "prometheus-bad-address-exit-2" "'$bad': exit $st: $(cat "$TMP/err")"
	fi
done

if [ "$(id -u)" != 0 ]; then
	skip scrape-and-timeline "not root, cannot load BPF programs"
	exit $failed
fi
port=$((20000 + RANDOM % 20000))

# A scrape on the host's kernel: promtool accepts it, and it says only
# what was measured.
if "$TRACE" --dev /dev/zero --prometheus "127.0.0.1:$port" -o "$TMP/report" -- sh -c \
	"dd if=/dev/zero of=/dev/null bs=64 count=1000 status=none; curl -sf http://127.0.0.1:$port/metrics >$TMP/scrape" \
	>/dev/null 2>"$TMP/err"; then
	if promtool check metrics <"$TMP/scrape" >"$TMP/lint" 2>&1; then
		pass "promtool-accepts-a-scrape ($(wc -l <"$TMP/scrape") lines)"
	else
		fail "promtool-accepts-a-scrape" "$(head -c 300 "$TMP/lint")"
	fi
	if grep -q '^mymemtrace_calls_total{path="syscall",op="read",size="64"} 1000$' "$TMP/scrape" &&
	   grep -q 'part="unattributed"' "$TMP/scrape" && ! grep -q 'part="dispatch"' "$TMP/scrape"; then
		pass "scrape-counts-and-no-made-up-parts"
	else
		fail "scrape-counts-and-no-made-up-parts" "$(grep -v _bucket "$TMP/scrape" | head -c 400)"
	fi
else
	fail "promtool-accepts-a-scrape" "mymemtrace failed: $(tail -c 300 "$TMP/err")"
fi

# The port is taken: a clear message, exit 1, and CMD never runs.
python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); time.sleep(60)' "$port" &
holder=$!
sleep 0.5
"$TRACE" --dev /dev/zero --prometheus "127.0.0.1:$port" -- touch "$TMP/ran" >/dev/null 2>"$TMP/err"
st=$?
if [ $st -eq 1 ] && grep -q "cannot listen there" "$TMP/err" && [ ! -e "$TMP/ran" ]; then
	pass "prometheus-port-taken-says-so"
else
	fail "prometheus-port-taken-says-so" "exit $st: $(cat "$TMP/err")"
fi
kill $holder 2>/dev/null

# A timeline: the parts the host cannot tell apart are "unattributed".
if "$TRACE" --dev /dev/zero --trace "$TMP/tl.json" --json "$TMP/tl-run.json" -- \
	dd if=/dev/zero of=/dev/null bs=64 count=500 status=none >/dev/null 2>"$TMP/err" &&
   note=$(python3 tests/e2e/check_timeline.py "$TMP/tl.json" "$TMP/tl-run.json" --want-parts unattributed 2>&1); then
	pass "timeline-on-tracepoints-only ($note)"
else
	fail "timeline-on-tracepoints-only" "${note:-$(tail -c 300 "$TMP/err")}"
fi
exit $failed

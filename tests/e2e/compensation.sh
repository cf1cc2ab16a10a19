#!/bin/sh
# The tracer's own cost taken out (issue #13), in a guest booted with
# --icount --smp 1 (tests/check.sh), where instruction-counted times repeat
# within 1%: the compensated answers against the same calls untraced in
# the same boot. One line per test: PASS/FAIL e2e/compensation/...
set -u

SUITE=e2e/compensation
. tests/lib/prologue.sh

# --- validate: both paths, reads and writes, 1 B to 512 KiB ------------------
# One round: counted in instructions, a round repeats within 1%.
"$TRACE" validate --sizes 1,64,4096,524288 --rounds 1 -n 50 >"$TMP/validate.out" 2>&1
st=$?
rows=$(grep -cE '^(syscall|kernel) +(read|write) ' "$TMP/validate.out")
ratios=$(grep -cE '^(read|write) +[0-9]+ +[0-9.]+x' "$TMP/validate.out")
if [ "$st" -eq 0 ] && [ "$rows" -eq 16 ] && [ "$ratios" -eq 8 ] &&
   ! grep -q missing "$TMP/validate.out"; then
	pass "validate-within-10pct ($(grep '^worst error' "$TMP/validate.out"))"
else
	fail "validate-within-10pct" "exit $st, $rows rows, $ratios ratios: $(cat "$TMP/validate.out")"
fi
cat "$TMP/validate.out"

# The same check fails on the figures as measured: it can tell.
"$TRACE" validate --raw --sizes 1 --rounds 1 -n 50 --no-race >"$TMP/raw.out" 2>&1
st=$?
if [ "$st" -eq 1 ] && grep -q "above the 10.0% threshold" "$TMP/raw.out"; then
	pass "validate-raw-fails ($(grep '^worst error' "$TMP/raw.out"))"
else
	fail "validate-raw-fails" "exit $st: $(cat "$TMP/raw.out")"
fi

# --- the JSON: both figures, parts summing to the compensated total ---------
"$TRACE" --json "$TMP/c.json" --events "$TMP/c.jsonl" -- "$BENCH" -n 50 --sizes 1,4096 \
	>/dev/null 2>"$TMP/c.err" &&
"$TRACE" --json "$TMP/k.json" -- "$BENCH" --mode kernel -n 50 --sizes 1,4096 \
	>/dev/null 2>"$TMP/k.err" &&
"$TRACE" --raw --json "$TMP/r.json" -- "$BENCH" -n 50 --sizes 1,4096 \
	>/dev/null 2>"$TMP/r.err"
st=$?
if [ "$st" -ne 0 ]; then
	fail "traced-runs" "exit $st: $(cat "$TMP/c.err" "$TMP/k.err" "$TMP/r.err" | head -c 600)"
fi
if $CHECK adds-up "$TMP/c.json" && $CHECK adds-up "$TMP/k.json"; then
	pass "compensated-parts-sum-to-total"
else
	fail "compensated-parts-sum-to-total" "see above"
fi
if python3 - "$TMP/c.json" "$TMP/k.json" "$TMP/r.json" <<'PY'
import json, sys
c, k, r = (json.load(open(p)) for p in sys.argv[1:])
for doc, path in ((c, "syscall"), (k, "kernel")):
    assert doc["compensation"]["applied"] is True, doc["compensation"]
    rows = [x for x in doc["rows"] if x["path"] == path]
    assert len(rows) == 4, rows
    for x in rows:
        assert x["count"] == 50, x
        raw = x["raw"]["total_ns"]["mean"]
        mean = x["total_ns"]["mean"]
        # What was taken out is what the header says, to rounding.
        per_call = doc["compensation"][path + "_ns_per_call"]
        assert per_call > 0 and mean < raw, (x, per_call)
        assert abs((raw - mean) - per_call) <= per_call * 0.02 + 2, (raw, mean, per_call)
assert k["compensation"]["kernel"]["valid"] is True, k["compensation"]
assert c["calibration"]["mode_switch_ns"] == c["calibration"]["untraced_ns"], c["calibration"]
# --raw: nothing compensated, no second figure, the old mode switch.
assert r["compensation"]["applied"] is False
assert all("raw" not in x for x in r["rows"]), r["rows"]
cal = r["calibration"]
assert cal["mode_switch_ns"] == cal["user_ns"] - cal["kernel_ns"], cal
PY
then
	pass "json-raw-and-compensated"
else
	fail "json-raw-and-compensated" "see the assertion above"
fi
# Each call's record: parts sum to its compensated total, the raw one beside.
if python3 - "$TMP/c.jsonl" <<'PY'
import json, sys
parts = ("dispatch_ns", "buffer_ns", "lock_wait_ns", "copy_ns", "offcpu_ns")
n = 0
for line in open(sys.argv[1]):
    e = json.loads(line)
    assert sum(e[p] for p in parts if p in e) == e["total_ns"], e
    assert e["raw_total_ns"] > e["total_ns"], e
    n += 1
assert n == 200, n
PY
then
	pass "events-compensated-per-call (200 records)"
else
	fail "events-compensated-per-call" "see the assertion above"
fi

# --- another tracer's calibration stays out of the kernel rows ---------------
"$TRACE" --json "$TMP/a.json" -d 30 >/dev/null 2>"$TMP/a.err" &
a=$!
sleep 8
"$TRACE" --calibrate >/dev/null 2>&1
kill -INT $a 2>/dev/null
wait $a
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
bad = [r for r in d["rows"] if r["count"]]
sys.exit(1 if bad else 0)' "$TMP/a.json"; then
	pass "other-tracers-kernel-calibration-left-out"
else
	fail "other-tracers-kernel-calibration-left-out" "$(python3 -c 'import json,sys; print([(r["path"],r["op"],r["size"],r["count"]) for r in json.load(open(sys.argv[1]))["rows"]])' "$TMP/a.json")"
fi

exit $failed

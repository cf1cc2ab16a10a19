#!/bin/bash
# tests/check.sh's output is KTAP that a standard TAP reader takes as it is
# meant: perl's TAP::Parser (what prove uses) reads make unit's stream with
# no parse error, its plan and counts those of the tally line; and the two
# translators (tests/lib/from-ktap.awk, to-ktap.awk) keep every failure a
# failure and every skip a skip, whatever the lines look like.
# One line per test: PASS/FAIL host/ktap/...
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

SUITE=host/ktap
. tests/lib/prologue.sh

# tap FILE: what TAP::Parser makes of FILE, on one line: "plan P run N pass
# N fail N skip N todo N errors N", then each parse error on its own line.
tap() {
	perl -MTAP::Parser -e '
		open(my $f, "<", $ARGV[0]) or die "$ARGV[0]: $!";
		my $p = TAP::Parser->new({ tap => do { local $/; <$f> } });
		1 while $p->next;
		printf "plan %s run %d pass %d fail %d skip %d todo %d errors %d\n",
			$p->plan, $p->tests_run, scalar($p->passed) - scalar($p->skipped),
			scalar($p->failed), scalar($p->skipped), scalar($p->todo),
			scalar($p->parse_errors);
		print "$_\n" for $p->parse_errors;' "$1"
}

if ! perl -MTAP::Parser -e 1 2>"$TMP/err"; then
	fail tap-parser "perl's TAP::Parser is missing (perl, in scripts/apt-packages): $(head -c 200 "$TMP/err")"
	exit 1
fi

# --- make unit's stream, as it is ------------------------------------------
tests/check.sh --unit >"$TMP/unit.tap" 2>&1
st=$?
got=$(tap "$TMP/unit.tap")
tally=$(grep -E '^# [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$TMP/unit.tap" | tail -1)
read -r p f s <<<"$(sed -E 's/^# ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped.*/\1 \2 \3/' <<<"$tally")"
n=$((${p:-0} + ${f:-0} + ${s:-0}))
if [ "$(head -1 "$TMP/unit.tap")" = "KTAP version 1" ] && [ "$n" -gt 0 ] &&
   [ "$(head -1 <<<"$got")" = "plan 1..$n run $n pass $p fail $f skip $s todo 0 errors 0" ]; then
	pass "unit-stream-parses ($n results, plan 1..$n)"
else
	fail "unit-stream-parses" "exit $st; the tally: '${tally:-none}'; TAP::Parser: $got"
fi
# Nothing but the version line is left to a reader's guess: every other
# line is a result, the plan or a diagnostic.
odd=$(grep -vnE '^(KTAP version 1|1\.\.[0-9]+|(not )?ok [0-9]+ [^#]+( # .*)?|#( .*)?)$' "$TMP/unit.tap" | head -3)
if [ -z "$odd" ]; then
	pass "unit-stream-every-line-ktap"
else
	fail "unit-stream-every-line-ktap" "$odd"
fi

# --- every kind of line, through both translators --------------------------
# A KTAP program that fails one subtest (details first) and dies after its
# second result of three; then a shell producer's lines: a pass with a note
# and a "#", a failure whose reason starts like a directive, a skip, a log
# line that looks like a result, and one of our own lines without a reason.
cat >"$TMP/program" <<'EOF'
#!/bin/sh
printf 'KTAP version 1\n1..3\nok 1 unit/x/first\n# x.c:9: sizes: got 1, want 2\n'
printf 'not ok 2 unit/x/second # sizes: got 1, want 2\n'
exit 139
EOF
chmod +x "$TMP/program"
{
	"$TMP/program" | awk -v name=unit/x -f tests/lib/from-ktap.awk
	cat <<'EOF'
== a step
PASS e2e/y/noted (3 rows, #1 first)
FAIL e2e/y/todo-like: TODO list not written
SKIP e2e/y/skipped: no fio here
ok 7 e2e/y/from-a-log
FAIL e2e/y/no-reason
2 passed, 4 failed, 1 skipped (0 s)
EOF
} | awk -f tests/lib/to-ktap.awk >"$TMP/kinds.tap"
st=$?
got=$(tap "$TMP/kinds.tap")
if [ $st -eq 0 ] && [ "$got" = "plan 1..7 run 7 pass 2 fail 4 skip 1 todo 0 errors 0" ]; then
	pass "every-kind-of-line-counted-as-meant (2 passed, 4 failed, 1 skipped)"
else
	fail "every-kind-of-line-counted-as-meant" "exit $st; TAP::Parser: $got; the stream: $(tr '\n' '|' <"$TMP/kinds.tap")"
fi
if grep -qx 'not ok 3 unit/x # printed 2 of its 3 results' "$TMP/kinds.tap" &&
   grep -qx '# x.c:9: sizes: got 1, want 2' "$TMP/kinds.tap"; then
	pass "ktap-program-that-dies-early-fails"
else
	fail "ktap-program-that-dies-early-fails" "$(tr '\n' '|' <"$TMP/kinds.tap")"
fi
# A tally that is not what was numbered fails the stream.
printf 'PASS a\n2 passed, 0 failed, 0 skipped (0 s)\n' | awk -f tests/lib/to-ktap.awk >"$TMP/wrong.tap"
st=$?
if [ $st -eq 1 ] && grep -q 'the tally above says otherwise' "$TMP/wrong.tap"; then
	pass "tally-mismatch-fails"
else
	fail "tally-mismatch-fails" "exit $st: $(tr '\n' '|' <"$TMP/wrong.tap")"
fi
exit $failed

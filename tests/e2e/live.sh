#!/bin/sh
# The live view (mymemtrace --hist -i 1 on a terminal) under tmux, in the
# guest: the screen is read with capture-pane. It must show the rows and a
# histogram, redraw in place, follow a resize, obey keys, and give the
# terminal back as it was on quit. One line per test: PASS/FAIL e2e/live/...
set -u

SUITE=e2e/live
. tests/lib/prologue.sh
SOCK=mymemtrace-live-$$
tm() { tmux -L "$SOCK" "$@"; }
screen() { tm capture-pane -p -t live >"$TMP/$1"; }

# wait_for FILE PATTERN: capture until PATTERN shows (60 s at most).
wait_for() {
	i=0
	while [ $i -lt 120 ]; do
		screen "$1"
		grep -q -- "$2" "$TMP/$1" && return 0
		sleep 0.5
		i=$((i + 1))
	done
	return 1
}

if ! command -v tmux >/dev/null; then
	fail setup "tmux is missing (scripts/apt-packages installs it)"
	exit 1
fi
export TERM=xterm-256color
WORKLOAD="while :; do build/mymem-bench -n 3000 --sizes 64,4096 >/dev/null || exit 1; done"
tm -f /dev/null new-session -d -s live -x 150 -y 45 \
	"stty -g >$TMP/stty-before; build/mymemtrace --hist -i 1 -- sh -c '$WORKLOAD'; echo EXITED \$?; stty -g >$TMP/stty-after; sleep 600"

if wait_for s1 '^syscall write *4096 '; then
	pass "shows-rows ($(grep -c '^syscall ' "$TMP/s1") rows)"
else
	fail shows-rows "no rows after 60 s: $(head -c 600 "$TMP/s1")"
	tm kill-server
	exit 1
fi
if grep -q 'total latency (c: next part)' "$TMP/s1" && grep -q ' -> .*: [0-9]* *|\*' "$TMP/s1"; then
	pass shows-histogram
else
	fail shows-histogram "$(tail -c 800 "$TMP/s1")"
fi
[ "$(tm display -p -t live '#{alternate_on}')" = 1 ] && pass full-screen ||
	fail full-screen "not on the alternate screen"

# In place: after two more intervals the same row is on the same line with
# a larger count, and nothing scrolled into the history.
line1=$(grep -n '^syscall read *64 ' "$TMP/s1" | cut -d: -f1)
count1=$(grep '^syscall read *64 ' "$TMP/s1" | awk '{print $4}')
sleep 2.5
screen s2
line2=$(grep -n '^syscall read *64 ' "$TMP/s2" | cut -d: -f1)
count2=$(grep '^syscall read *64 ' "$TMP/s2" | awk '{print $4}')
if [ -n "$line1" ] && [ "$line1" = "$line2" ] && [ "${count2:-0}" -gt "${count1:-0}" ] &&
   [ "$(tm display -p -t live '#{history_size}')" = 0 ]; then
	pass "redraws-in-place (line $line1: $count1 -> $count2 calls)"
else
	fail redraws-in-place "line $line1 -> $line2, count $count1 -> $count2, history $(tm display -p -t live '#{history_size}')"
fi

tm send-keys -t live c
if wait_for s3 'syscall read 64: dispatch (c: next part)'; then
	pass key-c-shows-a-part
else
	fail key-c-shows-a-part "$(grep 'next part' "$TMP/s3")"
fi
tm send-keys -t live j
if wait_for s4 'syscall read 4096: dispatch'; then
	pass key-j-selects-the-next-row
else
	fail key-j-selects-the-next-row "$(grep 'next part' "$TMP/s4")"
fi
# Counts only grow, so a count below an earlier one shows the reset. A
# reset row is hidden until its next call is counted: wait for it.
tm send-keys -t live r
sleep 0.7
wait_for s5 '^syscall read *64 '
count5=$(grep '^syscall read *64 ' "$TMP/s5" | awk '{print $4}')
if [ -n "$count5" ] && [ "$count5" -lt "${count2:-0}" ]; then
	pass "key-r-resets-the-counts ($count2 -> $count5)"
else
	fail key-r-resets-the-counts "count $count2 -> ${count5:-none}"
fi

tm resize-window -t live -x 100 -y 30
sleep 2.5
screen s6
width=$(awk '{ if (length($0) > w) w = length($0) } END { print w }' "$TMP/s6")
if grep -q '^syscall write *4096 ' "$TMP/s6" && [ "$width" -le 100 ] && [ "$(wc -l <"$TMP/s6")" -le 30 ]; then
	pass "follows-a-resize (100x30, widest line $width)"
else
	fail follows-a-resize "widest line $width: $(head -c 400 "$TMP/s6")"
fi

tm send-keys -t live q
if wait_for s7 '^EXITED'; then
	pass quits-on-q
else
	fail quits-on-q "$(tail -c 400 "$TMP/s7")"
fi
[ "$(tm display -p -t live '#{alternate_on}')" = 0 ] && pass leaves-the-alternate-screen ||
	fail leaves-the-alternate-screen "still on it"
sleep 0.5
if [ -s "$TMP/stty-before" ] && cmp -s "$TMP/stty-before" "$TMP/stty-after"; then
	pass terminal-modes-restored
else
	fail terminal-modes-restored "stty -g before and after differ"
fi
tm capture-pane -p -S - -t live >"$TMP/s8"
grep -q 'Why is user space slower' "$TMP/s8" && pass final-report-after-quit ||
	fail final-report-after-quit "$(tail -c 400 "$TMP/s8")"

tm kill-server
exit $failed

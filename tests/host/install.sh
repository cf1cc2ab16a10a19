#!/bin/bash
# make install and uninstall into a staging tree (DESTDIR, prefix=/usr):
# the files where users and DKMS look, and nothing left after uninstall.
# The man pages render without warnings and name every long option of
# each --help; bash completion offers those options, the subcommands and
# file names. One line per test: PASS/FAIL host/install/...
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

SUITE=host/install
. tests/lib/prologue.sh

D=$TMP/dest
version=$("$TRACE" --version | sed -n 's/^mymemtrace //p')
want="usr/sbin/mymemtrace usr/bin/mymem-bench
	usr/share/man/man8/mymemtrace.8 usr/share/man/man1/mymem-bench.1
	usr/share/man/man4/mymem.4
	usr/share/bash-completion/completions/mymemtrace
	usr/share/bash-completion/completions/mymem-bench
	usr/src/mymem-$version/dkms.conf usr/src/mymem-$version/Kbuild
	usr/src/mymem-$version/mymem.c usr/src/mymem-$version/mymem.h
	usr/src/mymem-$version/mymem_test.c usr/src/mymem-$version/uapi/mymem.h
	usr/src/mymem-$version/dkms-btf.sh usr/src/mymem-$version/extract-vmlinux.py"

# Install: every file, the programs executable, nothing else.
if make -s install DESTDIR="$D" prefix=/usr >"$TMP/out" 2>"$TMP/err"; then
	pass "make-install"
else
	fail make-install "$(head -c 300 "$TMP/err")"
fi
missing=""
for f in $want; do [ -f "$D/$f" ] || missing="$missing $f"; done
if [ -z "$missing" ]; then pass "installed-files"; else fail installed-files "missing:$missing"; fi
extra=$(cd "$D" && find . -type f | sed 's#^\./##' | grep -vxF -f <(tr -s '[:space:]' '\n' <<<"$want"))
if [ -z "$extra" ]; then pass "nothing-else-installed"; else fail nothing-else-installed "$extra"; fi
if [ -x "$D/usr/sbin/mymemtrace" ] && [ -x "$D/usr/bin/mymem-bench" ] &&
   [ -x "$D/usr/src/mymem-$version/dkms-btf.sh" ] && [ -x "$D/usr/src/mymem-$version/extract-vmlinux.py" ] &&
   "$D/usr/sbin/mymemtrace" --version >/dev/null && "$D/usr/bin/mymem-bench" --version >/dev/null; then
	pass "installed-programs-run"
else
	fail installed-programs-run "not executable (the programs, or the DKMS sources' dkms-btf.sh and extract-vmlinux.py), or --version failed"
fi
# DKMS's folder is named after PACKAGE_VERSION: one version everywhere.
conf=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' kmod/dkms.conf)
if [ "$conf" = "$version" ] && grep -q '^PACKAGE_NAME="mymem"$' kmod/dkms.conf; then
	pass "dkms-conf-version ($version)"
else
	fail dkms-conf-version "kmod/dkms.conf says '$conf', mymemtrace --version '$version'"
fi

# Uninstall: the staging tree empty again, the tree itself kept.
if make -s uninstall DESTDIR="$D" prefix=/usr >"$TMP/out" 2>"$TMP/err"; then
	pass "make-uninstall"
else
	fail make-uninstall "$(head -c 300 "$TMP/err")"
fi
if [ -d "$D" ] && [ -z "$(ls -A "$D")" ]; then
	pass "uninstall-leaves-destdir-empty"
else
	fail uninstall-leaves-destdir-empty "$(cd "$D" 2>/dev/null && find . -mindepth 1 | head -5 | paste -sd' ')"
fi

# Man pages: rendered by man-db and groff without a warning.
for page in docs/man/*.[148]; do
	name=$(basename "$page")
	warn=$( { man --warnings -l "$page" >/dev/null; } 2>&1; groff -man -ww -z "$page" 2>&1)
	if [ -z "$warn" ]; then pass "man-renders-clean ($name)"; else fail "man-renders-clean ($name)" "$warn"; fi
done

# long_opts CMD...: the long options CMD's --help lists (its option lines,
# not the usage and examples above them), one a line.
long_opts() {
	"$@" --help | sed -nE 's/^ +(-[^-], )?(--[a-z][a-z0-9-]*).*/\2/p' | sort -u
}
# covers PAGE CMD...: every long option of CMD --help is in PAGE (\- as -).
# (grep -q reads no further than its match: with pipefail, never at the end
# of a pipe.)
covers() {
	local page=$1 name missing="" o text
	shift
	name=$(basename "$page")${2:+ $2}
	text=$(sed 's/\\-/-/g' "$page")
	for o in $(long_opts "$@"); do
		grep -qE -- "$o([^a-z0-9-]|\$)" <<<"$text" || missing="$missing $o"
	done
	if [ -z "$missing" ]; then pass "man-covers-help ($name)"; else fail "man-covers-help ($name)" "missing:$missing"; fi
}
covers docs/man/mymemtrace.8 "$TRACE"
for sub in report diff plot validate; do
	covers docs/man/mymemtrace.8 "$TRACE" "$sub"
	grep -q "^\.SS mymemtrace $sub" docs/man/mymemtrace.8 ||
		fail "man-has-subcommand ($sub)" "no .SS mymemtrace $sub"
done
covers docs/man/mymem-bench.1 "$BENCH"

# complete FILE WORD...: COMPREPLY, one a line, for the command line WORD...
# with the cursor on its last word, from the completion FILE.
complete_words() {
	bash -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		fn=$(complete -p "$1" | sed -E "s/.* -F ([^ ]+) .*/\1/")
		"$fn" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' sh "$@"
}
# offers NAME WANT FILE WORD...: the completion offers WANT.
offers() {
	local name=$1 want=$2
	shift 2
	if grep -qxF -- "$want" <(complete_words "$@"); then
		pass "completion-$name"
	else
		fail "completion-$name" "'${*:2}' did not offer $want: $(complete_words "$@" | paste -sd' ')"
	fi
}
C=docs/completion/mymemtrace
offers "js-gives-json" --json $C mymemtrace --js
offers "rep-gives-report" report $C mymemtrace rep
: >"$TMP/run-x.json"
offers "file-after-json" "$TMP/run-x.json" $C mymemtrace --json "$TMP/run-"
offers "file-after-o" "$TMP/run-x.json" $C mymemtrace -o "$TMP/run-"
offers "file-after-trace=" "$TMP/run-x.json" $C mymemtrace --trace="$TMP/run-"
offers "report-run-file" "$TMP/run-x.json" $C mymemtrace report "$TMP/run-"
offers "diff-second-file" "$TMP/run-x.json" $C mymemtrace diff a.json "$TMP/run-"
# Every long option of each --help, offered where it belongs.
missing=""
for o in $(long_opts "$TRACE"); do grep -qxF -- "$o" <(complete_words $C mymemtrace "$o") || missing="$missing $o"; done
for sub in report diff plot validate; do
	for o in $(long_opts "$TRACE" "$sub"); do
		grep -qxF -- "$o" <(complete_words $C mymemtrace "$sub" "$o") || missing="$missing $sub:$o"
	done
done
if [ -z "$missing" ]; then pass "completion-every-long-option (mymemtrace)"; else fail "completion-every-long-option (mymemtrace)" "missing:$missing"; fi
missing=""
for o in $(long_opts "$BENCH"); do grep -qxF -- "$o" <(complete_words docs/completion/mymem-bench mymem-bench "$o") || missing="$missing $o"; done
if [ -z "$missing" ]; then pass "completion-every-long-option (mymem-bench)"; else fail "completion-every-long-option (mymem-bench)" "missing:$missing"; fi
offers "bench-mode-values" mmap docs/completion/mymem-bench mymem-bench --mode m

exit $failed

#!/bin/bash
# DKMS as users run it, on every guest kernel: make install's sources added
# to a DKMS of the test's own (build/dkms-test: --dkmstree, --sourcetree,
# --installtree, --no-depmod; the host's /var/lib/dkms and /lib/modules are
# never written), built, signed with a throwaway key and installed. Each
# module must keep .BTF through DKMS's strip and signing (the DWARF gone),
# and carry its kernel's vermagic; dkms autoinstall must make the default
# kernel's modules again after they are removed (AUTOINSTALL). Then each
# kernel boots with the modules DKMS installed (vm-run --modules), and the
# tracer must put fentry, not kprobes, on mymem's functions and count 10
# reads of /dev/mymem. One line per test: PASS/FAIL/SKIP host/dkms/...
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

SUITE=host/dkms
. tests/lib/prologue.sh

W=$PWD/build/dkms-test
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' kmod/dkms.conf)
# The 6.1 or 6.12 of a kernel version: the tests' names (as make check's).
line_of() { sed -E 's/^([0-9]+\.[0-9]+).*/\1/' <<<"$1"; }
# why LOG: the end of a command's output, on one line, for a FAIL.
why() { grep -v "readelf: Warning" "$1" | tail -n 4 | tr -s '\n\t' '  ' | head -c 400; }

command -v dkms >/dev/null || { skip all "dkms is not installed (apt install dkms)"; exit 0; }
command -v openssl >/dev/null || { skip all "openssl is not installed (apt install openssl)"; exit 0; }
kernels=$(scripts/guest-kernel-version --all) || { skip all "no guest kernel"; exit 0; }
for p in "$TRACE" "$BENCH"; do
	[ -x "$p" ] || { fail all "$p is missing: run make"; exit 1; }
done

# The host's DKMS state, to show it unchanged at the end.
host_state() {
	ls -la /var/lib/dkms 2>&1
	for k in $kernels; do stat -c '%n %Y' "/lib/modules/$k/modules.dep" "/lib/modules/$k/updates" 2>&1; done
}
host_before=$(host_state)

rm -rf "$W"
mkdir -p "$W/log" "$W/dkms" "$W/lib"
# The DKMS tree, the sources (as make install puts them) and the modules'
# root, all the test's own; a key that signs nothing else.
dkms_opts=(--dkmstree "$W/dkms" --sourcetree "$W/dest/usr/src" --installtree "$W/lib" --no-depmod)
export mok_signing_key=$W/mok.key mok_certificate=$W/mok.der
key_cn="mymem DKMS test key (throwaway)"
openssl req -new -x509 -nodes -days 1 -subj "/CN=$key_cn" -newkey rsa:2048 \
	-keyout "$mok_signing_key" -outform DER -out "$mok_certificate" >"$W/log/openssl" 2>&1 ||
	{ fail signing-key "$(why "$W/log/openssl")"; exit 1; }
# dkms CMD ARGS...: dkms with the private trees, its output in log/CMD-KERNEL.
dkms_() {
	local log=$W/log/$1${kver:+-$kver}
	dkms "$@" "${dkms_opts[@]}" >"$log" 2>&1 || { why "$log"; return 1; }
}

if out=$(make -s install DESTDIR="$W/dest" prefix=/usr 2>&1) && kver="" && out=$(dkms_ add "mymem/$version"); then
	pass "add (make install's sources, mymem/$version)"
else
	fail add "$out"
	exit 1
fi

# is_installed KERNEL: dkms status says mymem is installed for KERNEL.
is_installed() {
	[[ $(dkms status "mymem/$version" -k "$1" "${dkms_opts[@]}" 2>/dev/null) == *": installed" ]]
}

# section FILE NAME: FILE (a module, compressed or not) has section NAME.
section() {
	case $1 in
	*.xz) xz -dc "$1" ;;
	*.zst) zstd -qdc "$1" ;;
	*.gz) gzip -dc "$1" ;;
	*) cat "$1" ;;
	esac >"$TMP/ko"
	# Into a variable, not through grep -q: grep leaving at its match
	# kills readelf with SIGPIPE, and pipefail made that "no section".
	local sections
	sections=$(readelf -SW "$TMP/ko")
	grep -qF " $2 " <<<"$sections"
}

# built KERNEL: dkms build, then what DKMS kept of each module.
built() {
	local kver=$1 l ko n bad="" signers=""
	l=$(line_of "$1")
	if out=$(dkms_ build "mymem/$version" -k "$kver"); then
		pass "$l/build ($kver)"
	else
		fail "$l/build" "$out"
		return 1
	fi
	n=0
	for ko in "$W/dkms/mymem/$version/$kver/x86_64/module"/mymem*.ko*; do
		n=$((n + 1))
		section "$ko" .BTF || bad="$bad $(basename "$ko"): no .BTF;"
		section "$ko" .debug_info && bad="$bad $(basename "$ko"): DWARF not stripped;"
		[ "$(modinfo -F vermagic "$ko" | awk '{print $1}')" = "$kver" ] ||
			bad="$bad $(basename "$ko"): vermagic '$(modinfo -F vermagic "$ko")';"
		signers="$signers$(modinfo -F signer "$ko")"$'\n'
	done
	[ $n -eq 2 ] || bad="$bad $n modules, want mymem and mymem_test;"
	if [ -z "$bad" ]; then
		pass "$l/btf-and-vermagic (mymem, mymem_test: .BTF kept, DWARF stripped, vermagic $kver)"
	else
		fail "$l/btf-and-vermagic" "$bad"
	fi
	if grep -q "^Binary .* not found, modules won't be signed" "$W/log/build-$kver"; then
		skip "$l/signed-with-test-key" "$(grep -m1 "^Binary" "$W/log/build-$kver")"
	elif [ "$(sort -u <<<"${signers%$'\n'}")" = "$key_cn" ]; then
		pass "$l/signed-with-test-key"
	else
		fail "$l/signed-with-test-key" "signers: $(sort -u <<<"$signers" | paste -sd,) (does /etc/dkms/framework.conf set mok_signing_key?)"
	fi
}

# installed KERNEL: dkms install into the test's modules root.
installed() {
	local kver=$1 l files
	l=$(line_of "$1")
	mkdir -p "$W/lib/$kver"
	if ! out=$(dkms_ install "mymem/$version" -k "$kver"); then
		fail "$l/install" "$out"
		return 1
	fi
	files=$(cd "$W/lib/$kver" && find . -type f | sort | sed 's#^\./##' | paste -sd' ')
	if is_installed "$kver" && [ "$(wc -w <<<"$files")" -eq 2 ]; then
		pass "$l/install ($files)"
	else
		fail "$l/install" "installed files: '$files'; $(dkms status "${dkms_opts[@]}" 2>&1 | tr '\n' ' ')"
	fi
}

for k in $kernels; do
	built "$k" && installed "$k"
done

# AUTOINSTALL: the default kernel's modules removed, then made and installed
# again as a kernel update makes them (dkms autoinstall -k VERSION).
first=$(head -n 1 <<<"$kernels")
if ! is_installed "$first"; then
	skip autoinstall "the modules of $first did not install"
elif ! out=$(kver=$first dkms_ remove "mymem/$version" -k "$first"); then
	fail autoinstall "dkms remove: $out"
elif [ -n "$(find "$W/lib/$first" -name 'mymem*' 2>/dev/null)" ]; then
	fail autoinstall "dkms remove left $(find "$W/lib/$first" -name 'mymem*' | paste -sd' ')"
elif ! out=$(kver=$first dkms_ autoinstall -k "$first"); then
	fail autoinstall "dkms autoinstall: $out"
elif is_installed "$first" && [ "$(find "$W/lib/$first" -name 'mymem*.ko*' | wc -l)" -eq 2 ]; then
	pass "autoinstall (removed from $first, built and installed again)"
else
	fail autoinstall "$(dkms status "${dkms_opts[@]}" 2>&1 | tr '\n' ' ')"
fi

# The guest: each kernel with the modules DKMS installed for it, the tracer
# on 10 reads (mymem-bench writes the buffer once first). The kernels boot
# at once, a guest being one host thread; their files come back through the
# repository's share.
# boot KERNEL: one guest's run, its vm-run status in guest/KERNEL/status.
boot() {
	local g=$W/guest/$1
	mkdir -p "$g"
	# shellcheck disable=SC2016 # expanded in the guest
	scripts/vm-run --kernel "$1" --modules "$W/lib/$1/updates/dkms" --timeout 600 -- sh -c '
		ls /sys/kernel/btf/mymem >"$1/btf" 2>&1
		grep -E "^mymem(_test)? " /proc/modules >"$1/modules"
		"$2" -v --json "$1/run.json" -- "$3" -n 10 --sizes 64 --op read >"$1/out" 2>"$1/err"' \
		sh "$g" "$TRACE" "$BENCH" >"$g/vm-run.out" 2>&1
	echo $? >"$g/status"
}
booted=""
for k in $kernels; do
	if [ "$(find "$W/lib/$k/updates/dkms" -name 'mymem*.ko*' 2>/dev/null | wc -l)" -ne 2 ]; then
		skip "$(line_of "$k")/guest" "DKMS installed no modules for $k"
		continue
	fi
	boot "$k" &
	booted="$booted $k"
done
wait
for k in $booted; do
	l=$(line_of "$k")
	g=$W/guest/$k
	if [ "$(cat "$g/status")" != 0 ]; then
		fail "$l/guest" "vm-run exited $(cat "$g/status"): $(why "$g/vm-run.out") $(why "$g/err" 2>/dev/null)"
		continue
	fi
	note=""
	attach=$(python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["attach"]
print(" ".join(f"{t}={m}" for t, m in sorted(a.items()) if t.startswith("mymem_")))' "$g/run.json" 2>&1)
	if [ "$(wc -l <"$g/modules")" -eq 2 ] && grep -q '^/sys/kernel/btf/mymem$' "$g/btf" &&
	   note=$($CHECK attach "$g/run.json" mymem_read fentry 2>&1) &&
	   ! grep -q "=kprobe" <<<"$attach" && grep -q "mymem_read *fentry" "$g/err"; then
		pass "$l/guest-fentry (/sys/kernel/btf/mymem; $attach)"
	else
		fail "$l/guest-fentry" "btf: $(cat "$g/btf"); attach: $attach $note; $(grep -v '^libbpf' "$g/err" | grep -m2 -i "btf\|kprobe" | paste -sd' ')"
	fi
	if note=$(python3 -c '
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["rows"] if r["path"] == "syscall"]
got = {(r["op"], r["size"]): r["count"] for r in rows}
if got.get(("read", 64)) != 10:
    print(f"rows {got}, want 10 reads of 64 bytes"); sys.exit(1)
print("10 reads of 64 bytes on the syscall path")' "$g/run.json" 2>&1); then
		pass "$l/guest-10-reads-counted ($note)"
	else
		fail "$l/guest-10-reads-counted" "$note"
	fi
done

host_after=$(host_state)
if [ "$host_before" = "$host_after" ]; then
	pass "host-dkms-untouched (/var/lib/dkms, /lib/modules/*/modules.dep)"
else
	fail host-dkms-untouched "$(diff <(echo "$host_before") <(echo "$host_after") | tr '\n' ' ')"
fi

exit $failed

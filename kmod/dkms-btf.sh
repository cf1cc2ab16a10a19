#!/bin/sh
# dkms-btf.sh KERNEL_SOURCE_DIR KERNELVER BUILD_DIR: DKMS's build of mymem
# and mymem_test (kmod/dkms.conf: MAKE[0]), with module BTF on every kernel
# whose config wants it, so that fentry reaches mymem's functions.
#
# Kbuild builds the modules and encodes their BTF itself where the headers
# ship a vmlinux (Debian's 6.12). Where they do not (Debian's 6.1: Kbuild
# prints "Skipping BTF generation"), this adds it the way Kbuild would: the
# ELF vmlinux taken out of /boot/vmlinuz-KERNELVER (extract-vmlinux.py,
# installed beside this script), then pahole -J with the kernel's own flags
# against it. It has to happen here, inside MAKE: DKMS strips (strip -g,
# which keeps .BTF but drops the DWARF pahole reads) and signs the modules
# after MAKE and before POST_BUILD.
#
# Without BTF the modules still work (the tracer then puts kprobes on
# mymem's functions), so a missing vmlinuz, pahole or extraction is a
# warning in make.log, not a failed build. A failed Kbuild fails the build.
set -eu

[ $# -eq 3 ] || { echo "usage: dkms-btf.sh KERNEL_SOURCE_DIR KERNELVER BUILD_DIR" >&2; exit 2; }
kdir=$1 kver=$2 build=$3
here=$(cd "$(dirname "$0")" && pwd)
modules="mymem.ko mymem_test.ko"

make -C "$kdir" M="$build" KERNELRELEASE="$kver" modules

warn() { echo "dkms-btf: $*; mymemtrace will use kprobes on its functions" >&2; }
has_section() { readelf -SW "$1" | grep -qF " $2 "; }

# Module BTF is read only by kernels built to read it.
if ! grep -q '^CONFIG_DEBUG_INFO_BTF_MODULES=y' "$kdir/.config" 2>/dev/null; then
	echo "dkms-btf: $kver has no CONFIG_DEBUG_INFO_BTF_MODULES: no module BTF"
	exit 0
fi
missing=""
for ko in $modules; do
	has_section "$build/$ko" .BTF || missing="$missing $ko"
done
[ -n "$missing" ] || { echo "dkms-btf: Kbuild gave BTF to $modules"; exit 0; }

command -v pahole >/dev/null || { warn "pahole is missing (apt install dwarves): no BTF for$missing"; exit 0; }
image=/boot/vmlinuz-$kver
[ -f "$image" ] || { warn "no $image to take vmlinux from: no BTF for$missing"; exit 0; }
vmlinux=$build/.vmlinux-btf-base
trap 'rm -f "$vmlinux"' EXIT
python3 "$here/extract-vmlinux.py" "$image" "$vmlinux" ||
	{ warn "could not take vmlinux out of $image: no BTF for$missing"; exit 0; }
has_section "$vmlinux" .BTF ||
	{ warn "$image has no BTF to encode against: no BTF for$missing"; exit 0; }

# The options Kbuild gives pahole for this kernel and this pahole.
flags=""
[ -x "$kdir/scripts/pahole-flags.sh" ] && flags=$(PAHOLE=pahole "$kdir/scripts/pahole-flags.sh")
for ko in $missing; do
	echo "  BTF [M] $ko (against vmlinux from $image)"
	# shellcheck disable=SC2086 # flags is a list of options
	LLVM_OBJCOPY=objcopy pahole -J $flags --btf_base "$vmlinux" "$build/$ko"
	# Kbuild's second step matters only to a module with BTF ID sets.
	if has_section "$build/$ko" .BTF_ids; then
		resolve=$kdir/tools/bpf/resolve_btfids/resolve_btfids
		[ -x "$resolve" ] || { echo "dkms-btf: $ko has .BTF_ids and $kdir has no resolve_btfids" >&2; exit 1; }
		"$resolve" -b "$vmlinux" "$build/$ko"
	fi
	has_section "$build/$ko" .BTF || { echo "dkms-btf: pahole gave $ko no .BTF" >&2; exit 1; }
done

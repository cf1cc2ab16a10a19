#!/bin/busybox sh
# /init of vm-run's initramfs (busybox). It mounts the host's root read-only
# and the repository read-write over 9p, runs the command that vm-run wrote
# to the run directory, records its status, and powers off.
# shellcheck shell=sh
/bin/busybox --install -s /bin
export PATH=/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

for arg in $(cat /proc/cmdline); do
	case $arg in
	vmrun.repo=*) repo=${arg#vmrun.repo=} ;;
	vmrun.run=*) run=${arg#vmrun.run=} ;;
	vmrun.kallsyms=*) kallsyms=${arg#vmrun.kallsyms=} ;;
	esac
done

halt_now() {
	sync
	poweroff -f
}

# The serial ports that carry CMD's output: raw, so "\n" stays "\n".
for port in ttyS1 ttyS2; do
	stty -F /dev/$port raw -echo -onlcr 2>/dev/null
done
exec 3>/dev/ttyS1 4>/dev/ttyS2

for ko in $(cat /modules/order); do
	insmod /modules/$ko || { echo "vm-init: insmod $ko failed" >&4; halt_now; }
done

opts=trans=virtio,version=9p2000.L,msize=262144
mount -t 9p -o $opts,ro,cache=loose hostroot /newroot ||
	{ echo "vm-init: cannot mount the host's root" >&4; halt_now; }
mount -t tmpfs tmpfs /newroot/tmp
mount -t tmpfs tmpfs /newroot/run
mount -t proc proc /newroot/proc
mount -t sysfs sysfs /newroot/sys
mount -t devtmpfs devtmpfs /newroot/dev
# Pseudo-terminals: the live view's test runs it under tmux.
mkdir -p /newroot/dev/pts
mount -t devpts -o newinstance,ptmxmode=0666 devpts /newroot/dev/pts
ln -sf pts/ptmx /newroot/dev/ptmx
mount -t bpf bpf /newroot/sys/fs/bpf
mount -t tracefs tracefs /newroot/sys/kernel/tracing
mount -t debugfs debugfs /newroot/sys/kernel/debug
# Last, so that a repository under /tmp is not hidden by the tmpfs.
[ -d "/newroot$repo" ] || mkdir -p "/newroot$repo"
mount -t 9p -o $opts repo "/newroot$repo" ||
	{ echo "vm-init: cannot mount the repository at $repo" >&4; halt_now; }

# The kernel's text symbols, once per kernel (vm-run asks when it has none):
# the guest boots with nokaslr, so they name the vCPUs' instruction
# pointers of any later boot that hangs (scripts/vm-cpu-sites.py).
# Written in this boot's run directory first: two first boots of one kernel
# at once (make check's two lanes) must not write one temporary file.
if [ -n "${kallsyms:-}" ]; then
	grep ' [tT] ' /proc/kallsyms >"/newroot$run/kallsyms" &&
		mv "/newroot$run/kallsyms" "/newroot$kallsyms"
fi

# Loopback, for servers the tests talk to (--prometheus, Prometheus itself).
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up

# Boot is done: from now on every kernel message reaches the console log,
# so a splat is seen even if the guest dies before dmesg is saved.
echo 7 >/proc/sys/kernel/printk

chroot /newroot /usr/bin/env -i \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root TERM=dumb LANG=C.UTF-8 \
	/bin/bash "$run/cmd.sh" <"/dev/null" >&3 2>&4
echo $? >"/newroot$run/status"
dmesg >"/newroot$run/dmesg"

exec 3>&- 4>&-
umount "/newroot$repo"
halt_now

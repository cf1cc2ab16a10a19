#!/usr/bin/env python3
"""vm-cpu-sites.py MONITOR_SOCKET KALLSYMS: where each vCPU of a running
guest is, as kernel symbols.

vm-run calls it just before its timeout kills a guest: a guest that hangs
with interrupts off on every vCPU prints nothing on its console (no soft
lockup report can run), and its vCPUs' instruction pointers are then the
only trace of where it hung. It asks QEMU's monitor for every vCPU's
registers and prints one line per vCPU: its RIP, the symbol+offset from the
guest kernel's text symbols (KALLSYMS, saved from /proc/kallsyms by an
earlier boot: the guest boots with nokaslr, so they are the running ones),
and whether interrupts were on.
"""
import bisect
import re
import socket
import sys
import time


def ask(sock_path, command, wait=2.0):
    """The monitor's answer: what it prints between the command's echo and
    its next "(qemu)" prompt (or all it printed in WAIT seconds)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(wait)
    s.connect(sock_path)
    s.sendall(command.encode() + b"\n")
    out = b""
    deadline = time.time() + wait
    while time.time() < deadline and out.count(b"(qemu)") < 2:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            break
        out += chunk
    s.close()
    return out.decode(errors="replace")


def load_map(path):
    addrs, names = [], []
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3 and parts[1] in "tTwW":
                    addrs.append(int(parts[0], 16))
                    names.append(parts[2])
    except OSError:
        pass
    order = sorted(range(len(addrs)), key=addrs.__getitem__)
    return [addrs[i] for i in order], [names[i] for i in order]


def symbol(addrs, names, rip):
    if rip < 0xFFFF800000000000:
        return "(user space)"
    i = bisect.bisect_right(addrs, rip) - 1
    if i < 0 or rip - addrs[i] > 0x100000:
        return "?"
    return f"{names[i]}+{rip - addrs[i]:#x}"


def main():
    if len(sys.argv) != 3:
        print("usage: vm-cpu-sites.py MONITOR_SOCKET KALLSYMS", file=sys.stderr)
        return 2
    try:
        text = ask(sys.argv[1], "info registers -a")
    except OSError as e:
        print(f"  (QEMU's monitor did not answer: {e.strerror})")
        return 1
    addrs, names = load_map(sys.argv[2])
    cpus = re.split(r"\nCPU#(\d+)", "\n" + text)
    found = 0
    for n, regs in zip(cpus[1::2], cpus[2::2]):
        rip = re.search(r"RIP=([0-9a-f]{16})", regs)
        efl = re.search(r"RFL=([0-9a-f]+)", regs)
        if not rip:
            continue
        found += 1
        value = int(rip.group(1), 16)
        irqs = "?"
        if efl:
            irqs = "on" if int(efl.group(1), 16) & 0x200 else "off"
        print(f"  vCPU {n}: RIP {value:#018x} {symbol(addrs, names, value)}, interrupts {irqs}")
    if not found:
        print(f"  (no registers in QEMU's answer: {text.strip()[:200]!r})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

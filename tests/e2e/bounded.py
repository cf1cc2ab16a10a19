#!/usr/bin/env python3
"""bounded.py [--report FILE] NAME SECONDS CMD [ARGS...]: CMD, stopped if it
runs too long.

A hang is a bug: it must name itself. vm-run's own timeout kills the whole
guest and says only that time ran out; this stops one step of the e2e run
instead, prints "FAIL e2e/NAME: hung ..." with where every process of the
step was (its state, the kernel function it waits in, its kernel stack), then
kills every process of its session and lets the rest of the run go on.

CMD's stdout and stderr are this script's; its exit status is CMD's, or 124
when it was stopped. With --report FILE the report goes to FILE, without the
FAIL line's head ("hung: ..."), for a caller that captures CMD's output and
prints its own FAIL line.
"""
import os
import signal
import subprocess
import sys


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError as e:
        return f"({e.strerror})"


def session_members(sid):
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.getsid(int(entry)) == sid:
                pids.append(int(entry))
        except OSError:
            pass
    return sorted(pids)


def describe(pid):
    stat = read(f"/proc/{pid}/stat")
    # The state is the field after the command's closing parenthesis.
    state = stat[stat.rfind(")") + 2:].split(" ", 1)[0] if ")" in stat else "?"
    cmdline = read(f"/proc/{pid}/cmdline").replace("\0", " ").strip()
    lines = [f"  pid {pid} state {state} wchan {read(f'/proc/{pid}/wchan') or '-'}: {cmdline[:200]}"]
    stack = read(f"/proc/{pid}/stack").strip()
    lines += [f"    {frame}" for frame in stack.splitlines()[:16]]
    return "\n".join(lines)


def main():
    args = sys.argv[1:]
    report = None
    if args[:1] == ["--report"] and len(args) > 1:
        report, args = args[1], args[2:]
    if len(args) < 3 or not args[1].isdigit():
        print("usage: bounded.py [--report FILE] NAME SECONDS CMD [ARGS...]", file=sys.stderr)
        return 2
    name, limit, cmd = args[0], int(args[1]), args[2:]
    # A session of its own: the step's children go with it when it is
    # stopped, and nothing else does.
    step = subprocess.Popen(cmd, start_new_session=True)
    try:
        return step.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        pass
    members = session_members(step.pid)
    what = f"hung: stopped after {limit} s; its processes:\n"
    what += "\n".join(describe(pid) for pid in members) + "\n"
    if report:
        with open(report, "w") as f:
            f.write(what)
    else:
        print(f"FAIL e2e/{name}: {what}", end="", flush=True)
    for pid in members:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    step.wait()
    return 124


if __name__ == "__main__":
    sys.exit(main())

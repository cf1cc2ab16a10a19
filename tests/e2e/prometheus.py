#!/usr/bin/env python3
"""--prometheus against the real thing, in the guest (called by
tests/e2e/run.sh): Debian's Prometheus server scrapes mymemtrace, and what
PromQL says over its HTTP API must agree with the JSON export of the same
run. Also promtool's check of a scrape, and clients that misbehave.

One line per test: PASS/FAIL/SKIP e2e/prometheus/...
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

TRACE = "build/mymemtrace"
BENCH = "build/mymem-bench"
MT_PORT = 9464
PROM_PORT = 9090
failed = False


def result(ok, name, note=""):
    global failed
    if ok:
        print(f"PASS e2e/prometheus/{name}" + (f" ({note})" if note else ""))
    else:
        failed = True
        print(f"FAIL e2e/prometheus/{name}: {note}")
    sys.stdout.flush()


def get(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.read().decode()


def scrape():
    return get(f"http://127.0.0.1:{MT_PORT}/metrics")[1]


def promql(query, at=None):
    params = {"query": query}
    if at is not None:
        params["time"] = f"{at:.3f}"
    url = f"http://127.0.0.1:{PROM_PORT}/api/v1/query?" + urllib.parse.urlencode(params)
    doc = json.loads(get(url)[1])
    if doc["status"] != "success":
        raise RuntimeError(f"{query}: {doc}")
    return doc["data"]["result"]


def scalar(query, at=None):
    """The single value of an instant query, or None when it has no sample."""
    res = promql(query, at)
    if len(res) != 1:
        return None
    return float(res[0]["value"][1])


def wait_for(what, check, timeout):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            last = check()
            if last:
                return last
        except (OSError, RuntimeError, ValueError) as e:
            last = e
        time.sleep(0.5)
    raise RuntimeError(f"timed out after {timeout} s waiting for {what} (last: {last})")


def bench(*args):
    subprocess.run([BENCH, *args], check=True, stdout=subprocess.DEVNULL)


def raw_request(data, source="127.0.0.2", hold=False):
    """Sends @data from @source; returns the reply's first line ('' if closed)."""
    s = socket.socket()
    s.bind((source, 0))
    s.settimeout(15)
    s.connect(("127.0.0.1", MT_PORT))
    s.sendall(data)
    if hold:
        return s
    try:
        reply = s.recv(4096).decode(errors="replace")
    except (socket.timeout, ConnectionResetError):
        reply = ""
    s.close()
    return reply.split("\r\n")[0]


def hostile_clients(tracer):
    """Garbage, a request never finished, many connections at once: each gets
    an error or is dropped, and scrapes and tracing go on."""
    first = raw_request(b"\x16\x03\x01\x02\x00garbage\r\n\r\n")
    result(first.startswith("HTTP/1.1 400") or first == "", "garbage-request-refused",
           first or "connection closed")
    result(raw_request(b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
           .startswith("HTTP/1.1 405"), "post-refused-405")
    result(raw_request(b"GET /other HTTP/1.1\r\nHost: x\r\n\r\n").startswith("HTTP/1.1 404"),
           "other-path-404")
    # 100 connections that never finish their request, from another address.
    held = []
    for _ in range(100):
        try:
            held.append(raw_request(b"GET /metrics HTTP/1.1\r\nHost: x\r\n", hold=True))
        except OSError:
            break
    t0 = time.time()
    try:
        body = scrape()
        ok = "mymemtrace_calls_total" in body
        note = f"a scrape took {time.time() - t0:.2f} s beside {len(held)} connections held open"
    except OSError as e:
        ok, note = False, f"scrape beside held connections: {e}"
    result(ok and tracer.poll() is None, "scrape-beside-held-connections", note)
    # They are closed by the server once idle (10 s), or by us here.
    for s in held:
        s.close()


def main():
    if not shutil.which("prometheus") or not shutil.which("promtool"):
        print("SKIP e2e/prometheus/all: Debian's prometheus package is not installed")
        return 0
    tmp = tempfile.mkdtemp()
    cfg = os.path.join(tmp, "prometheus.yml")
    with open(cfg, "w") as f:
        f.write(f"""global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: mymemtrace
    static_configs:
      - targets: ['127.0.0.1:{MT_PORT}']
""")
    prom = subprocess.Popen(
        ["prometheus", f"--config.file={cfg}", f"--storage.tsdb.path={tmp}/data",
         f"--web.listen-address=127.0.0.1:{PROM_PORT}", "--log.level=warn"],
        stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "prom.log"), "w"))
    run_json = os.path.join(tmp, "run.json")
    events = os.path.join(tmp, "events.jsonl")
    # --raw: PromQL's arithmetic against the records', with nothing taken
    # out on either side (a wall-clock calibration can refuse a row while
    # its records are compensated call by call).
    tracer = subprocess.Popen(
        [TRACE, "--raw", "--prometheus", f"127.0.0.1:{MT_PORT}", "--json", run_json,
         "--events", events],
        stdout=open(os.path.join(tmp, "report"), "w"), stderr=open(os.path.join(tmp, "err"), "w"))
    try:
        wait_for("Prometheus to be ready",
                 lambda: get(f"http://127.0.0.1:{PROM_PORT}/-/ready")[0] == 200, 180)
        wait_for("mymemtrace's /metrics", lambda: "mymemtrace_dropped_total" in scrape(), 120)
        wait_for("a first scrape", lambda: scalar('up{job="mymemtrace"}') == 1, 60)

        # One call first, so that the series exists before the rest: rate()
        # then covers the calls after it, which --events tells apart.
        key = 'path="syscall",op="read",size="64"'
        fd = os.open("/dev/mymem", os.O_RDONLY)
        os.pread(fd, 64, 0)
        wait_for("the first call scraped", lambda: scalar(f"mymemtrace_calls_total{{{key}}}") == 1, 60)
        after_first = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
        for _ in range(400):
            os.pread(fd, 64, 0)
        os.close(fd)
        bench("--mode", "kernel", "-n", "200", "--sizes", "4096")
        wait_for("every call scraped",
                 lambda: scalar(f"mymemtrace_calls_total{{{key}}}") == 401 and
                 scalar(f"mymemtrace_call_duration_seconds_count{{{key}}}") == 401 and
                 scalar('mymemtrace_calls_total{path="kernel",op="read",size="4096"}') == 200, 60)

        body = scrape()
        check = subprocess.run(["promtool", "check", "metrics"], input=body, text=True,
                               capture_output=True)
        result(check.returncode == 0, "promtool-accepts-a-scrape",
               f"{len(body)} bytes, {body.count(chr(10))} lines" if check.returncode == 0
               else (check.stdout + check.stderr)[:300])

        hostile_clients(tracer)

        # The queries, before the tracer ends (its series go stale after).
        p99 = scalar(f"histogram_quantile(0.99, sum by (le) "
                     f"(mymemtrace_call_duration_seconds_bucket{{{key}}}))")
        # rate() extrapolates each series to the window's ends, towards zero
        # by each one's first value: a window that opens 1 ms before the
        # series' first sample extrapolates all of them alike, so a ratio of
        # two rates is exactly the calls' own ratio.
        first = promql(f"mymemtrace_calls_total{{{key}}}[10m]")[0]["values"]
        at = float(first[-1][0]) + 0.2
        window = f"{int((at - float(first[0][0])) * 1000) + 1}ms"
        rate_mean = scalar(f"rate(mymemtrace_call_duration_seconds_sum{{{key}}}[{window}]) / "
                           f"rate(mymemtrace_call_duration_seconds_count{{{key}}}[{window}])", at)
        rate_copy = scalar(f"rate(mymemtrace_part_seconds_total{{{key},part=\"copy\"}}[{window}]) / "
                           f"ignoring(part) rate(mymemtrace_calls_total{{{key}}}[{window}])", at)
        counts = {(r["metric"]["path"], r["metric"]["op"], int(r["metric"]["size"])):
                  int(float(r["value"][1])) for r in promql("mymemtrace_calls_total")}
        cost = scalar('avg_over_time(scrape_duration_seconds{job="mymemtrace"}[5m])')
        samples = scalar('scrape_samples_scraped{job="mymemtrace"}')
        up = scalar('min_over_time(up{job="mymemtrace"}[5m])')
        info = [r["metric"] for r in promql("mymemtrace_build_info")]
    except RuntimeError as e:
        result(False, "prometheus-scrapes-mymemtrace", str(e)[:400])
        tracer.send_signal(signal.SIGINT)
        tracer.wait(60)
        prom.terminate()
        return 1
    finally:
        if tracer.poll() is None:
            tracer.send_signal(signal.SIGINT)
        tracer.wait(120)
        with open(os.path.join(tmp, "err")) as f:
            err = f.read()
        prom.terminate()
        prom.wait(60)

    result(tracer.returncode == 0, "tracer-exits-cleanly",
           "" if tracer.returncode == 0 else f"exit {tracer.returncode}: {err[-300:]}")
    result(up == 1, "every-scrape-succeeded", f"min(up) {up}")
    # One series: this version, this kernel, and --raw's times as measured.
    result(len(info) == 1 and info[0].get("version") and
           info[0].get("kernel") == os.uname().release and info[0].get("compensated") == "false",
           "build-info", str(info)[:300])
    with open(run_json) as f:
        run = json.load(f)
    rows = {(r["path"], r["op"], r["size"]): r for r in run["rows"]}
    want = {k: r["count"] for k, r in rows.items()}
    result(counts == want, "calls-total-equals-json",
           f"{sum(want.values())} calls in {len(want)} series" if counts == want else f"{counts} vs {want}")

    row = rows[("syscall", "read", 64)]
    j99 = row["total_ns"]["p99"] / 1e9
    # Both come from the same histogram; each interpolates inside the bucket
    # (a quarter of a power of two wide), so they agree to within it.
    ok = p99 is not None and abs(p99 - j99) <= 0.25 * j99
    result(ok, "histogram-quantile-p99-agrees",
           f"PromQL {p99 * 1e9:.0f} ns, JSON {j99 * 1e9:.0f} ns" if p99 else "no p99")
    if not ok:
        print("  the JSON's row:", row)
    # rate() covers the 400 calls after the first; --events has each call.
    later = [e for e in map(json.loads, open(events))
             if e["path"] == "syscall" and e["op"] == "read" and e["size"] == 64 and
             e["start_ns"] > after_first]
    emean = sum(e["total_ns"] for e in later) / len(later) / 1e9 if later else 0
    ecopy = sum(e["copy_ns"] for e in later) / len(later) / 1e9 if later else 0
    ok = len(later) == 400 and rate_mean is not None and rate_copy is not None and \
        abs(rate_mean - emean) <= 0.01 * emean and abs(rate_copy - ecopy) <= 0.01 * ecopy
    result(ok, "rate-mean-and-part-agree-with-events",
           f"{len(later)} calls; mean {rate_mean * 1e9:.0f} vs {emean * 1e9:.0f} ns, copy "
           f"{rate_copy * 1e9:.0f} vs {ecopy * 1e9:.0f} ns" if rate_mean and rate_copy
           else f"{len(later)} calls, {rate_mean} {rate_copy}")
    print(f"NOTE e2e/prometheus: one scrape of {samples:.0f} samples took "
          f"{cost * 1000:.1f} ms on average (Prometheus's scrape_duration_seconds)")
    shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


sys.exit(main())

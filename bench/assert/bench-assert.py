#!/usr/bin/env python3
"""Benchmark: tn-assert beside tn-summarize on the same event stream.

Usage: bench-assert.py PEAK_RSS TN_SUMMARIZE TN_ASSERT [N...]
       (default N: 1000000 2000000; PEAK_RSS is bench/summarize's launcher)

Writes N synthetic syscall events (bench/summarize's gen-events.py) and
budgets with one assertion of every syscall and memory type, several on
sets (%file, %network, a regex), two scoped to a process glob, the
syscall anti-patterns and the critical path, then
times, best of 3 (wall and CPU: the machine may be shared):
  - tn-summarize FILE > /dev/null
  - tn-assert -c BUDGETS FILE > /dev/null
and prints the ratio tn-assert / tn-summarize (goal: at most 2) and the
peak RSS of each, which must not grow with N.
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "..", "summarize", "gen-events.py")
BUDGETS = """assertions:
  - {name: calls, type: syscall-calls, max: 100000000}
  - {name: file-errors, type: syscall-errors, syscalls: "%file", max: 100000000}
  - {name: write-time, type: syscall-time, syscalls: write, max: 1000s}
  - {name: slowest, type: syscall-slowest, max: 1000s}
  - {name: p99, type: syscall-percentile, syscalls: "/^(read|write)$", percentile: 99, max: 1s}
  - {name: no-network, type: syscall-never, syscalls: "%network", process: "nothing*"}
  - {name: rss, type: peak-rss, max: 1GiB}
  - {name: mapped, type: mapped, per: run, max: 1000GiB}
  - {name: mapped-scoped, type: mapped, process: "*", max: 1000GiB}
  - {name: loop, type: tight-loop, max: 1000000000}
  - {name: small, type: small-io, below: 64B, max: 1000000000}
  - {name: blocking, type: blocking, above: 10ms, max: 1000000000}
  - {name: critical-path, type: critical-path, max: 1000s}
  - {name: god, type: god-process, max: 1}
"""


def run(peak, argv):
    with open(os.devnull, "wb") as null:
        p = subprocess.run([peak] + argv, stdout=null, stderr=subprocess.PIPE, text=True)
    if p.returncode not in (0, 1):
        sys.exit("%s failed with status %d: %s" % (" ".join(argv), p.returncode, p.stderr))
    line = [l for l in p.stderr.splitlines() if l.startswith("peak-rss: ")][-1]
    kib, wall, cpu = line.split()[1:4]
    return float(wall), float(cpu), int(kib)


def best(peak, argv, n=3):
    runs = [run(peak, argv) for _ in range(n)]
    return min(r[0] for r in runs), min(r[1] for r in runs), max(r[2] for r in runs)


def main():
    peak, summarize, tool = (os.path.abspath(a) for a in sys.argv[1:4])
    sizes = [int(a) for a in sys.argv[4:]] or [1000000, 2000000]
    with tempfile.TemporaryDirectory(prefix="tn-bench-assert-") as tmp:
        budgets = os.path.join(tmp, "budgets.yaml")
        with open(budgets, "w") as f:
            f.write(BUDGETS)
        for n in sizes:
            path = os.path.join(tmp, "events-%d.jsonl" % n)
            subprocess.run([sys.executable, GEN, str(n), path], check=True)
            print("%d events, %.1f MB" % (n, os.path.getsize(path) / 1e6))
            ts, cs, rs = best(peak, [summarize, path])
            ta, ca, ra = best(peak, [tool, "-c", budgets, path])
            print("  tn-summarize FILE        %7.3f s wall %7.3f s CPU  peak RSS %6.1f MiB"
                  % (ts, cs, rs / 1024))
            print("  tn-assert -c B FILE      %7.3f s wall %7.3f s CPU  peak RSS %6.1f MiB"
                  % (ta, ca, ra / 1024))
            print("  ratio tn-assert / tn-summarize: %.2fx wall, %.2fx CPU (goal <= 2)"
                  % (ta / ts, ca / cs))
            os.unlink(path)
            sys.stdout.flush()


if __name__ == "__main__":
    main()

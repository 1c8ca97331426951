#!/usr/bin/env python3
"""Benchmark: tn-compare beside tn-summarize on the same two event streams.

Usage: bench-compare.py PEAK_RSS TN_SUMMARIZE TN_COMPARE [N]
       (default N: 1000000; PEAK_RSS is bench/summarize's launcher)

Writes a golden stream of N synthetic syscall events (bench/summarize's
gen-events.py) and two new ones of N events each:
  - near: the golden with 10 calls inserted and 10 removed, spread out
    (what a golden check usually sees: the alignment has real work);
  - far:  the golden's syscall lines shuffled (every process very
    different: the cost bound stops the alignment, per-name counts remain).
Times, best of 3 (wall and CPU: the machine may be shared):
  - tn-summarize GOLDEN NEW > /dev/null   (reads and sums both files)
  - tn-compare GOLDEN NEW > /dev/null
and prints the ratio tn-compare / tn-summarize (goal: at most 3) and the
peak RSS of each, with the bytes per event of tn-compare's extra memory.
"""
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "..", "summarize", "gen-events.py")


def run(peak, argv):
    with open(os.devnull, "wb") as null:
        p = subprocess.run([peak] + argv, stdout=null, stderr=subprocess.PIPE, text=True)
    if p.returncode not in (0, 1):
        sys.exit("%s failed with status %d: %s" % (" ".join(argv), p.returncode, p.stderr))
    line = [l for l in p.stderr.splitlines() if l.startswith("peak-rss: ")][-1]
    kib, wall, cpu = line.split()[1:4]
    return float(wall), float(cpu), int(kib), p.returncode


def best(peak, argv, n=3):
    runs = [run(peak, argv) for _ in range(n)]
    return (min(r[0] for r in runs), min(r[1] for r in runs), max(r[2] for r in runs),
            runs[0][3])


def main():
    peak, summarize, compare = (os.path.abspath(a) for a in sys.argv[1:4])
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 1000000
    with tempfile.TemporaryDirectory(prefix="tn-bench-compare-") as tmp:
        golden = os.path.join(tmp, "golden.jsonl")
        subprocess.run([sys.executable, GEN, str(n), golden], check=True)
        with open(golden) as f:
            lines = f.readlines()
        head, calls, tail = lines[:1], lines[1:n + 1], lines[n + 1:]
        rnd = random.Random(7)
        near = list(calls)
        for k in range(10):
            i = rnd.randrange(len(near))
            del near[i]
            j = rnd.randrange(len(near))
            near.insert(j, near[j].replace('"name":"read"', '"name":"pread64"'))
        far = list(calls)
        rnd.shuffle(far)
        for name, body in (("near", near), ("far", far)):
            with open(os.path.join(tmp, name + ".jsonl"), "w") as f:
                f.writelines(head + body + tail)
        size = os.path.getsize(golden)
        print("golden: %d events, %.1f MB; each new stream: %d events" % (n, size / 1e6, n))
        for name in ("near", "far"):
            new = os.path.join(tmp, name + ".jsonl")
            ts, cs, rs, _ = best(peak, [summarize, golden, new])
            tc, cc, rc, status = best(peak, [compare, golden, new])
            print("%s:" % name)
            print("  tn-summarize GOLDEN NEW  %7.3f s wall %7.3f s CPU  peak RSS %6.1f MiB"
                  % (ts, cs, rs / 1024))
            print("  tn-compare GOLDEN NEW    %7.3f s wall %7.3f s CPU  peak RSS %6.1f MiB"
                  "  (exit %d)" % (tc, cc, rc / 1024, status))
            print("  ratio tn-compare / tn-summarize: %.2fx wall, %.2fx CPU (goal <= 3)"
                  % (tc / ts, cc / cs))
            print("  tn-compare's memory above tn-summarize's: %.1f bytes per event of the"
                  " two streams" % ((rc - rs) * 1024.0 / (2 * n)))
            sys.stdout.flush()


if __name__ == "__main__":
    main()

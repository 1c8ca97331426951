#!/usr/bin/env python3
"""Benchmark: tn-summarize beside `jq -c .` on the same event streams.

Usage: bench-summarize.py PEAK_RSS TN_SUMMARIZE [N...]
       (default N: 1000000 2000000; PEAK_RSS is the launcher peak-rss.c)

For each N, writes N synthetic syscall events (gen-events.py) to a temporary
directory, then times (wall and CPU: the machine may be shared), side by
side in this one run:
  - tn-summarize FILE > /dev/null  (best of 3) and its peak RSS,
  - tn-summarize --format=json FILE > /dev/null (best of 3),
  - jq -c . FILE > /dev/null       (once, first N only: it is slow),
and prints the times, the ratio jq / tn-summarize, and the peak RSS, which
must stay flat as N grows.  Exits 77 (skipped) without jq.
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PEAK_RSS = None


def run(argv, path):
    """Run argv on path, stdout to /dev/null, under peak-rss: (wall s, CPU s, peak RSS KiB)."""
    with open(os.devnull, "wb") as null:
        p = subprocess.run([PEAK_RSS] + argv + [path], stdout=null, stderr=subprocess.PIPE,
                           text=True)
    if p.returncode != 0:
        sys.exit("%s failed with status %d: %s" % (" ".join(argv), p.returncode, p.stderr))
    line = [l for l in p.stderr.splitlines() if l.startswith("peak-rss: ")][-1]
    kib, wall, cpu = line.split()[1:4]
    return float(wall), float(cpu), int(kib)


def best(argv, path, n=3):
    """Best of n runs: (wall s, CPU s, peak RSS KiB)."""
    runs = [run(argv, path) for _ in range(n)]
    return min(r[0] for r in runs), min(r[1] for r in runs), max(r[2] for r in runs)


def show(label, size, wall, cpu, rss):
    print("  %-27s %7.3f s wall %7.3f s CPU  %7.1f MB/s (CPU)  peak RSS %.1f MiB"
          % (label, wall, cpu, size / cpu / 1e6, rss / 1024))


def main():
    global PEAK_RSS
    PEAK_RSS = os.path.abspath(sys.argv[1])
    tool = os.path.abspath(sys.argv[2])
    sizes = [int(a) for a in sys.argv[3:]] or [1000000, 2000000]
    jq = shutil.which("jq")
    if not jq:
        print("jq not found: nothing to compare with (skipped)")
        sys.exit(77)
    with tempfile.TemporaryDirectory(prefix="tn-bench-") as tmp:
        for i, n in enumerate(sizes):
            path = os.path.join(tmp, "events-%d.jsonl" % n)
            subprocess.run([sys.executable, os.path.join(HERE, "gen-events.py"), str(n), path],
                           check=True)
            size = os.path.getsize(path)
            # Check the count first: the tool must have read every event.
            out = subprocess.run([tool, "--format=json", path], check=True,
                                 capture_output=True, text=True).stdout
            total = [l for l in out.splitlines() if '"scope":"total"' in l][0]
            if '"calls":%d,' % n not in total:
                sys.exit("tn-summarize counted wrong: %s" % total)
            t_tab, c_tab, rss = best([tool], path)
            t_json, c_json, rss_json = best([tool, "--format=json"], path)
            print("%d events, %.1f MB (%.0f bytes/event):" % (n, size / 1e6, size / n))
            show("tn-summarize", size, t_tab, c_tab, rss)
            show("tn-summarize --format=json", size, t_json, c_json, rss_json)
            if i == 0:
                t_jq, c_jq, rss_jq = run([jq, "-c", "."], path)
                show("jq -c .", size, t_jq, c_jq, rss_jq)
                print("  ratio jq / tn-summarize: %.1fx wall, %.1fx CPU"
                      % (t_jq / t_tab, c_jq / c_tab))
            sys.stdout.flush()
            os.unlink(path)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the event streams of tests/compare/cases/*/ (tn-events(5)).

Each planted change is the base program's stream with one thing changed;
the unchanged cases change only what normalisation must absorb (pids, fds,
addresses, times, home and build directories).  Deterministic: rerun with
  python3 tests/compare/gen-streams.py tests/compare/cases
after a deliberate change, then TN_REGEN=1 meson test -C build --suite compare.
"""
import json
import os
import random
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "cases")


def rec(**kw):
    return json.dumps(kw, separators=(",", ":"))


class Run:
    """One traced run of the base program, with knobs for the changes."""

    def __init__(self, rng, pid=4101, fdbase=3, home="/home/alice",
                 build="/srv/build", loops=5, insert=False, remove=False,
                 reorder=False, outfile="out.txt", fail=False, child=False,
                 slow=1.0, cmd="prog", schema=1, code=0, backend=None, span_slow=1.0,
                 kids=()):
        self.rng = rng
        self.slow = slow
        self.lines = []
        self.ts = 1_000_000 + rng.randrange(1000)
        t0 = self.ts
        self.pid = pid
        exe = f"{build}/{cmd}"
        self.lines.append(rec(type="header", schema=schema, producer="tn-trace", version="0.1.0",
                              run="%032x" % rng.getrandbits(128), clock="monotonic",
                              start_ts=t0, start_time="2026-11-29T20:00:00.000000000Z",
                              host="ci", arch="x86_64", pid=pid - 1, argv=[exe]))
        self.ev(type="proc", pid=pid, tid=pid, via="spawn", thread=False)
        self.ev(type="exec", pid=pid, tid=pid, path=exe, argv=[exe])
        self.sc("execve", 59, args=["0x7ffd%06x" % rng.getrandbits(24)] * 3, ret=0)
        self.sc("brk", 12, args=[0], ret=0x55550000 + rng.getrandbits(16))
        self.sc("openat", 257, args=[-100, "0x7f%08x" % rng.getrandbits(32), "0x80000", 0],
                path="/etc/ld.so.cache", ret=fdbase)
        self.sc("newfstatat", 262, args=[fdbase, "0x7f00", "0x7ffc", 4096], path="",
                fdpath="/etc/ld.so.cache", ret=0)
        self.sc("mmap", 9, args=[0, 8192, 1, 2, fdbase, 0], ret=0x7f0000000000 + rng.getrandbits(30))
        self.sc("close", 3, args=[fdbase], fdpath="/etc/ld.so.cache", ret=0)
        self.sc("clock_gettime", 228, args=[1, "0x7ffc"], ret=0)
        data = f"{build}/data.txt"
        if fail:
            self.sc("openat", 257, args=[-100, "0x7f01", "0x0", 0], path=data, ret=-2, err="ENOENT")
        else:
            self.sc("openat", 257, args=[-100, "0x7f01", "0x0", 0], path=data, ret=fdbase)
        out = f"{home}/{outfile}"
        self.sc("openat", 257, args=[-100, "0x7f02", "0x241", 420], path=out, ret=fdbase + 1)
        if child:
            self.sc("clone", 56, args=["0x1200011", 0, 0, "0x7f03", 0], ret=pid + 7)
            self.ev(type="proc", pid=pid + 7, tid=pid + 7, ppid=pid, ptid=pid, via="clone", thread=False,
                    at_ts=True)
            self.sc("write", 1, args=[2, "0x7f04", 6], fdpath="/dev/pts/0", ret=6, tid=pid + 7)
            self.sc("exit_group", 231, args=[0], tid=pid + 7, noret=True)
            self.ev(type="exit", pid=pid + 7, tid=pid + 7, thread=False, code=0, wall=50000)
        for k, kid in enumerate(kids):
            kpid = pid + 100 + k
            self.sc("clone", 56, args=["0x1200011", 0, 0, "0x7f03", 0], ret=kpid)
            self.ev(type="proc", pid=kpid, tid=kpid, ppid=pid, ptid=pid, via="clone", thread=False)
            self.ev(type="exec", pid=kpid, tid=kpid, path="/usr/bin/" + kid, argv=[kid])
            self.sc("execve", 59, args=["0x7f07", "0x7f08", "0x7f09"], ret=0, tid=kpid)
            self.sc("write", 1, args=[1, "0x7f04", 6], fdpath="/dev/pts/0", ret=6, tid=kpid)
            self.sc("exit_group", 231, args=[0], tid=kpid, noret=True)
            self.ev(type="exit", pid=kpid, tid=kpid, thread=False, code=0, wall=50000)
            self.sc("wait4", 61, args=[kpid, 0, 0, 0], ret=kpid)
        for i in range(loops):
            if remove and i == 2:
                self.sc("read", 0, args=[fdbase, "0x7f05", 64], fdpath=data, ret=64)
                continue
            if reorder and i == 2:
                self.sc("write", 1, args=[fdbase + 1, "0x7f05", 64], fdpath=out, ret=64)
                self.sc("read", 0, args=[fdbase, "0x7f05", 64], fdpath=data, ret=64)
                continue
            if not fail:
                self.sc("read", 0, args=[fdbase, "0x7f05", 64], fdpath=data, ret=64)
            if insert and i == 3:
                self.sc("lseek", 8, args=[fdbase, 0, 1], fdpath=data, ret=64 * (i + 1))
            self.sc("write", 1, args=[fdbase + 1, "0x7f05", 64], fdpath=out, ret=64)
        self.sc("futex", 202, args=["0x7f06", 129, 1], ret=0)
        if backend:
            # compute spans, as libtn writes them (tn-events(5) "span")
            for k in range(4):
                dur = int(rng.gauss(200000, 4000) * span_slow)
                self.ev(type="span", pid=pid, tid=pid, name="dot", backend=backend,
                        n=4096, bytes=32768, phase="kernel", dur=dur)
                self.ts += dur
        if not fail:
            self.sc("read", 0, args=[fdbase, "0x7f05", 64], fdpath=data, ret=0)
            self.sc("close", 3, args=[fdbase], fdpath=data, ret=0)
        self.sc("close", 3, args=[fdbase + 1], fdpath=out, ret=0)
        self.sc("exit_group", 231, args=[code], noret=True)
        wall = int((self.ts - t0) * 1.0)
        self.ev(type="exit", pid=pid, tid=pid, thread=False, code=code, wall=wall,
                utime=0, stime=0, maxrss=1 << 20)

    def ev(self, at_ts=False, **kw):
        self.ts += 1000
        out = {"type": kw.pop("type"), "ts": self.ts}
        out.update(kw)
        self.lines.append(json.dumps(out, separators=(",", ":")))

    def sc(self, name, nr, args, ret=None, err=None, path=None, fdpath=None, tid=None,
           noret=False, slow=1.0):
        tid = tid or self.pid
        r = {"type": "syscall", "ts": self.ts, "pid": tid, "tid": tid, "name": name, "nr": nr,
             "arch": "x86_64", "args": args}
        if path is not None:
            r["path"] = path
        if fdpath is not None:
            r["fdpath"] = fdpath
        dur = int(self.rng.gauss(10000, 300) * slow * self.slow)
        if not noret:
            r["ret"] = ret
            if err:
                r["err"] = err
            r["dur"] = dur
        self.ts += dur + 500
        self.lines.append(json.dumps(r, separators=(",", ":")))

    def text(self):
        return "\n".join(self.lines) + "\n"


def write(case, name, runs):
    d = os.path.join(OUT, case)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "w") as f:
        for r in runs:
            f.write(r.text())


def pair(case, seed, **new):
    write(case, "golden.jsonl", [Run(random.Random(seed))])
    write(case, "new.jsonl", [Run(random.Random(seed + 1), pid=7000, **new)])


pair("insert", 10, insert=True)
pair("remove", 20, remove=True)
pair("reorder", 30, reorder=True)
pair("other-file", 40, outfile="other.txt")
pair("now-fails", 50, fail=True)
pair("new-child", 60, child=True)
pair("exit-status", 70, code=1)
# A child started before the others: they keep their match (by command).
write("child-before", "golden.jsonl", [Run(random.Random(75), kids=("sort", "gzip"))])
write("child-before", "new.jsonl", [Run(random.Random(76), pid=7000, kids=("uniq", "sort", "gzip"))])
# What normalisation absorbs: pids, fd numbers, addresses, times, the
# user's home, the build directory, the noise set (futex, mmap, clock reads).
pair("same-normalised", 80, fdbase=5, home="/home/bob", build="/tmp/build-xyz/b2")
pair("tolerance-data", 90, loops=6)
pair("other-command", 100, cmd="other")
write("schema-mismatch", "golden.jsonl", [Run(random.Random(1))])
write("schema-mismatch", "new.jsonl", [Run(random.Random(2), schema=2)])

# Timing: ten runs a side, each run in its own file (a directory) or all in
# one stream with ten headers.
rng = random.Random(1000)
write("slowdown", "golden.jsonl", [Run(rng) for _ in range(10)])
for i in range(10):
    write("slowdown/new", "run%02d.jsonl" % i, [Run(rng, slow=1.2)])
write("timing-same", "golden.jsonl", [Run(rng) for _ in range(10)])
write("timing-same", "new.jsonl", [Run(rng) for _ in range(10)])
write("faster", "golden.jsonl", [Run(rng) for _ in range(10)])
write("faster", "new.jsonl", [Run(rng, slow=0.7) for _ in range(10)])
write("too-few-runs", "golden.jsonl", [Run(rng) for _ in range(3)])
write("too-few-runs", "new.jsonl", [Run(rng, slow=1.5) for _ in range(3)])

# Compute spans: the same work on a forced backend is another span kind (not
# compared); a slower kernel on the same backend is a regression.
write("span-slowdown", "golden.jsonl", [Run(rng, backend="avx2") for _ in range(8)])
write("span-slowdown", "new.jsonl", [Run(rng, backend="avx2", span_slow=1.25) for _ in range(8)])
write("span-other-backend", "golden.jsonl", [Run(rng, backend="avx2") for _ in range(8)])
write("span-other-backend", "new.jsonl", [Run(rng, backend="scalar") for _ in range(8)])

# A stream without its header (cut from a longer one): no schema to check.
with open(os.path.join(OUT, "insert", "new.jsonl")) as f:
    body = f.readlines()[1:]
os.makedirs(os.path.join(OUT, "no-header"), exist_ok=True)
with open(os.path.join(OUT, "no-header", "new.jsonl"), "w") as f:
    f.writelines(body)

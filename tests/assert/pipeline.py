#!/usr/bin/env python3
"""A real pipeline: tn-trace -f a small shell script, then tn-assert checks
budgets built from tn-summarize's numbers for the same stream, at the limit
(pass) and one below it (fail).  Syscall counts, errors, times, the slowest
call and the p99 must agree with tn-summarize's, the peak RSS with its
largest maxrss, and the mapped peak must lie between what each process had
mapped at its exit and all it ever mapped (the exit records' mapped and
unmapped).

Then real spans: tn-dispatch runs dot jobs once on its best backend and once
forced to scalar; a backend assertion passes on the first and fails on the
second, naming the scalar span, and the throughput is the spans' bytes over
their time.

Last, the critical path of a real traced make -j2 (or, without make, a
shell with two background jobs): its chain must end in the slower job's
sleep (0.3 s beside 0.05 s), through the processes that waited for it; and
of a real shell pipeline whose first stage is slow: through the pipe reads
of the later stages back to it.

    pipeline.py TN_TRACE TN_SUMMARIZE TN_ASSERT TN_DISPATCH CP_STAGE
"""
import json
import os
import subprocess
import sys
import tempfile

trace, summarize, tool, dispatch, stage = sys.argv[1:6]
fail = []
with tempfile.TemporaryDirectory() as tmp:
    stream = os.path.join(tmp, 'run.jsonl')
    subprocess.run([trace, '-f', '-o', stream, '--', '/bin/sh', '-c',
                    'ls / >/dev/null; cat /etc/hostname /nonexistent >/dev/null 2>&1; true'],
                   check=False)
    recs = [json.loads(l) for l in open(stream)]
    summ = [json.loads(l) for l in subprocess.run(
        [summarize, '--format=json', stream], capture_output=True, check=True).stdout.splitlines()]
    total = [s for s in summ if s['scope'] == 'total'][0]
    sys_ = {s['name']: s for s in summ if s['scope'] == 'syscall' and s.get('arch') == 'x86_64'}
    procs = [s for s in summ if s['scope'] == 'process']
    want = []       # (name, type, extra keys, limit, unit suffix)
    want.append(('calls', 'syscall-calls', '', total['calls'], ''))
    want.append(('errors', 'syscall-errors', '', total['errors'], ''))
    want.append(('time', 'syscall-time', '', total['total_ns'], 'ns'))
    want.append(('slowest', 'syscall-slowest', '', total['max_ns'], 'ns'))
    want.append(('p99', 'syscall-percentile', 'percentile: 99, ', total['p99_ns'], 'ns'))
    for name in ('openat', 'read', 'mmap', 'newfstatat'):
        if name in sys_:
            s = sys_[name]
            want.append((name + '-calls', 'syscall-calls', 'syscalls: %s, ' % name, s['calls'], ''))
            want.append((name + '-errors', 'syscall-errors', 'syscalls: %s, ' % name, s['errors'], ''))
            want.append((name + '-time', 'syscall-time', 'syscalls: %s, ' % name, s['total_ns'], 'ns'))
            want.append((name + '-p50', 'syscall-percentile', 'syscalls: %s, percentile: 50, ' % name,
                         s['p50_ns'], 'ns'))
    rss = max(p.get('maxrss', 0) for p in procs)
    want.append(('rss', 'peak-rss', '', rss, ''))
    if len(want) < 15:
        fail.append('too few syscalls traced: %s' % sorted(sys_))
    for over in (False, True):
        b = os.path.join(tmp, 'b.yaml')
        with open(b, 'w') as f:
            f.write('assertions:\n')
            for name, typ, extra, limit, unit in want:
                if over and limit == 0:
                    continue
                lim = limit - 1 if over else limit
                f.write('  - {name: %s, type: %s, %smax: %d%s}\n' % (name, typ, extra, lim, unit))
            f.write('  - {name: mapped, type: mapped, max: 1TiB}\n')
        r = subprocess.run([tool, '-c', b, '--format=json', stream], capture_output=True)
        if r.returncode != (1 if over else 0):
            fail.append('over=%s: exit %d: %s' % (over, r.returncode, r.stderr.decode()))
        got = {v['name']: v for v in map(json.loads, r.stdout.splitlines())}
        if 'mapped' not in got:
            fail.append('no verdicts: %s' % r.stderr.decode())
            break
        for name, typ, extra, limit, unit in want:
            if over and limit == 0:
                continue
            v = got.get(name)
            if not v or v['measured'] != limit or v['result'] != ('fail' if over else 'pass'):
                fail.append('over=%s %s: %s, expected measured %d' % (over, name, v, limit))
        # Mapped at the highest: at least what some process still held at its
        # exit, at most all that process ever mapped.
        m = got['mapped']['measured']
        lo = max((e.get('mapped', 0) - e.get('unmapped', 0) for e in recs
                  if e['type'] == 'exit' and not e.get('thread')), default=0)
        hi = max((e.get('mapped', 0) for e in recs if e['type'] == 'exit'), default=0)
        if not (lo <= m <= hi and m > 0):
            fail.append('mapped %d not within [%d, %d]' % (m, lo, hi))
with tempfile.TemporaryDirectory() as tmp:
    jobs = os.path.join(tmp, 'jobs.json')
    with open(jobs, 'w') as f:
        for n in (1000, 50000, 100000):
            f.write(json.dumps({'op': 'dot', 'a': [1.0] * n, 'b': [2.0] * n}) + '\n')
    best = subprocess.run([dispatch, jobs], capture_output=True, check=True).stdout
    spans = [r for r in map(json.loads, best.splitlines()) if r['type'] == 'span']
    backend = spans[0]['backend']
    b = os.path.join(tmp, 'b.yaml')
    with open(b, 'w') as f:
        f.write('assertions:\n'
                '  - {name: vector, type: backend, span: dot, require: %s}\n'
                '  - {name: speed, type: throughput, span: dot, min: 1B/s}\n' % backend)
    for out, status in ((best, 0),
                        (subprocess.run([dispatch, '--backend', 'scalar', jobs],
                                        capture_output=True, check=True).stdout,
                         1 if backend != 'scalar' else 0)):
        r = subprocess.run([tool, '-c', b, '--format=json'], input=out, capture_output=True)
        if r.returncode != status:
            fail.append('spans on %s: exit %d, expected %d: %s'
                        % (backend, r.returncode, status, r.stdout.decode()))
        got = {v['name']: v for v in map(json.loads, r.stdout.splitlines())}
        sp = [x for x in map(json.loads, out.splitlines()) if x['type'] == 'span']
        want = sum(x['bytes'] for x in sp) * 1e9 / sum(x['dur'] for x in sp)
        if len(sp) != 3 or abs(got['speed']['measured'] - want) > want * 1e-9:
            fail.append('throughput %s, expected %s of %d spans' % (got['speed'], want, len(sp)))
        if status == 1 and got['vector'].get('span_backend') != 'scalar':
            fail.append('vector: %s' % got['vector'])
import shutil


def critical_path(tmp, cmd):
    """Trace cmd; the exit status of tn-assert on its critical path (at
    most 100 ms) and its verdict."""
    stream = os.path.join(tmp, 'cp.jsonl')
    subprocess.run([trace, '-f', '-o', stream, '--'] + cmd, check=True,
                   stdout=subprocess.DEVNULL)
    b = os.path.join(tmp, 'b.yaml')
    with open(b, 'w') as f:
        f.write('assertions:\n  - {name: cp, type: critical-path, max: 100ms}\n')
    r = subprocess.run([tool, '-c', b, '--format=json', stream], capture_output=True)
    return r.returncode, json.loads(r.stdout.splitlines()[0]) if r.stdout else {}


with tempfile.TemporaryDirectory() as tmp:
    if shutil.which('make'):
        with open(os.path.join(tmp, 'Makefile'), 'w') as f:
            f.write('all: slow fast\nslow:\n\tsleep 0.3\nfast:\n\tsleep 0.05\n'
                    '.PHONY: all slow fast\n')
        cmd = ['make', '-s', '-j2', '-C', tmp]
    else:
        cmd = ['/bin/sh', '-c', 'sleep 0.3 & sleep 0.05 & wait']
    rc, v = critical_path(tmp, cmd)
    chain = v.get('chain', [])
    last = chain[-1] if chain else {}
    if (rc != 1 or len(chain) < 2 or last.get('command') != 'sleep'
            or last['end'] - last['start'] < 300000000 or v['measured'] < 300000000):
        fail.append('critical path of %s: exit %d, %s' % (cmd[0], rc, v))
# A real shell pipeline whose first stage is slow: cp-stage writes after
# 0.5 s, cat passes it on, the last stage reads to the end and then takes
# 0.1 s (so it ends last, and the shell waits for it last).  The chain: sh,
# the last stage (wait4), cat (pipe read), the first stage (pipe read),
# which holds at least its 0.5 s of the path, the last stage at least its
# 0.1 s; the own times add up to the run.
with tempfile.TemporaryDirectory() as tmp:
    rc, v = critical_path(tmp, ['/bin/sh', '-c', '"$0" write 500 | cat | "$0" read 100', stage])
    chain = v.get('chain', [])
    got = [(l.get('command'), l.get('via')) for l in chain]
    want = [('sh', 'wait4'), ('cp-stage', 'pipe'), ('cat', 'pipe'), ('cp-stage', None)]
    if (rc != 1 or got != want or chain[-1]['own'] < 500000000
            or chain[1]['own'] < 100000000
            or sum(l['own'] for l in chain) != v['measured']):
        fail.append('critical path of a pipeline: exit %d, %s, expected %s' % (rc, v, want))
for f in fail:
    print(f)
sys.exit(1 if fail else 0)

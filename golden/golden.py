#!/usr/bin/env python3
"""The golden-trace workflow of tn (tn(7)): capture the golden traces and
outputs of the example programs, and check fresh runs against them.

    golden.py update [COMMON] NAME=PROGRAM...
    golden.py check  [COMMON] [--budgets FILE] [--keep DIR] NAME=PROGRAM...

COMMON: --trace TN-TRACE --compare TN-COMPARE [--assert TN-ASSERT]
        [--golden DIR] [--runs N]

update runs each PROGRAM --runs times (10) under tn-trace -f and writes
DIR/NAME.events (every run, one stream) and DIR/NAME.stdout (what it
printed), each atomically (a temporary file beside it, flushed, renamed).
Every program is run before anything is written: when one fails (exit
status not 0), or prints different text in different runs, nothing is
written and the exit status is 1.

check runs each PROGRAM as many times as its golden holds runs (five when
timing is not judged, one without budgets either) and compares its output
with NAME.stdout and its trace with NAME.events (tn-compare: the calls of
the first run; the compute spans' timing over all runs, a regression
confirmed by a second batch of runs).  It checks the
budgets (tn-assert) on the least disturbed run, the one whose process took
the least time (when that one breaks a budget, the least disturbed of up
to ten more), prints one table of verdicts and exits 1 when any example
failed.  The traces of a failing example stay in KEEP/NAME/ (--keep,
default golden-failed/ in the working directory) with tn-compare's report
and tn-assert's verdicts.

Where the numbers cannot mean anything, the part is not judged and the
table says so: timing when the goldens were captured on another machine
(DIR/machine.txt, which update writes: host name, CPU model, CPUs), under valgrind or a sanitizer (TN_UNDER_VALGRIND,
TN_UNDER_SANITIZER), where the examples' syscalls are not even theirs: there
only the printed output is compared.  Budgets are absent when tn-assert
was not built (no libyaml).

Exit status: 0 every example passed, 1 one failed (or update refused),
2 usage or trouble.
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile

PROG = 'golden.py'


def die(msg, code=2):
    sys.stderr.write('%s: %s\n' % (PROG, msg))
    sys.exit(code)


def example_arg(s):
    name, sep, prog = s.partition('=')
    if not sep or not name or not prog or '/' in name:
        raise argparse.ArgumentTypeError('expected NAME=PROGRAM, got %r' % s)
    return name, os.path.abspath(prog)


def run_env():
    env = dict(os.environ)
    # The OpenCL driver (an ICD loader and its JIT) opens files and starts
    # threads that differ from machine to machine: the examples run on the
    # CPU backends, so that one golden holds everywhere.
    env['TN_OPENCL'] = '0'
    return env


def trace_runs(args, prog, n, outdir, env=None):
    """Run PROG n times under tn-trace; return (status, [stdout bytes])."""
    outs = []
    for i in range(n):
        ev = os.path.join(outdir, 'run%02d.events' % (i + 1))
        r = subprocess.run([args.trace, '-f', '-o', ev, '--', prog],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=env or run_env(), check=False)
        outs.append(r.stdout)
        if r.returncode != 0:
            return r.returncode, outs, r.stderr.decode('utf-8', 'replace')
    return 0, outs, ''


def direct_run(prog):
    r = subprocess.run([prog], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=run_env(), check=False)
    return r.returncode, r.stdout, r.stderr.decode('utf-8', 'replace')


def write_atomic(path, data):
    d = os.path.dirname(path) or '.'
    fd, tmp = tempfile.mkstemp(prefix='.' + os.path.basename(path) + '.', dir=d)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    dfd = os.open(d, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def cmd_update(args):
    os.makedirs(args.golden, exist_ok=True)
    staged = []
    with tempfile.TemporaryDirectory(prefix='tn-golden-') as tmp:
        for name, prog in args.examples:
            d = os.path.join(tmp, name)
            os.mkdir(d)
            status, outs, err = trace_runs(args, prog, args.runs, d)
            if status != 0:
                die('%s: %s exited with status %d: nothing written (a golden of a '
                    'failing program would pin the failure)\n%s'
                    % (name, prog, status, err.rstrip()), 1)
            if any(o != outs[0] for o in outs):
                die('%s: %s printed different text in different runs: nothing '
                    'written (its output must be deterministic)' % (name, prog), 1)
            events = b''
            for i in range(args.runs):
                with open(os.path.join(d, 'run%02d.events' % (i + 1)), 'rb') as f:
                    events += f.read()
            staged.append((name, events, outs[0]))
        for name, events, out in staged:
            base = os.path.join(args.golden, name)
            # tn-compare --update checks the stream record by record and
            # refuses a failed command too; it writes atomically.
            r = subprocess.run([args.compare, '--update', base + '.events', '-'],
                               input=events, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, check=False)
            if r.returncode != 0:
                die('%s: tn-compare --update refused the capture:\n%s'
                    % (name, r.stderr.decode('utf-8', 'replace').rstrip()), 1)
            os.chmod(base + '.events', 0o644)   # tn-compare's temporary file was 0600
            write_atomic(base + '.stdout', out)
            print('%s: %d runs -> %s.events, %s.stdout'
                  % (name, args.runs, base, base))
        # the machine whose timing the goldens hold
        write_atomic(os.path.join(args.golden, MACHINE), (machine() + '\n').encode())
    return 0


MACHINE = 'machine.txt'


def machine():
    """This machine in one line: host name, CPU model, CPUs.  Timing is
    judged only where it equals the line update wrote beside the goldens."""
    model = '?'
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    model = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    return '%s | %s | %d CPUs' % (socket.gethostname(), model, os.cpu_count() or 0)


def golden_machine(gdir):
    try:
        with open(os.path.join(gdir, MACHINE)) as f:
            return f.read().strip()
    except OSError:
        return None


def golden_info(path):
    """(number of runs, host of the first header) of a golden stream."""
    runs, host = 0, None
    with open(path, 'rb') as f:
        for line in f:
            if line.startswith(b'{"type":"header"'):
                runs += 1
                if host is None:
                    host = json.loads(line).get('host')
    return runs, host


def compare(args, golden, newdir, judge_timing, out_json, out_text):
    # Timing: the compute spans only, each run's value the median span of a
    # kind, and only kinds of 8 spans a run or more whose median is 1 us or
    # more.  The whole run's time and the syscalls' times are the tracer's
    # stops and the machine's load more than the example's; a sum of spans
    # moves with every preemption; a lone span, or one of a few hundred ns,
    # with the state of the caches (up to 5x from run to run here).
    # And a strict level, 0.001 before the correction: a change of the
    # program moves every run (with ten runs a side, all ten above the
    # golden's give p = 5.4e-6), while the load of a shared machine moved
    # both of performance_demo's timed kinds by 17-24% at p = 0.012 in one
    # of twenty unchanged checks at the default 0.05.
    base = [args.compare, '--judge=span', '--span-time=p50', '--min-time=1000',
            '--min-spans=8', '--alpha=0.001']
    if not judge_timing:
        base.append('--min-runs=1000000')
    if args.slowdown:
        base.append('--slowdown=' + args.slowdown)
    # the examples' own directory is $EXEDIR, the runtime's files are
    # system paths; nothing else here depends on where the build is
    r = subprocess.run(base + ['--format=json', '-o', out_json, golden, newdir],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    subprocess.run(base + ['-o', out_text, golden, newdir],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    if r.returncode == 2:
        return None, r.stderr.decode('utf-8', 'replace').strip()
    recs = []
    with open(out_json) as f:
        for line in f:
            recs.append(json.loads(line))
    return recs, ''


def confirm(args, name, prog, gev, runs_dir, work, recs, notes):
    """A timing regression is confirmed by a second batch of as many runs,
    traced after the first: the verdict stands only when that batch regresses
    too (in the kinds that regressed).  A slower program is slower in both;
    a burst of load on a shared machine seldom lasts through both."""
    if recs is None:
        return recs
    v = [r for r in recs if r['kind'] == 'verdict'][-1]
    if not v.get('regressions') or v['verdict'] != 'regressed':
        return recs
    first = {(r['scope'], r.get('name'), r.get('backend')) for r in recs
             if r['kind'] == 'timing' and r['verdict'] == 'regression'}
    again = os.path.join(work, 'runs-again')
    os.mkdir(again)
    status, _, _ = trace_runs(args, prog, len(os.listdir(runs_dir)), again)
    if status != 0:
        return recs
    recs2, _ = compare(args, gev, again, True, os.path.join(work, 'compare-again.json'),
                       os.path.join(work, 'compare-again.txt'))
    if recs2 is None:
        return recs
    second = {(r['scope'], r.get('name'), r.get('backend')) for r in recs2
              if r['kind'] == 'timing' and r['verdict'] == 'regression'}
    if first & second:
        notes.append('%s: the regression was confirmed by a second batch of runs' % name)
        return recs
    notes.append('%s: a regression of %s in the first batch was not confirmed by a '
                 'second: timing same' % (name, ', '.join(
                     '%s@%s' % (k[1], k[2]) if k[2] else str(k[1]) for k in sorted(first, key=str))))
    for r in recs:
        if r['kind'] == 'timing' and r['verdict'] == 'regression':
            r['verdict'] = 'same'
        if r['kind'] == 'verdict':
            r['regressions'] = 0
            r['verdict'] = 'same'
    return recs


def describe_divergence(d):
    def side(x):
        return x if x is not None else '(no call)'
    gi, ni = d.get('golden_index'), d.get('new_index')
    at = ('call %s' % gi) if gi == ni else ('call %s of golden, %s of new' % (gi, ni))
    return ('process %s (%s) at %s: golden: %s, new: %s'
            % (d.get('process'), d.get('cmd'), at, side(d.get('golden')), side(d.get('new'))))


def cmd_check(args):
    under = [v for v in ('TN_UNDER_VALGRIND', 'TN_UNDER_SANITIZER')
             if os.environ.get(v) == '1']
    stdout_only = bool(under) or args.stdout_only
    here, there = machine(), golden_machine(args.golden)
    rows, notes, failed = [], [], []
    keep = os.path.abspath(args.keep)
    for name, prog in args.examples:
        gev = os.path.join(args.golden, name + '.events')
        gout = os.path.join(args.golden, name + '.stdout')
        row = {'example': name}
        why = []
        if not os.path.exists(gev) or not os.path.exists(gout):
            row.update(behaviour='NO GOLDEN', timing='-', budgets='-', verdict='FAIL')
            why.append('%s: no golden %s / %s: capture it with the golden-update '
                       'target (tn(7))' % (name, gev, gout))
            rows.append(row)
            failed.append(name)
            notes += why
            continue
        with open(gout, 'rb') as f:
            want_out = f.read()
        work = tempfile.mkdtemp(prefix='tn-golden-check-')
        ok = True
        try:
            if stdout_only:
                status, out, err = direct_run(prog)
                outs = [out]
            else:
                nruns, _ = golden_info(gev)
                judge = there == here and not args.no_timing
                runs_dir = os.path.join(work, 'runs')
                os.mkdir(runs_dir)
                # as many runs as the golden when timing is judged; else five,
                # of which the budgets take the least disturbed, or one
                n = max(nruns, 1) if judge else 5 if args.assert_ and args.budgets else 1
                status, outs, err = trace_runs(args, prog, n, runs_dir)
            if status != 0:
                row.update(behaviour='EXIT %d' % status, timing='-', budgets='-')
                why.append('%s: exited with status %d\n%s' % (name, status, err.rstrip()))
                ok = False
            else:
                bad_out = [i + 1 for i, o in enumerate(outs) if o != want_out]
                if bad_out:
                    why.append('%s: standard output differs from %s in run %d'
                               % (name, gout, bad_out[0]))
                    with open(os.path.join(work, 'stdout'), 'wb') as f:
                        f.write(outs[bad_out[0] - 1])
                    ok = False
                if stdout_only:
                    row['behaviour'] = 'output ' + ('differs' if bad_out else 'same')
                    row['timing'] = row['budgets'] = 'n/a'
                else:
                    recs, err = compare(args, gev, runs_dir, judge,
                                        os.path.join(work, 'compare.json'),
                                        os.path.join(work, 'compare.txt'))
                    recs = confirm(args, name, prog, gev, runs_dir, work, recs, notes)
                    if recs is None:
                        row.update(behaviour='ERROR', timing='-')
                        why.append('%s: tn-compare: %s' % (name, err))
                        ok = False
                    else:
                        v = [r for r in recs if r['kind'] == 'verdict'][-1]
                        div = [r for r in recs if r['kind'] == 'divergence']
                        counts = [r for r in recs if r['kind'] == 'count']
                        other = [r for r in recs if r['kind'] in ('command', 'process', 'fallback')]
                        different = v['verdict'] == 'different' or div or other or \
                            any(not c.get('within', False) for c in counts)
                        if different or bad_out:
                            row['behaviour'] = 'DIFFERENT' if different else 'OUTPUT DIFFERS'
                            ok = False
                            for d in div:
                                why.append('%s: first divergence in %s' % (name, describe_divergence(d)))
                            for c in counts:
                                why.append('%s: %s: %s calls in golden, %s now'
                                           % (name, c['name'], c['golden'], c['new']))
                            for o in other:
                                why.append('%s: %s' % (name, json.dumps(o)))
                        else:
                            row['behaviour'] = 'same (%d calls)' % v['golden_calls']
                        if not judge:
                            row['timing'] = 'not judged'
                            if args.no_timing:
                                notes.append('%s: timing not judged (--no-timing)' % name)
                            else:
                                notes.append('%s: timing not judged: the goldens were captured on '
                                             '%s, this is %s' % (name, there or 'an unrecorded machine '
                                                                  '(no %s)' % MACHINE, here))
                        else:
                            w = ''
                            if v['regressions']:
                                row['timing'] = 'REGRESSED (%d of %d)' % (v['regressions'], v.get('timed_items', 0))
                                ok = False
                                for r in recs:
                                    if r['kind'] == 'timing' and r['verdict'] == 'regression':
                                        why.append('%s: slower: %s %s%s median %d -> %d ns (%+.1f%%, p=%.2g)'
                                                   % (name, r['scope'], r.get('name', ''),
                                                      ('@' + r['backend']) if r.get('backend') else '',
                                                      r['golden_median_ns'], r['new_median_ns'],
                                                      100 * r['change'], r['p']))
                            else:
                                row['timing'] = ('same (%d items)' % v['timed_items']) if v.get('timed_items') else 'no item to time'
                    row['budgets'] = check_budgets(args, name, prog, runs_dir, work, why)
                    if row['budgets'].startswith('FAIL') or row['budgets'] == 'ERROR':
                        ok = False
        finally:
            row['verdict'] = 'PASS' if ok else 'FAIL'
            rows.append(row)
            notes += why
            if ok:
                shutil.rmtree(work, ignore_errors=True)
            else:
                failed.append(name)
                dest = os.path.join(keep, name)
                shutil.rmtree(dest, ignore_errors=True)
                os.makedirs(keep, exist_ok=True)
                shutil.move(work, dest)
                notes.append('%s: traces and reports kept in %s' % (name, dest))
    print_table(rows)
    if under:
        print('%s=1: the examples ran without tn-trace (their syscalls would be '
              'the tool\'s): only their output was compared' % '/'.join(under))
    for n in notes:
        print(n)
    if not args.assert_:
        print('budgets: absent: tn-assert was not built (it needs libyaml); '
              'the budgets were not checked')
    print('golden: %d examples, %d passed, %d failed'
          % (len(rows), len(rows) - len(failed), len(failed)))
    return 1 if failed else 0


def fastest_run(runs_dir):
    """The run whose first process took the least wall time: the one least
    disturbed by other load.  What the budgets count besides time (calls,
    memory, network) is the same in every run of a deterministic program."""
    best, best_wall = None, None
    for n in sorted(os.listdir(runs_dir)):
        path = os.path.join(runs_dir, n)
        wall = None
        with open(path, 'rb') as f:
            for line in f:
                if line.startswith(b'{"type":"exit"') and b'"thread":false' in line:
                    wall = json.loads(line).get('wall')
                    break
        if best is None or (wall is not None and (best_wall is None or wall < best_wall)):
            best, best_wall = path, wall
    return best


def assert_run(args, run, out):
    """tn-assert on one run: (exit status, its stderr, its lines)."""
    r = subprocess.run([args.assert_, '-c', args.budgets, '-o', out, run],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    lines = []
    if r.returncode != 2:
        with open(out) as f:
            lines = f.read().splitlines()
    return r.returncode, r.stderr.decode('utf-8', 'replace').strip(), lines


EXTRA_BUDGET_RUNS = 10


def check_budgets(args, name, prog, runs_dir, work, why):
    """The budgets on the least disturbed run.  When it breaks one, up to
    EXTRA_BUDGET_RUNS more runs are traced, one at a time, and the least
    disturbed of all is judged again: on a loaded machine every run's time
    is the machine's as much as the program's, and the smallest is the
    closest to the program's own (its calls and memory are the same in
    every run)."""
    if not args.assert_:
        return 'absent'
    if not args.budgets:
        return 'none given'
    out = os.path.join(work, 'budgets.txt')
    rc, err, lines = assert_run(args, fastest_run(runs_dir), out)
    extra = 0
    while rc == 1 and extra < EXTRA_BUDGET_RUNS:
        extra += 1
        d = os.path.join(work, 'budget-runs')
        os.makedirs(d, exist_ok=True)
        status, _, _ = trace_runs(args, prog, 1, d)
        os.replace(os.path.join(d, 'run01.events'),
                   os.path.join(runs_dir, 'budget%02d.events' % extra))
        if status != 0:
            break
        rc, err, lines = assert_run(args, fastest_run(runs_dir), out)
    if rc == 2:
        why.append('%s: tn-assert: %s' % (name, err))
        return 'ERROR'
    npass = nwarn = nfail = 0
    for line in lines:
        word = line.split(' ', 1)[0]
        if word == 'PASS':
            npass += 1
        elif word == 'WARN':
            nwarn += 1
            why.append('%s: budget warning: %s' % (name, line))
        elif word == 'FAIL':
            nfail += 1
            why.append('%s: budget: %s' % (name, line))
    if rc == 1 and extra:
        load = os.getloadavg()[0] if hasattr(os, 'getloadavg') else float('nan')
        why.append('%s: budgets judged on the least disturbed of %d runs; load average '
                   '%.1f on %d CPUs' % (name, len(os.listdir(runs_dir)), load, os.cpu_count() or 0))
    if rc == 1 or nfail:
        return 'FAIL %d/%d' % (nfail, npass + nwarn + nfail)
    return '%d pass%s' % (npass, (', %d warn' % nwarn) if nwarn else '')


def print_table(rows):
    cols = ['example', 'behaviour', 'timing', 'budgets', 'verdict']
    w = {c: max(len(c), *(len(r[c]) for r in rows)) if rows else len(c) for c in cols}
    print(' | '.join(c.ljust(w[c]) for c in cols).rstrip())
    print('-+-'.join('-' * w[c] for c in cols))
    for r in rows:
        print(' | '.join(r[c].ljust(w[c]) for c in cols).rstrip())


def main():
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.split('\n')[0])
    sub = p.add_subparsers(dest='cmd', required=True)
    for name in ('update', 'check'):
        s = sub.add_parser(name)
        s.add_argument('--trace', required=True, help='tn-trace')
        s.add_argument('--compare', required=True, help='tn-compare')
        s.add_argument('--assert', dest='assert_', default='',
                       help='tn-assert ("" or absent: not built)')
        s.add_argument('--golden', default=os.path.dirname(os.path.abspath(__file__)),
                       help='the directory of the goldens (this one)')
        s.add_argument('--runs', type=int, default=10,
                       help='runs per example for update (timing needs 5 or more)')
        s.add_argument('examples', nargs='*', type=example_arg, metavar='NAME=PROGRAM')
        if name == 'check':
            s.add_argument('--budgets', default='')
            s.add_argument('--keep', default='golden-failed',
                           help='where the traces of a failing example stay')
            s.add_argument('--slowdown', default='',
                           help="tn-compare's --slowdown (default its own, 10%%)")
            s.add_argument('--no-timing', action='store_true')
            s.add_argument('--stdout-only', action='store_true',
                           help='compare the output only, run without tn-trace')
    args = p.parse_args()
    if not args.examples:
        die('no examples given (NAME=PROGRAM...)')
    if args.runs < 1:
        die('--runs must be at least 1')
    for tool in [args.trace, args.compare] + ([args.assert_] if args.assert_ else []):
        if not os.access(tool, os.X_OK):
            die('%s: not an executable program' % tool)
    for _, prog in args.examples:
        if not os.access(prog, os.X_OK):
            die('%s: not an executable program' % prog)
    return cmd_update(args) if args.cmd == 'update' else cmd_check(args)


if __name__ == '__main__':
    sys.exit(main())

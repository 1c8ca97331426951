#!/usr/bin/env python3
"""Tests of the golden workflow (golden/golden.py, tn(7)) on toy.c, a small
stand-in example, captured into a temporary golden directory (never the
committed golden/).  One part per run, so that each can SKIP on its own:

  capture      update writes NAME.events and NAME.stdout; check passes and
               prints the table; a failing program is refused and nothing
               is written, not even the goldens of the programs that passed
  planted      toy built with -DTN_PLANT_EXTRA_WRITE (one more write in its
               loop) fails the check, which names the example, the syscall
               and its place, and keeps the traces; update makes it pass
  elsewhere    another build directory (the program copied), another
               working directory
  backend-X    TN_BACKEND=X (avx2, sse2): a golden captured with AVX-512
               spans holds; SKIP (77) where the CPU lacks X or AVX-512
  other-user   the check run as nobody (setpriv) on a copy; SKIP (77) when
               not root or not possible, saying why
  timing       twenty unchanged reruns never regress; toy built with
               -DTN_PLANT_SLOWDOWN (20% more compute) does (a benchmark:
               meson test --benchmark --suite golden)

  burst        toy built with -DTN_PLANT_BURST, slow in its 11th to 20th
               runs only: the check's first batch regresses, its second does
               not, so the regression is not confirmed and the check passes
  examples-elsewhere, examples-backend-X, examples-other-user
               the same three on the committed goldens of the five
               examples (read only: the check writes under a temporary
               directory)
  examples-planted
               the same as planted on activation_functions, built from its
               own source with progs/plant-write.h forced in (its 20th
               printf writes once more), on a copy of its golden

    workflow.py PART GOLDEN.PY --trace T --compare C [--assert A]
                --toy P --toy-extra-write P --toy-slow P --toy-burst P
                [--planted-example NAME=PROGRAM] [--golden DIR NAME=PROGRAM...]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

from partlib import SKIP, expect, run_part, sanitized

HERE = os.path.dirname(os.path.abspath(__file__))
BUDGETS = os.path.join(HERE, '..', '..', 'golden', 'budgets.yaml')


def parse():
    p = argparse.ArgumentParser()
    p.add_argument('part')
    p.add_argument('golden_py')
    p.add_argument('--trace', required=True)
    p.add_argument('--compare', required=True)
    p.add_argument('--assert', dest='assert_', default='')
    p.add_argument('--toy', required=True)
    p.add_argument('--toy-extra-write', required=True)
    p.add_argument('--toy-slow', required=True)
    p.add_argument('--toy-burst', required=True)
    p.add_argument('--planted-example', default='', metavar='NAME=PROGRAM',
                   help='an example built with one more write (examples-planted)')
    p.add_argument('--golden', default='', help='the committed goldens (examples-* parts)')
    p.add_argument('examples', nargs='*', metavar='NAME=PROGRAM',
                   help='the examples (examples-* parts)')
    return p.parse_intermixed_args()


A = parse()


def tools():
    t = ['--trace', A.trace, '--compare', A.compare]
    return t + (['--assert', A.assert_] if A.assert_ else [])


def golden(cmd, gdir, examples, extra=(), cwd=None, env=None, prefix=()):
    argv = list(prefix) + [sys.executable, A.golden_py, cmd] + tools() + ['--golden', gdir]
    if cmd == 'check' and not A.part.startswith('examples-'):
        # (the examples' budgets are the golden check's; here, under the
        # load of the other tests, their time would make these flaky)
        argv += ['--budgets', BUDGETS]
    if cmd == 'check':
        # timing only where it is the point: elsewhere, its noise would make
        # a test of behaviour flaky (and it is a machine's, not a build's)
        if A.part != 'timing':
            argv += ['--no-timing']
    argv += list(extra) + ['%s=%s' % e for e in examples]
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       cwd=cwd, env=env, check=False)
    return r.returncode, r.stdout.decode('utf-8', 'replace')




def place(tmp, prog, sub, name='toy'):
    """prog copied as SUB/NAME: the example as another build would have it."""
    d = os.path.join(tmp, sub)
    os.makedirs(d, exist_ok=True)
    dest = os.path.join(d, name)
    shutil.copy(prog, dest)
    return dest


def captured(tmp, runs=None):
    runs = runs or (10 if A.part in ('capture', 'timing') else 3)
    g = os.path.join(tmp, 'golden')
    os.makedirs(g, exist_ok=True)
    toy = place(tmp, A.toy, 'b1')
    rc, out = golden('update', g, [('toy', toy)], ['--runs', str(runs)], cwd=tmp)
    if rc != 0:
        print(out)
        sys.exit('cannot capture the golden of toy (exit %d)' % rc)
    return g, toy


def subject(tmp, sub='b1'):
    """(golden directory, [(name, program)]): toy captured now, or, for the
    examples-* parts, the committed goldens with each example copied into
    tmp/SUB (another build directory: they link libtn statically)."""
    if not A.part.startswith('examples-'):
        g, toy = captured(tmp)
        if sub != 'b1':
            toy = place(tmp, A.toy, sub)
        return g, [('toy', toy)]
    g = os.path.join(tmp, 'golden')
    os.makedirs(g, exist_ok=True)
    exs = []
    for e in A.examples:
        name, _, prog = e.partition('=')
        for ext in ('.events', '.stdout'):
            shutil.copy(os.path.join(A.golden, name + ext), g)
        exs.append((name, place(tmp, prog, sub, name)))
    return g, exs


def all_pass(out, exs):
    return all((table_row(out, n) or [''] * 5)[4] == 'PASS' for n, _ in exs)


def cpu_flags():
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('flags'):
                    return set(line.split(':', 1)[1].split())
    except OSError:
        pass
    return set()


def span_backends(path):
    with open(path) as f:
        return set(re.findall(r'"type":"span".*?"backend":"([a-z0-9]+)"', f.read()))


def table_row(out, name):
    for line in out.splitlines():
        cells = [c.strip() for c in line.split('|')]
        if len(cells) == 5 and cells[0] == name:
            return cells
    return None


def part_capture(tmp):
    g, toy = captured(tmp)
    for f in ('toy.events', 'toy.stdout'):
        expect('update wrote ' + f, os.path.isfile(os.path.join(g, f)))
    with open(os.path.join(g, 'toy.events')) as f:
        text = f.read()
    expect('the golden holds 10 runs', text.count('{"type":"header"') == 10)
    expect('the golden holds compute spans', '"type":"span"' in text)
    leftovers = [n for n in os.listdir(g) if n.startswith('.')]
    expect('no temporary file left beside the goldens', not leftovers, str(leftovers))
    rc, out = golden('check', g, [('toy', toy)], ['--keep', os.path.join(tmp, 'keep')], cwd=tmp)
    row = table_row(out, 'toy')
    expect('check passes (exit 0)', rc == 0, out)
    expect('check prints the table', table_row(out, 'example') == [
        'example', 'behaviour', 'timing', 'budgets', 'verdict'] and row and row[4] == 'PASS', out)
    if A.assert_:
        expect('budgets were checked', row and re.match(r'\d+ pass', row[3]), out)
    else:
        expect('budgets said absent', row and row[3] == 'absent' and 'budgets: absent' in out, out)
    print(out.rstrip())

    if A.assert_:
        tight = os.path.join(tmp, 'tight.yaml')
        with open(tight, 'w') as f:
            f.write('assertions:\n  - name: few-calls\n    type: syscall-calls\n    max: 5\n')
        global BUDGETS
        BUDGETS, saved = tight, BUDGETS
        rc, out = golden('check', g, [('toy', toy)], ['--keep', os.path.join(tmp, 'keep')], cwd=tmp)
        BUDGETS = saved
        row = table_row(out, 'toy')
        expect('a broken budget fails the check', rc == 1 and row and row[3] == 'FAIL 1/1', out)
        expect('and is named', re.search(r'^toy: budget: FAIL few-calls: ', out, re.M), out)
        expect('its verdicts are kept',
               os.path.isfile(os.path.join(tmp, 'keep', 'toy', 'budgets.txt')), out)

    before = {n: open(os.path.join(g, n), 'rb').read() for n in os.listdir(g)}
    rc, out = golden('update', g, [('toy', toy), ('fails', '/bin/false')], ['--runs', '3'], cwd=tmp)
    after = {n: open(os.path.join(g, n), 'rb').read() for n in os.listdir(g)}
    expect('a failing program is refused (exit 1)', rc == 1, out)
    expect('the refusal says nothing was written',
           'fails' in out and 'status 1' in out and 'nothing written' in out, out)
    expect('nothing was written', before == after, str(sorted(after)))

    expect('update recorded the machine', os.path.isfile(os.path.join(g, 'machine.txt')))
    with open(os.path.join(g, 'machine.txt')) as f:
        here = f.read()
    with open(os.path.join(g, 'machine.txt'), 'w') as f:
        f.write('elsewhere | Another CPU | 64 CPUs\n')
    A.part = 'timing'   # (so that golden() does not add --no-timing)
    rc, out = golden('check', g, [('toy', toy)], ['--keep', os.path.join(tmp, 'keep')], cwd=tmp)
    A.part = 'capture'
    row = table_row(out, 'toy')
    expect('goldens of another machine: timing not judged, and said why',
           rc == 0 and row and row[2] == 'not judged' and
           'captured on elsewhere | Another CPU | 64 CPUs, this is ' in out, out)
    with open(os.path.join(g, 'machine.txt'), 'w') as f:
        f.write(here)

    for bad, what in ((('toy', '/nonexistent/toy'), 'not an executable program'),
                      (('', toy), 'expected NAME=PROGRAM')):
        rc, out = golden('check', g, [bad], cwd=tmp)
        expect('bad usage (%s) is exit 2 with a message' % what, rc == 2 and what in out, out)

    rc, out = golden('check', g, [('toy', toy), ('absent', toy)], ['--keep', os.path.join(tmp, 'keep')], cwd=tmp)
    expect('an example without golden fails the check', rc == 1 and 'NO GOLDEN' in out, out)


def part_planted(tmp):
    if A.part.startswith('examples-'):
        name, _, prog = A.planted_example.partition('=')
        g, exs = subject(tmp)
        exs = [e for e in exs if e[0] == name]
        planted = place(tmp, prog, 'planted', name)
        first = r'call (\d+): golden: .*, new: write\(fd2<pipe:\[N\]>\) = \+$'
    else:
        name = 'toy'
        g, exs = subject(tmp)
        planted = place(tmp, A.toy_extra_write, 'planted')
        first = r'call (\d+): golden: .*, new: write\(fd2<pipe:\[N\]>\) = \+$'
    keep = os.path.join(tmp, 'keep')
    rc, out = golden('check', g, [(name, exs[0][1])], ['--keep', keep], cwd=tmp)
    expect('the unchanged %s passes' % name, rc == 0, out)
    rc, out = golden('check', g, [(name, planted)], ['--keep', keep], cwd=tmp)
    print(out.rstrip())
    row = table_row(out, name)
    expect('the extra write fails the check (exit 1)', rc == 1 and row and row[4] == 'FAIL', out)
    expect('behaviour is DIFFERENT', row and row[1] == 'DIFFERENT', out)
    m = re.search(r'^%s: first divergence in process 1 \(%s\) at %s' % (name, name, first), out, re.M)
    expect('the report names the example, the syscall and its place', m, out)
    expect('the report counts the writes',
           re.search(r'^%s: write: \d+ calls in golden, \d+ now$' % name, out, re.M), out)
    runs = 5 if A.assert_ and not A.part.startswith('examples-') else 1
    for f in ('runs/run01.events', 'runs/run%02d.events' % runs, 'compare.txt', 'compare.json'):
        expect('kept ' + f, os.path.isfile(os.path.join(keep, name, f)))
    expect('the output says where the traces are', 'kept in ' + os.path.join(keep, name) in out, out)
    rc, out = golden('update', g, [(name, planted)], ['--runs', '3'], cwd=tmp)
    expect('the regenerate command (on a copy of the goldens) accepts the change', rc == 0, out)
    rc, out = golden('check', g, [(name, planted)], ['--keep', keep], cwd=tmp)
    expect('after it, the check passes again', rc == 0, out)


def part_elsewhere(tmp):
    g, exs = subject(tmp, 'another-build')
    keep = os.path.join(tmp, 'keep')
    rc, out = golden('check', g, exs, ['--keep', keep], cwd=tmp)
    expect('another build directory passes', rc == 0 and all_pass(out, exs), out)
    wd = os.path.join(tmp, 'another', 'cwd')
    os.makedirs(wd)
    rc, out = golden('check', g, exs, ['--keep', keep], cwd=wd)
    expect('another working directory passes', rc == 0 and all_pass(out, exs), out)
    print(out.rstrip())


ORDER = ['scalar', 'sse2', 'avx2', 'avx512']


def part_backend(tmp, backend):
    flags = cpu_flags()
    need = {'avx2': {'avx2', 'fma'}, 'sse2': {'sse2'}}[backend]
    if not {'avx512f'} <= flags:
        print('SKIP: this CPU has no AVX-512F: the golden would not be an AVX-512 one')
        return SKIP
    if not need <= flags:
        print('SKIP: this CPU lacks %s' % ' '.join(sorted(need - flags)))
        return SKIP
    g, exs = subject(tmp)
    got = set()
    for name, _ in exs:
        got |= span_backends(os.path.join(g, name + '.events'))
    expect('the golden has spans on avx512', 'avx512' in got, str(got))
    env = dict(os.environ, TN_BACKEND=backend)
    above = set(ORDER[ORDER.index(backend) + 1:])
    for name, prog in exs:
        probe = os.path.join(tmp, 'probe.events')
        subprocess.run([A.trace, '-f', '-o', probe, '--', prog], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        got = span_backends(probe)
        expect('TN_BACKEND=%s: no span of %s above %s' % (backend, name, backend),
               got and not got & above, str(got))
    rc, out = golden('check', g, exs, ['--keep', os.path.join(tmp, 'keep')],
                     cwd=tmp, env=env)
    print(out.rstrip())
    expect('the AVX-512 golden passes with TN_BACKEND=%s' % backend,
           rc == 0 and all_pass(out, exs), out)


def part_other_user(tmp):
    if os.geteuid() != 0:
        print('SKIP: not root: no other user to become')
        return SKIP
    setpriv = shutil.which('setpriv')
    if not setpriv:
        print('SKIP: no setpriv (util-linux) to run as nobody')
        return SKIP
    # a copy that nobody can read: the tools, golden.py, the budgets, the toy
    os.chmod(tmp, 0o755)
    g, exs = subject(tmp)
    t = os.path.join(tmp, 'tools')
    os.mkdir(t)
    for attr in ('trace', 'compare', 'assert_'):
        src = getattr(A, attr)
        if src:
            dst = os.path.join(t, os.path.basename(src))
            shutil.copy(src, dst)
            setattr(A, attr, dst)
    gp = os.path.join(t, 'golden.py')
    shutil.copy(A.golden_py, gp)
    A.golden_py = gp
    global BUDGETS
    shutil.copy(BUDGETS, os.path.join(t, 'budgets.yaml'))
    BUDGETS = os.path.join(t, 'budgets.yaml')
    for root, dirs, files in os.walk(tmp):
        for d in dirs:
            os.chmod(os.path.join(root, d), 0o755)
        for f in files:
            os.chmod(os.path.join(root, f), 0o755)
    work = os.path.join(tmp, 'nobody')
    os.mkdir(work)
    os.chmod(work, 0o777)
    prefix = [setpriv, '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--']
    env = {'PATH': '/usr/bin:/bin', 'HOME': '/nonexistent', 'USER': 'nobody',
           'LOGNAME': 'nobody', 'LANG': 'C.UTF-8'}
    probe = subprocess.run(prefix + [A.trace, '-o', '/dev/null', '--', '/bin/true'],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                           cwd=work, check=False)
    if probe.returncode != 0:
        print('SKIP: tn-trace does not run as nobody here: %s'
              % probe.stdout.decode('utf-8', 'replace').strip())
        return SKIP
    rc, out = golden('check', g, exs, ['--keep', os.path.join(work, 'keep')],
                     cwd=work, env=env, prefix=prefix)
    print(out.rstrip())
    expect('the golden captured as root passes as nobody', rc == 0 and all_pass(out, exs), out)


def part_burst(tmp):
    wd = os.path.join(tmp, 'w')
    os.mkdir(wd)
    g = os.path.join(tmp, 'golden')
    os.mkdir(g)
    toy = place(tmp, A.toy_burst, 'b1', 'toy')
    with open(os.path.join(wd, 'runs'), 'w') as f:
        f.write('0\n')     # (so that every run reads a count)
    rc, out = golden('update', g, [('toy', toy)], ['--runs', '10'], cwd=wd)
    expect('the capture (runs 1 to 10: not slow)', rc == 0, out)
    saved, A.part = A.part, 'timing'   # (judge the timing)
    rc, out = golden('check', g, [('toy', toy)], ['--keep', os.path.join(tmp, 'keep')], cwd=wd)
    A.part = saved
    print(out.rstrip())
    row = table_row(out, 'toy')
    expect('runs 11 to 20 regressed, 21 to 30 did not: not confirmed, a pass',
           rc == 0 and row and row[2].startswith('same') and
           re.search(r'^toy: a regression of dot@\w+ in the first batch was not confirmed', out, re.M), out)
    expect('both batches ran', open(os.path.join(wd, 'runs')).read().strip() == '30')


def part_timing(tmp):
    g, toy = captured(tmp)
    keep = os.path.join(tmp, 'keep')
    alarms = []
    for i in range(20):
        rc, out = golden('check', g, [('toy', toy)], ['--keep', keep], cwd=tmp)
        row = table_row(out, 'toy')
        print('rerun %2d: %s' % (i + 1, row[2] if row else out))
        if rc != 0:
            alarms.append(out)
        if 'not confirmed' in out:
            print(out.rstrip())
    print('20 unchanged reruns: %d false alarms' % len(alarms))
    expect('no unchanged rerun regressed', not alarms, '\n'.join(alarms))
    slow = place(tmp, A.toy_slow, 'slow')
    caught = 0
    for i in range(5):
        rc, out = golden('check', g, [('toy', slow)], ['--keep', keep], cwd=tmp)
        row = table_row(out, 'toy')
        print('slowed %d: %s' % (i + 1, row[2] if row else out))
        caught += (rc == 1 and row is not None and row[2].startswith('REGRESSED') and
                   row[1].startswith('same') and 'confirmed by a second batch' in out)
    print('20%% slowdown: caught in %d of 5 checks' % caught)
    expect('the 20% slowdown fails the timing check every time', caught == 5)


def main():
    under = [v + '=1' for v in ('TN_UNDER_VALGRIND', 'TN_UNDER_SANITIZER') if os.environ.get(v) == '1']
    if not under and sanitized(os.path.dirname(os.path.dirname(os.path.dirname(A.trace)))):
        under = ['a sanitized build']
    if under:
        print('SKIP: %s: the traced syscalls would be the tool\'s, not the programs\' '
              '(the golden check itself compares the output only there)' % under[0])
        return SKIP
    if subprocess.run([A.trace, '-o', '/dev/null', '--', '/bin/true'],
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0:
        print('SKIP: tn-trace cannot trace here')
        return SKIP
    parts = {'capture': part_capture, 'planted': part_planted, 'elsewhere': part_elsewhere,
             'backend-avx2': lambda t: part_backend(t, 'avx2'),
             'backend-sse2': lambda t: part_backend(t, 'sse2'),
             'other-user': part_other_user, 'timing': part_timing, 'burst': part_burst}
    for k in ('elsewhere', 'backend-avx2', 'backend-sse2', 'other-user', 'planted'):
        parts['examples-' + k] = parts[k]
    if A.part not in parts:
        sys.exit('unknown part %r' % A.part)
    return run_part(parts[A.part], 'tn-golden-test-')


sys.exit(main())

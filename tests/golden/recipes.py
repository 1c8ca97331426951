#!/usr/bin/env python3
"""The documented commands of the golden workflow, run as written:

  man    every code block of man/tn.7.scd has a "; test:" line before it:
         "run" blocks are run with sh -e in a directory where build/ is the
         build tree and golden/ the source's (each must exit 0), "file F"
         blocks must be the file F exactly, "skip" and "output" are not run
  make   make -f golden/Makefile.example check-golden (exit 0, the table)
  ci     golden/ci-step.sh on the goldens (exit 0, nothing kept), then on a
         copy of golden/ where one example's expected output was changed
         (exit 1, its traces kept under $ARTIFACTS/golden-failed/NAME/)

    recipes.py PART SRCDIR BUILDDIR
"""
import os
import re
import shutil
import subprocess
import sys

from partlib import SKIP, expect, run_part, sanitized

part, src, build = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])




def tree(tmp, golden=None):
    """tmp/build -> the build tree, tmp/golden -> golden (the source's)."""
    os.symlink(build, os.path.join(tmp, 'build'))
    os.symlink(golden or os.path.join(src, 'golden'), os.path.join(tmp, 'golden'))


def sh(cmd, cwd, env=None):
    r = subprocess.run(['sh', '-e', '-c', cmd], cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, check=False)
    return r.returncode, r.stdout.decode('utf-8', 'replace')


def blocks(path):
    """[(tag, text)] of every ``` block, tag from the '; test:' line before it."""
    lines = open(path).read().split('\n')
    out, i = [], 0
    while i < len(lines):
        if lines[i] == '```':
            tag = lines[i - 1][len('; test:'):].strip() if i and lines[i - 1].startswith('; test:') else None
            j = lines.index('```', i + 1)
            out.append((tag, '\n'.join(lines[i + 1:j]) + '\n', i + 1))
            i = j + 1
        else:
            i += 1
    return out


def part_man(tmp):
    tree(tmp)
    ran = 0
    for tag, text, line in blocks(os.path.join(src, 'man', 'tn.7.scd')):
        where = 'tn.7.scd:%d' % line
        if tag is None:
            expect(where + ': the block has a "; test:" line', False, text)
        elif tag == 'run':
            if 'tn-assert' in text and not os.access(os.path.join(build, 'cmd', 'tn-assert', 'tn-assert'), os.X_OK):
                print('SKIP %s: tn-assert was not built (no libyaml)' % where)
                continue
            rc, out = sh(text, tmp)
            expect('%s runs (exit %d)' % (where, rc), rc == 0, text + out)
            ran += 1
        elif tag.startswith('file '):
            f = os.path.join(src, tag[5:])
            same = os.path.isfile(f) and open(f).read() == text
            expect('%s is %s exactly' % (where, tag[5:]), same, text)
        elif not re.match(r'(skip|output) \(.+\)$', tag):
            expect('%s: a known tag, not %r' % (where, tag), False)
    expect('some blocks were run', ran >= 3)


def part_make(tmp):
    if not shutil.which('make'):
        print('SKIP: no make here')
        return SKIP
    tree(tmp)
    r = subprocess.run(['make', '-f', os.path.join(src, 'golden', 'Makefile.example'),
                        'check-golden', 'BUILD=build'], cwd=tmp, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, check=False)
    out = r.stdout.decode('utf-8', 'replace')
    print(out.rstrip())
    expect('make check-golden passes', r.returncode == 0, out)
    expect('it printed the table', re.search(r'^golden: \d+ examples, \d+ passed, 0 failed$', out, re.M), out)


def part_ci(tmp):
    step = os.path.join(src, 'golden', 'ci-step.sh')
    tree(tmp)
    env = dict(os.environ, ARTIFACTS=os.path.join(tmp, 'art'), BUILD='build')
    rc, out = sh(step, tmp, env)
    print(out.rstrip())
    expect('the CI step passes on the goldens', rc == 0, out)
    expect('nothing kept', not os.path.exists(os.path.join(tmp, 'art', 'golden-failed')), out)

    bad = os.path.join(tmp, 'planted')
    os.mkdir(bad)
    shutil.copytree(os.path.join(src, 'golden'), os.path.join(bad, 'golden'))
    names = sorted(n[:-7] for n in os.listdir(os.path.join(bad, 'golden')) if n.endswith('.stdout'))
    victim = names[0]
    with open(os.path.join(bad, 'golden', victim + '.stdout'), 'a') as f:
        f.write('a line the example does not print\n')
    os.symlink(build, os.path.join(bad, 'build'))
    env['ARTIFACTS'] = os.path.join(bad, 'art')
    rc, out = sh(step, bad, env)
    print(out.rstrip())
    expect('the CI step fails on a changed golden (exit 1)', rc == 1, out)
    kept = os.path.join(bad, 'art', 'golden-failed', victim)
    expect('it kept %s\'s traces' % victim, os.path.isfile(os.path.join(kept, 'runs', 'run01.events')), out)
    expect('and the output that differed', os.path.isfile(os.path.join(kept, 'stdout')), out)
    expect('it says where', 'traces and reports in ' in out, out)
    others = [n for n in os.listdir(os.path.join(bad, 'art', 'golden-failed'))] if os.path.isdir(kept) else []
    expect('only the failing example is kept', others == [victim], str(others))


def main():
    # behaviour only: the timing and the budgets (whose 100 ms of critical
    # path the other tests' load can break) are the golden check's own test
    os.environ['TN_GOLDEN_ARGS'] = '--no-timing --budgets='
    under = [v for v in ('TN_UNDER_VALGRIND', 'TN_UNDER_SANITIZER') if os.environ.get(v) == '1']
    if under or sanitized(build):
        print('SKIP: %s: the examples\' syscalls are the tool\'s, so these commands, '
              'which trace them, hold in the plain setup only (the golden check '
              'compares their output only here)' % (under[0] + '=1' if under else 'a sanitized build'))
        return SKIP
    parts = {'man': part_man, 'make': part_make, 'ci': part_ci}
    return run_part(parts[part], 'tn-golden-recipes-')


sys.exit(main())

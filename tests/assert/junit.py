#!/usr/bin/env python3
"""--junit=FILE read back by a real XML parser (xml.etree) and checked
against the JUnit structure CI servers read (testsuites > testsuite >
testcase, with failure or skipped, or system-out), then against the
expected file byte for byte.

    junit.py TN_ASSERT SOURCE_DIR
"""
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

prog, src = sys.argv[1], sys.argv[2]
budget = """assertions:
  - {name: writes, type: syscall-calls, syscalls: write, max: 2}
  - {name: "reads <&> \\"quoted\\" 'too'", type: syscall-calls, syscalls: read, max: 1}
  - {name: errors, type: syscall-errors, max: 0, fail_on_violation: false}
  - {name: off, type: peak-rss, max: 1, enabled: false}
  - {name: dot, type: throughput, span: dot, min: 3GB/s}
"""
# A command with a control character and XML's own characters in it.
stream = open(os.path.join(src, 'data', 'run.jsonl')).read().replace(
    '"/usr/bin/cc"', '"/usr/bin/c\\u0007<c>&"')
fail = []
with tempfile.TemporaryDirectory() as tmp:
    b = os.path.join(tmp, 'budget.yaml')
    j = os.path.join(tmp, 'out.xml')
    open(b, 'w').write(budget)
    r = subprocess.run([prog, '-c', b, '--junit=' + j], input=stream.encode(),
                       capture_output=True)
    if r.returncode != 1:
        fail.append('exit %d, expected 1: %s' % (r.returncode, r.stderr.decode()))
    text = open(j, 'rb').read()
    root = ET.fromstring(text)
    if root.tag != 'testsuites':
        fail.append('root is %s' % root.tag)
    suites = list(root)
    if len(suites) != 1 or suites[0].tag != 'testsuite':
        fail.append('expected one testsuite')
    cases = suites[0].findall('testcase')
    if [c.tag for c in suites[0]] != ['testcase'] * 5:
        fail.append('testsuite children: %s' % [c.tag for c in suites[0]])
    got = {}
    for c in cases:
        kids = [k.tag for k in c]
        if len(kids) != 1 or kids[0] not in ('failure', 'skipped', 'system-out'):
            fail.append('testcase %s has %s' % (c.get('name'), kids))
        if not c.get('classname', '').startswith('tn-assert.'):
            fail.append('testcase %s classname %s' % (c.get('name'), c.get('classname')))
        got[c.get('name')] = kids[0] if kids else None
    want = {'writes': 'failure', 'reads <&> "quoted" \'too\'': 'system-out',
            'errors': 'system-out', 'off': 'skipped', 'dot': 'failure'}
    if got != want:
        fail.append('testcases %s, expected %s' % (got, want))
    for el in (root, suites[0]):
        n = {k: int(el.get(k)) for k in ('tests', 'failures', 'errors', 'skipped')}
        if n != {'tests': 5, 'failures': 2, 'errors': 0, 'skipped': 1}:
            fail.append('%s counts %s' % (el.tag, n))
    dot = [c for c in cases if c.get('name') == 'dot'][0].find('failure')
    if 'pid 101 (c\\x07<c>&)' not in dot.get('message'):
        fail.append('failure message: %s' % dot.get('message'))
    expected = os.path.join(src, 'junit.xml')
    if os.environ.get('TN_REGEN') == '1':
        open(expected, 'wb').write(text)
    elif text != open(expected, 'rb').read():
        fail.append('differs from %s:\n%s' % (expected, text.decode()))
for f in fail:
    print(f)
sys.exit(1 if fail else 0)

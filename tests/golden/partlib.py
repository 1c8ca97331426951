"""What the golden tests (workflow.py, recipes.py) share: one check line
each, and running one part in a temporary directory."""
import json
import os
import shutil
import tempfile

SKIP = 77
failures = []


def expect(what, cond, out=''):
    """Print ok or FAIL for WHAT (and OUT when it failed); remember a FAIL."""
    print(('ok: ' if cond else 'FAIL: ') + what)
    if not cond:
        if out:
            print(out.rstrip())
        failures.append(what)


def run_part(fn, prefix):
    """fn(tmp) in a new temporary directory, removed after: 77 when fn
    returned SKIP, 1 when an expect() failed, else 0."""
    tmp = tempfile.mkdtemp(prefix=prefix)
    try:
        rc = fn(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if rc == SKIP:
        return SKIP
    return 1 if failures else 0


def sanitized(build):
    """Whether the build directory was configured with -Db_sanitize."""
    try:
        with open(os.path.join(build, 'meson-info', 'intro-buildoptions.json')) as f:
            return any(o['name'] == 'b_sanitize' and o['value'] not in ('none', [], '')
                       for o in json.load(f))
    except (OSError, ValueError, KeyError):
        return False

#!/usr/bin/env bash
# Runs the public toml-test suite (TOML 1.0.0 cases listed in files-toml-1.0.0) through a
# decoder binary: valid cases must exit 0 with the expected tagged JSON, invalid ones must exit
# 1 (a crash or any other status is a failure). Prints each failure, then "N passed, N failed".
#
#   Tests/Scripts/toml-suite.sh DECODER SUITE_DIR
#
# With no suite at SUITE_DIR (a plain clone) it says so and exits 0; DEVENV_REQUIRE_TOML_SUITE=1
# (CI) makes that a failure.
#
# The comparison follows the suite's README: floats by value (inf/nan as strings), date-times by
# the instant and offset they denote. It is written in python3, which ships on Debian machines.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 DECODER SUITE_DIR" >&2
  exit 2
fi
decoder=$1
suite=$2
[ -x "$decoder" ] || { echo "toml-suite: decoder not executable: $decoder" >&2; exit 2; }
if [ -z "$suite" ] || [ ! -f "$suite/files-toml-1.0.0" ]; then
  where=${suite:-../shared/toml-test}
  # A plain clone has no suite beside it: say where it goes and pass, unless CI requires it.
  if [ "${DEVENV_REQUIRE_TOML_SUITE:-0}" = 1 ]; then
    echo "toml-suite: no files-toml-1.0.0 in $where (DEVENV_REQUIRE_TOML_SUITE=1); point TOML_TEST_SUITE=DIR at a toml-test checkout" >&2
    exit 2
  fi
  echo "toml-suite: skipped: the toml-test suite is not at $where; to run it, point TOML_TEST_SUITE=DIR at a toml-test checkout (make toml-suite TOML_TEST_SUITE=DIR)"
  exit 0
fi

exec python3 - "$decoder" "$suite" <<'PY'
import calendar, json, os, re, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

decoder, suite = sys.argv[1], sys.argv[2]
with open(os.path.join(suite, "files-toml-1.0.0")) as f:
    cases = [l.strip() for l in f if l.strip().endswith(".toml")]

DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})?$")
TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$")

def nanos(fraction):
    return int(((fraction or "") + "000000000")[:9])

def offset_minutes(text):
    if text in ("Z", "z"):
        return 0
    sign = -1 if text[0] == "-" else 1
    return sign * (int(text[1:3]) * 60 + int(text[4:6]))

def leaf_key(kind, value):
    """A value that compares equal exactly when two leaves denote the same thing."""
    if kind == "float":
        v = value.lower().lstrip("+")
        if v in ("nan", "-nan"):
            return ("nan",)
        return float(v)
    if kind == "integer":
        return int(value)
    if kind in ("datetime", "datetime-local"):
        m = DATETIME.match(value)
        if not m:
            raise ValueError("not a date-time: %r" % value)
        y, mo, d, h, mi, s = (int(x) for x in m.groups()[:6])
        if kind == "datetime":
            if m.group(8) is None:
                raise ValueError("datetime without offset: %r" % value)
            off = offset_minutes(m.group(8))
            instant = calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0)) - off * 60
            return (instant, nanos(m.group(7)), off)
        if m.group(8) is not None:
            raise ValueError("datetime-local with offset: %r" % value)
        return (y, mo, d, h, mi, s, nanos(m.group(7)))
    if kind == "time-local":
        m = TIME.match(value)
        if not m:
            raise ValueError("not a time: %r" % value)
        return tuple(int(x) for x in m.groups()[:3]) + (nanos(m.group(4)),)
    return value

def is_leaf(x):
    return isinstance(x, dict) and set(x) == {"type", "value"} and isinstance(x["type"], str) and isinstance(x["value"], str)

def compare(expected, actual, path):
    """None when equal, else the first difference."""
    where = path or "(root)"
    if is_leaf(expected):
        if not is_leaf(actual):
            return "%s: expected a %s leaf, got %s" % (where, expected["type"], json.dumps(actual)[:80])
        if expected["type"] != actual["type"]:
            return "%s: expected type %s, got %s" % (where, expected["type"], actual["type"])
        try:
            same = leaf_key(expected["type"], expected["value"]) == leaf_key(actual["type"], actual["value"])
        except ValueError as e:
            return "%s: %s" % (where, e)
        if not same:
            return "%s: expected %s %r, got %r" % (where, expected["type"], expected["value"], actual["value"])
        return None
    if isinstance(expected, dict):
        if not isinstance(actual, dict) or is_leaf(actual):
            return "%s: expected a table, got %s" % (where, json.dumps(actual)[:80])
        if set(expected) != set(actual):
            return "%s: keys differ: missing %s, extra %s" % (where, sorted(set(expected) - set(actual)), sorted(set(actual) - set(expected)))
        for k in expected:
            d = compare(expected[k], actual[k], path + "." + k if path else k)
            if d:
                return d
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return "%s: expected an array, got %s" % (where, json.dumps(actual)[:80])
        if len(expected) != len(actual):
            return "%s: expected %d elements, got %d" % (where, len(expected), len(actual))
        for i, (e, a) in enumerate(zip(expected, actual)):
            d = compare(e, a, "%s[%d]" % (path, i))
            if d:
                return d
        return None
    return "%s: unexpected value in expected JSON: %r" % (where, expected)

def run(case):
    """None when the case passes, else why it failed."""
    with open(os.path.join(suite, case), "rb") as f:
        data = f.read()
    try:
        p = subprocess.run([decoder], input=data, capture_output=True, timeout=20)
    except subprocess.TimeoutExpired:
        return "timed out"
    stderr = p.stderr.decode("utf-8", "replace").strip()
    if case.startswith("invalid/"):
        if p.returncode == 1:
            return None
        if p.returncode == 0:
            return "accepted invalid input"
        return "exit status %d (crash?): %s" % (p.returncode, stderr[:200])
    if p.returncode != 0:
        return "exit status %d: %s" % (p.returncode, stderr[:200])
    try:
        actual = json.loads(p.stdout)
    except ValueError as e:
        return "output is not JSON: %s" % e
    with open(os.path.join(suite, case[:-len(".toml")] + ".json")) as f:
        expected = json.load(f)
    return compare(expected, actual, "")

with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
    results = list(pool.map(run, cases))
failed = 0
for case, failure in zip(cases, results):
    if failure:
        failed += 1
        print("FAIL %s: %s" % (case, failure))
print("%d passed, %d failed" % (len(cases) - failed, failed))
sys.exit(1 if failed else 0)
PY

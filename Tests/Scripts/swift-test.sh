#!/usr/bin/env bash
# Runs `swift test --skip-build "$@"`, its whole output shown as it comes and kept in
# .build/test-output.log; when it fails, ends with a short list of what failed (each failed test
# and its first recorded issues, cut to one line each), so that the last twenty lines of a CI log
# say which test failed and where, not only that some did.
set -uo pipefail
cd "$(dirname "$0")/../.."
log=.build/test-output.log
mkdir -p .build
"${SWIFT:-swift}" test --skip-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
    echo
    echo "swift test failed (exit $status); whole output: $log. What failed:"
    # Swift Testing prints `✘ Test "NAME" recorded an issue at FILE:LINE:COL: WHAT` and `✘ Test
    # "NAME" ... failed after ...`; XCTest `FILE:LINE: error: -[SUITE TEST] : WHAT`. Shown as
    # `FILE:LINE:COL: WHAT (NAME)`, at most 3 issues a test and 16 lines, each cut to 200 characters.
    awk '
        /^✘ Test ".*" recorded an issue at / {
            name = $0; sub(/^✘ Test "/, "", name); sub(/" recorded an issue at .*/, "", name)
            rest = $0; sub(/^.*" recorded an issue at /, "", rest)
            if (++seen[name] <= 3) print rest "  (" substr(name, 1, 60) ")"
            next
        }
        /^✘ Test ".*" .*failed after / && !/^✘ Test run with/ {
            name = $0; sub(/^✘ Test "/, "", name); sub(/" .*failed after .*/, "", name)
            if (!(name in seen)) print "failed: " name
            next
        }
        /: error: -\[/ { print }
    ' "$log" | cut -c1-200 | head -n 16
fi
exit "$status"

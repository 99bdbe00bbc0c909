#!/bin/sh
# Runs each cmocka test binary given, shows its output, and closes with one
# line totalling the tests of all suites: "tests: N passed, N failed".
# Exits non-zero if any suite failed or crashed.
passed=0; failed=0; status=0
log=$(mktemp) || exit 1
for t in "$@"; do
    "$t" >"$log" 2>&1
    rc=$?
    cat "$log"
    p=$(sed -n 's/^.*\[  PASSED  \] \([0-9][0-9]*\) test.*$/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^.*\[  FAILED  \] \([0-9][0-9]*\) test.*$/\1/p' "$log" | tail -n 1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    if [ "$rc" != 0 ]; then
        status=1
        # a crash before cmocka's summary still counts as a failure
        [ -z "$f" ] && failed=$((failed + 1)) && echo "$t: exited with $rc"
    fi
done
rm -f "$log"
echo "tests: $passed passed, $failed failed"
exit $status

#!/bin/sh
# tests/e2e_size.sh — the largest models the scene man page documents, in
# the real binary under tmux (the harness of tests/e2e.sh): each opens,
# shows its NTK spectrum and says on how many probes, steps, and leaves
# on q and on Ctrl-C.  Before the spectrum was bounded, diagnet
# d = r = 4096 took minutes to show a first frame (issue 8, item 9), and
# the waits here would give up.
#
#   sh tests/e2e_size.sh ./build/sgdscope
#
# Prints one line per check and closes with "e2e-size: N passed, M
# failed"; exits non-zero on any failure.  Every wait polls a condition
# with a generous bound (a loaded machine is slow, never wrong); no check
# measures time.

BIN=${1:-./build/sgdscope}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
SCENES=$PWD/scenes
SOCK=sgdscope-e2e-size-$$
POLL_TRIES=300         # × 0.1 s: 30 s at most per wait
unset TMUX

WORK=$(mktemp -d) || exit 1
. "$(dirname "$0")/harness-e2e.sh"

# start_app SESSION ARGS: the app in a 120×40 pane of its own, in WORK.
# The pane's shell traps SIGINT (the app dies of a Ctrl-C, and a shell
# waiting on it would otherwise die too before reporting its status).
start_app() {
    f=$(status_file "$1")
    tm new-session -d -s "$1" -x 120 -y 40 -c "$WORK" \
        "trap : INT; env LANG=C.UTF-8 LC_ALL= SGDSCOPE_SCENES='$SCENES' '$BIN' $2; echo \$? >'$f.tmp' && mv '$f.tmp' '$f'" \; \
        set-option -w -t "$1" remain-on-exit on
}

# check NAME SESSION ARGS PROBES KEY STATUS: opens with the capped
# spectrum's title, takes steps, and KEY ends it with STATUS.
check() {
    start_app "$2" "$3"
    if wait_for "$2" "on 512 of $4 probes|512/$4 probes"; then
        ok "$1 opens and the spectrum says it is on 512 of $4 probes"
    else
        bad "$1 opens and the spectrum says it is on 512 of $4 probes" \
            "$(screen "$2")"
        return
    fi
    s0=$(step_of "$2")
    s1=$(wait_change "$2" step_of "$s0")
    if [ -n "$s0" ] && [ "$s1" != "$s0" ]; then
        ok "$1 steps (step $s0 -> $s1)"
    else
        bad "$1 steps" "$(screen "$2")"
    fi
    tm send-keys -t "$2" "$5"
    if poll has_exited "$2" && [ "$(exit_status "$2")" = "$6" ]; then
        ok "$1 leaves on $5 (exit $6)"
    else
        bad "$1 leaves on $5 (exit $6, got '$(exit_status "$2")')" \
            "$(screen "$2")"
    fi
}

check "diagnet d=r=4096 n=1000" d \
    "--set model=diagnet --set d=4096 --set r=4096 --set n=1000 --set eta=0.01" \
    8192 q 0
check "relu1d m=4096" r "--set model=relu1d --set m=4096 --set eta=1e-6" 12288 \
    C-c 130

echo "e2e-size: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/bin/sh
# tests/e2e_compare.sh — a comparison in the real binary under tmux (the
# shared harness, tests/harness-e2e.sh): fig2-compare opens at 100x30 and
# at 120x40, Tab moves the focus (the status line then shows the focused
# run's η), f forks the focused run, `*` then d decays every run (read
# back from the status line run by run and from the `e` export), c
# toggles the comparison table, q quits with status 0.
#
#   sh tests/e2e_compare.sh ./build/sgdscope
#
# Prints one line per check and closes with "e2e-compare: N passed, M
# failed"; exits non-zero on any failure.  Every wait polls a condition
# with a generous bound (a loaded machine is slow, never wrong); nothing
# sleeps for a fixed time.

BIN=${1:-./build/sgdscope}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
SCENES=$PWD/scenes
SOCK=sgdscope-e2e-compare-$$
POLL_TRIES=300         # × 0.1 s: 30 s at most per wait
unset TMUX

WORK=$(mktemp -d) || exit 1
. "$(dirname "$0")/harness-e2e.sh"

# start_app SESSION COLS ROWS ARGS: the app in a pane of its own, in a
# directory of its own (the export lands there).  The pane's shell traps
# SIGINT (the app dies of a Ctrl-C, and a shell waiting on it would
# otherwise die too before reporting its status).
start_app() {
    f=$(status_file "$1")
    mkdir -p "$WORK/$1"
    tm new-session -d -s "$1" -x "$2" -y "$3" -c "$WORK/$1" \
        "trap : INT; env LANG=C.UTF-8 LC_ALL= SGDSCOPE_SCENES='$SCENES' '$BIN' $4; echo \$? >'$f.tmp' && mv '$f.tmp' '$f'" \; \
        set-option -w -t "$1" remain-on-exit on
}

if ! command -v tmux >/dev/null 2>&1; then
    bad "tmux is not installed"
    echo "e2e-compare: $pass passed, $fail failed"
    exit 1
fi

# focus_eta SESSION NAME I N: presses Tab, waits until the message says
# NAME (run I of N) has the focus, and prints the η of the status line
# (the focused run's).  Each Tab names another run, so the wait cannot be
# met by the message of the Tab before.
focus_eta() {
    tm send-keys -t "$1" Tab
    wait_for "$1" "focus: $2 \\($3/$4\\)" && eta_of "$1"
}

RUNS="small decay10 decay30 decay50 decay10-f1"

check_size() { # SESSION COLS ROWS
    s=$1
    w="$2x$3"
    start_app "$s" "$2" "$3" "fig2-compare"
    if wait_for "$s" "step [0-9]+/100001" && shows "$s" "Fig. 2"; then
        ok "$w fig2-compare opens: $(status "$s" | sed 's/  */ /g')"
    else
        bad "$w fig2-compare opens" "$(why "$s")"
        return
    fi
    # the first run has the focus: small, η = 0.25
    e0=$(eta_of "$s")
    tm send-keys -t "$s" Space
    wait_for "$s" "$PAUSED_RE" >/dev/null
    tm send-keys -t "$s" Tab
    if wait_for "$s" "focus: decay10 \\(2/4\\)"; then
        e1=$(eta_of "$s")
        if [ "$e0" = "0.25" ] && [ "$e1" = "0.27" ]; then
            ok "$w Tab moves the focus to decay10: the status line's η $e0 -> $e1"
        else
            bad "$w Tab: the status line's η '$e0' -> '$e1'" "$(status "$s")"
        fi
    else
        bad "$w Tab moves the focus to decay10" "$(screen "$s")"
    fi
    tm send-keys -t "$s" BTab
    if wait_for "$s" "focus: small \\(1/4\\)" && [ "$(eta_of "$s")" = "0.25" ]; then
        ok "$w Shift-Tab moves it back to small"
    else
        bad "$w Shift-Tab moves it back to small" "$(screen "$s")"
    fi
    tm send-keys -t "$s" Tab
    wait_for "$s" "focus: decay10 " >/dev/null

    # f: a fork of decay10, focused
    tm send-keys -t "$s" -l 'f'
    if wait_for "$s" "forked decay10 at step [0-9]+: decay10-f1 has"; then
        ok "$w f forks the focused run: $(screen "$s" | grep -o 'forked.*focus')"
    else
        bad "$w f forks the focused run" "$(screen "$s")"
    fi

    # η of every run, then * d, then again
    before=""
    i=1
    for r in $RUNS; do
        before="$before $(focus_eta "$s" "$r" $i 5)"
        i=$((i + 1))
    done
    tm send-keys -t "$s" -l '*'
    wait_for "$s" "\\* all runs" >/dev/null
    tm send-keys -t "$s" -l 'd'
    if wait_for "$s" "decay now on all 5 runs"; then
        ok "$w * then d: decay now on all 5 runs"
    else
        bad "$w * then d decays all runs" "$(screen "$s")"
    fi
    after=""
    i=1
    for r in $RUNS; do
        after="$after $(focus_eta "$s" "$r" $i 5)"
        i=$((i + 1))
    done
    set -- $before
    lower=0
    for e in $after; do
        [ -n "$1" ] && float_lt "$e" "$1" && lower=$((lower + 1))
        shift
    done
    if [ $lower -eq 5 ]; then
        ok "$w every run's η fell (status line, run by run):$before ->$after"
    else
        bad "$w every run's η fell:$before ->$after" "$(screen "$s")"
    fi

    # the export: every run in long format, the η after the decay below
    # the one before (one step evaluates every run after the decay)
    tm send-keys -t "$s" -l '.'
    tm send-keys -t "$s" -l 'e'
    if wait_for "$s" "history written to fig2-compare-seed1-step[0-9]+\\.csv"; then
        csv=$(ls "$WORK/$s"/fig2-compare-seed1-step*.csv 2>/dev/null | head -n 1)
        fell=$(awk -F, 'NR > 1 { prev[$1] = last[$1]; last[$1] = $3 }
            END { n = 0; for (r in last) if (last[r] + 0 < prev[r] + 0) n++
                  print n }' "$csv")
        runs=$(awk -F, 'NR > 1 { print $1 }' "$csv" | LC_ALL=C sort -u |
               tr '\n' ' ')
        if [ "$fell" = 5 ] && [ "$runs" = "decay10 decay10-f1 decay30 decay50 small " ]; then
            ok "$w e exports every run with a run column; η fell in all 5"
        else
            bad "$w e exports every run (runs: $runs; η fell in $fell)" \
                "$(tail -n 12 "$csv")"
        fi
    else
        bad "$w e exports the history" "$(screen "$s")"
    fi

    # c: the comparison table
    tm send-keys -t "$s" -l 'c'
    if wait_for "$s" "comparison table: c hides it"; then
        tm send-keys -t "$s" -l 'c'
        if wait_for "$s" "comparison table hidden"; then
            ok "$w c shows and hides the comparison table"
        else
            bad "$w c hides the table" "$(screen "$s")"
        fi
    else
        bad "$w c shows the table" "$(screen "$s")"
    fi

    tm send-keys -t "$s" -l 'q'
    if poll has_exited "$s" && [ "$(exit_status "$s")" = 0 ]; then
        ok "$w q quits with status 0"
    else
        bad "$w q quits with status 0 (got '$(exit_status "$s")')" \
            "$(screen "$s")"
    fi
}

check_size a 100 30
check_size b 120 40

echo "e2e-compare: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

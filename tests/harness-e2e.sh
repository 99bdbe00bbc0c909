# tests/harness-e2e.sh — what the end-to-end scripts share (sourced, not
# run: its name is outside the tests/e2e*.sh glob the Makefile runs).
# The sourcing script sets SOCK (a private tmux server), WORK (a private
# directory, removed on the way out) and POLL_TRIES (× 0.1 s per wait)
# first.  Every wait polls a condition and returns as soon as it holds.

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() {
    fail=$((fail + 1))
    echo "FAIL $1"
    [ -n "$2" ] && printf '%s\n' "$2" | sed 's/^/     | /'
}

tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
# kill-server leaves the socket file behind: remove it too.
cleanup() {
    tm kill-server >/dev/null 2>&1
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

# keep_server: a session that outlives the script's own, for a script that
# kills a session and then starts another: when the last session goes the
# server exits, and a new-session racing that exit fails with "server
# exited unexpectedly" (seen in CI between two sizes of e2e_surface).  The
# server then lives until cleanup kills it.  Only for such scripts: with
# it, a -t naming a session that is gone falls back to this one instead of
# failing.
keep_server() { tm new-session -d -s _harness_keep "exec sleep 86400"; }

screen() { tm capture-pane -p -t "$1" 2>/dev/null; }
# why SESSION: the screen, and when it is blank, what tmux knows of the
# pane (so a failure that shows nothing still says something)
why() {
    out=$(screen "$1")
    if [ -n "$(printf '%s' "$out" | tr -d ' \n')" ]; then
        printf '%s\n' "$out"
    else
        echo "(a blank pane) $(tm list-panes -t "$1" -F 'dead=#{pane_dead} status=#{pane_dead_status} pid=#{pane_pid} cmd=#{pane_current_command}' 2>&1)"
        echo "exit status file: '$(exit_status "$1")'"
    fi
}

# poll CMD...: runs CMD every 0.1 s until it succeeds (or gives up).
poll() {
    i=0
    while [ $i -lt $POLL_TRIES ]; do
        "$@" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

shows() { screen "$1" | grep -Eq -- "$2"; }
hides() { ! screen "$1" | grep -Eq -- "$2"; }
# wait_for SESSION EXTENDED-REGEX: until a line of the pane matches.
wait_for() { poll shows "$1" "$2"; }
# wait_gone SESSION EXTENDED-REGEX: until no line matches.
wait_gone() { poll hides "$1" "$2"; }

# The status line is the last line naming both the step size and the step
# count; eta_of/step_of read the numbers off it.
NUM='[0-9][0-9.]*([eE][-+]?[0-9]+)?'
STATUS_RE="(η|eta)[ =:]*$NUM.*step[s]?[ =:]*[0-9]|step[s]?[ =:]*[0-9].*(η|eta)[ =:]*$NUM"
PAUSED_RE="paused.*($STATUS_RE)|($STATUS_RE).*paused"
status() { screen "$1" | grep -E -- "$STATUS_RE" | tail -n 1; }
eta_of() {
    status "$1" | grep -Eo -- "(η|eta)[ =:]*$NUM" | head -n 1 |
        sed 's/^[^0-9]*//'
}
step_of() {
    status "$1" | grep -Eo -- 'step[s]?[ =:]*[0-9]+' | head -n 1 |
        sed 's/^[^0-9]*//'
}

# wait_change SESSION FUNC OLD: polls until FUNC SESSION differs from OLD;
# prints the new value.
changed() { v=$($2 "$1"); [ -n "$v" ] && [ "$v" != "$3" ]; }
wait_change() {
    if poll changed "$1" "$2" "$3"; then echo "$v"; else echo "$3"; fi
}

# float_lt A B: A < B (awk, for numbers like 1.1 or 9.5e-2).
float_lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }

# An app's exit status goes to $WORK/SESSION.status once it has exited
# (the pane's command writes it, through a rename: never read half
# written).  Not #{pane_dead_status}: tmux 3.3a marks a pane dead when its
# pty closes, and when that comes before the child is reaped the status
# is never filled in (about one exit in three here; tmux/tmux#4841).
status_file() { echo "$WORK/$1.status"; }
has_exited() { [ -s "$(status_file "$1")" ]; }
wait_exit() { poll has_exited "$1"; }
exit_status() { cat "$(status_file "$1")" 2>/dev/null; }

#!/bin/sh
# tests/e2e_keys.sh — the keys users bring from other programs, the `:`
# prompt, the scene picker and a paced lesson, on the real binary in tmux
# (the harness of tests/e2e.sh: a private server, bounded polls).
#
#   sh tests/e2e_keys.sh ./build/sgdscope
#
# Prints one line per check and closes with "e2e-keys: N passed, M
# failed"; exits non-zero on any failure.  Every wait polls for a
# condition with a bound; the private tmux server is killed on the way
# out, whatever happens.

BIN=${1:-./build/sgdscope}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
SCENES=$PWD/scenes
SOCK=sgdscope-e2e-keys-$$
POLL_TRIES=300         # × 0.1 s: 30 s at most per wait
unset TMUX

WORK=$(mktemp -d) || exit 1
. "$(dirname "$0")/harness-e2e.sh"

# holds SESSION FUNC N: FUNC gives the same non-empty value over N polls
# (a run that must not move); prints it.
holds() {
    v0=$($2 "$1")
    i=0
    while [ $i -lt "$3" ]; do
        sleep 0.1
        v=$($2 "$1")
        if [ -z "$v0" ] || [ "$v" != "$v0" ]; then
            echo "$v0 -> $v"
            return 1
        fi
        i=$((i + 1))
    done
    echo "$v0"
    return 0
}


start_app() { # SESSION COLS ROWS SCENE
    tm new-session -d -s "$1" -x "$2" -y "$3" -c "$WORK" \
        "env LANG=C.UTF-8 LC_ALL= SGDSCOPE_SCENES='$SCENES' '$BIN' $4; echo SGDSCOPE-EXITED-\$?; sleep 30"
}

# ---- --list outside the repository (no tmux needed) ---------------------------
out=$(cd "$WORK" && env -u SGDSCOPE_SCENES "$BIN" --list 2>&1)
rc=$?
if [ $rc -eq 1 ]; then
    if printf '%s\n' "$out" | grep -q 'looked in' &&
        printf '%s\n' "$out" | grep -q 'SGDSCOPE_SCENES' &&
        printf '%s\n' "$out" | grep -q 'share/sgdscope/scenes'; then
        ok "1 --list outside the repository says where it looked and how to point elsewhere"
    else
        bad "1 --list outside the repository says where it looked" "$out"
    fi
elif [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q '^tour '; then
    ok "1 --list outside the repository finds the installed scenes"
else
    bad "1 --list outside the repository (rc $rc)" "$out"
fi

mkdir -p "$WORK/extra"
printf 'title = "An extra scene"\nmodel = quad1d\n' >"$WORK/extra/zz-extra.scene"
out=$(cd "$WORK" && SGDSCOPE_SCENES="$WORK/extra:$SCENES" "$BIN" --list 2>&1)
if printf '%s\n' "$out" | grep -q '^zz-extra  *An extra scene' &&
    printf '%s\n' "$out" | grep -q '^tour '; then
    ok "2 SGDSCOPE_SCENES adds directories to the shipped scenes in --list"
else
    bad "2 SGDSCOPE_SCENES adds directories to the shipped scenes" "$out"
fi

if ! command -v tmux >/dev/null 2>&1; then
    bad "3- tmux is not installed"
    echo "e2e-keys: $pass passed, $fail failed"
    exit 1
fi

# ---- help: F1 / ? open, Esc / q / ? close, the run waits behind it -------------
# 44 rows: the help's one column of keys (29 since issue 9 added the
# comparison keys) and its notes reach the status line at 40 rows, which
# these checks read (the view is to prefer two columns there).
start_app h 120 44 "'$SCENES/prop2-quad.scene'"
if wait_for h "$STATUS_RE"; then
    tm send-keys -t h F1
    if wait_for h 'sgdscope keys'; then
        if s=$(holds h step_of 10); then
            ok "3 F1 opens the help and the run waits behind it (step $s)"
        else
            bad "3 the run waits behind the help (step $s)" "$(screen h)"
        fi
    else
        bad "3 F1 opens the help" "$(screen h)"
    fi
    if screen h | grep -q 'Up, =' && screen h | grep -q 'also F10'; then
        ok "4 the help lists the arrows and F keys with their actions"
    else
        bad "4 the help lists the arrows and F keys" "$(screen h)"
    fi
    if screen h | grep -q 'online (n = 0'; then
        ok "5 the help says why o skips label-noise GD and the SDE on quad1d"
    else
        bad "5 the help says why o skips label-noise GD and the SDE" "$(screen h)"
    fi
    tm send-keys -t h -l 'q'
    if wait_gone h 'sgdscope keys' && ! screen h | grep -q 'SGDSCOPE-EXITED'; then
        s0=$(step_of h)
        s1=$(wait_change h step_of "$s0")
        if [ "$s1" != "$s0" ]; then
            ok "6 q in the help closes it without quitting; the run goes on ($s0 -> $s1)"
        else
            bad "6 the run goes on after the help" "$(status h)"
        fi
    else
        bad "6 q in the help closes it without quitting" "$(screen h)"
    fi
    tm send-keys -t h -l '?'
    wait_for h 'sgdscope keys' >/dev/null
    tm send-keys -t h Escape
    if wait_gone h 'sgdscope keys'; then
        ok "7 Esc closes the help"
    else
        bad "7 Esc closes the help" "$(screen h)"
    fi

    # ---- arrows and fine steps ----------------------------------------------
    e0=$(eta_of h)
    tm send-keys -t h Up
    e1=$(wait_change h eta_of "$e0")
    if float_lt "$e0" "$e1"; then
        ok "8 Up raises eta: $e0 -> $e1"
    else
        bad "8 Up raises eta: '$e0' -> '$e1'" "$(status h)"
    fi
    tm send-keys -t h Down
    e2=$(wait_change h eta_of "$e1")
    tm send-keys -t h -l ']'
    e3=$(wait_change h eta_of "$e2")
    # the status line rounds eta to three digits: 1.1 -> 1.11
    if float_lt "$e2" "$e3" &&
        float_lt "$e3" "$(awk -v a="$e2" 'BEGIN { print a * 1.015 }')"; then
        ok "9 ] raises eta by 1%: $e2 -> $e3"
    else
        bad "9 ] raises eta by 1%: '$e2' -> '$e3'" "$(status h)"
    fi

    # ---- the : prompt -----------------------------------------------------------
    tm send-keys -t h -l ':'
    if wait_for h '^:.*Enter runs'; then
        tm send-keys -t h -l 'eta 1.12'
        tm send-keys -t h Enter
        e4=$(wait_change h eta_of "$e3")
        if [ "$e4" = "1.12" ]; then
            ok "10 ':eta 1.12' sets eta (1.12 inside Proposition 2's interval)"
        else
            bad "10 ':eta 1.12' sets eta: '$e3' -> '$e4'" "$(screen h)"
        fi
    else
        bad "10 ':' opens a prompt on the bottom line" "$(screen h)"
    fi
    tm send-keys -t h -l ':eta abc'
    tm send-keys -t h Enter
    if wait_for h "eta needs a number > 0, got 'abc'" && wait_for h "$STATUS_RE"; then
        ok "11 bad input at the prompt says what is wrong"
    else
        bad "11 bad input at the prompt says what is wrong" "$(screen h)"
    fi
    tm send-keys -t h -l ':eta 5'
    tm send-keys -t h Escape
    if wait_gone h '^:eta 5' && [ "$(eta_of h)" = "1.12" ]; then
        ok "12 Esc cancels the prompt"
    else
        bad "12 Esc cancels the prompt" "$(screen h)"
    fi
    tm send-keys -t h -l ':goto 1500'
    tm send-keys -t h Enter
    POLL_TRIES=150
    if wait_for h 'at step 1500'; then
        ok "13 ':goto 1500' runs to the step and says so"
    else
        bad "13 ':goto 1500' runs to the step" "$(screen h)"
    fi
    POLL_TRIES=300

    # ---- o on the online quad1d says why ------------------------------------------
    tm send-keys -t h -l 'o'
    wait_for h 'dynamics: GD' >/dev/null
    tm send-keys -t h -l 'o'
    if wait_for h 'skipped label-noise GD, SDE'; then
        ok "14 o on quad1d says why label-noise GD and the SDE are skipped"
    else
        bad "14 o on quad1d says why it skips" "$(screen h)"
    fi

    # ---- scenes: picker, m, M ------------------------------------------------------
    tm send-keys -t h -l 'p'
    if wait_for h 'Scenes .*Enter opens' && wait_for h 'Proposition|Fig'; then
        ok "15 p lists the scenes with their titles"
        tm send-keys -t h Down
        tm send-keys -t h Enter
        if wait_gone h 'Scenes .*Enter opens' && wait_for h 'scene [0-9]+/[0-9]+: '; then
            ok "16 Down, Enter opens the next scene of the list ($(screen h | grep -Eo 'scene [0-9]+/[0-9]+: [a-z0-9-]+'))"
        else
            bad "16 Enter in the picker opens a scene" "$(screen h)"
        fi
    else
        bad "15 p lists the scenes with their titles" "$(screen h)"
    fi
    tm send-keys -t h -l 'M'
    if wait_for h 'scene [0-9]+/[0-9]+: prop2-quad( |$)'; then
        ok "17 M goes back to the previous scene"
    else
        bad "17 M goes back to the previous scene" "$(screen h)"
    fi
    tm send-keys -t h -l 'm'
    if wait_for h 'scene [0-9]+/[0-9]+: prop2-quad-above'; then
        ok "18 m goes to the next scene in the order of --list"
    else
        bad "18 m goes to the next scene in the order of --list" "$(screen h)"
    fi
    tm send-keys -t h F10
    if wait_for h '^SGDSCOPE-EXITED-0$'; then
        ok "19 F10 quits"
    else
        bad "19 F10 quits" "$(screen h)"
    fi
else
    bad "3-19 the app did not start" "$(screen h)"
fi

# ---- a lesson at its own pace, at 80x24 -----------------------------------------
start_app l 80 24 tour
if wait_for l 'SGD, batch 1, a large step.*\[any key\]' && wait_for l 'paused'; then
    if s=$(holds l step_of 10); then
        ok "20 the tour opens on a caption that waits for a key (step $s)"
    else
        bad "20 the tour waits for a key" "$(status l)"
    fi
    # the caption is a subtitle: the top rows (the valley panel) stay clear
    if screen l | head -n 12 | grep -q 'SGD, batch 1'; then
        bad "21 the caption leaves the valley panel alone" "$(screen l)"
    else
        ok "21 the caption sits in the bottom rows, off the valley panel"
    fi
    tm send-keys -t l Enter
    if wait_gone l '\[any key\]' && wait_for l 'The loss stops falling'; then
        ok "22 any key moves the lesson on to its next caption"
    else
        bad "22 any key moves the lesson on" "$(screen l)"
    fi
    # a caption in seconds holds the next event: still up after 3 s, and
    # the run keeps moving (slower) under it rather than freezing
    s0=$(step_of l)
    POLL_TRIES=30
    if ! wait_gone l 'The loss stops falling'; then
        s1=$(step_of l)
        if [ -n "$s0" ] && [ "$s1" != "$s0" ] && [ "$s1" -lt 5000 ] 2>/dev/null; then
            ok "23 a caption in seconds stays up while it is read; the run moves under it ($s0 -> $s1)"
        else
            bad "23 the run moves under a caption, short of the next event ($s0 -> $s1)" "$(status l)"
        fi
    else
        bad "23 a caption in seconds stays up while it is read" "$(screen l)"
    fi
    POLL_TRIES=300
else
    bad "20 the tour opens on a caption that waits for a key" "$(screen l)"
fi
tm send-keys -t l -l 'q'

echo "e2e-keys: $pass passed, $fail failed"
[ $fail -eq 0 ]

#!/bin/sh
# tests/e2e_text.sh — the terminal the interactive view needs, and scene
# text that must not drive it (issue 8, items 7 and 10), on the real
# binary in tmux (the harness of tests/e2e.sh: a private server, bounded
# polls).
#
#   sh tests/e2e_text.sh ./build/sgdscope
#
# Prints one line per check and closes with "e2e-text: N passed, M
# failed"; exits non-zero on any failure.

BIN=${1:-./build/sgdscope}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
SOCK=sgdscope-e2e-text-$$
POLL_TRIES=300         # × 0.1 s: 30 s at most per wait
unset TMUX

WORK=$(mktemp -d) || exit 1
. "$(dirname "$0")/harness-e2e.sh"

if ! command -v tmux >/dev/null 2>&1; then
    bad "tmux is not installed"
    echo "e2e-text: $pass passed, $fail failed"
    exit 1
fi


# start_env SESSION ENV-ARGS APP-ARGS: the app in a pane of its own under
# `env ENV-ARGS`, its exit status written to a file once it exits.  The
# pane's shell then waits (killed with the server), not remain-on-exit:
# tmux may drop the last output of a pane whose process exits at once.
start_env() {
    f=$(status_file "$1")
    tm new-session -d -s "$1" -x 120 -y 40 -c "$WORK" \
        "env $2 LANG=C.UTF-8 LC_ALL= SGDSCOPE_SCENES='$WORK/scenes' '$BIN' $3; echo \$? >'$f.tmp' && mv '$f.tmp' '$f'; sleep 120"
}

# A scene with C1 CSI (U+009B) and a bidi override in its title and
# caption, and a file name with an OSC title sequence and a BEL, in a
# private scene directory.
mkdir "$WORK/scenes"
printf 'title = "T\302\2332J \342\200\256evil"\nsteps = 100000\nat 0: caption key "cap\302\2331m here"\n' \
    >"$WORK/scenes/c1.scene"
cp "$PWD/scenes/prop2-quad.scene" "$WORK/scenes/$(printf 'esc\033]0;PWN\007name').scene"

# ---- 1 TERM=dumb: refused, exit 2, nothing garbled --------------------------
start_env d "TERM=dumb" "'$WORK/scenes/c1.scene'"
if wait_exit d && [ "$(exit_status d)" = 2 ] &&
    wait_for d "terminal type 'dumb' cannot move the cursor"; then
    ok "1 TERM=dumb: exit 2 with a message"
else
    bad "1 TERM=dumb: exit 2 with a message (got '$(exit_status d)')" \
        "$(screen d)"
fi

# ---- 2 TERM unset: exit 2 ---------------------------------------------------
start_env u "-u TERM" "'$WORK/scenes/c1.scene'"
if wait_exit u && [ "$(exit_status u)" = 2 ] && wait_for u "TERM is not set"; then
    ok "2 TERM unset: exit 2 with a message"
else
    bad "2 TERM unset: exit 2 with a message (got '$(exit_status u)')" \
        "$(screen u)"
fi

# ---- 3 an unknown terminal type: exit 2, and a refused recording leaves
#       no file ----------------------------------------------------------------
start_env n "TERM=no-such-terminal" "--record '$WORK/n.cast' '$WORK/scenes/c1.scene'"
if wait_exit n && [ "$(exit_status n)" = 2 ] &&
    wait_for n "unknown terminal type 'no-such-terminal'" &&
    [ -z "$(ls "$WORK" | grep 'n\.cast')" ]; then
    ok "3 unknown TERM: exit 2, no recording left"
else
    bad "3 unknown TERM: exit 2, no recording left (got '$(exit_status n)')" \
        "$(screen n; ls "$WORK")"
fi

# ---- 4 the title bar and the caption show the escapes -----------------------
start_env t "" "'$WORK/scenes/c1.scene'"
if wait_for t 'T\\u009b2J \\u202eevil' && wait_for t 'cap\\u009b1m here'; then
    ok "4 title and caption shown escaped: $(screen t | head -n 1 | sed 's/  */ /g')"
else
    bad "4 title and caption shown escaped" "$(screen t)"
fi

# ---- 5 the picker shows the hostile file name escaped -----------------------
tm send-keys -t t -l 'x'     # the caption waits for a key
tm send-keys -t t -l 'p'
if wait_for t 'esc\\e\]0;PWN\\aname'; then
    ok "5 the picker shows the file name escaped"
else
    bad "5 the picker shows the file name escaped" "$(screen t)"
fi
# the pane's title was not changed by the name's OSC sequence
title=$(tm display-message -p -t t '#{pane_title}')
if [ "$title" != "PWN" ]; then
    ok "5b the pane title is not set by the scene's file name"
else
    bad "5b the pane title was set by the scene's file name" "$title"
fi
tm send-keys -t t Escape
tm send-keys -t t -l 'q'
if wait_exit t && [ "$(exit_status t)" = 0 ]; then
    ok "6 q quits with status 0"
else
    bad "6 q quits with status 0" "$(screen t)"
fi

echo "e2e-text: $pass passed, $fail failed"
[ $fail -eq 0 ]

#!/bin/sh
# tests/e2e_map.sh — the stability map screen (key S) on the real binary
# in tmux (issue 12):
#
#   - S runs a sweep of the run around its η in the background and draws
#     it as it fills in: the divergence bars and their edge, the heat map,
#     this run's η marked;
#   - a cell's numbers are the headless run's (`--set eta=V --seed S`);
#   - Enter opens that run, which ends as the headless run ends, and S
#     comes back to the same map with the mark on the new run;
#   - the app keeps stepping and reading keys while the sweep runs;
#   - Tab changes the metric, z zooms, the ASCII tier is pure ASCII;
#   - q and Ctrl-C leave no process of the sweep behind.
#
#   sh tests/e2e_map.sh ./build/sgdscope

BIN=${1:-./build/sgdscope}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
SCENES=$PWD/scenes
SOCK=sgdscope-e2e-map-$$
POLL_TRIES=1200
unset TMUX
export SGDSCOPE_SCENES="$SCENES"
WORK=$(mktemp -d) || exit 1
. "$(dirname "$0")/harness-e2e.sh"

# A small diagonal net whose edge lies inside the map's default range
# (η from 0.2 to 0.6 around its 0.4): 11 × 5 runs of 1500 steps.
cat >"$WORK/tiny.scene" <<'EOF'
title = "A small diagonal net for the map"
model = diagnet
n = 20
d = 30
r = 3
eta = 0.4
steps = 1500
every = 100
EOF
# a run that cannot end while the checks watch it step: 10^9 steps (3 M
# once ended first, while keys were slow to arrive), slowed down with <
# below so that its frames are light
sed 's/^steps = 1500/steps = 1000000000/' "$WORK/tiny.scene" >"$WORK/long.scene"

start_app() { # SESSION COLS ROWS SCENE [LANG]
    tm new-session -d -s "$1" -x "$2" -y "$3" -c "$WORK" \
        "trap : INT; env LANG=${5:-C.UTF-8} LC_ALL= SGDSCOPE_SCENES='$SCENES' '$BIN' $4; echo \$? >$WORK/$1.st.tmp; mv $WORK/$1.st.tmp $WORK/$1.status; sleep 30"
}
# the pane's line that starts with "η V, seed S:" (the cursor's cell)
detail() { screen "$1" | grep -E '^(η|eta) [0-9.]+, seed [0-9]+:' | tail -n 1; }
headless_verdict() { # ETA SEED
    "$BIN" --headless "$WORK/tiny.scene" --set eta="$1" --seed "$2" --summary |
        grep -o '"verdict":"[a-z]*"' | cut -d'"' -f4
}
# a process of the binary on that scene: the app, its sweep, its workers
# (not the tmux or shell command lines that name it)
left_over() { pgrep -f "^$BIN $1" >/dev/null 2>&1; }
none_left() { ! left_over "$1"; }

# ---- the map fills in, truthfully -------------------------------------------
start_app m 80 24 "$WORK/tiny.scene"
wait_for m 'step'
tm send-keys -t m S
wait_for m 'Stability map of tiny' && ok "S opens the stability map" ||
    bad "S does not open the map" "$(screen m)"
wait_for m 'all 55 runs done' && ok "the background sweep completes: 55 runs" ||
    bad "the sweep did not finish" "$(screen m)"
shows m 'η 0.2-0.6 × seeds 1-5' && ok "the header: η 0.2 to 0.6 × seeds 1-5" ||
    bad "header" "$(screen m)"
shows m '▲ this run: η 0.4, seed 1|this run: η 0.4, seed 1 ▲' &&
    ok "this run's η is marked" || bad "no mark of this run" "$(screen m)"
shows m 'edge η ≈ 0\.[0-9]+: half the seeds diverge|no edge yet|edge at or below' &&
    ok "the edge row says where half the seeds diverge" ||
    bad "no edge row" "$(screen m)"
shows m 'Esc back' && ok "the keys fit at 80x24" || bad "keys cut at 80x24" "$(screen m)"
# the cursor starts on this run's cell; its verdict is the headless one
d=$(detail m)
want=$(headless_verdict 0.4 1)
case $d in
"η 0.4, seed 1: $want"*) ok "cell (0.4, 1) says $want, as --headless does" ;;
*) bad "cell (0.4, 1): '$d', headless: $want" "$(screen m)" ;;
esac
tm send-keys -t m l l l j
wait_for m '^η 0.52, seed 2:'
d=$(detail m)
want=$(headless_verdict 0.52 2)
case $d in
"η 0.52, seed 2: $want"*) ok "cursor moves: cell (0.52, 2) says $want, as --headless does" ;;
*) bad "cell (0.52, 2): '$d', headless: $want" "$(screen m)" ;;
esac
# Tab: another metric
tm send-keys -t m Tab
wait_for m '^train loss at the end' && ok "Tab: the heat map shows the train loss" ||
    bad "Tab did not change the metric" "$(screen m)"
# Enter opens the cell's run; it ends as the headless run ends
tm send-keys -t m Enter
wait_for m "the map's run: η 0.52, seed 2" &&
    ok "Enter opens the cell's run (η 0.52, seed 2)" ||
    bad "Enter did not open the run" "$(screen m)"
tm send-keys -t m ':' 'goto 1500' Enter
wait_for m 'step 1500/1500'
st=$(status m)
case $st in
*"$want"*"η=0.52"*) ok "the opened run ends $want at η 0.52, as its cell said" ;;
*) bad "the opened run: '$st' (its cell: $want)" "$(screen m)" ;;
esac
tm send-keys -t m S
wait_for m 'this run: η 0.52, seed 2' && shows m 'all 55 runs done' &&
    ok "S comes back to the same map, the mark on the opened run" ||
    bad "S after Enter" "$(screen m)"
# z: the range halved around the cursor's η, swept again
tm send-keys -t m z
wait_for m 'η 0.42-0.62 × seeds 1-5' && ok "z zooms in around the cursor: η 0.42 to 0.62" ||
    bad "z did not zoom" "$(screen m)"
# :map with a grid of its own; a refused grid keeps the map it had
tm send-keys -t m Escape ':' 'map 0.3:0.5:3 2-3' Enter
wait_for m 'η 0.3-0.5 × seeds 2-3' && wait_for m 'all 6 runs done' &&
    ok ":map 0.3:0.5:3 2-3 sweeps its grid: 3 × 2 runs" ||
    bad ":map did not sweep its grid" "$(screen m)"
tm send-keys -t m Escape ':' 'map 0.5:0.3' Enter
wait_for m '0 < LO < HI' && tm send-keys -t m S &&
    wait_for m 'η 0.3-0.5 × seeds 2-3' && wait_for m 'all 6 runs done' &&
    ok ":map 0.5:0.3 is refused; S shows the map before it" ||
    bad ":map refusal" "$(screen m)"
# the largest grid, 820 runs: still running when q comes
tm send-keys -t m Escape ':' 'map 0.2:0.6:41 1-20' Enter
wait_for m 'running in the background: [0-9]+ of 820 runs'
tm send-keys -t m Escape q
wait_exit m
poll none_left "$WORK/tiny.scene" && ok "q while a sweep runs: no process left" ||
    bad "processes left after q" "$(pgrep -af "^$BIN")"

# ---- the app stays live while the sweep runs ---------------------------------
start_app b 100 30 "$WORK/long.scene"
wait_for b 'step'
# ×2097152 halved twenty times: ×2, about 60 steps/s
tm send-keys -t b '<' '<' '<' '<' '<' '<' '<' '<' '<' '<' \
    '<' '<' '<' '<' '<' '<' '<' '<' '<' '<'
wait_for b '×2 *$'
tm send-keys -t b S
wait_for b 'running in the background: [0-9]+ of 55'
tm send-keys -t b Escape
wait_for b 'the map goes on in the background' &&
    ok "Esc: the map goes on in the background" || bad "Esc from the map" "$(screen b)"
status b | grep -Eq 'map [0-9]+/55' &&
    ok "the status line shows the map's progress" ||
    bad "no map progress on the status line" "$(screen b)"
s0=$(step_of b)
s1=$(wait_change b step_of "$s0")
[ -n "$s0" ] && [ "$s1" != "$s0" ] && left_over "$WORK/long.scene" &&
    ok "the run steps ($s0 -> $s1) while the sweep runs" ||
    bad "the run did not step while the sweep ran ($s0 -> $s1)" "$(screen b)"
tm send-keys -t b '?'
wait_for b 'stability map' && ok "the help lists S" || bad "help without S" "$(screen b)"
tm send-keys -t b q
tm send-keys -t b C-c
wait_exit b
[ "$(exit_status b)" = 130 ] && ok "Ctrl-C quits with 130 while the sweep runs" ||
    bad "Ctrl-C: status $(exit_status b)" "$(screen b)"
poll none_left "$WORK/long.scene" && ok "Ctrl-C: no process of the sweep left" ||
    bad "processes left after Ctrl-C" "$(pgrep -af "$WORK/long.scene")"

# ---- ASCII ---------------------------------------------------------------------
start_app a 80 24 "$WORK/tiny.scene" C
wait_for a 'step'
tm send-keys -t a S
wait_for a 'eta 0.2-0.6 x seeds 1-5'
if screen a | LC_ALL=C grep -q '[^ -~]'; then
    bad "the ASCII map has non-ASCII characters" "$(screen a)"
else
    ok "the map in a non-UTF-8 locale is pure ASCII"
fi
tm send-keys -t a F10
wait_exit a
poll none_left "$WORK/tiny.scene" && ok "F10 from the map quits, nothing left" ||
    bad "F10 from the map" "$(pgrep -af "$WORK/tiny.scene")"

echo "e2e-map: $pass passed, $fail failed"
[ $fail = 0 ]

#!/bin/sh
# tests/e2e_surface.sh — the loss-surface panel (issue 11) in the real
# binary under tmux (the harness of tests/e2e.sh): fig3-surface and
# fig7-valley2d open on their surface at 80x24, 100x30 and 160x50 with
# the heat map's legend and the plane's coordinates, every run's iterate
# on it, the paths move as the runs step, v shows the valley and back,
# and a scene without a surface says so on v.
#
#   sh tests/e2e_surface.sh ./build/sgdscope
#
# Prints one line per check and closes with "e2e-surface: N passed, M
# failed"; exits non-zero on any failure.  Every wait polls a condition
# with a generous bound; no check measures time.

BIN=${1:-./build/sgdscope}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
SCENES=$PWD/scenes
SOCK=sgdscope-e2e-surface-$$
POLL_TRIES=300         # × 0.1 s: 30 s at most per wait
unset TMUX

WORK=$(mktemp -d) || exit 1
. "$(dirname "$0")/harness-e2e.sh"
# each size's session is killed before the next starts: the server stays
keep_server

# start_app SESSION W H ARGS: the app in a W×H pane of its own, in WORK.
start_app() {
    f=$(status_file "$1")
    tm new-session -d -s "$1" -x "$2" -y "$3" -c "$WORK" \
        "env LANG=C.UTF-8 LC_ALL= SGDSCOPE_SCENES='$SCENES' '$BIN' $4; echo \$? >'$f.tmp' && mv '$f.tmp' '$f'" \; \
        set-option -w -t "$1" remain-on-exit on
}

# The heat map's legend: "L <low> <ramp> <high>".
LEGEND='L [0-9.e-]+  \.:-=\+#% [0-9.e-]+'

for size in 80x24 100x30 160x50; do
    w=${size%x*} h=${size#*x}
    s=f3_$w
    start_app "$s" "$w" "$h" fig3-surface
    if wait_for "$s" "Loss surface" && shows "$s" "$LEGEND"; then
        ok "fig3-surface at $size: the surface and its log legend"
    else
        bad "fig3-surface at $size: the surface and its log legend" \
            "$(screen "$s")"
    fi
    if [ "$w" -ge 160 ]; then
        if shows "$s" "x: e1 \(w0 to w\*\)  y: e2" &&
           shows "$s" "runs drawn as \(\|u\|, \|v\|\)"; then
            ok "fig3-surface at $size: the coordinates and (|u|, |v|) in full"
        else
            bad "fig3-surface at $size: the coordinates and (|u|, |v|)" \
                "$(screen "$s")"
        fi
    fi
    tm kill-session -t "$s"
done

# The three runs' digits on the panel (its rows, its columns), and the
# paths change as the runs step.
start_app p 100 30 fig3-surface
# characters 3-50 of rows 4-14 (cut -c counts bytes, and a braille
# trail is 3 bytes a cell: sed in a UTF-8 locale counts characters)
panel() { screen "$1" | sed -n '4,14p' |
    LC_ALL=C.UTF-8 sed -E 's/^.{0,2}//; s/^(.{0,48}).*/\1/'; }
wait_for p "Loss surface"
p0=$(panel p)
if echo "$p0" | grep -q 1 && echo "$p0" | grep -q 2 && echo "$p0" | grep -q 3
then
    ok "fig3-surface: the three runs' iterates on the surface"
else
    bad "fig3-surface: the three runs' iterates on the surface" "$(screen p)"
fi
sleep 1
p1=$(panel p)
if [ "$p0" != "$p1" ]; then
    ok "fig3-surface: the paths move as the runs step"
else
    bad "fig3-surface: the paths move as the runs step" "$(screen p)"
fi
tm send-keys -t p v
if wait_for p "^Valley" && wait_for p "valley panel"; then
    ok "v shows the valley"
else
    bad "v shows the valley" "$(screen p)"
fi
tm send-keys -t p v
if wait_for p "^Loss surface"; then
    ok "v again shows the surface"
else
    bad "v again shows the surface" "$(screen p)"
fi
tm send-keys -t p q
if poll has_exited p && [ "$(exit_status p)" = 0 ]; then
    ok "q leaves (exit 0)"
else
    bad "q leaves (exit 0, got '$(exit_status p)')" "$(screen p)"
fi

start_app f7 100 30 fig7-valley2d
if wait_for f7 "Loss surface  own plane u = v" && shows f7 "x: u1  y: u2"; then
    ok "fig7-valley2d: its own plane, coordinates u1 and u2"
else
    bad "fig7-valley2d: its own plane, coordinates u1 and u2" "$(screen f7)"
fi
tm kill-session -t f7

start_app n 100 30 fig2-diag-small
wait_for n "Valley"
tm send-keys -t n v
if wait_for n "no loss surface in this scene"; then
    ok "v without a surface says so"
else
    bad "v without a surface says so" "$(screen n)"
fi
tm kill-session -t n

echo "e2e-surface: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

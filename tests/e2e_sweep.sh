#!/bin/sh
# tests/e2e_sweep.sh — sweeps on the real binary (issue 12):
#
#   - the same grid with -j 1, 2 and 3 gives the same lines (sorted), and
#     a line's summary is the single headless run's, bit for bit;
#   - --sorted writes the lines in job order;
#   - a torn last line and missing lines are resumed: the rerun adds
#     exactly what is missing, and a file of another sweep is refused;
#   - Ctrl-C (SIGINT) stops a sweep with 130, leaving only whole lines,
#     and the rerun completes it to the uninterrupted result;
#   - 4 shards run through GNU parallel, concatenated, equal the
#     unsharded sweep line for line after sorting;
#   - invalid grids and flags are refused before anything runs (exit 2);
#   - progress shows on a terminal's stderr (tmux) and nowhere else;
#   - --map draws the divergence edge and the heat map, and names
#     file:line:col of a malformed line.
#
#   sh tests/e2e_sweep.sh ./build/sgdscope

BIN=${1:-./build/sgdscope}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
SCENES=$PWD/scenes
SOCK=sgdscope-e2e-sweep-$$
POLL_TRIES=600
unset TMUX
export SGDSCOPE_SCENES="$SCENES"
WORK=$(mktemp -d) || exit 1
. "$(dirname "$0")/harness-e2e.sh"
# session p is killed before session c starts: the server stays
keep_server

D=$SCENES/fig2-diag-decay30.scene
# a short Fig. 2 run across its edge: 6 step sizes × 3 seeds
GRID="--vary eta=0.25:0.5:6 --seeds 1-3 --set steps=3001 --set every=100"

# shellcheck disable=SC2086
"$BIN" --sweep "$D" $GRID -j 1 -o "$WORK/j1.jsonl" 2>"$WORK/err" &&
    [ ! -s "$WORK/err" ] && [ "$(wc -l <"$WORK/j1.jsonl")" = 18 ] &&
    ok "sweep -j 1: 18 lines, nothing on a non-terminal stderr" ||
    bad "sweep -j 1" "$(cat "$WORK/err")"
sort "$WORK/j1.jsonl" >"$WORK/j1.sorted"
for j in 2 3; do
    # shellcheck disable=SC2086
    "$BIN" --sweep "$D" $GRID -j $j -o "$WORK/j$j.jsonl" 2>/dev/null
    sort "$WORK/j$j.jsonl" | cmp -s - "$WORK/j1.sorted" &&
        ok "-j $j gives -j 1's lines" || bad "-j $j differs from -j 1"
done
grep -q '"verdict":"diverged"' "$WORK/j1.jsonl" &&
    grep -q '"verdict":"bouncing"\|"verdict":"converging"\|"verdict":"converged"' \
        "$WORK/j1.jsonl" &&
    ok "the grid crosses the edge (some runs diverge, some do not)" ||
    bad "the grid does not cross the edge" "$(cut -c1-200 "$WORK/j1.jsonl")"

# a line is the single run's summary, bit for bit (job 4: eta=0.3 seed 2)
line=$(grep '^{"job":4,' "$WORK/j1.jsonl" | sed 's/^{"job":4,"sweep":"[0-9a-f]*","params":{"eta":0.3},/{/')
single=$("$BIN" --headless "$D" --set steps=3001 --set every=100 \
    --set eta=0.3 --seed 2 --summary)
[ -n "$line" ] && [ "$line" = "$single" ] &&
    ok "job 4's line is --headless --set eta=0.3 --seed 2 --summary" ||
    bad "job 4 differs from the single run" "$line
$single"

# shellcheck disable=SC2086
"$BIN" --sweep "$D" $GRID -j 3 --sorted -o - 2>/dev/null >"$WORK/sorted"
sed 's/^{"job":\([0-9]*\),.*/\1/' "$WORK/sorted" | tr '\n' ' ' |
    grep -qx '0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 ' &&
    cmp -s "$WORK/sorted" "$(sort "$WORK/j1.jsonl" | sort -t: -k2,2n >"$WORK/byjob"; echo "$WORK/byjob")" &&
    ok "--sorted -o -: job order on stdout" || bad "--sorted" "$(cut -c1-40 "$WORK/sorted")"

# resumption: drop two lines and tear the last one in half
head -n 15 "$WORK/j1.jsonl" >"$WORK/res.jsonl"
sed -n 16p "$WORK/j1.jsonl" | cut -c1-50 | tr -d '\n' >>"$WORK/res.jsonl"
# shellcheck disable=SC2086
"$BIN" --sweep "$D" $GRID -j 2 -o "$WORK/res.jsonl" 2>/dev/null
rc=$?
sort "$WORK/res.jsonl" | cmp -s - "$WORK/j1.sorted" && [ $rc = 0 ] &&
    ok "resume: a torn line cut off, the 3 missing runs added, none twice" ||
    bad "resume (rc $rc)" "$(sort "$WORK/res.jsonl" | diff - "$WORK/j1.sorted" | head -5)"
cp "$WORK/res.jsonl" "$WORK/again.jsonl"
# shellcheck disable=SC2086
"$BIN" --sweep "$D" $GRID -o "$WORK/again.jsonl" 2>/dev/null &&
    cmp -s "$WORK/again.jsonl" "$WORK/res.jsonl" &&
    ok "resume of a finished sweep runs nothing" || bad "a finished sweep ran again"
cp "$WORK/j1.jsonl" "$WORK/other.jsonl"
"$BIN" --sweep "$D" --vary eta=0.25:0.5:5 --seeds 1-3 --set steps=3001 \
    -o "$WORK/other.jsonl" 2>"$WORK/err"
rc=$?
[ $rc = 2 ] && grep -q 'other.jsonl:1: a line of another sweep' "$WORK/err" &&
    cmp -s "$WORK/other.jsonl" "$WORK/j1.jsonl" &&
    ok "another sweep's file: exit 2, named, left as it was" ||
    bad "another sweep's file (rc $rc)" "$(cat "$WORK/err")"
printf 'hello\n' >"$WORK/junk.jsonl"
"$BIN" --sweep "$D" $GRID -o "$WORK/junk.jsonl" 2>"$WORK/err"
[ $? = 2 ] && grep -q 'junk.jsonl:1: not a line of a sgdscope sweep' "$WORK/err" &&
    ok "a file that is not a sweep's: exit 2" || bad "junk output file" "$(cat "$WORK/err")"

# SIGTERM: a longer sweep, stopped while it runs (a background job of a
# script ignores SIGINT: Ctrl-C itself is pressed in tmux below)
LONG="--vary eta=0.1:0.26:40 --seeds 1-3 --set steps=20001 --set every=200"
# shellcheck disable=SC2086
"$BIN" --sweep "$D" $LONG -j 2 -o "$WORK/int.jsonl" 2>/dev/null &
pid=$!
has_some() { [ -s "$WORK/int.jsonl" ] && [ "$(wc -l <"$WORK/int.jsonl")" -ge 4 ]; }
poll has_some
kill -TERM $pid
{ wait $pid; } 2>/dev/null
rc=$?
n=$(wc -l <"$WORK/int.jsonl")
whole=$(grep -c '}$' "$WORK/int.jsonl")
[ $rc = 143 ] && [ "$n" -lt 120 ] && [ "$n" = "$whole" ] &&
    [ "$(tail -c1 "$WORK/int.jsonl" | od -An -c | tr -d ' ')" = '\n' ] &&
    ok "SIGTERM: status 143, $n whole lines, no torn one" ||
    bad "SIGTERM (rc $rc, $n lines, $whole whole)"
# shellcheck disable=SC2086
"$BIN" --sweep "$D" $LONG -j 2 -o "$WORK/int.jsonl" 2>/dev/null
# shellcheck disable=SC2086
"$BIN" --sweep "$D" $LONG -j 2 -o "$WORK/full.jsonl" 2>/dev/null
sort "$WORK/int.jsonl" >"$WORK/a"; sort "$WORK/full.jsonl" >"$WORK/b"
[ "$(wc -l <"$WORK/a")" = 120 ] && cmp -s "$WORK/a" "$WORK/b" &&
    ok "the interrupted sweep, resumed, equals the uninterrupted one" ||
    bad "resumed after SIGTERM differs"

# shards through GNU parallel
if command -v parallel >/dev/null 2>&1; then
    # shellcheck disable=SC2086
    parallel --will-cite -j 4 "$BIN" --sweep "$D" $GRID -j 1 --shard {}/4 \
        -o "$WORK/shard{}.jsonl" ::: 1 2 3 4 2>/dev/null
    cat "$WORK"/shard?.jsonl | sort | cmp -s - "$WORK/j1.sorted" &&
        ok "4 shards through GNU parallel, concatenated = the whole sweep" ||
        bad "shards differ" "$(wc -l "$WORK"/shard?.jsonl)"
else
    bad "GNU parallel is missing (make deps installs it)"
fi

# refused before anything runs
refuse() {
    what=$1; shift
    "$BIN" "$@" -o "$WORK/never.jsonl" >"$WORK/out" 2>"$WORK/err"
    rc=$?
    if [ $rc = 2 ] && [ ! -e "$WORK/never.jsonl" ] && grep -q -- "$what" "$WORK/err"; then
        ok "refused: $*"
    else
        bad "not refused (rc $rc): $*" "$(cat "$WORK/err")"
    fi
}
refuse 'not a valid scene' --sweep "$D" --vary eta=0.1,abc
refuse 'unknown' --sweep "$D" --vary nosuch=1,2
refuse 'runs upwards' --sweep "$D" --seeds 5-1
refuse 'A:B:1 needs A = B' --sweep "$D" --vary eta=0.1:0.2:1
refuse 'appears twice' --sweep "$D" --vary eta=0.1,0.1
refuse '--shard needs K/N' --sweep "$D" --shard 5/4
refuse '-j needs' --sweep "$D" -j 0
refuse 'more than' --sweep "$D" --vary eta=0:1:500 --vary lambda=0:1:500 --seeds 1-100
"$BIN" --sweep "$D" >/dev/null 2>"$WORK/err"
[ $? = 2 ] && grep -q 'needs -o' "$WORK/err" && grep -q usage "$WORK/err" &&
    ok "--sweep without -o: usage, exit 2" || bad "--sweep without -o" "$(cat "$WORK/err")"
"$BIN" --vary eta=1,2 "$D" >/dev/null 2>"$WORK/err"
[ $? = 2 ] && grep -q 'need --sweep' "$WORK/err" &&
    ok "--vary without --sweep: exit 2" || bad "--vary alone" "$(cat "$WORK/err")"
cat >"$WORK/bad.sweep" <<'EOS'
scene = fig2-diag-decay30
vary  = eta=0.2,,0.3
seeds = 1-2
EOS
"$BIN" --sweep "$WORK/bad.sweep" -o "$WORK/never.jsonl" 2>"$WORK/err"
[ $? = 2 ] && grep -q 'bad.sweep:2:17: error: an empty value' "$WORK/err" &&
    ok "a malformed sweep file: file:line:col, exit 2" ||
    bad "malformed sweep file" "$(cat "$WORK/err")"
printf 'scene = fig2-diag-decay30\nvary = eta=0.2:0.3\n' >"$WORK/bad2.sweep"
"$BIN" --sweep "$WORK/bad2.sweep" -o "$WORK/never.jsonl" 2>"$WORK/err"
[ $? = 2 ] && grep -q 'bad2.sweep:2:12: error: eta must be a number' "$WORK/err" &&
    ok "a sweep file's value the scene refuses: the sweep file's line" ||
    bad "sweep file value" "$(cat "$WORK/err")"

# progress on a terminal
tm new-session -d -s p -x 100 -y 10 \
    "sh -c '\"$BIN\" --sweep \"$D\" $LONG -j 2 -o \"$WORK/prog.jsonl\" >/dev/null; echo \$? >$WORK/p.st; sleep 30'"
wait_for p 'sweep +[0-9]+/120 runs +[0-9.]+ runs/s +[0-9]+:[0-9]{2} left' &&
    ok "progress on a terminal: runs done/total, rate, time left" ||
    bad "no progress line" "$(screen p)"
done_st() { [ -s "$WORK/p.st" ]; }
poll done_st
wait_for p 'sweep +120/120 runs .*done' && ok "progress: the final line says done" ||
    bad "no final progress line" "$(screen p)"
tm kill-session -t p 2>/dev/null

# Ctrl-C in a terminal: 130, whole lines only, the terminal's line cleared
rm -f "$WORK/c.st"
tm new-session -d -s c -x 100 -y 10 \
    "sh -c 'trap : INT; \"$BIN\" --sweep \"$D\" $LONG -j 2 -o \"$WORK/c.jsonl\"; echo \$? >$WORK/c.st; sleep 30'"
c_some() { [ -s "$WORK/c.jsonl" ] && [ "$(wc -l <"$WORK/c.jsonl")" -ge 4 ]; }
poll c_some
tm send-keys -t c C-c
c_done() { [ -s "$WORK/c.st" ]; }
poll c_done
n=$(wc -l <"$WORK/c.jsonl")
[ "$(cat "$WORK/c.st")" = 130 ] && [ "$n" -lt 120 ] &&
    [ "$n" = "$(grep -c '}$' "$WORK/c.jsonl")" ] &&
    ok "Ctrl-C: status 130, $n whole lines" ||
    bad "Ctrl-C (status $(cat "$WORK/c.st"), $n lines)" "$(screen c)"
tm kill-session -t c 2>/dev/null

# the map
"$BIN" --map "$WORK/j1.jsonl" --ascii >"$WORK/map" 2>"$WORK/err"
grep -q 'Divergence against eta' "$WORK/map" && grep -q '<- edge' "$WORK/map" &&
    grep -Eq 'edge: eta = [0-9.]+, where half' "$WORK/map" &&
    ok "--map: the divergence curve with its edge" || bad "--map" "$(cat "$WORK/map" "$WORK/err")"
"$BIN" --map "$WORK/j1.jsonl" --y seed --metric verdict --ascii >"$WORK/map2"
grep -q 'The most common verdict, eta across, seed down' "$WORK/map2" &&
    grep -q 'X diverged' "$WORK/map2" && ok "--map --y seed --metric verdict" ||
    bad "--map verdict" "$(cat "$WORK/map2")"
{ head -n 2 "$WORK/j1.jsonl"; echo '{"job":3,"sweep":"zz"}'; } >"$WORK/badmap.jsonl"
"$BIN" --map "$WORK/badmap.jsonl" >/dev/null 2>"$WORK/err"
[ $? = 2 ] && grep -q 'badmap.jsonl:3:18: "sweep" is 16 hex digits' "$WORK/err" &&
    ok "--map of a malformed line: file:line:col, exit 2" ||
    bad "--map malformed" "$(cat "$WORK/err")"
"$BIN" --map "$WORK/j1.jsonl" --x nosuch >/dev/null 2>"$WORK/err"
[ $? = 2 ] && grep -q "did not vary 'nosuch'" "$WORK/err" &&
    ok "--map --x of a field not swept: exit 2, the fields named" ||
    bad "--map --x nosuch" "$(cat "$WORK/err")"

echo "e2e-sweep: $pass passed, $fail failed"
[ $fail = 0 ]

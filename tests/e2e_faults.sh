#!/bin/sh
# tests/e2e_faults.sh — hostile output paths, full disks and terminating
# signals on the real binary (issue 8, items 1, 3, 5, 6):
#
#   1  --record and --csv never replace what is not a regular file (a
#      device, FIFO, socket, directory: exit 2, the path and what it is
#      named), follow a symlink to its target, refuse a hard-linked file,
#      keep a file's permissions;
#   3  every terminating signal in the interactive view restores the
#      terminal (stty, alternate screen, cursor), removes the recording's
#      temporary file and ends with 128 + N;
#   5  an interrupted headless recording or CSV leaves no temporary and
#      the earlier file intact;
#   6  a full disk on stdout or --csv is exit 1 with a message naming it,
#      and a run stops at the first failed write;
#   7  a scene's malformed or non-regular data file is exit 2 with
#      file:line:col before anything runs, headless or in the view, and
#      the terminal is left alone.
#
#   sh tests/e2e_faults.sh ./build/sgdscope
#
# Prints one line per check and closes with "e2e-faults: N passed, M
# failed".  Device nodes are private copies made with mknod in a private
# directory (root only; those checks are skipped otherwise), never the
# system's.  Every wait polls a condition; `timeout` only guards against
# a hang (a FIFO open that blocks, a run that would never stop), it
# measures nothing.

BIN=${1:-./build/sgdscope}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
SCENES=$PWD/scenes
SCENE=$SCENES/prop2-quad.scene
SOCK=sgdscope-e2e-faults-$$
POLL_TRIES=300         # × 0.1 s: 30 s at most per wait
GUARD=120              # seconds before a hung command is killed
unset TMUX
export SGDSCOPE_SCENES="$SCENES"

WORK=$(mktemp -d) || exit 1
. "$(dirname "$0")/harness-e2e.sh"

ROOT=0
[ "$(id -u)" = 0 ] && ROOT=1
# Never finishes on its own: a run that must be stopped by what is tested.
FOREVER=1000000000000

# run ARGS...: the binary with no stdin and no stdout; sets rc and err.
run() {
    timeout "$GUARD" "$BIN" "$@" </dev/null >/dev/null 2>"$WORK/err"
    rc=$?
    err=$(cat "$WORK/err")
}
# temps DIR: the temporary files (NAME.cast.XXXXXX, NAME.csv.XXXXXX) in DIR.
temps() { ls -A "$1" | grep -E '\.(cast|csv)\.[A-Za-z0-9]{6}$'; }
no_temps() { [ -z "$(temps "$1")" ]; }
has_temp() { [ -n "$(temps "$1")" ]; }
# kind PATH: what ls says the node is, with its device numbers if any.
kind() { ls -ld "$1" | awk '{ print substr($1, 1, 1), ($5 ~ /,$/ ? $5 $6 : "") }'; }
perm() { stat -c %a "$1"; }
has() { printf '%s\n' "$1" | grep -qF -- "$2"; }
# signum NAME: the signal's number here (dash's kill -l maps only numbers
# to names).
signum() {
    n=1
    while [ $n -lt 65 ]; do
        [ "$(kill -l $n 2>/dev/null)" = "$1" ] && echo $n && return
        n=$((n + 1))
    done
    echo 0
}

D=$WORK/nodes
mkdir -p "$D"
mkfifo "$D/fifo"
mkdir "$D/dir"
SOCKET=
if command -v python3 >/dev/null 2>&1 &&
    python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
        "$D/sock" 2>/dev/null; then
    SOCKET=sock
else
    echo "skip sockets: python3 cannot make one here"
fi
DEVS=
if [ $ROOT = 1 ] && mknod -m 666 "$D/full" c 1 7 && mknod -m 666 "$D/null" c 1 3; then
    DEVS="full null"
else
    echo "skip device nodes: not root (no private copies of /dev/full, /dev/null)"
fi
# device nodes on a filesystem mounted nodev cannot be opened
WRITABLE_DEVS=
if [ -n "$DEVS" ] && (printf x >"$D/null") 2>/dev/null; then
    WRITABLE_DEVS=1
else
    [ -n "$DEVS" ] && echo "skip writes to device nodes: this filesystem refuses them"
fi

# ---- 1a --record refuses what is not a regular file ---------------------------
for n in fifo dir $SOCKET $DEVS; do
    case $n in
    fifo) what="it is a FIFO" ;;
    dir) what="it is a directory" ;;
    sock) what="it is a socket" ;;
    *) what="it is a character device" ;;
    esac
    k0=$(kind "$D/$n")
    run --headless --record "$D/$n" --steps 100 "$SCENE"
    if [ $rc = 2 ] && has "$err" "'$D/$n'" && has "$err" "$what" &&
        [ "$(kind "$D/$n")" = "$k0" ] && no_temps "$D"; then
        ok "1a --record onto a $n: exit 2, '$what', left as it was ($k0)"
    else
        bad "1a --record onto a $n: exit 2 and left as it was (rc $rc, $(kind "$D/$n"))" "$err"
    fi
done

# ---- 1b --csv: the same, but a character device or a read FIFO is a stream ---
for n in fifo dir $SOCKET; do
    case $n in
    fifo) what="a FIFO with no reader" ;;
    dir) what="it is a directory" ;;
    sock) what="it is a socket" ;;
    esac
    run --headless --csv "$D/$n" --steps 100 "$SCENE"
    if [ $rc = 2 ] && has "$err" "'$D/$n'" && has "$err" "$what" && no_temps "$D"; then
        ok "1b --csv onto a $n: exit 2, '$what' (never blocks)"
    else
        bad "1b --csv onto a $n: exit 2 (rc $rc)" "$err"
    fi
done
cat "$D/fifo" >"$WORK/from-fifo" &
reader=$!
run --headless --csv "$D/fifo" --steps 100 --every 50 "$SCENE"
wait $reader
if [ $rc = 0 ] && [ "$(head -c 9 "$WORK/from-fifo")" = "run,step," ] &&
    [ "$(wc -l <"$WORK/from-fifo")" -eq 4 ] && [ "$(kind "$D/fifo")" = "p " ]; then
    ok "1b --csv onto a FIFO someone reads: the rows go through it, the FIFO stays"
else
    bad "1b --csv onto a FIFO someone reads (rc $rc)" "$err$(head -n 3 "$WORK/from-fifo")"
fi
if [ -n "$WRITABLE_DEVS" ]; then
    run --headless --csv "$D/null" --steps 100 "$SCENE"
    if [ $rc = 0 ] && [ "$(kind "$D/null")" = "c 1,3" ] && no_temps "$D"; then
        ok "1b --csv onto a private /dev/null copy: written in place, exit 0, node kept"
    else
        bad "1b --csv onto a /dev/null copy (rc $rc, $(kind "$D/null"))" "$err"
    fi
fi

# ---- 1c symlinks, hard links, permissions ---------------------------------------
L=$WORK/links
mkdir -p "$L/target"
for flag in --record --csv; do
    ext=${flag#--}
    [ "$ext" = record ] && ext=cast
    printf 'previous\n' >"$L/target/real.$ext"
    chmod 600 "$L/target/real.$ext"
    ln -s "target/real.$ext" "$L/link.$ext"
    run --headless $flag "$L/link.$ext" --steps 100 "$SCENE"
    if [ $rc = 0 ] && [ -L "$L/link.$ext" ] &&
        [ "$(readlink "$L/link.$ext")" = "target/real.$ext" ] &&
        ! grep -q previous "$L/target/real.$ext" && [ -s "$L/target/real.$ext" ] &&
        [ "$(perm "$L/target/real.$ext")" = 600 ] && no_temps "$L" &&
        no_temps "$L/target"; then
        ok "1c $flag through a symlink: written at its target (0600 kept), the link stays a link"
    else
        bad "1c $flag through a symlink (rc $rc)" "$err$(ls -lR "$L")"
    fi

    printf 'shared\n' >"$L/one.$ext"
    ln "$L/one.$ext" "$L/two.$ext"
    run --headless $flag "$L/two.$ext" --steps 100 "$SCENE"
    if [ $rc = 2 ] && has "$err" "'$L/two.$ext'" && has "$err" "hard links" &&
        [ "$(cat "$L/one.$ext")" = shared ] && [ "$(cat "$L/two.$ext")" = shared ] &&
        [ "$(stat -c %h "$L/one.$ext")" = 2 ]; then
        ok "1c $flag onto one name of a hard-linked pair: exit 2, both names keep their data"
    else
        bad "1c $flag onto a hard-linked file (rc $rc)" "$err"
    fi

    printf 'previous\n' >"$L/private.$ext"
    chmod 600 "$L/private.$ext"
    run --headless $flag "$L/private.$ext" --steps 100 "$SCENE"
    if [ $rc = 0 ] && [ "$(perm "$L/private.$ext")" = 600 ] &&
        ! grep -q previous "$L/private.$ext"; then
        ok "1c $flag over a 0600 file: replaced, still 0600"
    else
        bad "1c $flag over a 0600 file (rc $rc, mode $(perm "$L/private.$ext"))" "$err"
    fi
done

# ---- 6 a full disk is an error, and stops the run --------------------------------
if [ -n "$WRITABLE_DEVS" ]; then
    size=$("$BIN" --snapshot prop2-quad --steps 10 | wc -c)
    for args in "--snapshot prop2-quad --steps 10" "--list" "--help" "--version" \
        "--headless prop2-quad --steps 10 --summary" \
        "--headless prop2-quad --csv - --every 1 --steps $FOREVER"; do
        # shellcheck disable=SC2086 # the words of args are the arguments
        timeout "$GUARD" "$BIN" $args </dev/null >"$D/full" 2>"$WORK/err"
        rc=$?
        err=$(cat "$WORK/err")
        if [ $rc = 1 ] && has "$err" "cannot write stdout: No space left on device"; then
            ok "6 $args > full disk: exit 1, 'cannot write stdout: No space left on device'"
        else
            bad "6 $args > full disk: exit 1 with a message (rc $rc)" "$err"
        fi
    done
    [ "$size" -gt 4096 ] || bad "6 the snapshot frame should exceed stdio's 4 KiB buffer ($size bytes)"
    run --headless prop2-quad --csv "$D/full" --every 1 --steps $FOREVER
    if [ $rc = 1 ] && has "$err" "cannot write '$D/full': No space left on device" &&
        [ "$(kind "$D/full")" = "c 1,7" ]; then
        ok "6 --csv onto a full disk of $FOREVER steps: stops at the first failed row, exit 1, names the file"
    else
        bad "6 --csv onto a full disk: exit 1 at once (rc $rc)" "$err"
    fi
fi

# ---- 6 a reader that went away (SIGPIPE) ----------------------------------------
# stdout is a pipe whose read end is already closed, so the first write
# fails for sure (python3 makes one; skipped without it).  With SIGPIPE at
# its default sgdscope dies of it silently, as filters do; with SIGPIPE
# ignored the write error is an error like any other.
cat >"$WORK/nopipe.py" <<'EOF'
import os, signal, subprocess, sys
ignore = sys.argv[1] == "ignore"
r, w = os.pipe()
os.close(r)
p = subprocess.run(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=w,
                   stderr=subprocess.PIPE, preexec_fn=(lambda: signal.signal(
                       signal.SIGPIPE, signal.SIG_IGN)) if ignore else None)
sys.stdout.write("%d %s" % (p.returncode, p.stderr.decode()))
EOF
if command -v python3 >/dev/null 2>&1 && python3 -c 'import subprocess' 2>/dev/null; then
    for args in "--headless prop2-quad --steps 10 --summary" \
        "--headless prop2-quad --csv - --every 1 --steps $FOREVER" \
        "--snapshot prop2-quad --steps 10" "--list" "--help"; do
        # shellcheck disable=SC2086 # the words of args are the arguments
        got=$(timeout "$GUARD" python3 "$WORK/nopipe.py" default "$BIN" $args)
        # shellcheck disable=SC2086
        ign=$(timeout "$GUARD" python3 "$WORK/nopipe.py" ignore "$BIN" $args)
        if [ "$got" = "-$(signum PIPE) " ] &&
            [ "$ign" = "1 sgdscope: cannot write stdout: Broken pipe" ]; then
            ok "6 $args into a closed pipe: dies of SIGPIPE silently; with SIGPIPE ignored, exit 1 naming stdout"
        else
            bad "6 $args into a closed pipe: SIGPIPE, or exit 1 when ignored" "default: $got
ignored: $ign"
        fi
    done
else
    echo "skip closed pipes: no python3"
fi

# ---- 5 interrupted headless runs leave nothing behind --------------------------
# A background job of a shell without job control starts with SIGINT and
# SIGQUIT ignored (and sgdscope keeps signals ignored at start, as nohup
# expects): env --default-signal gives them back.
DEFSIG="env --default-signal"
if ! env --default-signal true 2>/dev/null; then
    DEFSIG=env
    echo "skip SIGINT/SIGQUIT of background runs: env has no --default-signal"
fi
H=$WORK/headless
mkdir -p "$H"
# Runs that go on until stopped: a recording held by a day-long pause
# (frames of synthetic time, written as fast as they render) and a CSV
# of a bouncing run that never ends.
printf 'model = quad1d\nat 1: pause 86400s\n' >"$WORK/hold.scene"
for sig in INT TERM HUP QUIT USR1 ALRM PIPE; do
    if [ "$DEFSIG" = env ] && { [ $sig = INT ] || [ $sig = QUIT ]; }; then
        continue
    fi
    for out in record csv; do
        f=$H/demo.cast
        [ $out = csv ] && f=$H/demo.csv
        printf 'previous\n' >"$f"
        if [ $out = record ]; then
            $DEFSIG "$BIN" --headless --record "$f" "$WORK/hold.scene" \
                --size 20x5 </dev/null >/dev/null 2>"$WORK/err" &
        else
            $DEFSIG "$BIN" --headless --csv "$f" --every 1000 prop2-quad \
                --steps $FOREVER </dev/null >/dev/null 2>"$WORK/err" &
        fi
        pid=$!
        if poll has_temp "$H"; then
            kill -$sig $pid
            wait $pid
            rc=$?
            if [ $rc = $((128 + $(signum $sig))) ] && no_temps "$H" &&
                [ "$(cat "$f")" = previous ]; then
                ok "5 headless --$out stopped by SIG$sig: exit $rc, no temporary, the earlier file intact"
            else
                bad "5 headless --$out stopped by SIG$sig (rc $rc)" "$(cat "$WORK/err"; ls -l "$H")"
            fi
        else
            kill -KILL $pid 2>/dev/null
            wait $pid
            bad "5 headless --$out: no temporary file appeared" "$(cat "$WORK/err")"
        fi
        rm -f "$H"/*
    done
done

# ---- 3 terminating signals in the interactive view ---------------------------------
if ! command -v tmux >/dev/null 2>&1; then
    bad "3 tmux is not installed"
    echo "e2e-faults: $pass passed, $fail failed"
    exit 1
fi
# The app runs under a wrapper that keeps the terminal's settings from
# before and after it (stty -g) and its exit status; the wrapper traps
# SIGINT and SIGQUIT (so Ctrl-C and Ctrl-\ end only the app; a trapped
# signal is back to its default in the app) and outlives it.
cat >"$WORK/wrap.sh" <<EOF
cd "\$1" || exit 1
shift
trap : INT QUIT
stty -g >stty.before
env LANG=C.UTF-8 LC_ALL= "$BIN" "\$@"
echo \$? >status.tmp
stty -g >stty.after
mv status.tmp status
# stay, so the pane (cursor, alternate screen) is read while it lives
exec sleep 600
EOF
# This script kills sessions and starts others: the server must stay.
keep_server
app_of() { # the app: the wrapper's child (env execs it)
    pp=$(tm display-message -p -t "$1" '#{pane_pid}')
    ps -A -o pid= -o ppid= | awk -v p="$pp" '$2 == p { print $1; exit }'
}
exited() { [ -s "$1/status" ]; }
# restored SESSION: the pane has left the alternate screen, cursor shown.
restored() {
    [ "$(tm display-message -p -t "$1" '#{alternate_on}#{cursor_flag}')" = 01 ]
}

for sig in QUIT HUP USR1 USR2 ALRM PIPE TERM INT; do
    s=sig$sig
    T=$WORK/tui-$sig
    mkdir -p "$T"
    printf 'previous\n' >"$T/rec.cast"
    tm new-session -d -s "$s" -x 120 -y 40 -c "$T" \
        "sh '$WORK/wrap.sh' '$T' --record rec.cast '$SCENE'"
    if ! wait_for "$s" "$STATUS_RE" || ! poll has_temp "$T"; then
        bad "3 SIG$sig: the app did not start recording" "$(screen "$s")"
        continue
    fi
    pid=$(app_of "$s")
    case $sig in
    INT) how="Ctrl-C"; tm send-keys -t "$s" C-c ;;
    QUIT) how="Ctrl-\\"; tm send-keys -t "$s" 'C-\' ;;
    *) how="kill -$sig"; kill -$sig "$pid" ;;
    esac
    if ! poll exited "$T"; then
        bad "3 SIG$sig ($how): the app did not exit" "$(screen "$s")"
        continue
    fi
    st=$(cat "$T/status")
    # tmux may read the app's last bytes (endwin) after the app is gone
    poll restored "$s"
    alt=$(tm display-message -p -t "$s" '#{alternate_on}')
    cur=$(tm display-message -p -t "$s" '#{cursor_flag}')
    if [ "$st" = $((128 + $(signum $sig))) ] &&
        cmp -s "$T/stty.before" "$T/stty.after" && [ "$alt" = 0 ] &&
        [ "$cur" = 1 ] && no_temps "$T" && [ "$(cat "$T/rec.cast")" = previous ]; then
        ok "3 SIG$sig ($how) in the view: exit $st, stty as before, no alternate screen, cursor shown, no temporary, earlier recording intact"
    else
        bad "3 SIG$sig ($how): exit '$st' (want $((128 + $(signum $sig)))), alternate '$alt', cursor '$cur'" \
            "$(diff "$T/stty.before" "$T/stty.after"; ls -A "$T"; screen "$s")"
    fi
done

# ---- 3 a terminal that hangs up while SIGHUP is ignored (nohup) -------------------
# The app must not spin on a dead terminal, nor leave its temporary.
T=$WORK/tui-nohup
mkdir -p "$T"
cat >"$WORK/nohup.sh" <<EOF
cd "\$1" || exit 1
trap '' HUP
env LANG=C.UTF-8 LC_ALL= "$BIN" --record rec.cast "$SCENE"
echo \$? >status.tmp
mv status.tmp status
EOF
tm new-session -d -s nohup -x 120 -y 40 -c "$T" "sh '$WORK/nohup.sh' '$T'"
if wait_for nohup "$STATUS_RE" && poll has_temp "$T"; then
    pid=$(app_of nohup)
    tm kill-session -t nohup
    if poll exited "$T" && [ "$(cat "$T/status")" = 129 ] && no_temps "$T"; then
        ok "3 hang-up with SIGHUP ignored: the app ends (129), no temporary"
    else
        bad "3 hang-up with SIGHUP ignored: the app ends, no temporary (status '$(cat "$T/status" 2>/dev/null)')" "$(ls -A "$T")"
        [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
    fi
else
    bad "3 hang-up with SIGHUP ignored: the app did not start" "$(screen nohup)"
fi

# ---- 7 a bad data file is a scene error: exit 2 before anything runs -----------
# The scene names its CSV relative to itself; the error names the CSV's
# line and column and the scene line, headless or not, and the terminal
# is left as it was (the view never starts).
T=$WORK/data
mkdir -p "$T/s"
printf 'x,y\n1,2\n3,oops\n' >"$T/s/bad.csv"
printf 'model = relu1d\ndata = bad.csv\n' >"$T/s/bad.scene"
printf 'model = diagnet\ndata = fifo.csv\n' >"$T/s/fifo.scene"
mkfifo "$T/s/fifo.csv"
run --headless --summary "$T/s/bad.scene"
if [ $rc = 2 ] && has "$err" "$T/s/bad.csv:3:3: error: not a number: 'oops'" &&
    has "$err" "data named at $T/s/bad.scene:2:8"; then
    ok "7 headless: a malformed data file is exit 2 with file:line:col"
else
    bad "7 headless: a malformed data file is exit 2 with file:line:col (rc $rc)" "$err"
fi
run --headless --summary "$T/s/fifo.scene"
if [ $rc = 2 ] && has "$err" "fifo.csv: error: not a regular file: a FIFO"; then
    ok "7 headless: a FIFO as data file is refused at once, exit 2"
else
    bad "7 headless: a FIFO as data file is refused, exit 2 (rc $rc)" "$err"
fi
tm new-session -d -s data -x 120 -y 40 -c "$T" \
    "sh '$WORK/wrap.sh' '$T' '$T/s/bad.scene'"
if poll exited "$T"; then
    poll restored data
    alt=$(tm display-message -p -t data '#{alternate_on}')
    if [ "$(cat "$T/status")" = 2 ] && cmp -s "$T/stty.before" "$T/stty.after" &&
        [ "$alt" = 0 ] && shows data "bad.csv:3:3: error: not a number"; then
        ok "7 view: a malformed data file is exit 2 with the message, the terminal as it was"
    else
        bad "7 view: exit 2 with the message, terminal as it was (status '$(cat "$T/status")', alternate '$alt')" \
            "$(diff "$T/stty.before" "$T/stty.after"; screen data)"
    fi
else
    bad "7 view: a malformed data file: the app did not exit" "$(screen data)"
fi

echo "e2e-faults: $pass passed, $fail failed"
[ $fail -eq 0 ]

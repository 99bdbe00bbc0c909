#!/bin/sh
# Installs the Debian packages sgdscope needs when pkg-config (or the PATH)
# cannot find them.  Called by `make test` and `make run`.
missing=""
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
have() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$1"; }
have ncursesw || missing="$missing libncurses-dev"
have openblas || missing="$missing libopenblas-dev"
have lapacke  || missing="$missing liblapacke-dev"
have cmocka   || missing="$missing libcmocka-dev"
command -v tmux >/dev/null 2>&1 || missing="$missing tmux"
command -v groff >/dev/null 2>&1 || missing="$missing groff-base"
command -v script >/dev/null 2>&1 || missing="$missing bsdutils"
command -v asciinema >/dev/null 2>&1 || missing="$missing asciinema"
command -v parallel >/dev/null 2>&1 || missing="$missing parallel"
command -v cc >/dev/null 2>&1 || missing="$missing gcc"
command -v make >/dev/null 2>&1 || missing="$missing make"
[ -z "$missing" ] && exit 0
echo "sgdscope: installing missing Debian packages:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "sgdscope: need root to install:$missing" >&2; exit 1; fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || exit 1
$SUDO apt-get install -y -qq --no-install-recommends $missing || exit 1

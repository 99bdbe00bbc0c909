/* term.h — the terminal under the TUI: curses set-up and teardown, the
 * colour palette, signals, and waiting for input.  Private to src/tui.
 *
 * One terminal at a time: the state is process-wide because signal
 * handlers need to reach it. */
#ifndef SGDSCOPE_TUI_TERM_H
#define SGDSCOPE_TUI_TERM_H

#include <curses.h>
#include <stddef.h>

#include "canvas.h"
#include "tui.h"

/* term_open's answer for a terminal the view cannot use: TERM unset or
 * unknown, or a type without cursor addressing (dumb).  A usage error,
 * like no terminal at all (exit status 2). */
#define TERM_UNUSABLE (-2)

/* Sets the locale, starts curses on stdin/stdout, picks the glyph tier
 * and the colours from o, and installs the signal handlers.  Returns 0,
 * TERM_UNUSABLE, or −1 (another failure), with a message in err (the
 * terminal is left untouched). */
int term_open(const tui_opts *o, glyph_tier *tier, char *err, size_t errlen);

/* Restores the terminal (endwin) and the previous signal handlers.
 * Safe to call twice. */
void term_close(void);

/* The curses attributes (colour pair included) for a canvas cell's
 * colour role and ATTR_* bits. */
attr_t term_attr(int role, int attr);

/* 1 when the locale can display UTF-8 (or --unicode said so). */
int term_utf8(void);

/* Waits until input is readable, a signal arrived, fd (≥ 0: the app's
 * background work, app_wait_fd) is readable, or timeout_ms passed
 * (timeout_ms < 0: no limit — this is how a paused app uses no CPU).
 * Returns 1 if woken by input, fd or a signal, 0 on timeout. */
int term_wait(int timeout_ms, int fd);

/* The terminating signal that asked the app to quit (exitsig_pending),
 * SIGHUP when the terminal hung up without one, or 0. */
int term_quit_signal(void);

/* After Ctrl-Z: restores the terminal and stops until fg.  After
 * SIGWINCH or SIGCONT (and so after a stop): re-reads the window size
 * and resizes curses to it.  Returns 1 if the screen must be redrawn in
 * full.  Called at the top of every turn of the loop. */
int term_check_resize(void);

#endif

/* tui.h — the interactive curses front end.
 *
 * The only module that includes <curses.h> (src/tui/): it sets up the
 * terminal, reads keys into app actions, paces frames, and copies the
 * canvas that view_draw fills onto the screen.  Everything it shows comes
 * from the view; everything it changes goes through app_act/app_tick. */
#ifndef SGDSCOPE_TUI_H
#define SGDSCOPE_TUI_H

#include "app.h"

struct recorder;

typedef struct tui_opts {
    int fps;           /* frames per second, > 0 (clamped to 1..240) */
    int force_ascii;   /* --ascii: plain ASCII plots whatever the locale */
    int force_unicode; /* --unicode: braille plots whatever the locale */
    int force_block;   /* --block: quadrant blocks instead of braille (for
                          fonts without braille); needs UTF-8 as well */
    int no_color;      /* --no-color (NO_COLOR in the environment also) */
    struct recorder *rec; /* --record: every drawn frame goes there too */
} tui_opts;

/* Runs the interactive app on an opened app until the user quits.
 * fps > 0 is the frame rate; tier/colour choices come from opts.
 * The glyph tier is braille when the locale's codeset is UTF-8, else
 * ASCII; force_unicode/force_ascii override that.
 * The terminal is restored before it returns, whatever the way out.
 * Returns the process exit status: 0 after `q`; 128 + N after terminating
 * signal N asked to quit (exitsig.h: 130 for SIGINT, 131 for SIGQUIT,
 * 143 for SIGTERM...; the caller cleans up and calls exitsig_reraise so
 * the shell sees death by that signal), or 129 when the terminal hung up
 * while SIGHUP was ignored; 1 when the terminal cannot be set up (a
 * message is printed to stderr). */
int tui_run(app *a, const tui_opts *o);

/* The controlling terminal's size (TIOCGWINSZ on stdout), 80×24 when it
 * cannot be read. */
void tui_terminal_size(int *cols, int *rows);

#endif

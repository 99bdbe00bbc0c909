/* cast.h — an asciicast v2 writer that serializes canvases (--record).
 *
 * Format (https://docs.asciinema.org/manual/asciicast/v2/): one JSON object
 * per line.  The first line is the header
 *     {"version": 2, "width": W, "height": H, "title": "...",
 *      "env": {"TERM": "xterm"}}
 * ("title" only when one is given; no "timestamp", so the same run always
 * gives the same bytes), then one event per line:
 *     [t, "o", "<ANSI text>"]   a whole frame
 *     [t, "m", "<label>"]       a marker (asciinema play can jump to it)
 * Times are seconds printed as "%.6f".
 *
 * Every frame is exactly W × H cells, the header's size: a smaller canvas
 * is padded with blanks, a larger one clipped.  A frame homes the cursor
 * ("\x1b[H"; the first also clears the screen first, "\x1b[2J"), then
 * writes the rows separated by "\r\n" with no newline after the last, so
 * the cursor never scrolls the screen.  SGR sequences appear only where
 * the style changes, always as a full "\x1b[0;...m", and every row ends in
 * the default style.  Stripping the escapes and turning "\r\n" into "\n"
 * gives canvas_to_text() minus its final "\n".
 *
 * Colour (when the color flag is set), a fixed 8-colour palette so any
 * player renders it:
 *     ROLE_TEXT     default        ROLE_DIM      faint (2)
 *     ROLE_TITLE    bold (1)       ROLE_TRAIN    blue (34)
 *     ROLE_TEST     yellow (33)    ROLE_BAND     cyan (36)
 *     ROLE_MARK     magenta (35)   ROLE_ITERATE  red bold (31;1)
 *     ROLE_TRAIL    red (31)       ROLE_WARN     red bold (31;1)
 *     ROLE_GOOD     green (32)
 *     ROLE_RUN1..6  a comparison's runs: cyan (36), yellow (33),
 *                   magenta (35), green (32), blue (34), red (31)
 * Cell attributes add ATTR_BOLD → 1, ATTR_DIM → 2, ATTR_REVERSE → 7, with
 * or without colour (without colour the roles are ignored).
 *
 * No curses, and no allocation per frame: the one frame buffer is sized
 * in cast_open for the worst W × H frame, and frames never exceed it.
 */
#ifndef SGDSCOPE_CAST_H
#define SGDSCOPE_CAST_H

#include <stddef.h>
#include <stdio.h>

#include "canvas.h"
#include "outfile.h"

typedef struct cast {
    FILE *f;        /* out.f while open; NULL when not open */
    outfile out;    /* the temporary, renamed onto the path by cast_close */
    int width, height;
    int color;
    int frames;     /* "o" events written; the first clears the screen */
    int failed;     /* a write failed: cast_close will report it */
    double last_t;  /* the latest time written, to keep times monotonic */
    char *buf;      /* one frame of raw ANSI, before JSON escaping */
    size_t cap;
} cast;

/* Opens path with outfile_open (outfile.h: a temporary path.XXXXXX next
 * to the file the path finally names, so the final rename is atomic;
 * only a regular file is ever replaced, keeping its permissions; a new
 * one gets 0666 & ~umask) and writes the header.  width and height (≥ 1)
 * are the terminal size a player should use; title may be NULL; color
 * turns the palette above on.  Returns 0, or −1 with a message such as
 * "cannot write 'x/y.cast': No such file or directory" or "cannot write
 * 'p': it is a FIFO (only a regular file is written)" in err (when err
 * is not NULL); on failure nothing is left behind and *k needs no
 * cleanup (cast_abort on it is a harmless no-op). */
int cast_open(cast *k, const char *path, int width, int height,
              const char *title, int color, char *err, size_t errlen);

/* Appends one "o" event at time t (seconds) holding the whole canvas as
 * ANSI text, W × H cells as described above.  Times must not go
 * backwards; an earlier (or NaN) t is written as the latest time so far,
 * and a negative one as 0, so the file always stays playable.  Returns
 * 0, or −1 on a write or allocation error (remembered: cast_close then
 * fails too). */
int cast_frame(cast *k, double t, const canvas *c);

/* Appends an "m" marker at time t (same rules as cast_frame) with label
 * (UTF-8; NULL means "").  Returns 0 or −1 like cast_frame. */
int cast_marker(cast *k, double t, const char *label);

/* Flushes, syncs and closes the temporary file and renames it onto path
 * (outfile_commit).  Returns 0, or −1 if anything failed (now or in an
 * earlier event), in which case the temporary is removed, path is left
 * untouched and errno says why.  *k is released either way. */
int cast_close(cast *k);

/* Removes the temporary file without producing path (error paths,
 * Ctrl-C) and releases *k.  Safe on a cast that failed to open or was
 * already closed or aborted.  Not async-signal-safe: a SIGINT handler
 * should set a flag and let the main loop call this. */
void cast_abort(cast *k);

#endif

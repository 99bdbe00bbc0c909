/* runstyle.h — how the runs of a comparison are told apart on screen,
 * and which runs a frame draws.
 *
 * Run k (0-based, up to 6) has, redundantly, so that any one is enough:
 *   a colour    ROLE_RUN1 + k (canvas_palette: cyan, orange/yellow,
 *               magenta, green, blue, red);
 *   a digit     '1' + k, at the end of each of its curves, on its decay
 *               markers, at its rank, in the legend and the table — and
 *               in the ASCII tier every dot of its curves is that digit;
 *   a dash      a pattern over dot columns in the braille and block
 *               tiers: solid, long dash, short dash, dotted, dash-dot,
 *               sparse (the ASCII tier draws every curve solid: the digit
 *               already names it);
 * so runs read apart in colour, with --no-color / NO_COLOR, and in ASCII.
 * The focused run is drawn last (on top), its digit bold and marked ▸
 * ('>' in ASCII) in the legend and the table.  A saved run (the ghost) is
 * grey (ROLE_DIM), with its own sparse dash, behind the live runs.
 *
 * A frame of a single run (no session, or a session of one) uses none of
 * this: it is drawn exactly as before comparisons existed.  No terminal
 * code. */
#ifndef SGDSCOPE_RUNSTYLE_H
#define SGDSCOPE_RUNSTYLE_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "canvas.h"

#define RUNSTYLE_MAX 6
/* The ghost's dash: two dot columns in eight, fainter than any run's. */
#define RUNSTYLE_GHOST_DASH 0x03u
/* Decay markers: every other dot row, so a marker never reads as a
 * curve. */
#define RUNSTYLE_MARK_DASH 0x55u

/* The runs a frame draws: every run of a->ses when it holds several
 * (multi = 1), else a->r alone (multi = 0). */
typedef struct runset {
    size_t n;
    const run *r[RUNSTYLE_MAX];
    const char *name[RUNSTYLE_MAX];
    size_t focus;       /* index of the focused run (a->r) */
    int multi;
} runset;

/* Fills s from a. */
void runset_from_app(runset *s, const app *a);
/* The k-th run to draw, in drawing order: the others in run order, the
 * focused run last, so it lies on top. */
size_t runset_order(const runset *s, size_t k);
/* Whether every run is of the same model (overlays need one picture). */
int runset_one_model(const runset *s);

/* Run k's colour role. */
int runstyle_role(size_t k);
/* Run k's digit, '1' + k. */
uint32_t runstyle_digit(size_t k);
/* Run k's dash pattern for tier t (bit i: dot column i % 8 drawn). */
unsigned runstyle_dash(size_t k, glyph_tier t);
/* A sample of run k's line, 4 cells wide (one whole dash period), as
 * UTF-8 into buf, for the legend: braille or block dots, or in ASCII the
 * digit four times.  Returns buf. */
char *runstyle_sample(size_t k, glyph_tier t, char *buf, size_t cap);
/* The same for a dash pattern drawn in any role (the ghost's). */
char *runstyle_sample_dash(unsigned dash, glyph_tier t, char *buf,
                           size_t cap);

/* Places n labels along one axis of cells: label i wants cell want[i]
 * (NaN: not placed, pos[i] = −1).  Each gets a distinct cell in
 * [lo, hi] as near its wish as the others allow, keeping the order of
 * the wishes (ties by index) — so reading the labels in order tells the
 * order of the values they label, even where the values share a cell.
 * More labels than cells: the surplus share the end cells. */
void runstyle_place(const double *want, size_t n, int lo, int hi, int *pos);

#endif

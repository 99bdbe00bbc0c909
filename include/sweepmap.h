/* sweepmap.h — the pictures of a sweep (sweeplog.h), as text: the share
 * of runs that diverged against η with the edge marked (η where half of
 * them diverge), and a heat map of a metric over two swept fields, with
 * its legend.  Shaded characters carry the value in every tier (block
 * shades, or ASCII ".:-=+*#@"); colour, when asked for, only repeats
 * them.  No terminal code: the same text goes to a file, a pipe or the
 * screen. */
#ifndef SGDSCOPE_SWEEPMAP_H
#define SGDSCOPE_SWEEPMAP_H

#include <stdio.h>

#include "sweeplog.h"

/* The two pseudo-fields a map can also lay out: the run's name in its
 * comparison, and the sampling seed. */
#define SWEEPMAP_RUN "run"
#define SWEEPMAP_SEED "seed"

typedef struct sweepmap_opts {
    int width;           /* columns available, ≥ 40 */
    int ascii;           /* ASCII shades and rules */
    int color;           /* ANSI colours behind the shades */
    int metric;          /* sweeplog_metric */
    const char *xkey;    /* NULL: eta if swept, else the first field */
    const char *ykey;    /* NULL: the next field, else run when several */
} sweepmap_opts;

/* Where the share of diverged runs first reaches one half, going up the
 * sorted values x[0..n) with shares p[0..n): linear between the two
 * values around the crossing.  Returns 1 with *edge, 0 when no value
 * reaches one half, −1 when the smallest already does (*edge = x[0]). */
int sweepmap_edge(const double *x, const double *p, size_t n, double *edge);

/* A value as a map prints it (the text map and the app's map screen):
 * 4 significant digits, or 3 with an exponent when below 1e-3 or from
 * 1e5 up; "-" when not finite. */
void sweepmap_format(char *b, size_t n, double v);

/* Prints the map of l to f.  Returns 0, or −1 with err (an unknown
 * field for --x/--y, an axis that is not numeric where one must be). */
int sweepmap_print(const sweep_log *l, const sweepmap_opts *o, FILE *f,
                   char *err, size_t errlen);

#endif

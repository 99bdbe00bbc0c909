/* mapview.h — the app's stability map screen (key S): the background
 * sweep of mapjob.h drawn as it fills in.
 *
 *   - the share of seeds that diverged at each η, as bars, with the edge
 *     (where half of them diverge; sweepmap_edge's rule) marked under
 *     them;
 *   - a heat map of a metric over η (columns) and seed (rows), one cell a
 *     run: a shade for its value (log scale for losses), X where it
 *     diverged, a dim dot while it has not come back;
 *   - this run's η marked under the η axis, its seed's row starred;
 *   - the cursor cell's numbers, and the keys.
 *
 * Shades carry the value in every tier (block shades, or ASCII
 * ":-=+*#@"), colour only repeats them.  No terminal code. */
#ifndef SGDSCOPE_MAPVIEW_H
#define SGDSCOPE_MAPVIEW_H

#include "canvas.h"
#include "mapjob.h"

/* What the screen shows besides the job. */
typedef struct mapview_state {
    size_t cx, cy;        /* the cursor: η index, seed index */
    int metric;           /* the heat map's sweeplog_metric */
    double mark_eta;      /* this run's η (NaN: not marked) */
    double start_eta;     /* the η its scene started with */
    uint64_t mark_seed;   /* this run's seed */
    double now;           /* the caller's clock, for the time left */
    const char *msg;      /* a transient message for the status row, or
                             NULL */
} mapview_state;

/* Draws the screen in r (its last row: the keys).  Needs r.w ≥ 60 and
 * r.h ≥ 16 to show everything; smaller, it says so. */
void mapview_draw(canvas *c, rect r, const mapjob *m,
                  const mapview_state *s);

/* The first column of η index ie and the columns' width, for a screen
 * of width w (what mapview_draw lays out; tests and the mouse-free
 * cursor logic share it).  Returns the width. */
int mapview_columns(const mapjob *m, int w, int *x0);

#endif

/* pic.h — the predictor panel's pictures (internal to src/view).
 *
 * A model declares the picture of its predictor (model_ops.picture); the
 * predictor panel keeps one table from picture to the two functions that
 * draw it (panel_predictor.c), so a model with an existing picture needs
 * no view code, and a new picture is one pic_*.c file, its prototypes
 * here and one line of that table.
 *
 * Each picture draws one run as it is drawn alone (`who` names the run
 * among several: a part without text for a single run, which takes no
 * room), and may compare several runs of one model in one panel.  What
 * the pictures share, the strips of bars and the per-run values of a
 * title, is in pic.c. */
#ifndef SGDSCOPE_PIC_H
#define SGDSCOPE_PIC_H

#include <stddef.h>

#include "canvas.h"
#include "fit.h"
#include "model.h"
#include "plot.h"
#include "run.h"
#include "runstyle.h"

/* One run's picture in r; who names it among several runs. */
typedef void (*pic_draw_fn)(canvas *c, rect r, const run *R, fit_part who);
/* Several runs of one model (2 to PANEL_PREDICTOR_MAX_RUNS) compared in r;
 * returns 0, having drawn nothing, when they cannot share the picture
 * (then the panel draws the focused run alone). */
typedef int (*pic_compare_fn)(canvas *c, rect r, const runset *s);

/* A line of the predictor panel's table. */
typedef struct pic_entry {
    model_picture picture;
    pic_draw_fn draw;       /* one run */
    pic_compare_fn compare; /* several runs; NULL: the focused run alone */
} pic_entry;

/* ---- the pictures ----------------------------------------------------- */

/* θ² of the last steps as bars against θ*² (quad1d); strips per run. */
void pic_theta2_draw(canvas *c, rect r, const run *R, fit_part who);
int pic_theta2_compare(canvas *c, rect r, const runset *s);
/* β = u⊙v as bars, β*'s support marked under them (diagnet); strips. */
void pic_beta_draw(canvas *c, rect r, const run *R, fit_part who);
int pic_beta_compare(canvas *c, rect r, const runset *s);
/* h(x) over the 1-D inputs with the data and its kinks (relu1d);
 * curves overlaid. */
void pic_curve_draw(canvas *c, rect r, const run *R, fit_part who);
int pic_curve_compare(canvas *c, rect r, const runset *s);
/* First-layer neurons as points in a plane, the teacher's directions as
 * rays, the unit circle (ts2, ts3); two runs side by side. */
void pic_neurons_draw(canvas *c, rect r, const run *R, fit_part who);
int pic_neurons_compare(canvas *c, rect r, const runset *s);

/* ---- shared by the pictures (pic.c) ----------------------------------- */

/* Per-run values for a title, "1:200 2:68 …", into parts (from *n) when
 * label and all of them fit in w cells (1 returned); else nothing (0). */
int pic_all_values(const canvas *c, const runset *s, const char *label,
                   char val[][32], int w, fit_part *parts, size_t *n);

/* Fills out[0..n) with run R's n bars. */
typedef void (*pic_bars_fn)(const run *R, size_t n, double *out);

/* The strips of bars: rows of r below the title (and above `foot` rows
 * kept at the bottom) shared out, run order top down, each with its run's
 * digit (▸ for the focused run) left of it; vals gives run i's n bars
 * (n ≤ PANEL_MAX_PTS), `level` a line across each strip (NaN: none).
 * Returns the last strip's plot in *last (for what goes under it), or 0
 * when a strip would get fewer than two rows. */
int pic_strips(canvas *c, rect r, const runset *s, int foot, axis y,
               size_t n, pic_bars_fn vals, double level, plot *last);

/* Whether some run is live: the strips' shared scale is then the live
 * runs' (a frozen run's blown-up values would flatten the others; its
 * bars are cut at the top, and the legend marks it ✕). */
int pic_live_runs(const runset *s);

#endif

/* panel_kit.h — what the panels share (internal to src/view): titles
 * fitted by priority, the run's verdict in a word, histories turned into
 * plottable series, log axes with an honest floor, and scratch buffers.
 *
 * Scratch: the buffers are grown once to the largest need and never
 * freed (one set per process); a panel owns them only while it draws. */
#ifndef SGDSCOPE_PANEL_KIT_H
#define SGDSCOPE_PANEL_KIT_H

#include <stddef.h>
#include <stdint.h>

#include "canvas.h"
#include "fit.h"
#include "history.h"
#include "plot.h"
#include "run.h"

#define PANEL_MAX_PTS 512 /* samples per drawn curve */
#define PANEL_LOG_SPAN 16 /* decades a log axis shows below its top, at most */

/* Whether r's model is called name ("quad1d", "diagnet", "relu1d"). */
int panel_is_model(const run *r, const char *name);

/* Points for a curve across p's data area: one per dot column, within
 * [2, PANEL_MAX_PTS]. */
size_t panel_npts(const plot *p, const canvas *c);

/* A panel title from parts, on r's top row (fit_draw, "  " between). */
void panel_title(canvas *c, rect r, const fit_part *parts, size_t n);

/* The run's state in one word, from its verdict: a frozen run is
 * "diverged" whatever its last evaluation said; and its colour. */
const char *panel_verdict_word(const run *R);
int panel_verdict_role(const run *R);

/* A loss for a title on a log plot: an exact 0 (or an underflow to it)
 * says what it means ("<1e-300") instead of a bare "0" the plot can't
 * show.  Returns buf. */
char *panel_fmt_loss(double v, char *buf, size_t cap);

/* Step → x on the loss panel's axis (log: step + 1, so step 0 is x = 1,
 * the axis's left end). */
double panel_xval(int xlog, uint64_t step);

/* A time series as buckets: bucket i spans x0[i]..x1[i] with values in
 * lo[i]..hi[i] (plot_envelope's input).  Points to scratch: valid until
 * the next panel_series_* call. */
typedef struct panel_series {
    const double *x0, *x1, *lo, *hi;
    size_t n;
} panel_series;

/* The whole history h as a series, with f applied to the values (NULL:
 * as stored).  n = 0 if there is no memory. */
panel_series panel_series_of(const history *h, int xlog,
                             double (*f)(double));
/* Samples (step[i], v[i]) with step[i] ≤ until (a ghost: a saved run
 * drawn alongside the live one only as far as the live one has come). */
panel_series panel_series_samples(const uint64_t *step, const double *v,
                                  size_t n, uint64_t until, int xlog);
/* Draws s as an oscilloscope trace (plot_envelope), dashed (dash as
 * plot_envelope_dash; 0xFF solid). */
void panel_series_draw(plot *p, const panel_series *s, int role,
                       unsigned dash);

/* Largest finite value of h among samples at steps ≥ from (NaN if none). */
double panel_window_max(const history *h, uint64_t from);

/* Widens *minpos (smallest positive), *max (largest finite) and *nonpos
 * (some value ≤ 0) by h's values. */
void panel_pos_range(const history *h, double *minpos, double *max,
                     int *nonpos);

/* A log axis for values with max `max`, smallest positive `minpos`, and
 * zeros (nonpos): decades outward, at most PANEL_LOG_SPAN decades deep.
 * When values lie at or below the bottom (zeros, or what the cap cut
 * off) the bottom is a floor: they are drawn on it, and it is marked. */
axis panel_log_axis(double minpos, double max, int nonpos);

/* The smallest of 1, 1.5, 2, 3, 5, 7 × 10^k at or above v (v > 0): axes
 * move in these steps, so a small wobble leaves them alone, and a frame
 * is still at least two thirds full. */
double panel_nice_ceil(double v);

/* Scratch of at least p doubles (NULL if no memory). */
double *panel_theta_buf(size_t p);

#endif

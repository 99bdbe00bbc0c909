/* panels.h — the four panels of the screen.  Each draws one rectangle of
 * the canvas from the app's run; none changes the run, and none computes
 * a metric the run already has (they only evaluate the model along lines
 * to draw curves).  No terminal code. */
#ifndef SGDSCOPE_PANELS_H
#define SGDSCOPE_PANELS_H

#include "app.h"
#include "canvas.h"

/* The loss along the valley's steep direction through the iterate, with
 * the iterate and a trail of the last iterates.  quad1d: F(θ) itself. */
void panel_valley(canvas *c, rect r, const app *a);
/* Train and test loss over the whole run on a log axis with an honest
 * floor, the loss band, η-change markers; under it, when r is tall
 * enough, the sharpness strip: λmax over the run against 2/η. */
void panel_loss(canvas *c, rect r, const app *a);
/* The current predictor against the target. */
void panel_predictor(canvas *c, rect r, const app *a);
/* σ_k/σ_1 bars on a log axis with the rank threshold; ratios at or
 * below the rounding floor are drawn on it, marked "≤". */
void panel_spectrum(canvas *c, rect r, const app *a);
/* The rounding floor of σ_k/σ_1 for nsv values of a p-parameter model:
 * ten times max(nsv, p)·ε, up to a decade. */
double panel_sv_floor(size_t nsv, size_t p);

#endif

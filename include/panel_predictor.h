/* panel_predictor.h — the predictor panel, the picture the model declares
 * (model_ops.picture): θ² against θ*² (quad1d), β = u⊙v with β*'s
 * support marked under it (diagnet), h(x) with its counted kinks
 * (relu1d), the first-layer neurons against the teacher's directions
 * (ts2, ts3).  With 2 to 4 runs of one model it compares them: h(x)
 * curves overlaid in the runs' styles, bars (β, θ²) in aligned strips,
 * one per run, on one scale and one x axis (bars cannot overlay legibly),
 * two runs' neurons side by side on one scale; otherwise it shows the
 * focused run and says so.  No terminal code. */
#ifndef SGDSCOPE_PANEL_PREDICTOR_H
#define SGDSCOPE_PANEL_PREDICTOR_H

#include "app.h"
#include "canvas.h"

/* The most runs the predictor compares; beyond, the focused run alone. */
#define PANEL_PREDICTOR_MAX_RUNS 4

/* Draws the predictor of a's runs into r of c. */
void panel_predictor(canvas *c, rect r, const app *a);

#endif

/* panel_spectrum.h — the NTK spectrum panel: σk/σ1 on a log axis with
 * the rank threshold τ; ratios at or below the rounding floor are drawn
 * on it, marked "≤".  One run: bars.  Several: each run's normalized
 * spectrum as a line in its style, and a row under the plot with each
 * run's digit at its rank.  No terminal code. */
#ifndef SGDSCOPE_PANEL_SPECTRUM_H
#define SGDSCOPE_PANEL_SPECTRUM_H

#include <stddef.h>

#include "app.h"
#include "canvas.h"

/* Draws the spectrum panel of a's runs into r of c. */
void panel_spectrum(canvas *c, rect r, const app *a);
/* The rounding floor of σ_k/σ_1 for nsv values of a p-parameter model:
 * ten times max(nsv, p)·ε, up to a decade. */
double panel_sv_floor(size_t nsv, size_t p);

#endif

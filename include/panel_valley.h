/* panel_valley.h — the valley panel: the loss along the valley's steep
 * direction (the top Hessian eigenvector) through the iterate, with the
 * iterate and a trail of the last iterates; quad1d: F(θ) itself.  It
 * shows the focused run (a->r); when the session holds several, the
 * title names it.  Reads the run; no terminal code. */
#ifndef SGDSCOPE_PANEL_VALLEY_H
#define SGDSCOPE_PANEL_VALLEY_H

#include "app.h"
#include "canvas.h"

/* Draws the valley of a->r into r of c. */
void panel_valley(canvas *c, rect r, const app *a);

#endif

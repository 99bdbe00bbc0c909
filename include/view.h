/* view.h — the whole screen drawn into a canvas from an app's state:
 * valley, loss, predictor and spectrum panels laid out to fit, the status
 * and key-hint lines, and the overlays (help, divergence, "too small").
 * Reads the app and its run; never changes them.  No terminal code. */
#ifndef SGDSCOPE_VIEW_H
#define SGDSCOPE_VIEW_H

#include "app.h"
#include "canvas.h"

/* The smallest terminal the panels fit in; below it view_draw shows a
 * centred "needs W×H" message instead. */
#define VIEW_MIN_W 60
#define VIEW_MIN_H 18

/* Draws everything into c (already sized to the terminal). */
void view_draw(canvas *c, const app *a);

#endif

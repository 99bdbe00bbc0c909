/* view.h — the whole screen drawn into a canvas from an app's state:
 * a title bar (the scene, step/total, a progress bar, the speed), with
 * several runs a legend row (legend.h), the valley and predictor panels
 * on the left, the loss (with its sharpness strip) and spectrum panels on
 * the right, the status line (the focused run when there are several,
 * verdict, dynamics, η, phase) and the key-hint line, then the overlays
 * (help, comparison table, divergence, "too small").  Every line fits its width by dropping its
 * least important parts, never by cutting a word.  Reads the app and its
 * run; never changes them, and keeps no memory of earlier frames, so a
 * frame is a function of the app's state.  No terminal code. */
#ifndef SGDSCOPE_VIEW_H
#define SGDSCOPE_VIEW_H

#include "app.h"
#include "canvas.h"

/* The smallest terminal the panels fit in; below it view_draw shows a
 * centred "needs W×H" message instead. */
#define VIEW_MIN_W 60
#define VIEW_MIN_H 18

/* Rows a lesson's captions get above the status line (scenes with caption
 * or end events only; one below 30 lines). */
#define VIEW_CAPTION_ROWS 2

/* Draws everything into c (already sized to the terminal). */
void view_draw(canvas *c, const app *a);

#endif

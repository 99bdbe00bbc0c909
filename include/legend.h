/* legend.h — the comparison's legend: one row under the title bar naming
 * every run with its digit, a sample of its line and, where the width
 * allows, its verdict; the focused run marked ▸ and bold; a frozen run
 * marked ✕; the ghost (a saved run) named last.  Drawn only when the
 * session holds several runs (view.c gives it the row).  It shortens
 * evenly — every run's verdict goes before any name, every name before
 * the focused run's — and never cuts a word.  No terminal code. */
#ifndef SGDSCOPE_LEGEND_H
#define SGDSCOPE_LEGEND_H

#include "app.h"
#include "canvas.h"

/* Draws the legend of a's runs on row y of c (the whole width). */
void legend_draw(canvas *c, int y, const app *a);

#endif

/* table.h — the comparison table, drawn over the panels when a->table is
 * set: one row per run (the focused one marked ▸ and bold, each in its
 * colour) with η now, train and test loss, rank, the model's sparsity
 * (‖β‖₀ for diagnet; kinks and feature sparsity for relu1d; θ for
 * quad1d), λmax, and the verdict ("diverged at step N" for a frozen
 * run); at 120 columns also the dynamics and the loss band.  Every cell
 * is a quantity the run computed (run->last, run_eta, the verdict): the
 * table formats, it never estimates.  It fits its width by dropping whole
 * columns, least important first (the band, the dynamics, λmax, …; the
 * run and its verdict stay), never by cutting a word.  No terminal
 * code. */
#ifndef SGDSCOPE_TABLE_H
#define SGDSCOPE_TABLE_H

#include "app.h"
#include "canvas.h"

/* Draws the table of a's runs, centred in area (the panels' rows). */
void table_draw(canvas *c, const app *a, rect area);

#endif

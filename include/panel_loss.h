/* panel_loss.h — the loss panel: train and test loss over the whole run
 * on a log axis with an honest floor, the loss band and η-change markers;
 * under it, when tall enough, the sharpness strip (λmax against 2/η).
 * With several runs (a comparison) it stacks a train plot and a test plot
 * in which every run is overlaid in its style (runstyle.h), each curve
 * labelled by its run's digit at its end, in the order of the final
 * values; a saved run (a->ghost) is drawn faintly behind.  No terminal
 * code. */
#ifndef SGDSCOPE_PANEL_LOSS_H
#define SGDSCOPE_PANEL_LOSS_H

#include "app.h"
#include "canvas.h"

/* Draws the loss panel of a's runs into r of c. */
void panel_loss(canvas *c, rect r, const app *a);

#endif

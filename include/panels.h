/* panels.h — the four panels of the screen, one module each: the valley
 * (panel_valley.h), the loss with its sharpness strip (panel_loss.h), the
 * predictor (panel_predictor.h) and the NTK spectrum (panel_spectrum.h).
 * Each draws one rectangle of the canvas from the app's runs; none
 * changes a run, and none computes a metric the run already has (they
 * only evaluate the model along lines to draw curves).  No terminal
 * code. */
#ifndef SGDSCOPE_PANELS_H
#define SGDSCOPE_PANELS_H

#include "panel_loss.h"
#include "panel_predictor.h"
#include "panel_spectrum.h"
#include "panel_surface.h"
#include "panel_valley.h"

#endif

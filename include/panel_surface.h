/* panel_surface.h — the loss-surface panel: the training loss on the
 * session's plane (surface.h) as a heat map on a log colour scale with
 * its legend, in shaded characters that read without colour, the path of
 * every run of the session on it in the runs' styles (runstyle.h), each
 * run's current iterate marked, the plane's coordinates named.  Shown in
 * the valley's place when the scene has a surface (key v toggles).
 * Reads the app; keeps nothing between frames; no terminal code. */
#ifndef SGDSCOPE_PANEL_SURFACE_H
#define SGDSCOPE_PANEL_SURFACE_H
#include "app.h"
#include "canvas.h"

/* The shades of the heat map, low loss to high: ' ' is the valley's
 * floor.  Level k (> 0) is drawn in ROLE_HEAT1 + k − 1. */
#define PANEL_SURFACE_RAMP " .:-=+#%"
#define PANEL_SURFACE_LEVELS 8
/* Decades the colour scale spans at most, below the grid's top. */
#define PANEL_SURFACE_DECADES 8

/* Whether the top-left slot shows the surface: the session has one and
 * the valley was not asked for (a->valley). */
int panel_surface_shown(const app *a);
/* Draws the loss surface of a->ses into r of c. */
void panel_surface(canvas *c, rect r, const app *a);
#endif

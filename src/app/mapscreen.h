/* mapscreen.h — the app's side of the stability map (private to
 * src/app): key S opens the screen and, the first time for a run, starts
 * its background sweep (mapjob.h); the screen's keys move a cursor over
 * the cells, change the metric, zoom the η range, run the sweep again,
 * and open a cell's run.  The screen itself is mapview.h's. */
#ifndef SGDSCOPE_MAPSCREEN_H
#define SGDSCOPE_MAPSCREEN_H

#include "app.h"

/* Key S: shows the map of the focused run, starting its sweep when there
 * is none for this scene and run (or the last one was stopped). */
void mapscreen_open(app *a);

/* A key while the map is shown. */
void mapscreen_key(app *a, int key);

/* Stops the sweep and frees the map (the app is closing). */
void mapscreen_free(app *a);

#endif

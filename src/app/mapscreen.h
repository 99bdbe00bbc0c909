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

/* `:map LO:HI[:N] [S[-T]]`: shows a new map of the focused run over N
 * values of η from lo to hi and the seeds seed0 .. seed0 + nseed − 1,
 * stopping the sweep of any earlier map.  The caller has checked the
 * numbers against MAPJOB_MAX_ETA and MAPJOB_MAX_SEEDS.  Returns 0, or −1
 * with the app's message saying why (the scene refused a value). */
int mapscreen_open_grid(app *a, double lo, double hi, size_t neta,
                        uint64_t seed0, size_t nseed);

/* A key while the map is shown. */
void mapscreen_key(app *a, int key);

/* Stops the sweep and frees the map (the app is closing). */
void mapscreen_free(app *a);

#endif

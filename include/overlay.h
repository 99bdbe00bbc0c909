/* overlay.h — boxes drawn over the panels: the scene's caption, the
 * divergence notice, the help (generated from the key table).  Reads the
 * app; never changes it.  No terminal code. */
#ifndef SGDSCOPE_OVERLAY_H
#define SGDSCOPE_OVERLAY_H

#include "app.h"
#include "canvas.h"

/* Draws whichever overlays the app's state calls for, over the panels
 * already in c. */
void overlay_draw(canvas *c, const app *a);

#endif

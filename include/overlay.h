/* overlay.h — what is drawn over the panels: the scene's caption (as
 * subtitles in the bottom rows: the hint line, or the rows just above
 * the status line), the comparison table (table.h) when a->table is set,
 * else the divergence notice (naming the focused run among several), the
 * help (generated from the key table), the scene picker and the `:`
 * prompt (over the hint line).
 * Reads the app; never changes it.  No terminal code. */
#ifndef SGDSCOPE_OVERLAY_H
#define SGDSCOPE_OVERLAY_H

#include "app.h"
#include "canvas.h"

/* Draws whichever overlays the app's state calls for, over the panels
 * and the status and hint lines already in c (view_draw calls it last).
 * Captions go in `caption`, the rows the layout keeps for a lesson's
 * captions (bottom-aligned); when it has no rows, or a caption needs
 * more, the caption rises into the bottom panels, never the top ones. */
void overlay_draw(canvas *c, const app *a, rect caption);

#endif

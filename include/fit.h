/* fit.h — lines of text that fit their width by priority, never by
 * cutting a word.
 *
 * A line is a list of parts (the verdict, η, the seed…), each with a few
 * variants from longest to shortest and a priority.  When the line is too
 * wide, the least important part is shortened first, then dropped; the
 * parts that matter most stay whole.  So a projector at 80×24 shows fewer
 * things, never "bounc…".  No terminal code. */
#ifndef SGDSCOPE_FIT_H
#define SGDSCOPE_FIT_H

#include <stddef.h>
#include <stdint.h>

#include "canvas.h"

#define FIT_VARIANTS 4
#define FIT_KEEP 1000 /* a part with this priority is never dropped */

typedef struct fit_part {
    const char *v[FIT_VARIANTS]; /* longest first; NULL ends the list */
    int prio;                    /* higher is kept longer */
    int role, attr;              /* how the part is drawn */
} fit_part;

/* Picks a variant for each of the n parts so that the shown ones, joined
 * by sep, take at most w cells on c: pick[i] is the variant index or −1
 * when part i is dropped (parts with no text count as dropped).  The part
 * with the lowest priority is shortened or dropped first (on a tie, the
 * later one); FIT_KEEP parts are only shortened.  Returns the width of
 * the result, which exceeds w only when even the shortest keepers don't
 * fit. */
int fit_choose(const canvas *c, const fit_part *parts, size_t n,
               const char *sep, int w, int *pick);

/* fit_choose, then draws the line at (x, y), each part in its role and
 * sep in ROLE_DIM, clipped to w cells.  Returns the cells used. */
int fit_draw(canvas *c, int x, int y, int w, const fit_part *parts,
             size_t n, const char *sep);

/* n with thousands separators ("12,000") into buf; returns buf. */
char *fit_count(uint64_t n, char *buf, size_t cap);

#endif

/* lesson.h — the app's side of a session's timeline (private to
 * src/app): captions, pauses, the end of a lesson, and the pacing that
 * lets a caption be read.  The session decides which event is due and
 * applies the runs' own (session_peek, session_fire); what is left —
 * captions, pauses, `end` and the keys the session's timeline presses —
 * is the app's, and lives here.  Time decides only when the next frame
 * may step, never what a step does. */
#ifndef SGDSCOPE_LESSON_H
#define SGDSCOPE_LESSON_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"

/* Fires the events due at the session's step, in the session's order.
 * paced (a frame of the view): a caption's seconds may hold the next
 * event; otherwise (a jump) nothing waits.  Returns how many fired. */
size_t lesson_fire_due(app *a, int paced);

/* Whether something holds a paced advance: a pause, a key to wait for, a
 * hold, an end, or a due event held by a caption. */
int lesson_held(const app *a);

/* Steps for this frame out of n while a caption timed in seconds is up:
 * the rest of the way to the next event spread over the caption's
 * remaining frames. */
uint64_t lesson_pace(app *a, uint64_t n);

/* Forgets the caption and what the timeline was holding. */
void lesson_clear(app *a);

#endif

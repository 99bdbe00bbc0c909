/* runs.h — what keys do to the runs of a session (private to src/app):
 * one run's settings (η, decay, warmup, dynamics, batch: app_run_act in
 * app.h), and the keys that choose runs — focus (Tab, Shift-Tab), fork
 * (f), the all-runs prefix (*), rewind (u).  The app and the headless
 * runner both go through runs_act, so a script does the same with a
 * screen or without, and the session's log replays it. */
#ifndef SGDSCOPE_RUNS_H
#define SGDSCOPE_RUNS_H

#include <stddef.h>

#include "app.h"
#include "session.h"

/* Applies act to the session s, with *all the `*` prefix state:
 *   ACT_ALL          sets (or clears) the prefix;
 *   one-run actions  act on the focused run, or with the prefix on every
 *                    live run (u: on every frozen run), clearing it;
 *   ACT_FOCUS_NEXT/PREV, ACT_FORK  move the focus, fork the focused run
 *                    at the current step (the fork gets the focus).
 * A rewound run's losses and spectrum are evaluated where it lands.
 * Feedback goes into msg ("" if none).  Returns 1 if act is one of these;
 * 0 otherwise, with the prefix dropped (the key then does what it always
 * does) and msg untouched. */
int runs_act(session *s, int *all, app_action act, char *msg, size_t cap);

/* Points a->r and a->run_name at the session's focused run: after
 * anything that may move the focus or replace the runs. */
void runs_sync(app *a);

/* Sets r's batch size, clamped to 1..min(n, 4096); says what it is in
 * msg.  Refuses nothing: the caller checks a frozen run. */
void runs_set_batch(run *r, size_t b, char *msg, size_t cap);

#endif

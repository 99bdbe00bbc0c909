/* session.h — a set of 1 to 6 runs that advance in lockstep, step for
 * step: what a comparison (comparison.h) turns into, and what the app,
 * the headless runner and the tests drive.  A single scene is a session
 * of one run; there is no other path.
 *
 *   session ── run[0..n)  each a full run (run.h) built by run_create from
 *           │             its finalized scene; by default they share the
 *           │             data draw, the probe inputs, the initial θ and
 *           │             the sample stream (the same seed), so only what
 *           │             the scene changes differs
 *           ├─ focus      the run the session's keys act on
 *           ├─ fork       a new run from another's exact state, logged
 *           └─ companions an SDE run reads δ from an SGD run's loss
 *
 * Lockstep: every live run stands at the session's step t.  A run that
 * diverges freezes alone (run.h) at its own step; the others go on.
 *
 * Events: each run fires its own timeline (its scene's: step-size,
 * dynamics and batch events and its block's keys) at its own steps; the
 * session fires its own (captions, pauses, end, keys for the focused
 * run).  All fire in one order — by step, then by their line in the
 * scene file, then by run — through session_peek and session_fire, so a
 * comparison's run takes exactly the steps the same scene takes alone.
 *
 * Companions (Appendix C): when an SDE run names an SGD run of the
 * session (scene field sde_companion), the SGD run records its full
 * training loss L(θ_t) before each of its steps into a ring the session
 * owns (SESSION_TAP_CAP steps), and the SDE's step t takes δ =
 * sde_scale·4c·L(θ_t of the companion): the session advances the
 * companion first over each chunk of at most SESSION_TAP_CHUNK steps,
 * then the SDE over the same chunk.  A companion that has diverged holds
 * δ at the loss of its frozen state.  Sessions without companions step
 * exactly as runs alone, in chunks as long as the caller asks.
 *
 * Determinism: the same comparison, seeds and events (keys, forks,
 * rewinds at the same steps) give the same bits, whatever the chunking.
 * Nothing allocates while stepping. */
#ifndef SGDSCOPE_SESSION_H
#define SGDSCOPE_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "comparison.h"
#include "run.h"

#define SESSION_MAX_RUNS COMPARISON_MAX_RUNS
/* Steps of a companion's loss a session keeps: a freeze replays at most
 * about 1024 steps and a rewind of an SDE reaches back at most this far. */
#define SESSION_TAP_CAP 8192u
/* The longest stretch a session with a companion advances at once. */
#define SESSION_TAP_CHUNK 2048u
#define SESSION_LOG_CAP 256

/* Applies a key of the app's key table to one run (η keys, decay,
 * warmup, dynamics, batch), writing feedback into msg.  Returns 1 if it
 * did (or refused with a message, on a frozen run), 0 if the key does
 * not act on one run.  The app provides it (app_run_key); NULL: keys in
 * timelines are all the caller's. */
typedef int (*session_key_fn)(run *r, int key, char *msg, size_t cap);

/* One run of the session and its bookkeeping. */
typedef struct session_slot {
    run *r;
    char name[COMPARISON_NAME_MAX];
    size_t tl_next;   /* its next event in r->sc.tl */
    int companion;    /* the run whose loss sets this SDE's δ; −1 none */
    int parent;       /* the run it was forked from; −1 from the scene */
    uint64_t born;    /* the step it was forked at (0 from the scene) */
    double *tap;      /* the ring it writes as a companion, or NULL */
} session_slot;

/* What the session's own log records (runs log their events in their
 * schedule, schedule.h). */
typedef enum {
    SESSION_LOG_FORK,     /* run `run` made from run `from` */
    SESSION_LOG_REWIND,   /* run `run` rewound (η ÷ 2) and caught up */
    SESSION_LOG_RESTART,  /* every run rebuilt from the scene; from = the
                             seed shift */
    SESSION_LOG_FOCUS     /* focus moved to run `run` */
} session_log_kind;

typedef struct session_log_entry {
    uint64_t step;        /* the session's step when it happened */
    session_log_kind kind;
    int run;
    int from;
    char name[COMPARISON_NAME_MAX];  /* the run's name then */
} session_log_entry;

typedef struct session {
    comparison *c;        /* the session's own copy of the comparison */
    size_t n;
    session_slot run[SESSION_MAX_RUNS];
    size_t focus;
    uint64_t t;           /* the step every live run stands at */
    uint64_t steps;       /* the runs' shared length */
    size_t tl_next;       /* the next event of c->tl */
    session_key_fn run_key;
    size_t order[SESSION_MAX_RUNS]; /* stepping order: companions first */
    size_t nlog, log_dropped;
    session_log_entry log[SESSION_LOG_CAP];
    /* The loss surface every run's path is drawn on (surface.h), built
     * once from run 0 (its scene's `surface`, its data, its θ at step 0)
     * when the session is created — a restart keeps the data and the
     * initialization, so the plane with it; NULL when the scene has
     * none.  Every run points at it (run.surf). */
    surface *surf;
} session;

/* A timeline event that is due, and whom it is for. */
typedef struct session_due {
    const tl_event *ev;   /* valid until the session changes */
    int run;              /* the run it acts on (the focused run for the
                             session's keys); −1 for captions, pauses and
                             end */
    int src;              /* whose timeline: −1 the session's, else the
                             run's index */
} session_due;

/* session_fire's answer. */
enum { SESSION_APPLIED = 0, SESSION_YOURS = 1 };

/* Builds a session from a finalized comparison (copied: c may go away)
 * at step 0, focus on run 0, companions wired.  key may be NULL.
 * Returns NULL with a message in err (a run that cannot be built,
 * allocation). */
session *session_create(const comparison *c, session_key_fn key, char *err,
                        size_t errlen);
/* Frees it and its runs (NULL is fine). */
void session_destroy(session *s);

/* Advances every live run up to n steps in lockstep, stopping early at
 * the next pending timeline event (fire it, then call again) and when no
 * run is live.  Returns the steps the session moved (s->t grew by that).
 * Metrics are the caller's (run_eval_losses etc. on each run). */
uint64_t session_advance(session *s, uint64_t n);

/* The step of the next event not yet fired (the session's, or a live
 * run's), or UINT64_MAX. */
uint64_t session_next_event(const session *s);

/* Whether an event is due now (its step ≤ the step of the run it belongs
 * to, live runs only): fills d with the first in firing order.  Returns
 * 1 or 0.  Nothing changes: a caller may look before firing. */
int session_peek(const session *s, session_due *d);

/* Fires d (from session_peek, nothing changed since): a run's step-size,
 * dynamics or batch event, or a key that run_key applies, is applied
 * here (msg gets the feedback, "" if none) and SESSION_APPLIED returned;
 * a caption, pause, end or other key is the caller's: SESSION_YOURS. */
int session_fire(session *s, const session_due *d, char *msg, size_t cap);

/* Live (not frozen) runs. */
size_t session_live(const session *s);

/* Run i, its name; the focused run. */
run *session_run(const session *s, size_t i);
const char *session_name(const session *s, size_t i);
run *session_focused(const session *s);

/* Moves the focus to the next run (cyclic), or to run i.  Logged. */
void session_focus_next(session *s);
void session_set_focus(session *s, size_t i);

/* The index of the run called name, or −1. */
int session_find(const session *s, const char *name);

/* A new run from run i's exact state (run_clone), named name (NULL or "":
 * "<name>-f<k>"), taking the rest of run i's timeline with it and reading
 * the same companion.  Logged.  Returns its index, or −1 with a message
 * (6 runs already, a bad or taken name). */
int session_fork(session *s, size_t i, const char *name, char *err,
                 size_t errlen);

/* Rewinds frozen run i (run_rewind, η ÷ factor) and steps it back to the
 * session's step, firing its events on the way and evaluating its losses
 * at its `every`.  Logged.  Returns 0, or −1 with a message (not frozen;
 * an SDE whose companion's loss no longer reaches back there). */
int session_rewind(session *s, size_t i, double factor, char *err,
                   size_t errlen);

/* Rebuilds every run of the comparison at step 0, every seed shifted by
 * seed_add (kept for later restarts), forks dropped.  keep_place: the
 * timelines keep their place (a timeline's own reset must not replay
 * itself); else they start over.  Logged.  Returns 0, or −1 with a
 * message (the session is unchanged). */
int session_restart(session *s, uint64_t seed_add, int keep_place,
                    char *err, size_t errlen);

#endif

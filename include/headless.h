/* headless.h — running a session without a terminal: CSV rows of the
 * metrics (long format: one row per run and evaluation) and one JSON
 * summary object per run.  Output is a pure function of (scene, seed,
 * events): no timings, no addresses. */
#ifndef SGDSCOPE_HEADLESS_H
#define SGDSCOPE_HEADLESS_H

#include <stdint.h>
#include <stdio.h>

#include "app.h"
#include "run.h"
#include "session.h"

/* Which output failed first, and why. */
typedef struct headless_fail {
    FILE *stream;     /* the csv or summary stream; NULL: none failed */
    int err;          /* the failed write's errno */
} headless_fail;

typedef struct headless_opts {
    FILE *csv;        /* NULL: no CSV */
    FILE *summary;    /* NULL: no summary */
    uint64_t every;   /* CSV/metric cadence; 0 = only at the end */
    uint64_t until;   /* the step to stop at: the scene's `steps`, or an
                         earlier one (--at) in a run of that length */
    headless_fail *failed; /* filled on a write error; may be NULL */
} headless_opts;

/* Advances the session to step o->until (or until no run is live, or a
 * scripted quit), firing timeline events at their steps (keys through
 * the app's key table, as the app applies them: a run block's keys with
 * app_run_key; the session's one-run keys, `*`, Tab, Shift-Tab, f and u
 * through the app's runs_act; r, R and q here), evaluating each run's metrics every o->every steps and where it
 * freezes, writing CSV rows (runs in order at each step) and then one
 * summary line per run.  Returns 0; −1 if writing failed (the run stops
 * at the first row whose write failed, and o->failed says which stream
 * and why); 1 if a terminating signal stopped it (exitsig.h: nothing
 * more is written, the caller discards the outputs and calls
 * exitsig_reraise). */
int headless_run(session *s, const headless_opts *o);

/* The model-specific CSV columns, as a bit mask: each model adds its
 * own, and a session's CSV has the union, in this order. */
enum {
    HEADLESS_X_THETA = 1,            /* quad1d */
    HEADLESS_X_L0 = 2,               /* diagnet */
    HEADLESS_X_FEATURE_SPARSITY = 4, /* relu1d, ts2, ts3 */
    HEADLESS_X_KINKS = 8,            /* relu1d */
    HEADLESS_X_FEATURE_SPARSITY2 = 16, /* ts3: second hidden layer */
    HEADLESS_X_TEACHER_ANGLE = 32    /* ts2, ts3 */
};

/* The extra columns of r's model (HEADLESS_X_*). */
unsigned headless_csv_extras(const run *r);

/* The CSV header, newline included: "run", the columns every model has,
 * then the extra columns of the mask: the one schema of sgdscope(1),
 * "CSV", which the `e` export (app_export_csv) prints too. */
void headless_csv_header(unsigned extras, FILE *f);
/* One CSV row of run `name` from r->last (one evaluation: train_min =
 * train_max = train_loss); dynamics and batch are those in force for the
 * next step; extra columns of other models are empty. */
void headless_csv_row(const char *name, unsigned extras, const run *r,
                      FILE *f);
/* The JSON summary object of run `name`, one line: "run" first, then the
 * final metrics, "verdict" (one of the five words of verdict_name;
 * "diverged" for a frozen run) and "sharpness" (λmax at the final state,
 * null when unknown). */
void headless_summary(const char *name, const run *r, FILE *f);

#endif

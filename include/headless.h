/* headless.h — running a scene without a terminal: CSV rows of the
 * metrics and a one-object JSON summary.  Output is a pure function of
 * (scene, seed, events): no timings, no addresses. */
#ifndef SGDSCOPE_HEADLESS_H
#define SGDSCOPE_HEADLESS_H

#include <stdint.h>
#include <stdio.h>

#include "app.h"
#include "run.h"

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

/* Advances the app's run to step o->until (or divergence, or a scripted
 * quit), firing timeline events at their steps, evaluating the metrics
 * every o->every steps, writing CSV rows and the summary.
 * Returns 0; −1 if writing failed (the run stops at the first row whose
 * write failed, and o->failed says which stream and why); 1 if a
 * terminating signal stopped it (exitsig.h: nothing more is written,
 * the caller discards the outputs and calls exitsig_reraise). */
int headless_run(app *a, const headless_opts *o);

/* The CSV header for r's model, newline included: the one schema of
 * sgdscope(1), "CSV", which the `e` export (app_export_csv) prints too. */
void headless_csv_header(const run *r, FILE *f);
/* One CSV row from r->last (one evaluation: train_min = train_max =
 * train_loss); dynamics and batch are those in force for the next step. */
void headless_csv_row(const run *r, FILE *f);
/* The JSON summary object, one line: the final metrics, "verdict" (one of
 * the five words of verdict_name; "diverged" for a frozen run) and
 * "sharpness" (λmax at the final state, null when unknown). */
void headless_summary(const run *r, FILE *f);

#endif

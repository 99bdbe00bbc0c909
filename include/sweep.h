/* sweep.h — running a grid of headless runs (grid.h) on every core, into
 * one JSON line per run (sgdscope(1), SWEEPS).
 *
 * Every job runs in a process of its own, forked from the sweep: no
 * state is shared, and a job's numbers are those of
 * `sgdscope --headless SCENE --set KEY=V ... --seed S --summary` bit for
 * bit, whatever -j is.  The parent alone writes the output, one job's
 * lines in one write(2), so a crash or a signal leaves no torn line
 * behind (and a torn tail, from a power cut, is cut off on resumption).
 *
 * Each line is the run's --summary object with three members in front:
 *
 *   {"job":17,"sweep":"9c1e...","params":{"eta":0.205},"run":...,"seed":3,...}
 *
 * "job" the job's number in the grid (grid.h), "sweep" the fingerprint of
 * the scene and grid (a resumption refuses a file of another sweep),
 * "params" the varied fields' values (numbers as numbers, other values as
 * strings); the summary's own "seed" is the sampling seed. */
#ifndef SGDSCOPE_SWEEP_H
#define SGDSCOPE_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "comparison.h"
#include "grid.h"

/* What a sweep did (for the caller's summary and the bench). */
typedef struct sweep_stats {
    size_t total;      /* jobs of this shard */
    size_t resumed;    /* already in the output file */
    size_t done;       /* run now */
    size_t failed;     /* jobs whose process failed (their lines missing) */
    double seconds;    /* wall time of the runs */
    long max_rss_kb;   /* the largest peak resident size of a job */
} sweep_stats;

typedef struct sweep_opts {
    const char *out;   /* the output file, or "-" for standard output */
    unsigned jobs;     /* processes at once, ≥ 1 */
    int sorted;        /* write the lines in job order */
    unsigned shard_k, shard_n; /* this shard, 1..n of n (n = 0: all) */
    int progress;      /* live progress on stderr */
    uint64_t fingerprint; /* grid_fingerprint of the scene and grid */
    sweep_stats *stats; /* filled when not NULL */
} sweep_opts;

/* Checks every grid point of the sweep before anything runs: each
 * point's comparison (base, then the axes' values, then the seed)
 * finalizes and its keys are bound.  base holds the scene with the
 * sweep's and the command line's --set applied, not finalized.
 * Returns 0, or −1 with e naming the point's first error. */
int sweep_check(const comparison *base, const grid *g, scene_err *e,
                char *err, size_t errlen);

/* Job j's comparison, finalized, into *out.  Returns 0 or −1 with e. */
int sweep_job_scene(const comparison *base, const grid *g, size_t j,
                    comparison *out, scene_err *e);

/* Runs the sweep (after sweep_check).  Returns 0; 1 if a job failed or
 * writing failed (err says which); 2 if the output file cannot be used
 * (another sweep's, or not a sweep's output: nothing ran); 3 if a
 * terminating signal stopped it (the lines written so far stay; the
 * caller calls exitsig_reraise). */
int sweep_run(const comparison *base, const grid *g, const sweep_opts *o,
              char *err, size_t errlen);

#endif

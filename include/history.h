/* history.h — a metric's history in bounded memory.
 *
 * A series holds at most `cap` buckets.  Each push lands in the newest
 * bucket until it holds `span` samples; when all buckets are full,
 * neighbouring pairs are merged and `span` doubles.  Every bucket keeps the
 * min and max of what fell in it (so one spike survives any amount of
 * decimation), the last value and the step range.  A run of 10^9 steps uses
 * the same memory as one of 10^3. */
#ifndef SGDSCOPE_HISTORY_H
#define SGDSCOPE_HISTORY_H

#include <stddef.h>
#include <stdint.h>

typedef struct hist_bucket {
    uint64_t step_first, step_last; /* steps of the first and last sample */
    double min, max;                /* over finite samples; NaN if none */
    double last;                    /* the most recent sample */
    uint64_t count;                 /* samples in this bucket */
} hist_bucket;

typedef struct history {
    hist_bucket *b;
    size_t cap;     /* even, ≥ 2 */
    size_t len;     /* buckets in use */
    uint64_t span;  /* samples per full bucket (a power of two) */
    uint64_t total; /* samples pushed since the last clear */
} history;

/* Allocates a series of cap buckets (rounded up to even, at least 2).
 * Returns 0 or −1. */
int history_init(history *h, size_t cap);
/* Frees it (safe on a zeroed one). */
void history_free(history *h);
/* Makes dst (initialized with the same cap) hold what src holds, for a
 * run's fork.  Never allocates.  Returns 0, or −1 if the caps differ. */
int history_copy(history *dst, const history *src);

/* Forgets every sample, keeping the memory. */
void history_clear(history *h);
/* Appends value observed at step (steps must not decrease).  Never
 * allocates. */
void history_push(history *h, uint64_t step, double value);
/* Bucket i, 0 = oldest, i < h->len. */
const hist_bucket *history_at(const history *h, size_t i);
/* Min and max over all buckets (finite values); NaN, NaN if none. */
void history_range(const history *h, double *lo, double *hi);
/* Drops every bucket holding a sample at a step ≥ step (for rewinds; a
 * bucket straddling step goes whole), so pushing again from step keeps
 * steps non-decreasing. */
void history_truncate(history *h, uint64_t step);

#endif

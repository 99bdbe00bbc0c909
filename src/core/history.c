/* history.c — bounded min/max decimation of a metric's series; see
 * history.h.
 *
 * Invariant: every bucket except the newest holds exactly `span` samples,
 * and the newest holds 1..span.  So when all `cap` buckets are full the
 * series can be halved by merging neighbouring pairs, after which every
 * bucket holds the new (doubled) span and pushing continues into a fresh
 * bucket.  The memory is the `cap` buckets allocated once by history_init.
 */
#include "history.h"

#include <math.h>
#include <string.h>
#include <stdint.h>
#include <stdlib.h>

int history_init(history *h, size_t cap)
{
    h->b = NULL;
    h->cap = 0;
    h->len = 0;
    h->span = 1;
    h->total = 0;
    if (cap < 2)
        cap = 2;
    if (cap % 2)
        cap++;
    if (cap == 0 || cap > SIZE_MAX / sizeof(hist_bucket))
        return -1; /* cap++ wrapped, or the size would overflow */
    h->b = calloc(cap, sizeof(hist_bucket));
    if (!h->b)
        return -1;
    h->cap = cap;
    return 0;
}

void history_free(history *h)
{
    free(h->b);
    h->b = NULL;
    h->cap = 0;
    h->len = 0;
    h->span = 1;
    h->total = 0;
}

int history_copy(history *dst, const history *src)
{
    if (dst->cap != src->cap)
        return -1;
    memcpy(dst->b, src->b, src->len * sizeof *src->b);
    dst->len = src->len;
    dst->span = src->span;
    dst->total = src->total;
    return 0;
}

void history_clear(history *h)
{
    h->len = 0;
    h->span = 1;
    h->total = 0;
}

/* Folds the later bucket y into a copy of the earlier bucket x.  fmin and
 * fmax ignore a NaN operand, so an all-NaN bucket does not erase the other
 * bucket's range. */
static hist_bucket bucket_merge(hist_bucket x, const hist_bucket *y)
{
    x.min = fmin(x.min, y->min);
    x.max = fmax(x.max, y->max);
    x.last = y->last;
    x.step_last = y->step_last;
    x.count += y->count;
    return x;
}

/* Halves the series in place: bucket i becomes buckets 2i and 2i+1.
 * Called only when len == cap, which is even, so every bucket has a pair.
 * Reading 2i, 2i+1 before writing i ≤ 2i never overwrites unread data. */
static void history_halve(history *h)
{
    size_t half = h->len / 2;
    for (size_t i = 0; i < half; i++)
        h->b[i] = bucket_merge(h->b[2 * i], &h->b[2 * i + 1]);
    h->len = half;
    h->span *= 2;
}

void history_push(history *h, uint64_t step, double value)
{
    if (!h->b || h->cap == 0)
        return; /* a zeroed or failed series records nothing */
    int fin = isfinite(value);
    hist_bucket *cur = h->len ? &h->b[h->len - 1] : NULL;
    if (!cur || cur->count >= h->span) {
        if (h->len == h->cap)
            history_halve(h);
        cur = &h->b[h->len++];
        cur->step_first = step;
        cur->min = NAN;
        cur->max = NAN;
        cur->count = 0;
    }
    /* NaN and ±Inf are recorded as the bucket's last value (so a diverged
     * run shows as such) and counted, but kept out of min/max so they
     * cannot wreck a plot's axis range. */
    if (fin) {
        cur->min = fmin(cur->min, value);
        cur->max = fmax(cur->max, value);
    }
    cur->last = value;
    cur->step_last = step;
    cur->count++;
    h->total++;
}

const hist_bucket *history_at(const history *h, size_t i)
{
    return i < h->len ? &h->b[i] : NULL;
}

void history_range(const history *h, double *lo, double *hi)
{
    double l = NAN, u = NAN;
    for (size_t i = 0; i < h->len; i++) {
        l = fmin(l, h->b[i].min);
        u = fmax(u, h->b[i].max);
    }
    *lo = l;
    *hi = u;
}

void history_truncate(history *h, uint64_t step)
{
    /* Steps never decrease, so the buckets to drop are a suffix.  A bucket
     * that straddles `step` goes too (its earlier samples with it): a run
     * rewound to `step` pushes from there again, and a kept straddling
     * bucket would break the rule that steps never decrease.  total drops
     * with the samples so that it stays the sum of the counts. */
    while (h->len > 0 && h->b[h->len - 1].step_last >= step) {
        h->total -= h->b[h->len - 1].count;
        h->len--;
    }
}

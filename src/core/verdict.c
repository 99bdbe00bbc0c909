/* verdict.c — the run verdicts' names and rule; see verdict.h. */
#include "verdict.h"

#include <float.h>
#include <math.h>

const char *verdict_name(verdict_kind v)
{
    static const char *const names[VERDICT_COUNT] = {
        "bouncing", "converging", "converged", "erratic", "diverged"};
    return (unsigned)v < VERDICT_COUNT ? names[v] : "unknown";
}

/* lg max(x, floor): values under the floor count as the floor. */
static double lg_floor(double x, double floor)
{
    return log10(x > floor ? x : floor);
}

/* Mean and sample variance of lg max(x_i, floor) over k ≥ 2 values
 * (two passes: the values are few and the second pass is exact). */
static void half_stats(const double *x, size_t k, double floor, double *mean,
                       double *var)
{
    double m = 0.0, v = 0.0;
    for (size_t i = 0; i < k; i++)
        m += lg_floor(x[i], floor);
    m /= (double)k;
    for (size_t i = 0; i < k; i++) {
        double d = lg_floor(x[i], floor) - m;
        v += d * d;
    }
    *mean = m;
    *var = v / (double)(k - 1);
}

/* The window's newest VERDICT_DROP_K values all lie more than `by`
 * decades under the lowest value of its older half (under the floor
 * clamp): the loss has just left its band downward — a decay, a switch to
 * GD — before the halves' means can show it. */
static int dropped(const double *x, size_t n, double floor, double by)
{
    size_t h = n / 2;
    if (h < VERDICT_DROP_K || n - h < VERDICT_DROP_K)
        return 0;
    double lo = INFINITY;
    for (size_t i = 0; i < h; i++) {
        double v = lg_floor(x[i], floor);
        lo = v < lo ? v : lo;
    }
    for (size_t i = n - VERDICT_DROP_K; i < n; i++)
        if (!(lg_floor(x[i], floor) < lo - by))
            return 0;
    return 1;
}

verdict_kind verdict_decide(const verdict_in *in, verdict_why *why)
{
    verdict_why w;
    double rel = isfinite(in->loss0) ? DBL_EPSILON * in->loss0 : 0.0;
    double rf = isfinite(in->round_floor) ? in->round_floor : 0.0;
    w.floor = rel > rf ? rel : rf;
    /* A zero floor (L0 = 0 and nothing to round) would put exact zeros at
     * lg 0 = −∞; the smallest normal double stands in for it. */
    double clamp = w.floor > DBL_MIN ? w.floor : DBL_MIN;
    size_t n = in->n;
    /* Welch's t of the halves' mean log-loss, older minus newer. */
    double fall = NAN, t = 0.0;
    if (n >= 4) {
        size_t h = n / 2;
        double ma, va, mb, vb;
        half_stats(in->window, h, clamp, &ma, &va);
        half_stats(in->window + h, n - h, clamp, &mb, &vb);
        fall = ma - mb;
        double se = sqrt(va / (double)h + vb / (double)(n - h));
        t = se > 0.0 ? fall / se : fall > 0.0 ? INFINITY
                                   : fall < 0.0 ? -INFINITY : 0.0;
    }
    w.fall = fall;
    w.t = t;
    double hi = lg_floor(in->band_hi, clamp);
    double lo = lg_floor(in->band_lo, clamp);
    int keep = in->was_bouncing;
    w.spread = hi - lo;
    w.held = n >= 4 && in->band_lo > w.floor &&
             w.spread <= (keep ? VERDICT_SPREAD_KEEP : VERDICT_SPREAD);
    double cs = 0.0;
    size_t known = 0;
    for (size_t i = 0; in->cross && i < n; i++)
        if (!isnan(in->cross[i])) {
            cs += in->cross[i];
            known++;
        }
    w.cross = known ? cs / (double)known : NAN;
    w.stopped = in->cross && n >= VERDICT_STOP_K;
    for (size_t i = n - (n < VERDICT_STOP_K ? n : VERDICT_STOP_K);
         w.stopped && i < n; i++)
        w.stopped = in->cross[i] < VERDICT_STOP; /* NaN: not known */
    int crosses = w.cross >= (keep ? VERDICT_CROSS_KEEP : VERDICT_CROSS);
    w.crossing = crosses && !w.stopped;
    if (why)
        *why = w;

    /* the newer half (all of a window of one) at or under the floor */
    int settled = n > 0;
    for (size_t i = n / 2; i < n; i++)
        settled = settled && in->window[i] <= w.floor;
    double F = !w.crossing ? VERDICT_CREEP
               : keep      ? VERDICT_FALL_KEEP
                           : VERDICT_FALL;
    int falling = (fall >= F && t >= VERDICT_T) ||
                  (in->was_converging && fall >= F / 2.0 &&
                   t >= VERDICT_T_KEEP) ||
                  (n >= 4 && dropped(in->window, n, clamp,
                                      keep ? VERDICT_FALL_KEEP : VERDICT_FALL));
    int rising = fall <= -F && t <= -VERDICT_T;
    if (in->diverged)
        return VERDICT_DIVERGED;
    if (settled)
        return VERDICT_CONVERGED;
    if (in->thrown)
        return VERDICT_ERRATIC;
    if (falling || n < 4 || (crosses && w.stopped))
        return VERDICT_CONVERGING;
    if (rising || (w.crossing && !w.held))
        return VERDICT_ERRATIC;
    if (w.crossing)
        return VERDICT_BOUNCING;
    if (!(w.spread <= VERDICT_SPREAD) && in->band_lo > w.floor)
        return VERDICT_ERRATIC;
    return VERDICT_CONVERGED;
}

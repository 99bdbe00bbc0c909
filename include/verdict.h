/* verdict.h — the one-word state of a run that the screen, the CSV and the
 * JSON summary print: bouncing, converging, converged, erratic, diverged.
 * Each word is a documented rule on computed quantities (verdict_decide
 * below, quoted by sgdscope(1), "VERDICTS"), never a guess of the view. */
#ifndef SGDSCOPE_VERDICT_H
#define SGDSCOPE_VERDICT_H

#include <stddef.h>

typedef enum verdict_kind {
    VERDICT_BOUNCING,   /* the iterate keeps crossing the valley while the
                           loss is held in a band away from 0 */
    VERDICT_CONVERGING, /* the loss falls through the decades */
    VERDICT_CONVERGED,  /* the loss sits at its floor (relative to the
                           initial loss and to rounding) */
    VERDICT_ERRATIC,    /* neither held nor falling: no stable bounce */
    VERDICT_DIVERGED,   /* the run blew up and is frozen */
    VERDICT_COUNT
} verdict_kind;

/* The verdict's word, exactly as the CSV and the summary print it. */
const char *verdict_name(verdict_kind v);

#define VERDICT_CROSS 0.75   /* crossing share that counts as crossing */
#define VERDICT_SPREAD 3.0   /* decades: the widest band that is "held" */
#define VERDICT_FALL 1.0     /* decades: the smallest trend that counts */
#define VERDICT_DROP_K 2     /* newest values that make a sudden drop */
#define VERDICT_T 3.0        /* Welch's t a trend needs */

/* What the rule reads, computed by the run (run.c) over the loss band's
 * trailing window of n evaluations of the training loss L. */
typedef struct verdict_in {
    int diverged;            /* the run blew up and is frozen */
    double loss0;            /* L at t = 0 */
    double round_floor;      /* L's rounding floor at θ (run.c) */
    double band_lo, band_hi; /* the band: quantiles of L over the window */
    const double *window;    /* the window's values of L, oldest first */
    size_t n;                /* evaluations in the window */
    double cross_share;      /* share of consecutive iterates on opposite
                                sides of the valley floor along the steep
                                direction of the loss the steps descend;
                                NaN unknown */
    int thrown;              /* the iterate was thrown out of the valley:
                                over the window's curvature evaluations,
                                one found λmax ≤ 0 after an earlier one
                                found λmax > 0 */
} verdict_in;

/* The derived quantities the rule used, for display and tests. */
typedef struct verdict_why {
    double floor;  /* max(ε·loss0, round_floor), ε = DBL_EPSILON */
    double fall;   /* mean of lg max(L, floor) over the window's older
                      half (the first ⌊n/2⌋ values) minus the same mean
                      over its newer half; NaN when n < 4 */
    double t;      /* Welch's t of that difference: fall / √(s²_old/n_old
                      + s²_new/n_new), s² the halves' sample variances of
                      lg max(L, floor); ±∞ when both are 0; 0 when n < 4 */
    double spread; /* lg b_hi − lg b_lo, b = max(band quantile, floor) */
    /* (Under a zero floor, DBL_MIN stands in for it in fall and spread.) */
    int held;      /* n ≥ 4, band_lo > floor, spread ≤ VERDICT_SPREAD */
    int crossing;  /* cross_share ≥ VERDICT_CROSS */
} verdict_why;

/* The rule (lg = log10, in decades; every value of L is first clamped up
 * to the floor, floor = max(ε·loss0, round_floor): residuals at √ε of
 * their initial size, or at the rounding of h at θ).
 * Trends compare the window's older and newer halves:
 *   falling  fall ≥ VERDICT_FALL and t ≥ VERDICT_T (the newer half sits a
 *            decade lower, and not by chance), or the newest
 *            VERDICT_DROP_K values are each more than VERDICT_FALL below
 *            the older half's lowest value (a sudden drop: a decay, a
 *            switch to GD);
 *   rising   fall ≤ −VERDICT_FALL and t ≤ −VERDICT_T.
 * (Means of logarithms, not medians: a period-2 bounce puts L on two
 * levels, and a half's median jumps between them with the parity of the
 * split.)  First match wins:
 *   diverged    the run is frozen after blowing up.
 *   converged   every value of the window's newer half is ≤ floor: the
 *               loss has sat at its floor for half a window.
 *   erratic     thrown: within the window the iterate left the valley
 *               for a point where the loss is concave in every direction
 *               (λmax ≤ 0 after λmax > 0 at the curvature evaluations).
 *   converging  falling, or fewer than 4 evaluations in the window
 *               (nothing to judge a band or a trend on yet).
 *   erratic     rising (without diverging), or crossing but not held: the
 *               band is wider than VERDICT_SPREAD decades or reaches the
 *               floor.
 *   bouncing    crossing and held: the iterate jumps across the valley
 *               floor (cross_share ≥ VERDICT_CROSS) while the loss stays
 *               in a band above the floor, no wider than VERDICT_SPREAD
 *               decades, that no trend moves.
 *   converging  otherwise: the iterate does not cross and the loss holds
 *               still or falls slower than a decade per half window (a
 *               descent on one side of the valley, or a minimum above
 *               the floor). */
verdict_kind verdict_decide(const verdict_in *in, verdict_why *why);

#endif

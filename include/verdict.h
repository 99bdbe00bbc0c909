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

/* Thresholds, measured on the shipped scenes (window means of the
 * crossing share over the band window; fall and t per half window):
 *   descents cross on ≤ 10% of steps: prop2-quad-below and η = 0.1 0%,
 *   fig10-diag-gd 0%, fig4-relu-decay2 after 6000 0%, fig2-diag-decay30
 *   after the decay 1%, fig4-relu-decay50 after the decay 5–10% (single
 *   trails up to 19%);
 *   held losses that bounce cross on ≥ 15%: fig11-relu-overreg at
 *   0.27–0.4 after 24000 15–20%, fig7-valley2d (SDE) 28–45%,
 *   fig4-relu-decay50's warmup 26–49%, Fig. 2 / tour before a decay
 *   85–92%, prop2-quad 100%, prop2-quad-above 94%.
 * Four evaluations in a row under 5% happen after a decay (Fig. 2 at
 * 30000 → 31920, fig4-relu-decay50 and fig11 at their warmup's end) and
 * never in those held bounces (fig11 24000–31623, fig7, tour to 60000):
 * the window's mean, a long statistic, would take half a window to see
 * a bounce end; VERDICT_STOP_K evaluations under VERDICT_STOP see it.
 * So VERDICT_CROSS (15%) is a rate no descent gives, and a bounce keeps
 * its word down to VERDICT_CROSS_KEEP (10%, still above the descents
 * that matter: those fall, and falling wins).  Held SGD losses wander:
 * the tour's band shows falls and rises of up to 1.3 decades with t ≈ 8
 * while it bounces (steps 16200, 21000, 24600), a real fall of a
 * bouncing run is larger (fig2-diag-small 2.1–3.4 decades) or sudden (a
 * decay: the drop rule); so a bounce needs VERDICT_FALL_KEEP decades to
 * turn into a fall or a rise.  Without crossing a significant creep is
 * enough: after Fig. 2's decay the loss falls 0.04–0.3 decades per half
 * window with t = 4–11 (decay10 at 90000: 0.04–0.06, t 4–6), fig11's
 * held loss moves ≤ 0.03 with |t| ≤ 1.7.  A fall keeps falling at half
 * the decades and t ≥ VERDICT_T_KEEP (fig4-relu-decay2 at 2000: 0.83
 * decades, t = 2.9, mid-descent). */
#define VERDICT_CROSS 0.15      /* mean crossing share that crosses */
#define VERDICT_CROSS_KEEP 0.10 /* ...that keeps a bounce crossing */
#define VERDICT_SPREAD 3.0      /* decades: the widest band that is held */
#define VERDICT_SPREAD_KEEP 4.0 /* ...that keeps a bounce held */
#define VERDICT_CREEP 0.02      /* decades: the smallest trend that counts
                                   without crossing */
#define VERDICT_FALL 1.0        /* decades: the smallest trend that counts
                                   while crossing */
#define VERDICT_FALL_KEEP 2.0   /* ...that ends a bounce */
#define VERDICT_STOP 0.05       /* a share under this on VERDICT_STOP_K */
#define VERDICT_STOP_K 4        /* newest evaluations: crossing stopped */
#define VERDICT_DROP_K 2        /* newest values that make a sudden drop */
#define VERDICT_T 3.0           /* Welch's t a trend needs */
#define VERDICT_T_KEEP 2.0      /* ...to keep a fall falling */

/* What the rule reads, computed by the run (run.c) over the loss band's
 * trailing window of n evaluations of the training loss L. */
typedef struct verdict_in {
    int diverged;            /* the run blew up and is frozen */
    double loss0;            /* L at t = 0 */
    double round_floor;      /* L's rounding floor at θ (run.c) */
    double band_lo, band_hi; /* the band: quantiles of L over the window */
    const double *window;    /* the window's values of L, oldest first */
    size_t n;                /* evaluations in the window */
    const double *cross;     /* per evaluation of the window, aligned with
                                window: the share of consecutive iterates
                                on opposite sides of the valley floor
                                along the steep direction of the loss the
                                steps descend (NaN unknown); NULL: all
                                unknown */
    int thrown;              /* the iterate was thrown out of the valley:
                                over the window's curvature evaluations,
                                one found λmax ≤ 0 after an earlier one
                                found λmax > 0 */
    int was_bouncing;        /* the previous verdict of this window was
                                bouncing (the rule's hysteresis: run state
                                only, so deterministic) */
    int was_converging;      /* ...was converging */
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
    int held;      /* n ≥ 4, band_lo > floor, spread ≤ VERDICT_SPREAD
                      (VERDICT_SPREAD_KEEP after a bounce) */
    double cross;  /* the mean of the window's known crossing shares;
                      NaN if none is known */
    int stopped;   /* the newest VERDICT_STOP_K evaluations all know their
                      share and each is < VERDICT_STOP */
    int crossing;  /* cross ≥ VERDICT_CROSS (VERDICT_CROSS_KEEP after a
                      bounce) and not stopped */
} verdict_why;

/* The rule (lg = log10, in decades; every value of L is first clamped up
 * to the floor, floor = max(ε·loss0, round_floor): residuals at √ε of
 * their initial size, or at the rounding of h at θ).  After a bouncing
 * verdict the thresholds in brackets apply (hysteresis: a held SGD loss
 * wanders by about a decade, and its crossing share by a few percent,
 * without the run changing state); after a converging one a trend needs
 * half of F and t ≥ VERDICT_T_KEEP to stay falling (a slow descent's t
 * and fall straddle their thresholds).
 *   cross     the mean crossing share over the window's evaluations;
 *   stopped   the newest VERDICT_STOP_K evaluations each crossed on fewer
 *             than VERDICT_STOP of their steps;
 *   crossing  cross ≥ VERDICT_CROSS [VERDICT_CROSS_KEEP] and not stopped:
 *             the iterate crosses the valley floor at a rate no descent
 *             gives;
 *   held      band_lo above the floor and spread ≤ VERDICT_SPREAD
 *             [VERDICT_SPREAD_KEEP] decades.
 * Trends compare the window's older and newer halves, with a threshold
 * F = VERDICT_FALL [VERDICT_FALL_KEEP] while crossing, VERDICT_CREEP
 * otherwise:
 *   falling  fall ≥ F and t ≥ VERDICT_T (the newer half sits lower, and
 *            not by chance), or the newest VERDICT_DROP_K values are each
 *            more than VERDICT_FALL [VERDICT_FALL_KEEP] below the older
 *            half's lowest value (a sudden drop: a decay, a switch to GD);
 *   rising   fall ≤ −F and t ≤ −VERDICT_T.
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
 *               (nothing to judge a band or a trend on yet), or stopped
 *               while the window's mean still crosses (the bounce has
 *               just ended — a decay, a switch to GD — and the descent's
 *               trend needs half a window to show).
 *   erratic     rising (without diverging), or crossing but not held: the
 *               band is too wide or reaches the floor.
 *   bouncing    crossing and held: the iterate jumps across the valley
 *               floor while the loss stays in a band above the floor that
 *               no trend moves — loss stabilization.
 *   erratic     not crossing and the band wider than VERDICT_SPREAD
 *               decades with no trend: neither held nor falling.
 *   converged   otherwise: the loss is held (or down at the floor) with
 *               no trend and the iterate does not cross — it has stopped
 *               at a minimum above the floor, or at SGD's noise level
 *               there.  None of the five words says "held without
 *               crossing"; converging would claim a fall that is not
 *               there, bouncing a crossing that is not there, erratic a
 *               disorder that is not there; converged claims only that
 *               the loss stopped moving, which it did (the band shows
 *               where). */
verdict_kind verdict_decide(const verdict_in *in, verdict_why *why);

#endif

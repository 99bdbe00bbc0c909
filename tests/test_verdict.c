/* test_verdict.c — the verdict rule on hand-built inputs: each branch, and
 * the cases that could fool it (a band at 1e-32, a period-2 bounce whose
 * halves' medians would jump, a sudden drop, a start on a concave slope). */
#include "testutil.h"

#include <float.h>

#include "verdict.h"

#define W 50

static double win[W];
static double xs[W]; /* the crossing share per evaluation */

/* Every evaluation of the window crossed on a share c of its steps. */
static void set_cross(verdict_in *in, double c)
{
    for (int i = 0; i < W; i++)
        xs[i] = c;
    in->cross = xs;
}

/* An input over win[0..n) with the band's 10% / 90% quantiles given. */
static verdict_in base(size_t n, double lo, double hi, double cross)
{
    verdict_in in = {
        .diverged = 0,
        .loss0 = 0.2,
        .round_floor = 1e-28,
        .band_lo = lo,
        .band_hi = hi,
        .window = win,
        .n = n,
        .thrown = 0,
    };
    set_cross(&in, cross);
    return in;
}

/* win = a period-2 bounce between a and b. */
static void fill_bounce(double a, double b)
{
    for (int i = 0; i < W; i++)
        win[i] = i % 2 ? a : b;
}

static void test_names(void **st)
{
    (void)st;
    assert_string_equal(verdict_name(VERDICT_BOUNCING), "bouncing");
    assert_string_equal(verdict_name(VERDICT_CONVERGING), "converging");
    assert_string_equal(verdict_name(VERDICT_CONVERGED), "converged");
    assert_string_equal(verdict_name(VERDICT_ERRATIC), "erratic");
    assert_string_equal(verdict_name(VERDICT_DIVERGED), "diverged");
    assert_string_equal(verdict_name(VERDICT_COUNT), "unknown");
}

/* The floor is the larger of ε·L0 and the rounding floor. */
static void test_floor(void **st)
{
    (void)st;
    fill_bounce(0.02, 0.05);
    verdict_in in = base(W, 0.02, 0.05, 1.0);
    verdict_why why;
    verdict_decide(&in, &why);
    assert_close(why.floor, DBL_EPSILON * 0.2, 0);
    in.round_floor = 1e-10;
    verdict_decide(&in, &why);
    assert_close(why.floor, 1e-10, 0);
    in.round_floor = NAN;
    in.loss0 = NAN;
    verdict_decide(&in, &why);
    assert_close(why.floor, 0.0, 0);
}

/* A period-2 bounce held in a band: bouncing, whatever the parity of the
 * split (medians of the halves would jump between the two levels). */
static void test_bouncing(void **st)
{
    (void)st;
    verdict_why why;
    for (size_t n = 4; n <= W; n++) {
        fill_bounce(0.02, 0.05);
        verdict_in in = base(n, 0.02, 0.05, 1.0);
        assert_int_equal(verdict_decide(&in, &why), VERDICT_BOUNCING);
        assert_true(why.held);
        assert_true(why.crossing);
        /* halves of odd length differ by a third of the two levels'
         * distance at most (n = 6: b a b | a b a), 0.4/3 decades here */
        if (!(fabs(why.fall) <= 0.4 / 3.0 + 1e-9))
            fail_msg("n=%zu fall %g", n, why.fall);
    }
    /* the same band without crossing: nothing holds it up but the
     * landscape and nothing falls — converged (a minimum above the
     * floor), never converging */
    verdict_in in = base(W, 0.02, 0.05, 0.05);
    assert_int_equal(verdict_decide(&in, &why), VERDICT_CONVERGED);
    set_cross(&in, NAN);
    assert_int_equal(verdict_decide(&in, NULL), VERDICT_CONVERGED);
    in.cross = NULL;
    assert_int_equal(verdict_decide(&in, NULL), VERDICT_CONVERGED);
    set_cross(&in, VERDICT_CROSS);
    assert_int_equal(verdict_decide(&in, NULL), VERDICT_BOUNCING);
}

/* Full-batch GD at 1e-32 crosses on every step: converged, not bouncing. */
static void test_converged_at_rounding(void **st)
{
    (void)st;
    fill_bounce(1e-32, 3e-32);
    verdict_in in = base(W, 1e-32, 3e-32, 1.0);
    assert_int_equal(verdict_decide(&in, NULL), VERDICT_CONVERGED);
    /* exact zeros with a zero floor (L0 = 0: started at the minimum) */
    for (int i = 0; i < W; i++)
        win[i] = 0.0;
    in = base(1, 0.0, 0.0, NAN);
    in.loss0 = 0.0;
    in.round_floor = 0.0;
    assert_int_equal(verdict_decide(&in, NULL), VERDICT_CONVERGED);
    in.n = W;
    assert_int_equal(verdict_decide(&in, NULL), VERDICT_CONVERGED);
    /* the newer half at the floor, the older one still above it */
    for (int i = 0; i < W; i++)
        win[i] = i < W / 2 ? 1e-3 * pow(10.0, -i) : 1e-33;
    in = base(W, 1e-33, 1e-5, 1.0);
    assert_int_equal(verdict_decide(&in, NULL), VERDICT_CONVERGED);
    /* one value of the newer half above the floor: not yet */
    win[W - 1] = 1e-12;
    assert_int_equal(verdict_decide(&in, NULL), VERDICT_CONVERGING);
}

/* A geometric decline through the decades while crossing: converging. */
static void test_converging_trend(void **st)
{
    (void)st;
    for (int i = 0; i < W; i++)
        win[i] = 0.1 * pow(10.0, -0.2 * i) * (i % 2 ? 1.5 : 1.0);
    verdict_in in = base(W, win[45], win[4], 1.0);
    verdict_why why;
    assert_int_equal(verdict_decide(&in, &why), VERDICT_CONVERGING);
    assert_close(why.fall, 5.0, 0.02);
    assert_true(why.t > VERDICT_T);
    /* the same decline, slower than a decade per half window: held */
    for (int i = 0; i < W; i++)
        win[i] = 0.1 * pow(10.0, -0.03 * i) * (i % 2 ? 1.5 : 1.0);
    in = base(W, win[45], win[4], 1.0);
    assert_int_equal(verdict_decide(&in, &why), VERDICT_BOUNCING);
    assert_true(why.fall < VERDICT_FALL);
}

/* A sudden drop (η decayed inside a bounce): the two newest values a
 * decade under everything the older half saw. */
static void test_converging_drop(void **st)
{
    (void)st;
    fill_bounce(0.02, 0.05);
    win[W - 2] = 1e-6;
    win[W - 1] = 1e-8;
    verdict_in in = base(W, 0.02, 0.05, 1.0);
    verdict_why why;
    assert_int_equal(verdict_decide(&in, &why), VERDICT_CONVERGING);
    assert_true(why.t < VERDICT_T); /* the means alone would miss it */
    /* one low value is a dip, not a drop */
    win[W - 2] = 0.03;
    assert_int_equal(verdict_decide(&in, NULL), VERDICT_BOUNCING);
    /* the newest two only a little under the older half's minimum */
    win[W - 2] = 0.005;
    win[W - 1] = 0.004;
    assert_int_equal(verdict_decide(&in, NULL), VERDICT_BOUNCING);
}

static void test_too_few(void **st)
{
    (void)st;
    fill_bounce(0.02, 0.05);
    for (size_t n = 1; n < 4; n++) {
        verdict_in in = base(n, 0.02, 0.05, 1.0);
        verdict_why why;
        assert_int_equal(verdict_decide(&in, &why), VERDICT_CONVERGING);
        assert_false(why.held);
        assert_true(n > 1 || isnan(why.fall));
    }
}

static void test_erratic(void **st)
{
    (void)st;
    verdict_why why;
    /* thrown out of the valley: erratic even while falling */
    for (int i = 0; i < W; i++)
        win[i] = 0.1 * pow(10.0, -0.2 * i);
    verdict_in in = base(W, win[45], win[4], 1.0);
    in.thrown = 1;
    assert_int_equal(verdict_decide(&in, NULL), VERDICT_ERRATIC);
    /* crossing over a band wider than VERDICT_SPREAD decades */
    for (int i = 0; i < W; i++)
        win[i] = (i * 7) % 5 == 0 ? 1e-5 : (i % 3 ? 0.1 : 1e-2);
    in = base(W, 1e-5, 0.1, 0.95);
    assert_int_equal(verdict_decide(&in, &why), VERDICT_ERRATIC);
    assert_false(why.held);
    assert_true(why.spread > VERDICT_SPREAD);
    /* the same band without crossing or trend: neither held nor
     * falling, still erratic (never converging) */
    set_cross(&in, 0.0);
    assert_int_equal(verdict_decide(&in, NULL), VERDICT_ERRATIC);
    /* rising through the decades */
    for (int i = 0; i < W; i++)
        win[i] = 1e-6 * pow(10.0, 0.1 * i) * (i % 2 ? 1.5 : 1.0);
    in = base(W, win[4], win[45], 0.2);
    assert_int_equal(verdict_decide(&in, &why), VERDICT_ERRATIC);
    assert_true(why.fall <= -VERDICT_FALL);
    /* crossing with a band that touches the floor */
    fill_bounce(1e-30, 1e-3);
    in = base(W, 1e-30, 1e-3, 1.0);
    in.round_floor = 1e-20;
    assert_int_equal(verdict_decide(&in, &why), VERDICT_ERRATIC);
    assert_false(why.held);
}

/* A loss held without crossing is never converging; a slow but
 * significant creep is (Fig. 2 after its decay: 0.04–0.3 decades per
 * half window, t 4–11). */
static void test_held_not_converging(void **st)
{
    (void)st;
    verdict_why why;
    /* held with noise and no trend (fig11-relu-overreg after 24000) */
    for (int i = 0; i < W; i++)
        win[i] = 0.3 * (1.0 + 0.3 * sin(1.7 * i));
    verdict_in in = base(W, 0.22, 0.38, 0.0);
    assert_int_equal(verdict_decide(&in, &why), VERDICT_CONVERGED);
    assert_true(why.held && !why.crossing);
    assert_true(fabs(why.fall) < VERDICT_CREEP);
    /* crossing at a rate no descent gives: bouncing */
    set_cross(&in, 0.16);
    assert_int_equal(verdict_decide(&in, &why), VERDICT_BOUNCING);
    /* ...which a short dip of the share keeps (hysteresis), and which
     * the same share does not reach from nothing */
    set_cross(&in, 0.12);
    assert_int_equal(verdict_decide(&in, NULL), VERDICT_CONVERGED);
    in.was_bouncing = 1;
    assert_int_equal(verdict_decide(&in, NULL), VERDICT_BOUNCING);
    in.was_bouncing = 0;
    /* a creep: 0.1 decades per half window, far beyond the noise */
    for (int i = 0; i < W; i++)
        win[i] = 1e-6 * pow(10.0, -0.004 * i) * (1.0 + 0.02 * (i % 3));
    in = base(W, win[45], win[4], 0.0);
    assert_int_equal(verdict_decide(&in, &why), VERDICT_CONVERGING);
    assert_true(why.fall > VERDICT_CREEP && why.fall < VERDICT_FALL);
    assert_true(why.t > VERDICT_T);
    /* the same creep under a crossing iterate is a bounce's wander */
    set_cross(&in, 0.9);
    assert_int_equal(verdict_decide(&in, NULL), VERDICT_BOUNCING);
}

/* A bounce's loss wanders by a decade without the run changing state
 * (the tour at 16200: 1.3 decades, t 8.8), a decay ends it at once. */
static void test_hysteresis_and_stop(void **st)
{
    (void)st;
    verdict_why why;
    for (int i = 0; i < W; i++)
        win[i] = 1e-2 * pow(10.0, -0.05 * i) * (i % 2 ? 3.0 : 1.0);
    verdict_in in = base(W, win[45], win[4], 0.9);
    assert_int_equal(verdict_decide(&in, &why), VERDICT_CONVERGING);
    assert_true(why.fall > VERDICT_FALL && why.fall < VERDICT_FALL_KEEP);
    in.was_bouncing = 1;
    assert_int_equal(verdict_decide(&in, NULL), VERDICT_BOUNCING);
    /* the same wander upward */
    for (int i = 0; i < W; i++)
        win[i] = 1e-4 * pow(10.0, 0.05 * i) * (i % 2 ? 3.0 : 1.0);
    in = base(W, win[4], win[45], 0.9);
    assert_int_equal(verdict_decide(&in, NULL), VERDICT_ERRATIC);
    in.was_bouncing = 1;
    assert_int_equal(verdict_decide(&in, NULL), VERDICT_BOUNCING);
    /* a held bounce whose newest VERDICT_STOP_K evaluations stopped
     * crossing (a decay): converging before the window's mean sees it */
    fill_bounce(0.02, 0.05);
    in = base(W, 0.02, 0.05, 0.9);
    in.was_bouncing = 1;
    for (int i = W - VERDICT_STOP_K + 1; i < W; i++)
        xs[i] = 0.0;
    assert_int_equal(verdict_decide(&in, &why), VERDICT_BOUNCING);
    assert_false(why.stopped);
    xs[W - VERDICT_STOP_K] = 0.03;
    assert_int_equal(verdict_decide(&in, &why), VERDICT_CONVERGING);
    assert_true(why.stopped && !why.crossing);
    assert_true(why.cross > VERDICT_CROSS);
}

static void test_diverged_first(void **st)
{
    (void)st;
    fill_bounce(0.02, 0.05);
    verdict_in in = base(W, 0.02, 0.05, 1.0);
    in.diverged = 1;
    in.thrown = 1;
    assert_int_equal(verdict_decide(&in, NULL), VERDICT_DIVERGED);
    for (int i = 0; i < W; i++)
        win[i] = 0.0;
    assert_int_equal(verdict_decide(&in, NULL), VERDICT_DIVERGED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_floor),
        cmocka_unit_test(test_bouncing),
        cmocka_unit_test(test_converged_at_rounding),
        cmocka_unit_test(test_converging_trend),
        cmocka_unit_test(test_converging_drop),
        cmocka_unit_test(test_too_few),
        cmocka_unit_test(test_erratic),
        cmocka_unit_test(test_held_not_converging),
        cmocka_unit_test(test_hysteresis_and_stop),
        cmocka_unit_test(test_diverged_first),
    };
    return cmocka_run_group_tests_name("verdict", tests, NULL, NULL);
}

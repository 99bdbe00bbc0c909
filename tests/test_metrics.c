/* test_metrics.c — metrics.h on hand-built inputs with answers worked out
 * by hand (the working is in the comments). */
#include "testutil.h"

#include "metrics.h"

/* ---- rank ------------------------------------------------------------ */

static void test_rank_known_spectra(void **state)
{
    (void)state;
    const double a[] = {1.0, 1e-3, 1e-9, 0.0};
    assert_int_equal(metrics_rank(a, 4, 1e-4), 2);
    assert_int_equal(metrics_rank(a, 4, 1e-10), 3);
    assert_int_equal(metrics_rank(a, 4, 1e-3), 1); /* strict: 1e-3 ≯ 1e-3 */
    /* Relative to sv[0], not absolute. */
    const double s[] = {1e-8, 1e-9, 1e-13};
    assert_int_equal(metrics_rank(s, 3, 1e-4), 2);
    const double z[] = {0.0, 0.0, 0.0};
    assert_int_equal(metrics_rank(z, 3, 1e-4), 0);
    const double n[] = {NAN, 1.0, 0.5};
    assert_int_equal(metrics_rank(n, 3, 1e-4), 0);
    const double inf[] = {INFINITY, 1.0};
    assert_int_equal(metrics_rank(inf, 2, 1e-4), 0);
    assert_int_equal(metrics_rank(a, 0, 1e-4), 0);
}

/* ---- l0 -------------------------------------------------------------- */

static void test_l0_threshold_and_signs(void **state)
{
    (void)state;
    const double b[] = {-2.0, 1e-7, -1e-6, 1e-6, 3e-6, 0.0, -5e-6, NAN};
    /* |b| > 1e-6 strictly: -2, 3e-6, -5e-6.  ±1e-6 sit at the threshold. */
    assert_int_equal(metrics_l0(b, 8, 1e-6), 3);
    assert_int_equal(metrics_l0(b, 8, 0.0), 6);
    assert_int_equal(metrics_l0(b, 8, 10.0), 0);
    assert_int_equal(metrics_l0(b, 0, 0.0), 0);
}

/* ---- feature sparsity -------------------------------------------------- */

/* Neurons (columns), five samples (rows), the last sample all zero:
 *   n0 = [1 0 1 0 0]   active on half the live samples
 *   n1 = n0            identical: r = 1, dropped
 *   n2 = 0             dead: dropped
 *   n3 = 2·n0          scaled copy, still one after row normalization
 *                      (each row is divided by one number): dropped
 *   n4 = [0 1 0 1 0]   after normalization z0 = [1/√6 0 1/√6 0 0],
 *                      z4 = [0 1 0 1 0]: r < 0, kept
 * Kept n0 and n4 with 2 non-zeros each: 4 / (5·5) = 0.16.  With no
 * correlation pruning (corr above 1) n0, n1, n3, n4 stay: 8/25. */
static void test_sparsity_hand_built(void **state)
{
    (void)state;
    const double act[5 * 5] = {
        1, 1, 0, 2, 0,
        0, 0, 0, 0, 1,
        1, 1, 0, 2, 0,
        0, 0, 0, 0, 1,
        0, 0, 0, 0, 0,
    };
    double act_copy[25], scratch[5 * 5 + 5];
    memcpy(act_copy, act, sizeof act);
    assert_close(metrics_feature_sparsity(act, 5, 5, 0.95, scratch),
                 4.0 / 25.0, 1e-15);
    assert_close(metrics_feature_sparsity(act, 5, 5, 0.999, scratch),
                 4.0 / 25.0, 1e-15);
    assert_close(metrics_feature_sparsity(act, 5, 5, 2.0, scratch),
                 8.0 / 25.0, 1e-15);
    assert_memory_equal(act, act_copy, sizeof act); /* input untouched */
}

/* Three neurons, four samples, every entry non-zero.  After row
 * normalization the Pearson correlation of n0 and n1 is 0.97397 (of the
 * raw columns: 0.96225); both are anti-correlated with n2.
 *   corr 0.95  → n1 dropped: 8/12
 *   corr 0.97  → n1 dropped only if rows are normalized first: 8/12
 *   corr 0.999 → all kept: 12/12 */
static void test_sparsity_threshold_matters(void **state)
{
    (void)state;
    const double act[4 * 3] = {
        2, 3, 3,
        4, 4, 1,
        1, 3, 4,
        4, 4, 2,
    };
    double scratch[4 * 3 + 3];
    assert_close(metrics_feature_sparsity(act, 4, 3, 0.95, scratch),
                 8.0 / 12.0, 1e-15);
    assert_close(metrics_feature_sparsity(act, 4, 3, 0.97, scratch),
                 8.0 / 12.0, 1e-15);
    assert_close(metrics_feature_sparsity(act, 4, 3, 0.975, scratch),
                 1.0, 1e-15);
    assert_close(metrics_feature_sparsity(act, 4, 3, 0.999, scratch),
                 1.0, 1e-15);
}

/* Constant columns: rows (2,2,1,0) and (2,2,0,1) both have norm 3, so n0
 * and n1 are the constant 2/3.  Two constant non-zero neurons count as
 * correlated (r := 1), so n1 goes; a constant and a varying neuron count
 * as uncorrelated, so n2 and n3 (r = −1 with each other) stay.
 * Kept n0 (2), n2 (1), n3 (1): 4/8. */
static void test_sparsity_constant_columns(void **state)
{
    (void)state;
    const double act[2 * 4] = {
        2, 2, 1, 0,
        2, 2, 0, 1,
    };
    double scratch[2 * 4 + 4];
    assert_close(metrics_feature_sparsity(act, 2, 4, 0.95, scratch), 0.5,
                 1e-15);
    /* Rows of different norms whose first entry is the same fraction of
     * it (3/5, 6/10): constant up to rounding, still one feature. */
    const double b[2 * 3] = {
        3, 4, 0,
        6, 0, 8,
    };
    double scratch2[2 * 3 + 3];
    /* n0 const kept (2), n1 = [.8 0], n2 = [0 .8]: r = −1, both kept. */
    assert_close(metrics_feature_sparsity(b, 2, 3, 0.95, scratch2),
                 4.0 / 6.0, 1e-15);
    /* Here 1/√2 and 3/√18 differ in the last bit: without a tolerance
     * n0 would be rounding noise blown up to unit variance ([0 1] after
     * centring, r = 0.71 with n2), and n2 would be dropped at 0.5 (3/6). */
    const double c[2 * 3] = {
        1, 1, 0,
        3, 0, 3,
    };
    assert_close(metrics_feature_sparsity(c, 2, 3, 0.5, scratch2),
                 4.0 / 6.0, 1e-15);
}

static void test_sparsity_degenerate(void **state)
{
    (void)state;
    double scratch[16];
    const double dead[2 * 2] = {0, 0, 0, 0};
    assert_close(metrics_feature_sparsity(dead, 2, 2, 0.95, scratch), 0.0,
                 0.0);
    assert_close(metrics_feature_sparsity(dead, 0, 2, 0.95, scratch), 0.0,
                 0.0);
    const double bad[2 * 2] = {1, NAN, 0, 1};
    assert_true(isnan(metrics_feature_sparsity(bad, 2, 2, 0.95, scratch)));
}

/* ---- kinks ------------------------------------------------------------ */

static size_t kinks(const double *w, const double *b, const double *a,
                    size_t m)
{
    double scratch[64];
    assert_true(2 * m <= 64);
    return metrics_kinks(w, b, a, m, -1.0, 1.0, scratch);
}

static void test_kinks_cases(void **state)
{
    (void)state;
    /* Kink x = −b/w, slope change a·|w|, range (−1, 1). */
    {   /* Same kink at 0 twice (slopes 1, 2): one kink. */
        const double w[] = {1, 2}, b[] = {0, 0}, a[] = {1, 1};
        assert_int_equal(kinks(w, b, a, 2), 1);
    }
    {   /* Kink at 5 (outside) and at −1 (on the boundary, not inside). */
        const double w[] = {1, 1}, b[] = {-5, 1}, a[] = {1, 1};
        assert_int_equal(kinks(w, b, a, 2), 0);
    }
    {   /* a = 0: a dead output weight, no kink in h. */
        const double w[] = {1}, b[] = {-0.5}, a[] = {0};
        assert_int_equal(kinks(w, b, a, 1), 0);
    }
    {   /* w = 0: a constant neuron, no kink. */
        const double w[] = {0}, b[] = {1}, a[] = {1};
        assert_int_equal(kinks(w, b, a, 1), 0);
    }
    {   /* Kink at 0.3 with slope changes +2 (w = 2) and −2 (a = −2):
         * they cancel.  Plus one real kink at −0.4 so the scale is set. */
        const double w[] = {2, 1, 1}, b[] = {-0.6, -0.3, 0.4},
                     a[] = {1, -2, 1};
        assert_int_equal(kinks(w, b, a, 3), 1);
    }
    {   /* |x − 0.3| = relu(x − .3) + relu(.3 − x): slope changes add. */
        const double w[] = {1, -1}, b[] = {-0.3, 0.3}, a[] = {1, 1};
        assert_int_equal(kinks(w, b, a, 2), 1);
    }
    {   /* Three distinct kinks −0.5, 0, 0.5. */
        const double w[] = {1, -1, 2}, b[] = {0.5, 0, -1}, a[] = {1, -3, 2};
        assert_int_equal(kinks(w, b, a, 3), 3);
    }
    {   /* Everything at once, shuffled.  Per neuron, kink (slope change):
         *  0: 5 (out)   1: none (w = 0)   2: 0.5 (+2)   3: 0.3 (0, a = 0)
         *  4: −0.5 (+2, w < 0)   5: 0.3 (+2)   6: 0 (+1)   7: 0.5 (−2)
         *  8: 0.7 (+1)   9: 0.7005 (+1, within eps = 2e-3 of 8)
         * 10: 0.8 (+1)  11: 0.81 (+1, 1e-2 away: distinct)
         * Count: −0.5, 0, 0.3, 0.7, 0.8, 0.81 = 6; the pair at 0.5
         * cancels. */
        const double w[] = {1, 0, 2, 1, -2, 2, 1, 1, 1, 1, 1, 1},
                     b[] = {-5, 1, -1, -0.3, -1, -0.6, 0, -0.5, -0.7,
                            -0.7005, -0.8, -0.81},
                     a[] = {1, 1, 1, 0, 1, 1, 1, -2, 1, 1, 1, 1};
        assert_int_equal(kinks(w, b, a, 12), 6);
    }
    {   /* A slope change under 1% of the largest is not a kink one can
         * see: the 0.005 at 0.2 does not count, the 0.02 at 0.4 does. */
        const double w[] = {1, 1, 1}, b[] = {0, -0.2, -0.4},
                     a[] = {1, 0.005, 0.02};
        assert_int_equal(kinks(w, b, a, 3), 2);
    }
    {   /* Empty network, empty range. */
        double scratch[2];
        const double w[] = {1}, b[] = {0}, a[] = {1};
        assert_int_equal(metrics_kinks(w, b, a, 0, -1, 1, scratch), 0);
        assert_int_equal(metrics_kinks(w, b, a, 1, 1, 1, scratch), 0);
        assert_int_equal(metrics_kinks(w, b, a, 1, -1, 1, scratch), 1);
    }
}

/* ---- quantile ---------------------------------------------------------- */

static void test_quantile_type7(void **state)
{
    (void)state;
    const double v[10] = {7, 3, 10, 1, 9, 2, 8, 4, 6, 5};
    double copy[10], s[10];
    memcpy(copy, v, sizeof v);
    assert_close(metrics_quantile(v, 10, 0.0, s), 1.0, 1e-15);
    assert_close(metrics_quantile(v, 10, 1.0, s), 10.0, 1e-15);
    assert_close(metrics_quantile(v, 10, 0.5, s), 5.5, 1e-15);
    /* h = 9·0.1 = 0.9: 1 + 0.9·(2 − 1) = 1.9 */
    assert_close(metrics_quantile(v, 10, 0.1, s), 1.9, 1e-14);
    /* h = 9·0.9 = 8.1: 9 + 0.1·(10 − 9) = 9.1 */
    assert_close(metrics_quantile(v, 10, 0.9, s), 9.1, 1e-14);
    assert_memory_equal(v, copy, sizeof v);

    const double one[1] = {42};
    assert_close(metrics_quantile(one, 1, 0.0, s), 42, 0);
    assert_close(metrics_quantile(one, 1, 0.37, s), 42, 0);
    assert_close(metrics_quantile(one, 1, 1.0, s), 42, 0);
    assert_true(isnan(metrics_quantile(one, 0, 0.5, s)));
}

static void test_quantile_large(void **state)
{
    (void)state;
    /* 1000 values k·7 mod 1000 — a permutation of 0..999 — so the type-7
     * quantile q is exactly 999·q. */
    enum { K = 1000 };
    static double v[K], s[K];
    for (int k = 0; k < K; k++)
        v[k] = (double)((k * 7) % K);
    assert_close(metrics_quantile(v, K, 0.1, s), 99.9, 1e-12);
    assert_close(metrics_quantile(v, K, 0.9, s), 899.1, 1e-12);
    assert_close(metrics_quantile(v, K, 0.5, s), 499.5, 1e-12);
}

/* ---- valley floor and crossing share --------------------------------- */

static int line_calls;

/* (s − 0.3)² + 1: minimum at 0.3. */
static double parabola(void *ctx, double s)
{
    (void)ctx;
    line_calls++;
    return (s - 0.3) * (s - 0.3) + 1.0;
}

/* quad1d's population loss along θ = 0.7 + s: ¼·E(1 − θ²)², minimum at
 * θ* = 1 (s = 0.3), far from quadratic over [0.6, 1.2]. */
static double quartic(void *ctx, double s)
{
    double th = *(const double *)ctx + s, d = 1.0 - th * th;
    line_calls++;
    return 0.25 * d * d;
}

/* |s − 2|: a kink, and a minimum outside [−1, 1]. */
static double vee(void *ctx, double s)
{
    (void)ctx;
    return fabs(s - 2.0);
}

static void test_line_min(void **state)
{
    (void)state;
    line_calls = 0;
    assert_close(metrics_line_min(parabola, NULL, -1.0, 1.0), 0.3, 2e-8);
    print_message("parabola: %d evaluations\n", line_calls);
    assert_true(line_calls <= 30); /* golden section alone needs 45 */
    double th0 = 0.7;
    line_calls = 0;
    assert_close(metrics_line_min(quartic, &th0, -0.1, 0.5), 0.3, 1e-8);
    print_message("quartic: %d evaluations\n", line_calls);
    assert_true(line_calls <= 30);
    /* The quadratic model from θ = 0.7 would put the floor elsewhere:
     * s = −F'/F'' = 0.357 / 0.47 ≈ 0.76, i.e. θ ≈ 1.46. */
    /* a minimum outside the bracket: the search ends at that edge */
    assert_close(metrics_line_min(vee, NULL, -1.0, 1.0), 1.0, 1e-8);
    assert_true(line_calls <= METRICS_LINE_EVALS + 1);
}

static void test_cross_share(void **state)
{
    (void)state;
    const double alt[] = {-0.2, 0.1, -0.3, 0.12, -0.25};
    assert_close(metrics_cross_share(alt, 5), 1.0, 0);
    const double one_side[] = {0.1, 0.2, 0.05, 0.3};
    assert_close(metrics_cross_share(one_side, 4), 0.0, 0);
    /* pairs: (+,−) yes, (−,−) no, (−,+) yes, (+,0) no, (0,−) no */
    const double mixed[] = {0.1, -0.1, -0.2, 0.3, 0.0, -0.1};
    assert_close(metrics_cross_share(mixed, 6), 2.0 / 5.0, 1e-15);
    assert_true(isnan(metrics_cross_share(alt, 1)));
    assert_true(isnan(metrics_cross_share(alt, 0)));
}

/* The pair gives both quantiles exactly as two single calls do. */
static void test_quantile_pair(void **state)
{
    (void)state;
    const double v[] = {3.0, -1.0, 7.5, 0.25, 2.0, 2.0, 9.0};
    double sc[7], lo, hi;
    metrics_quantile_pair(v, 7, 0.1, 0.9, sc, &lo, &hi);
    assert_true(lo == metrics_quantile(v, 7, 0.1, sc));
    assert_true(hi == metrics_quantile(v, 7, 0.9, sc));
    metrics_quantile_pair(v, 0, 0.1, 0.9, sc, &lo, &hi);
    assert_true(isnan(lo) && isnan(hi));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_min),
        cmocka_unit_test(test_cross_share),
        cmocka_unit_test(test_rank_known_spectra),
        cmocka_unit_test(test_l0_threshold_and_signs),
        cmocka_unit_test(test_sparsity_hand_built),
        cmocka_unit_test(test_sparsity_threshold_matters),
        cmocka_unit_test(test_sparsity_constant_columns),
        cmocka_unit_test(test_sparsity_degenerate),
        cmocka_unit_test(test_kinks_cases),
        cmocka_unit_test(test_quantile_pair),
        cmocka_unit_test(test_quantile_type7),
        cmocka_unit_test(test_quantile_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

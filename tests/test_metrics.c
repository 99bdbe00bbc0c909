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

/* Survivors of the last metrics_feature_sparsity call (metrics.h): the
 * per-neuron non-zero counts it leaves at scratch[n·m + m], 0 if deleted. */
static void assert_survivors(const double *scratch, size_t n, size_t m,
                             const double *want)
{
    for (size_t j = 0; j < m; j++)
        assert_close(scratch[n * m + m + j], want[j], 0.0);
}

/* Neurons (columns), five samples (rows), the last sample all zero:
 *   n0 = [1 0 1 0 0]   active on half the live samples
 *   n1 = n0            identical: r = 1
 *   n2 = 0             dead: dropped before the correlations
 *   n3 = 2·n0          scaled copy, still one after row normalization
 *                      (each row is divided by one number): r = 1
 *   n4 = [0 1 0 1 0]   after normalization z0 = [1/√6 0 1/√6 0 0],
 *                      z4 = [0 1 0 1 0]; centred, z0 ∝ [3 −2 3 −2 −2] and
 *                      z4 ∝ [−2 3 −2 3 −2]: r = −20/√(30·30) = −2/3
 * Walk: n0 goes (r = 1 with the later n1), n1 goes (with n3), n3 stays
 * (n4 is at |r| = 2/3), n4 stays.  Kept n3 and n4, 2 non-zeros each:
 * 4/25.  At corr = 1 nothing exceeds the clipped r: n0 n1 n3 n4, 8/25. */
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
    double act_copy[25], scratch[METRICS_SPARSITY_SCRATCH(5, 5)];
    memcpy(act_copy, act, sizeof act);
    assert_close(metrics_feature_sparsity(act, 5, 5, 0.95, scratch),
                 4.0 / 25.0, 1e-15);
    assert_survivors(scratch, 5, 5, (const double[]){0, 0, 0, 2, 2});
    assert_close(metrics_feature_sparsity(act, 5, 5, 0.999, scratch),
                 4.0 / 25.0, 1e-15);
    assert_close(metrics_feature_sparsity(act, 5, 5, 1.0, scratch),
                 8.0 / 25.0, 1e-15);
    assert_survivors(scratch, 5, 5, (const double[]){2, 2, 0, 2, 2});
    assert_memory_equal(act, act_copy, sizeof act); /* input untouched */
}

/* A group of three: g1 = 2·g0 exactly (r = 1), g2 = 4·g0 plus 1/16 on
 * sample 2, where g0 and g1 are 0 (r = 0.9999981 with both), o mostly
 * where they are not (|r| = 0.9523 with g0, g1, 0.9529 with g2; numpy
 * gives the same four numbers).  Row norms 5, √85, √(9 + 1/256), √189.
 *   corr 0.999: g0 goes (g1, later, at r = 1), g1 goes (g2), g2 stays
 *     (o is below), o stays: g2 (4) + o (3) = 7/16.  The rule that kept
 *     the first of a group kept g0 (3) + o: 6/16.
 *   corr 0.96: the same, 7/16.
 *   corr 0.95: g2 goes too, on |r| = 0.9529 with the later o (the
 *     authors' test is on |C|): o alone, 3/16. */
static void test_sparsity_group_last_survives(void **state)
{
    (void)state;
    const double act[4 * 4] = {
        1, 2, 4, 2,
        2, 4, 8, 1,
        0, 0, 1.0 / 16, 3,
        3, 6, 12, 0,
    };
    double scratch[METRICS_SPARSITY_SCRATCH(4, 4)];
    assert_close(metrics_feature_sparsity(act, 4, 4, 0.999, scratch),
                 7.0 / 16.0, 1e-15);
    assert_survivors(scratch, 4, 4, (const double[]){0, 0, 4, 3});
    assert_close(metrics_feature_sparsity(act, 4, 4, 0.96, scratch),
                 7.0 / 16.0, 1e-15);
    assert_close(metrics_feature_sparsity(act, 4, 4, 0.95, scratch),
                 3.0 / 16.0, 1e-15);
    assert_survivors(scratch, 4, 4, (const double[]){0, 0, 0, 3});
}

/* A chain a ~ b ~ c with a ≁ c, and a zero sample (row 0, which stays
 * zero and still counts in the means and in n·m).  Normalized rows:
 * [0 0 0], [1 1 2]/√6, [0 1 2]/√5, [3 3 2]/√22; r(a,b) = 0.7201,
 * r(b,c) = 0.6251, r(a,c) = 0.1182 (numpy agrees).
 *   corr 0.5: a goes (b is later), b goes (c is later and a is gone), c
 *     stays: 3 non-zeros, 3/12.  Keeping the first would keep a and c:
 *     5/12.
 *   corr 0.65: a goes, b stays (c at 0.6251), c stays: 3 + 3 = 6/12.
 *   corr 0.75: all stay, 2 + 3 + 3 = 8/12. */
static void test_sparsity_chain(void **state)
{
    (void)state;
    const double act[4 * 3] = {
        0, 0, 0,
        1, 1, 2,
        0, 1, 2,
        3, 3, 2,
    };
    double scratch[METRICS_SPARSITY_SCRATCH(4, 3)];
    assert_close(metrics_feature_sparsity(act, 4, 3, 0.5, scratch),
                 3.0 / 12.0, 1e-15);
    assert_survivors(scratch, 4, 3, (const double[]){0, 0, 3});
    assert_close(metrics_feature_sparsity(act, 4, 3, 0.65, scratch),
                 6.0 / 12.0, 1e-15);
    assert_survivors(scratch, 4, 3, (const double[]){0, 3, 3});
    assert_close(metrics_feature_sparsity(act, 4, 3, 0.75, scratch),
                 8.0 / 12.0, 1e-15);
    assert_survivors(scratch, 4, 3, (const double[]){2, 3, 3});
}

/* Three neurons, four samples, every entry non-zero.  After row
 * normalization r(n0,n1) = 0.97397 (of the raw columns: 0.96225), and
 * n2 is anti-correlated with both: r = −0.96489, −0.96482.
 *   corr 0.95  → n0 goes (n1), n1 goes (|r| with n2): 4/12
 *   corr 0.97  → n0 goes only because rows are normalized first: 8/12
 *   corr 0.975 → all kept: 12/12 */
static void test_sparsity_threshold_matters(void **state)
{
    (void)state;
    const double act[4 * 3] = {
        2, 3, 3,
        4, 4, 1,
        1, 3, 4,
        4, 4, 2,
    };
    double scratch[METRICS_SPARSITY_SCRATCH(4, 3)];
    assert_close(metrics_feature_sparsity(act, 4, 3, 0.95, scratch),
                 4.0 / 12.0, 1e-15);
    assert_close(metrics_feature_sparsity(act, 4, 3, 0.97, scratch),
                 8.0 / 12.0, 1e-15);
    assert_survivors(scratch, 4, 3, (const double[]){0, 4, 4});
    assert_close(metrics_feature_sparsity(act, 4, 3, 0.975, scratch),
                 1.0, 1e-15);
    assert_close(metrics_feature_sparsity(act, 4, 3, 0.999, scratch),
                 1.0, 1e-15);
}

/* Constant columns.  Rows (2,2,1,0,0), (2,2,0,1,0), (10,10,3,4,0) have
 * norms 3, 3, 15, so n0 and n1 are the constant 2/3 (the same correctly
 * rounded quotient each time): np.corrcoef gives NaN for them, which no
 * threshold is below, so both stay and delete nothing.  n4 is dead.
 * n2 = [1/3 0 1/5], n3 = [0 1/3 4/15]: means 8/45, 9/45; centred ×45
 * [7 −8 1] and [−9 6 3]; r = −108/√(114·126) = −0.90113.
 *   corr 0.95: everything live stays, 3 + 3 + 2 + 2 = 10/15 (the rule
 *     that called two constant columns correlated dropped n1: 7/15).
 *   corr 0.9: n2 goes on |r| = 0.90113 with n3: 8/15. */
static void test_sparsity_constant_columns(void **state)
{
    (void)state;
    const double act[3 * 5] = {
        2, 2, 1, 0, 0,
        2, 2, 0, 1, 0,
        10, 10, 3, 4, 0,
    };
    double scratch[METRICS_SPARSITY_SCRATCH(3, 5)];
    assert_close(metrics_feature_sparsity(act, 3, 5, 0.95, scratch),
                 10.0 / 15.0, 1e-15);
    assert_survivors(scratch, 3, 5, (const double[]){3, 3, 2, 2, 0});
    assert_close(metrics_feature_sparsity(act, 3, 5, 0.9, scratch),
                 8.0 / 15.0, 1e-15);
    assert_survivors(scratch, 3, 5, (const double[]){3, 3, 0, 2, 0});
    /* Here 1/√2 and 3/√18 differ in the last bit: n0 is constant up to
     * rounding and still counts as constant (metrics.c says why), so it
     * stays; n1 = [0 1/√2] and n2 = [1/√2 0] are at r = −1, so n1 goes.
     * n0 (2) + n2 (1) = 3/6.  (numpy, which blows the rounding up to
     * r = ±0.71, would delete n0 too at 0.5.) */
    const double c[2 * 3] = {
        1, 1, 0,
        3, 0, 3,
    };
    double scratch2[METRICS_SPARSITY_SCRATCH(2, 3)];
    assert_close(metrics_feature_sparsity(c, 2, 3, 0.5, scratch2),
                 3.0 / 6.0, 1e-15);
    assert_survivors(scratch2, 2, 3, (const double[]){2, 0, 1});
}

/* Cross-check against a transcription of the authors' feature_sparsity
 * (numpy 1.24, float64): a random 12 × 100 relu layer on
 * x_i = (2i − 11)/16, w_j and b_j uniform on the multiples of 1/512 in
 * [−1000/512, 1000/512] from the 64-bit LCG below (every activation is
 * exact in both languages).  24 neurons are dead; the closest |r| to any
 * threshold is 2.9e-6 away, far beyond rounding.  numpy's numbers (the
 * non-zero counts out of 1200): 0.95 → 61, 0.99 → 116, 0.999 → 328.
 * (The first-of-a-group rule gave 96, 190, 351.) */
static void test_sparsity_matches_authors(void **state)
{
    (void)state;
    enum { N = 12, M = 100 };
    static double act[N * M], scratch[METRICS_SPARSITY_SCRATCH(N, M)];
    double w[M], b[M];
    unsigned long long s = 12345;
    for (size_t j = 0; j < M; j++) {
        double *out[2] = {&w[j], &b[j]};
        for (int k = 0; k < 2; k++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            *out[k] = ((double)((s >> 33) % 2001) - 1000.0) / 512.0;
        }
    }
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < M; j++) {
            double z = w[j] * ((double)(2 * (int)i - 11) / 16.0) + b[j];
            act[i * M + j] = z > 0.0 ? z : 0.0;
        }
    assert_close(metrics_feature_sparsity(act, N, M, 0.95, scratch),
                 61.0 / 1200.0, 1e-15);
    assert_close(metrics_feature_sparsity(act, N, M, 0.99, scratch),
                 116.0 / 1200.0, 1e-15);
    assert_close(metrics_feature_sparsity(act, N, M, 0.999, scratch),
                 328.0 / 1200.0, 1e-15);
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
        cmocka_unit_test(test_sparsity_group_last_survives),
        cmocka_unit_test(test_sparsity_chain),
        cmocka_unit_test(test_sparsity_matches_authors),
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

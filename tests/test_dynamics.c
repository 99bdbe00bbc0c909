/* test_dynamics.c — Propositions 1 and 2, and the update rules against
 * their definitions. */
#include "testutil.h"

#include "dynamics.h"
#include "model.h"
#include "rng.h"

static model_params diag_params(int n, int d, int r)
{
    model_params p;
    memset(&p, 0, sizeof p);
    p.n = n;
    p.d = d;
    p.r = r;
    p.n_test = 10;
    p.init_u = 0.1;
    p.init_v = 0.0;
    return p;
}

static model_params quad_params(double a, double b, double theta0, int n)
{
    model_params p;
    memset(&p, 0, sizeof p);
    p.a = a;
    p.b = b;
    p.theta_star = 1.0;
    p.theta0 = theta0;
    p.n = n;
    return p;
}

static void make(model *m, const char *name, const model_params *p,
                 uint64_t seed)
{
    rng data, probe;
    char err[256];
    rng_seed(&data, seed, 1);
    rng_seed(&probe, seed, 2);
    const model_ops *ops = model_find(name);
    assert_non_null(ops);
    if (model_create(m, ops, p, &data, &probe, err, sizeof err) != 0)
        fail_msg("model_create: %s", err);
}

static dyn_cfg cfg_of(dyn_kind k)
{
    dyn_cfg c;
    memset(&c, 0, sizeof c);
    c.kind = k;
    c.batch = 1;
    c.sde_substeps = 10;
    c.sde_scale = 1.0;
    c.flow_substeps = 100;
    c.max_loss = 1e10;
    return c;
}

/* A θ away from init so that every residual is non-zero. */
static void random_theta(const model *m, double *th, uint64_t seed)
{
    rng g;
    rng_seed(&g, seed, 9);
    for (size_t j = 0; j < m->p; j++)
        th[j] = 0.3 * rng_normal(&g);
}

/* Proposition 1: E ξ = 0 and E‖ξ‖² = 2n(n−1)L, by Monte Carlo over i_t. */
static void test_prop1_label_noise_moments(void **st)
{
    (void)st;
    model m;
    model_params p = diag_params(12, 6, 3);
    make(&m, "diagnet", &p, 3);
    double th[12];
    random_theta(&m, th, 5);
    dyn_ws ws;
    assert_int_equal(dyn_ws_init(&ws, &m), 0);
    double xi[12], mean[12] = {0}, sq = 0.0;
    rng g;
    rng_seed(&g, 77, 4);
    const int K = 200000;
    for (int k = 0; k < K; k++) {
        size_t it = (size_t)rng_below(&g, m.n);
        dyn_label_noise(&m, th, it, xi, &ws);
        for (size_t i = 0; i < m.n; i++) {
            mean[i] += xi[i] / K;
            sq += xi[i] * xi[i] / K;
        }
    }
    double L = model_train_loss(&m, th);
    double n = (double)m.n;
    /* ξ_i = r_i (1 − n 1{i=i_t}) has std r_i sqrt(n−1); the MC mean has
     * std r_i sqrt((n−1)/K): allow 5 of those. */
    for (size_t i = 0; i < m.n; i++) {
        double r = m.ops->predict(&m, th, m.x + i * m.dim) - m.y[i];
        assert_true(fabs(mean[i]) < 5.0 * fabs(r) * sqrt((n - 1) / K) + 1e-15);
    }
    assert_close(sq, 2.0 * n * (n - 1.0) * L, 0.02 * 2.0 * n * (n - 1.0) * L);
    dyn_ws_free(&ws);
    model_destroy(&m);
}

/* Proposition 1, first part: GD on y + ξ is the SGD step.  Same seed →
 * same i_t sequence → the same trajectory up to rounding. */
static void test_prop1_labelnoise_equals_sgd(void **st)
{
    (void)st;
    model m;
    model_params p = diag_params(20, 8, 3);
    make(&m, "diagnet", &p, 4);
    double a[16], b[16];
    m.ops->init_theta(&m, a, NULL);
    memcpy(b, a, sizeof a);
    dyn_ws ws;
    assert_int_equal(dyn_ws_init(&ws, &m), 0);
    dyn_cfg cs = cfg_of(DYN_SGD), cl = cfg_of(DYN_LABELNOISE);
    rng g1, g2;
    rng_seed(&g1, 5, 4);
    rng_seed(&g2, 5, 4);
    for (int t = 0; t < 300; t++) {
        assert_int_equal(dyn_step(&m, a, 0.05, &cs, &g1, &ws), 0);
        assert_int_equal(dyn_step(&m, b, 0.05, &cl, &g2, &ws), 0);
    }
    for (size_t j = 0; j < m.p; j++)
        assert_close(a[j], b[j], 1e-9);
    dyn_ws_free(&ws);
    model_destroy(&m);
}

/* Proposition 2 inside its interval: a = 1, b = 1.05, η = 1.1, θ0 = 0.3.
 * After a transient the iterates alternate sides of θ* within the bounds
 * (0.65, 1 − ε) and (1 + ε, 1.162) and the loss stays in a band away
 * from 0. */
static void test_prop2_bounces_in_band(void **st)
{
    (void)st;
    model m;
    model_params p = quad_params(1.0, 1.05, 0.3, 0);
    make(&m, "quad1d", &p, 1);
    double eta = 1.1;
    /* the interval ((θ* a)^−2, 1.25 (θ* b)^−2) */
    assert_true(eta > 1.0 && eta < 1.25 / (1.05 * 1.05));
    double eps = fmin((eta * 1.0 - 1.0) / 3.0, 0.02);
    for (uint64_t seed = 1; seed <= 5; seed++) {
        double th = 0.3;
        m.ops->init_theta(&m, &th, NULL);
        dyn_ws ws;
        assert_int_equal(dyn_ws_init(&ws, &m), 0);
        dyn_cfg c = cfg_of(DYN_SGD);
        rng g;
        rng_seed(&g, seed, 4);
        double prev = th, lmin = INFINITY, lmax = 0.0;
        for (int t = 1; t <= 20000; t++) {
            assert_int_equal(dyn_step(&m, &th, eta, &c, &g, &ws), 0);
            /* never converges nor diverges */
            assert_true(th > 0.0 && th < 1.162);
            if (t > 200) {
                assert_true((prev - 1.0) * (th - 1.0) < 0.0);
                double lo = th < 1.0 ? th : prev, hi = th < 1.0 ? prev : th;
                assert_true(lo > 0.65 && lo < 1.0 - eps);
                assert_true(hi > 1.0 + eps && hi < 1.162);
                double L = m.ops->pop_loss(&m, &th);
                lmin = fmin(lmin, L);
                lmax = fmax(lmax, L);
            }
            prev = th;
        }
        /* the spec's measured band is about (0.012, 0.066) */
        assert_true(lmin > 0.005);
        assert_true(lmax < 0.1);
        assert_true(lmax / lmin > 1.5); /* a band, not a point */
        dyn_ws_free(&ws);
    }
    model_destroy(&m);
}

/* Below the interval SGD converges to θ*. */
static void test_prop2_converges_below(void **st)
{
    (void)st;
    model m;
    model_params p = quad_params(1.0, 1.05, 0.3, 0);
    make(&m, "quad1d", &p, 1);
    double th;
    m.ops->init_theta(&m, &th, NULL);
    dyn_ws ws;
    assert_int_equal(dyn_ws_init(&ws, &m), 0);
    dyn_cfg c = cfg_of(DYN_SGD);
    rng g;
    rng_seed(&g, 1, 4);
    for (int t = 0; t < 3000; t++)
        assert_int_equal(dyn_step(&m, &th, 0.5, &c, &g, &ws), 0);
    assert_true(fabs(th - 1.0) < 1e-9);
    assert_true(m.ops->pop_loss(&m, &th) < 1e-15);
    dyn_ws_free(&ws);
    model_destroy(&m);
}

/* GD is θ − η∇L; flow with K substeps is K GD steps of η/K; the SDE with
 * no noise is the same as the flow with the same substeps. */
static void test_gd_flow_sde_definitions(void **st)
{
    (void)st;
    model m;
    model_params p = diag_params(10, 5, 2);
    make(&m, "diagnet", &p, 2);
    double th[10], a[10], b[10], g[10];
    random_theta(&m, th, 3);
    dyn_ws ws;
    assert_int_equal(dyn_ws_init(&ws, &m), 0);
    rng r;
    rng_seed(&r, 1, 4);

    memcpy(a, th, sizeof th);
    dyn_cfg c = cfg_of(DYN_GD);
    assert_int_equal(dyn_step(&m, a, 0.1, &c, &r, &ws), 0);
    model_full_grad(&m, th, g);
    for (size_t j = 0; j < m.p; j++)
        assert_close(a[j], th[j] - 0.1 * g[j], 1e-12);

    memcpy(a, th, sizeof th);
    memcpy(b, th, sizeof th);
    c = cfg_of(DYN_FLOW);
    c.flow_substeps = 10;
    assert_int_equal(dyn_step(&m, a, 0.1, &c, &r, &ws), 0);
    dyn_cfg s = cfg_of(DYN_SDE);
    s.sde_substeps = 10;
    s.sde_scale = 0.0;
    assert_int_equal(dyn_step(&m, b, 0.1, &s, &r, &ws), 0);
    for (size_t j = 0; j < m.p; j++)
        assert_true(a[j] == b[j]);
    dyn_ws_free(&ws);
    model_destroy(&m);
}

/* One Euler–Maruyama substep has mean −γ∇L and covariance
 * (γηδ/n) ϕᵀϕ with δ = 4cL: check the mean and the trace. */
static void test_sde_noise_covariance(void **st)
{
    (void)st;
    model m;
    model_params p = diag_params(8, 3, 2);
    make(&m, "diagnet", &p, 6);
    double th[6], a[6], g[6], mean[6] = {0}, tr = 0.0;
    random_theta(&m, th, 8);
    dyn_ws ws;
    assert_int_equal(dyn_ws_init(&ws, &m), 0);
    dyn_cfg c = cfg_of(DYN_SDE);
    c.sde_substeps = 1;
    double eta = 0.2, gamma = eta;
    rng r;
    rng_seed(&r, 3, 4);
    const int K = 100000;
    model_full_grad(&m, th, g);
    for (int k = 0; k < K; k++) {
        memcpy(a, th, sizeof th);
        assert_int_equal(dyn_step(&m, a, eta, &c, &r, &ws), 0);
        for (size_t j = 0; j < m.p; j++) {
            double dev = a[j] - (th[j] - gamma * g[j]);
            mean[j] += dev / K;
            tr += dev * dev / K;
        }
    }
    double L = model_train_loss(&m, th), delta = 4.0 * m.loss_coef * L;
    double phi[8 * 6], fro = 0.0;
    model_feature_matrix(&m, th, m.x, m.n, phi);
    for (size_t k = 0; k < m.n * m.p; k++)
        fro += phi[k] * phi[k];
    double want = gamma * eta * delta / (double)m.n * fro;
    assert_close(tr, want, 0.03 * want);
    for (size_t j = 0; j < m.p; j++)
        assert_true(fabs(mean[j]) < 6.0 * sqrt(want / K));
    dyn_ws_free(&ws);
    model_destroy(&m);
}

/* SGD with batch B averages B per-sample gradients at the same θ. */
static void test_sgd_batch(void **st)
{
    (void)st;
    model m;
    model_params p = diag_params(10, 4, 2);
    make(&m, "diagnet", &p, 2);
    double th[8], a[8], g[8] = {0};
    random_theta(&m, th, 1);
    memcpy(a, th, sizeof th);
    dyn_ws ws;
    assert_int_equal(dyn_ws_init(&ws, &m), 0);
    dyn_cfg c = cfg_of(DYN_SGD);
    c.batch = 3;
    rng r1, r2;
    rng_seed(&r1, 9, 4);
    rng_seed(&r2, 9, 4);
    assert_int_equal(dyn_step(&m, a, 0.3, &c, &r1, &ws), 0);
    for (int b = 0; b < 3; b++) {
        size_t i = (size_t)rng_below(&r2, m.n);
        m.ops->grad_add(&m, th, m.x + i * m.dim, m.y[i], 1.0 / 3.0, g);
    }
    for (size_t j = 0; j < m.p; j++)
        assert_close(a[j], th[j] - 0.3 * g[j], 1e-14);
    dyn_ws_free(&ws);
    model_destroy(&m);
}

/* Divergence is reported, never a crash, for every dynamics. */
static void test_divergence_reported(void **st)
{
    (void)st;
    model m;
    model_params p = diag_params(10, 4, 2);
    make(&m, "diagnet", &p, 2);
    dyn_ws ws;
    assert_int_equal(dyn_ws_init(&ws, &m), 0);
    for (int k = 0; k < DYN_COUNT; k++) {
        double th[8];
        random_theta(&m, th, 2);
        dyn_cfg c = cfg_of((dyn_kind)k);
        rng r;
        rng_seed(&r, 1, 4);
        /* flow and sde split η into K substeps: give them K times more */
        double eta = k == DYN_FLOW ? 5000.0 : k == DYN_SDE ? 500.0 : 50.0;
        int bad = 0;
        for (int t = 0; t < 10000 && !bad; t++)
            bad = dyn_step(&m, th, eta, &c, &r, &ws);
        if (bad != 1)
            fail_msg("%s did not report divergence", dyn_name((dyn_kind)k));
    }
    dyn_ws_free(&ws);
    model_destroy(&m);
}

static void test_names_and_checks(void **st)
{
    (void)st;
    for (int k = 0; k < DYN_COUNT; k++)
        assert_int_equal(dyn_parse(dyn_name((dyn_kind)k)), k);
    assert_int_equal(dyn_parse("adam"), -1);
    model m;
    model_params p = quad_params(1.0, 1.05, 0.3, 0);
    make(&m, "quad1d", &p, 1);
    char err[128];
    assert_int_equal(dyn_check(DYN_SGD, &m, err, sizeof err), 0);
    assert_int_equal(dyn_check(DYN_GD, &m, err, sizeof err), 0);
    assert_int_equal(dyn_check(DYN_LABELNOISE, &m, err, sizeof err), -1);
    assert_non_null(strstr(err, "training set"));
    assert_int_equal(dyn_check(DYN_SDE, &m, err, sizeof err), -1);
    model_destroy(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prop1_label_noise_moments),
        cmocka_unit_test(test_prop1_labelnoise_equals_sgd),
        cmocka_unit_test(test_prop2_bounces_in_band),
        cmocka_unit_test(test_prop2_converges_below),
        cmocka_unit_test(test_gd_flow_sde_definitions),
        cmocka_unit_test(test_sde_noise_covariance),
        cmocka_unit_test(test_sgd_batch),
        cmocka_unit_test(test_divergence_reported),
        cmocka_unit_test(test_names_and_checks),
    };
    return cmocka_run_group_tests_name("dynamics", tests, NULL, NULL);
}

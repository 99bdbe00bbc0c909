/* test_models.c — every model against finite differences of itself, the
 * NTK factor against the full feature matrix, and the data against the
 * spec. */
#include "testutil.h"

#include "la.h"
#include "model.h"
#include "model_registry.h"

enum { MAXP = 64 };

/* ---- parameter sets -------------------------------------------------- */

static model_params quad1d_params(int n)
{
    model_params p;
    memset(&p, 0, sizeof p);
    p.a = 1.0;
    p.b = 1.05;
    p.theta_star = 1.0;
    p.theta0 = 0.3;
    p.n = n;
    return p;
}

static model_params diagnet_params(int d, int r, int n, int n_test)
{
    model_params p;
    memset(&p, 0, sizeof p);
    p.d = d;
    p.r = r;
    p.n = n;
    p.n_test = n_test;
    p.init_u = 0.1;
    p.init_v = 0.0;
    return p;
}

static model_params relu1d_params(int m)
{
    model_params p;
    memset(&p, 0, sizeof p);
    p.m = m;
    p.init_w = 2.5;
    p.init_b = 2.5;
    p.init_a = 4.0;
    return p;
}

static void create_ok(model *m, const model_ops *ops, const model_params *p,
                      uint64_t seed)
{
    rng data, probe;
    char err[200];
    rng_seed(&data, seed, 1);
    rng_seed(&probe, seed, 2);
    int rc = model_create(m, ops, p, &data, &probe, err, sizeof err);
    if (rc != 0)
        fail_msg("model_create(%s): %s", ops->name, err);
}

/* A random θ; relu1d's avoids kinks at every training and probe input so
 * central differences with step ≤ 1e-5 never cross one. */
static void random_theta(const model *m, rng *g, double *theta)
{
    if (m->ops == &model_quad1d_ops) {
        theta[0] = 0.2 + 1.3 * rng_uniform(g);
        return;
    }
    if (m->ops == &model_diagnet_ops) {
        for (size_t k = 0; k < m->p; k++)
            theta[k] = 0.7 * rng_normal(g);
        return;
    }
    size_t nn = m->p / 3;
    for (int tries = 0; tries < 1000; tries++) {
        for (size_t k = 0; k < m->p; k++)
            theta[k] = rng_normal(g);
        int ok = 1;
        for (size_t j = 0; j < nn && ok; j++) {
            for (size_t i = 0; i < m->n && ok; i++)
                ok = fabs(theta[j] * m->x[i] + theta[nn + j]) > 1e-3;
            for (size_t i = 0; i < m->n_probe && ok; i++)
                ok = fabs(theta[j] * m->probe[i] + theta[nn + j]) > 1e-3;
        }
        if (ok)
            return;
    }
    fail_msg("no kink-free theta found");
}

/* ---- finite-difference helpers --------------------------------------- */

static double sample_loss(const model *m, const double *theta,
                          const double *x, double y)
{
    double r = m->ops->predict(m, theta, x) - y;
    return m->loss_coef * r * r;
}

/* |got − want|∞ ≤ tol · max(1, |want|∞). */
static void assert_vec_close(const double *got, const double *want, size_t k,
                             double tol)
{
    double s = 1.0;
    for (size_t i = 0; i < k; i++)
        if (fabs(want[i]) > s)
            s = fabs(want[i]);
    for (size_t i = 0; i < k; i++)
        if (!(fabs(got[i] - want[i]) <= tol * s))
            fail_msg("component %zu: %.17g vs %.17g (scale %g, tol %g)", i,
                     got[i], want[i], s, tol);
}

typedef double (*scalar_fn)(const model *m, const double *theta,
                            const void *ctx);

static double fn_sample_loss(const model *m, const double *theta,
                             const void *ctx)
{
    const double *xy = ctx; /* x (dim doubles) then y */
    return sample_loss(m, theta, xy, xy[m->dim]);
}

static double fn_predict(const model *m, const double *theta, const void *ctx)
{
    return m->ops->predict(m, theta, ctx);
}

static double fn_train_loss(const model *m, const double *theta,
                            const void *ctx)
{
    return model_train_loss(m, theta);
}

/* Central differences of f at θ with step 1e-6·max(1, |θ_k|). */
static void fd_grad(const model *m, const double *theta, scalar_fn f,
                    const void *ctx, double *g)
{
    double t[MAXP];
    memcpy(t, theta, m->p * sizeof *t);
    for (size_t k = 0; k < m->p; k++) {
        double h = 1e-6 * fmax(1.0, fabs(theta[k]));
        t[k] = theta[k] + h;
        double fp = f(m, t, ctx);
        t[k] = theta[k] - h;
        double fm = f(m, t, ctx);
        t[k] = theta[k];
        g[k] = (fp - fm) / (2 * h);
    }
}

/* All per-model derivative checks at a few random θ. */
static void check_derivatives(const model *m, uint64_t seed)
{
    assert_true(m->p <= MAXP);
    rng g;
    rng_seed(&g, seed, 99);
    for (int trial = 0; trial < 4; trial++) {
        double theta[MAXP], ga[MAXP], gf[MAXP], row[MAXP], th2[MAXP];
        random_theta(m, &g, theta);
        /* A sample: a training point, or a fresh draw when online. */
        double xy[MAXP + 1];
        if (m->n > 0) {
            size_t i = (size_t)trial % m->n;
            memcpy(xy, m->x + i * m->dim, m->dim * sizeof *xy);
            xy[m->dim] = m->y[i];
        } else {
            m->ops->sample(m, &g, xy, &xy[m->dim]);
        }
        double y = xy[m->dim];

        /* grad_add (with scale and accumulation) vs FD of c r². */
        for (size_t k = 0; k < m->p; k++)
            ga[k] = 1.0;
        double r = m->ops->grad_add(m, theta, xy, y, 0.5, ga);
        assert_close(r, m->ops->predict(m, theta, xy) - y, 1e-12);
        for (size_t k = 0; k < m->p; k++)
            ga[k] = (ga[k] - 1.0) * 2.0;
        fd_grad(m, theta, fn_sample_loss, xy, gf);
        assert_vec_close(ga, gf, m->p, 1e-6);

        /* feature row vs FD of predict. */
        m->ops->feature(m, theta, xy, row);
        fd_grad(m, theta, fn_predict, xy, gf);
        assert_vec_close(row, gf, m->p, 1e-6);

        /* sgd1 vs θ − η ∇ℓ. */
        double eta = 0.037;
        memset(ga, 0, sizeof ga);
        m->ops->grad_add(m, theta, xy, y, 1.0, ga);
        memcpy(th2, theta, m->p * sizeof *th2);
        double r2 = m->ops->sgd1(m, th2, xy, y, eta);
        assert_close(r2, r, 1e-12);
        for (size_t k = 0; k < m->p; k++)
            assert_close(th2[k], theta[k] - eta * ga[k], 1e-13);

        /* full gradient vs FD of the training (or population) loss. */
        model_full_grad(m, theta, ga);
        fd_grad(m, theta, fn_train_loss, NULL, gf);
        assert_vec_close(ga, gf, m->p, 1e-6);

        /* feature matrix rows are feature(). */
        double phi[3 * MAXP];
        size_t cnt = m->n > 0 ? (m->n < 3 ? m->n : 3) : 1;
        const double *xs = m->n > 0 ? m->x : m->probe;
        model_feature_matrix(m, theta, xs, cnt, phi);
        for (size_t i = 0; i < cnt; i++) {
            m->ops->feature(m, theta, xs + i * m->dim, row);
            for (size_t k = 0; k < m->p; k++)
                assert_true(phi[i * m->p + k] == row[k]);
        }
    }
}

/* Singular values of ntk_factor's F equal those of ϕ_θ(probe), the
 * n_probe × p feature matrix built row by row (the definition, and what
 * the spectrum was computed from before it was factored), to rounding;
 * the ones F leaves out are 0. */
static void check_ntk_factor(const model *m, const double *theta)
{
    size_t p = m->p, np = m->n_probe, rows = 0, cols = 0;
    size_t fr = m->ntk_rows, fc = m->ntk_cols;
    size_t kphi = np < p ? np : p, kmax = fr < fc ? fr : fc;
    assert_true(np >= 1 && np <= p);
    assert_true(kmax <= kphi);
    double *phi = malloc(np * p * sizeof *phi);
    double *F = malloc(fr * fc * sizeof *F);
    double *sv_phi = malloc(kphi * sizeof *sv_phi);
    double *sv_f = malloc(kmax * sizeof *sv_f);
    la_ws ws, wf;
    assert_int_equal(la_ws_init(&ws, np, p), 0);
    assert_int_equal(la_ws_init(&wf, fr, fc), 0);
    model_feature_matrix(m, theta, m->probe, np, phi);
    assert_int_equal(la_singular_values(&ws, phi, np, p, sv_phi), 0);
    m->ops->ntk_factor(m, theta, F, &rows, &cols);
    assert_true(rows >= 1 && cols >= 1 && rows <= fr && cols <= fc);
    assert_int_equal(la_singular_values(&wf, F, rows, cols, sv_f), 0);
    size_t k = rows < cols ? rows : cols;
    double s1 = sv_phi[0] > 0 ? sv_phi[0] : 1.0;
    for (size_t i = 0; i < k; i++)
        if (!(fabs(sv_f[i] - sv_phi[i]) <= 1e-10 * s1))
            fail_msg("sigma_%zu: factor %.17g vs phi %.17g (sigma_1 %g)", i,
                     sv_f[i], sv_phi[i], s1);
    for (size_t i = k; i < kphi; i++) /* what the factor leaves out is 0 */
        if (!(sv_phi[i] <= 1e-10 * s1))
            fail_msg("sigma_%zu of phi = %g, expected 0", i, sv_phi[i]);
    la_ws_free(&ws);
    la_ws_free(&wf);
    free(phi);
    free(F);
    free(sv_phi);
    free(sv_f);
}

/* ---- registry and creation ------------------------------------------- */

static void test_registry(void **state)
{
    assert_ptr_equal(model_find("quad1d"), &model_quad1d_ops);
    assert_ptr_equal(model_find("diagnet"), &model_diagnet_ops);
    assert_ptr_equal(model_find("relu1d"), &model_relu1d_ops);
    assert_ptr_equal(model_find("ts2"), &model_ts2_ops);
    assert_ptr_equal(model_find("ts3"), &model_ts3_ops);
    assert_null(model_find("nope"));
    assert_null(model_find(NULL));
    size_t i = 0;
    while (model_at(i)) {
        assert_non_null(model_at(i)->summary);
        assert_ptr_equal(model_find(model_at(i)->name), model_at(i));
        i++;
    }
    assert_int_equal(i, 5);
}

static void test_create_errors(void **state)
{
    model m;
    rng data, probe;
    char err[200];
    rng_seed(&data, 1, 1);
    rng_seed(&probe, 1, 2);
    model_params p = diagnet_params(0, 0, 10, 0);
    assert_int_equal(model_create(&m, &model_diagnet_ops, &p, &data, &probe,
                                  err, sizeof err), -1);
    assert_true(strstr(err, "diagnet") != NULL);
    assert_null(m.x);
    assert_null(m.priv);
    p = relu1d_params(0);
    assert_int_equal(model_create(&m, &model_relu1d_ops, &p, &data, &probe,
                                  err, sizeof err), -1);
    p = quad1d_params(0);
    p.a = 2.0;
    p.b = 1.0;
    assert_int_equal(model_create(&m, &model_quad1d_ops, &p, &data, &probe,
                                  err, sizeof err), -1);
    model_destroy(&m); /* safe on a zeroed model */
}

/* ---- quad1d ----------------------------------------------------------- */

static void test_quad1d_derivatives(void **state)
{
    model m;
    model_params p = quad1d_params(0);
    create_ok(&m, &model_quad1d_ops, &p, 7);
    assert_int_equal(m.p, 1);
    assert_int_equal(m.n, 0);
    check_derivatives(&m, 11);
    model_destroy(&m);

    p = quad1d_params(5); /* fixed training set */
    create_ok(&m, &model_quad1d_ops, &p, 7);
    assert_int_equal(m.n, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_true(m.x[i] >= 1.0 && m.x[i] <= 1.05);
        assert_true(m.y[i] == m.x[i]);
    }
    check_derivatives(&m, 12);
    model_destroy(&m);
}

static void test_quad1d_population(void **state)
{
    model m;
    model_params p = quad1d_params(0);
    create_ok(&m, &model_quad1d_ops, &p, 3);
    double th = 1.0, g = 1.0;
    assert_true(model_train_loss(&m, &th) == 0.0);
    m.ops->pop_grad(&m, &th, &g);
    assert_true(g == 0.0);
    th = 0.3;
    double ex2 = (1.0 + 1.05 + 1.05 * 1.05) / 3.0;
    double want = 0.25 * ex2 * (1.0 - 0.09) * (1.0 - 0.09);
    assert_close(model_train_loss(&m, &th), want, 1e-15);
    assert_close(model_test_loss(&m, &th), want, 1e-15);
    /* Monte Carlo agreement of sample() with the population loss. */
    rng g2;
    rng_seed(&g2, 5, 0);
    double s = 0;
    int N = 200000;
    for (int i = 0; i < N; i++) {
        double x, y;
        m.ops->sample(&m, &g2, &x, &y);
        assert_true(x >= 1.0 && x < 1.05 && y == x);
        s += 0.25 * (x * th * th - y) * (x * th * th - y);
    }
    assert_close(s / N, want, 1e-3);
    /* init θ0 and the 1 × 1 NTK factor. */
    m.ops->init_theta(&m, &th, &g2);
    assert_true(th == 0.3);
    double F, row;
    size_t rows, cols;
    m.ops->ntk_factor(&m, &th, &F, &rows, &cols);
    m.ops->feature(&m, &th, m.probe, &row);
    assert_int_equal(rows, 1);
    assert_int_equal(cols, 1);
    assert_true(F == row);
    model_extras ex;
    extras_cfg cfg = {1e-6, 0.999};
    m.ops->extras(&m, &th, &cfg, &ex);
    assert_true(isnan(ex.l0) && isnan(ex.kinks) &&
                isnan(ex.feature_sparsity));
    model_destroy(&m);
}

/* ---- diagnet ---------------------------------------------------------- */

static void test_diagnet_derivatives(void **state)
{
    model m;
    model_params p = diagnet_params(6, 3, 10, 5);
    create_ok(&m, &model_diagnet_ops, &p, 21);
    assert_int_equal(m.p, 12);
    check_derivatives(&m, 22);
    model_destroy(&m);
    /* d = 19 exercises both the 8-wide blocks and the tail of the dot. */
    p = diagnet_params(19, 4, 7, 0);
    create_ok(&m, &model_diagnet_ops, &p, 23);
    check_derivatives(&m, 24);
    double th0[38] = {0};
    assert_true(isnan(model_test_loss(&m, th0))); /* no test set */
    model_destroy(&m);
}

static void test_diagnet_data(void **state)
{
    model m, m2;
    model_params p = diagnet_params(12, 4, 9, 6);
    create_ok(&m, &model_diagnet_ops, &p, 31);
    const double *bs = diagnet_beta_star(&m);
    assert_non_null(bs);
    double nrm = 0;
    for (size_t j = 0; j < 12; j++) {
        if (j < 4)
            assert_true(bs[j] > 0);
        else
            assert_true(bs[j] == 0);
        nrm += bs[j] * bs[j];
    }
    assert_close(nrm, 1.0, 1e-14);
    for (size_t i = 0; i < m.n; i++) {
        double y = 0;
        for (size_t j = 0; j < 12; j++)
            y += m.x[i * 12 + j] * bs[j];
        assert_close(m.y[i], y, 1e-13);
    }
    for (size_t i = 0; i < m.n_test; i++) {
        double y = 0;
        for (size_t j = 0; j < 12; j++)
            y += m.xt[i * 12 + j] * bs[j];
        assert_close(m.yt[i], y, 1e-13);
    }
    /* The test loss at β = β* (u = √β*, v = √β*) is 0; at θ = 0 it is
     * ½ mean y². */
    double th[24], mean = 0;
    for (size_t j = 0; j < 12; j++)
        th[j] = th[12 + j] = sqrt(bs[j]);
    assert_close(model_test_loss(&m, th), 0.0, 1e-14);
    assert_close(model_train_loss(&m, th), 0.0, 1e-14);
    memset(th, 0, sizeof th);
    for (size_t i = 0; i < m.n_test; i++)
        mean += m.yt[i] * m.yt[i];
    assert_close(model_test_loss(&m, th), 0.5 * mean / 6, 1e-14);

    /* Documented draw order: g for β*, then the rows, from `data`. */
    rng g;
    rng_seed(&g, 31, 1);
    double gn[4], s = 0;
    for (int j = 0; j < 4; j++) {
        gn[j] = rng_normal(&g);
        s += gn[j] * gn[j];
    }
    for (int j = 0; j < 4; j++)
        assert_close(bs[j], fabs(gn[j]) / sqrt(s), 1e-15);
    assert_true(m.x[0] == rng_normal(&g));

    /* Determinism: same seeds, same data; another seed, other data. */
    create_ok(&m2, &model_diagnet_ops, &p, 31);
    assert_memory_equal(m.x, m2.x, m.n * 12 * sizeof(double));
    assert_memory_equal(m.y, m2.y, m.n * sizeof(double));
    assert_memory_equal(m.xt, m2.xt, m.n_test * 12 * sizeof(double));
    assert_memory_equal(m.probe, m2.probe, m.p * 12 * sizeof(double));
    model_destroy(&m2);
    create_ok(&m2, &model_diagnet_ops, &p, 32);
    assert_memory_not_equal(m.x, m2.x, m.n * 12 * sizeof(double));
    model_destroy(&m2);

    /* init, and β = u ⊙ v counted by extras. */
    m.ops->init_theta(&m, th, &g);
    for (size_t j = 0; j < 12; j++) {
        assert_true(th[j] == 0.1);
        assert_true(th[12 + j] == 0.0);
    }
    for (size_t j = 0; j < 12; j++)
        th[12 + j] = j < 5 ? 1.0 : 0.0;
    model_extras ex;
    extras_cfg cfg = {1e-6, 0.999};
    m.ops->extras(&m, th, &cfg, &ex);
    assert_true(ex.l0 == 5.0);
    assert_true(isnan(ex.kinks) && isnan(ex.feature_sparsity));
    assert_null(diagnet_beta_star(NULL));
    model_destroy(&m);
}

static void test_diagnet_ntk(void **state)
{
    model m;
    model_params p = diagnet_params(6, 2, 10, 0);
    create_ok(&m, &model_diagnet_ops, &p, 41);
    rng g;
    rng_seed(&g, 42, 0);
    double th[12];
    random_theta(&m, &g, th);
    check_ntk_factor(&m, th);
    /* Some coordinates dead (u_j = v_j = 0), others unbalanced. */
    th[1] = th[7] = 0.0;
    th[4] = th[10] = 0.0;
    th[2] = 0.0;
    check_ntk_factor(&m, th);
    model_destroy(&m);
}

/* Above the probe cap: k < d probes (P·D itself) and d ≤ k < 2d (the QR
 * of k probes); the capped probes are the first rows of the full set. */
static void test_diagnet_ntk_capped(void **state)
{
    model full, m;
    model_params p = diagnet_params(12, 3, 10, 0);
    create_ok(&full, &model_diagnet_ops, &p, 43);
    assert_int_equal(full.n_probe, 24);
    assert_int_equal(full.ntk_rows, 12);
    assert_int_equal(full.ntk_cols, 12);
    rng g;
    rng_seed(&g, 44, 0);
    double th[24];
    random_theta(&full, &g, th);
    const int caps[] = {8, 16, 1};
    for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
        p.probe_max = caps[c];
        create_ok(&m, &model_diagnet_ops, &p, 43);
        size_t k = (size_t)caps[c];
        assert_int_equal(m.n_probe, k);
        assert_int_equal(m.ntk_rows, k < 12 ? k : 12);
        assert_int_equal(m.ntk_cols, 12);
        assert_memory_equal(m.probe, full.probe, k * 12 * sizeof *m.probe);
        check_ntk_factor(&m, th);
        double dead[24];
        memcpy(dead, th, sizeof dead);
        dead[1] = dead[13] = 0.0; /* a dead coordinate */
        dead[5] = 0.0;            /* unbalanced */
        check_ntk_factor(&m, dead);
        model_destroy(&m);
    }
    model_destroy(&full);
}

/* The training loss along a line: diagnet's quadratic-residual form
 * against the direct evaluation at θ + s·dir, through model_line both
 * ways (the fast form only above MODEL_LINE_MIN, so below it the numbers
 * are the direct ones exactly). */
static void test_diagnet_line(void **state)
{
    model m;
    model_params p = diagnet_params(9, 3, 13, 0);
    create_ok(&m, &model_diagnet_ops, &p, 45);
    rng g;
    rng_seed(&g, 46, 0);
    double th[18], dir[18], at[18], scratch[18];
    random_theta(&m, &g, th);
    for (size_t k = 0; k < m.p; k++)
        dir[k] = rng_normal(&g);
    m.ops->line_begin(&m, th, dir);
    const double ss[] = {0.0, 1e-3, -0.7, 2.5, -40.0};
    model_line l;
    model_line_begin(&l, &m, th, dir, scratch);
    assert_int_equal(l.fast, 0); /* 13·18 < MODEL_LINE_MIN */
    for (size_t i = 0; i < sizeof ss / sizeof ss[0]; i++) {
        for (size_t k = 0; k < m.p; k++)
            at[k] = th[k] + ss[i] * dir[k];
        double want = model_train_loss(&m, at);
        assert_true(model_line_loss(&l, ss[i]) == want);
        assert_close(m.ops->line_loss(&m, ss[i]), want, 1e-12);
    }
    model_destroy(&m);
}

/* diagnet_hvp keeps r and q for the θ it last saw: products at θ1, θ2,
 * θ1 again, and at θ1 changed in place, equal those of a fresh model. */
static void test_diagnet_hvp_cache(void **state)
{
    model m, fresh;
    model_params p = diagnet_params(7, 2, 11, 0);
    create_ok(&m, &model_diagnet_ops, &p, 47);
    rng g;
    rng_seed(&g, 48, 0);
    double t1[14], t2[14], v[14], out[14], want[14];
    random_theta(&m, &g, t1);
    random_theta(&m, &g, t2);
    for (size_t k = 0; k < m.p; k++)
        v[k] = rng_normal(&g);
    const double *seq[] = {t1, t2, t1, t1};
    for (size_t i = 0; i < 4; i++) {
        if (i == 3)
            t1[4] += 0.25; /* the same pointer, a new θ */
        model_hvp(&m, seq[i], v, out);
        create_ok(&fresh, &model_diagnet_ops, &p, 47);
        model_hvp(&fresh, seq[i], v, want);
        model_destroy(&fresh);
        assert_memory_equal(out, want, sizeof out);
    }
    model_destroy(&m);
}

/* ---- relu1d ----------------------------------------------------------- */

static void test_relu1d_data(void **state)
{
    static const double dy[12] = {-2, 1.5, 0, 0, 2, 1, 0, -1, 0, 1, 2, -1};
    model m;
    model_params p = relu1d_params(5);
    create_ok(&m, &model_relu1d_ops, &p, 51);
    assert_int_equal(m.n, 12);
    assert_int_equal(m.p, 15);
    assert_int_equal(m.n_test, 0);
    for (int k = 0; k < 12; k++) {
        assert_true(m.x[k] == (-5.5 + k) / 4 + 0.07);
        assert_true(m.y[k] == 0.345 + dy[k]);
    }
    assert_close(m.x[0], -1.305, 1e-15);
    assert_close(m.x[11], 1.445, 1e-15);
    for (size_t k = 0; k < m.p; k++) {
        assert_true(m.probe[k] >= m.x[0] && m.probe[k] <= m.x[11]);
        if (k)
            assert_true(m.probe[k] >= m.probe[k - 1]);
    }
    /* Init draw order per neuron: sign uniform, b normal, a normal. */
    double th[15];
    rng g, h;
    rng_seed(&g, 9, 3);
    rng_seed(&h, 9, 3);
    m.ops->init_theta(&m, th, &g);
    for (int j = 0; j < 5; j++) {
        double w = rng_uniform(&h) < 0.5 ? -2.5 : 2.5;
        double b = 2.5 * rng_normal(&h), a = 4.0 * rng_normal(&h);
        assert_true(th[j] == w && th[5 + j] == b && th[10 + j] == a);
    }
    double thz[15] = {0};
    assert_true(isnan(model_test_loss(&m, thz)));
    double my2 = 0;
    for (int k = 0; k < 12; k++)
        my2 += m.y[k] * m.y[k];
    assert_close(model_train_loss(&m, thz), my2 / 12, 1e-15);
    model_destroy(&m);

    /* Points given by the scene replace the paper's. */
    p.npoints = 3;
    p.px[0] = -1, p.px[1] = 0.5, p.px[2] = 2;
    p.py[0] = 1, p.py[1] = 2, p.py[2] = 3;
    create_ok(&m, &model_relu1d_ops, &p, 51);
    assert_int_equal(m.n, 3);
    assert_true(m.x[1] == 0.5 && m.y[2] == 3);
    for (size_t k = 0; k < m.p; k++)
        assert_true(m.probe[k] >= -1 && m.probe[k] <= 2);
    model_destroy(&m);
}

static void test_relu1d_derivatives(void **state)
{
    model m;
    model_params p = relu1d_params(7); /* 7: blocks of 4 plus a tail */
    create_ok(&m, &model_relu1d_ops, &p, 61);
    check_derivatives(&m, 62);
    model_destroy(&m);
}

static void test_relu1d_ntk(void **state)
{
    model m;
    model_params p = relu1d_params(6);
    create_ok(&m, &model_relu1d_ops, &p, 71);
    rng g;
    rng_seed(&g, 72, 0);
    double th[18];
    random_theta(&m, &g, th);
    check_ntk_factor(&m, th);
    th[12 + 2] = 0.0;             /* a neuron with a_j = 0 */
    th[3] = 0.0, th[15] = 0.0;    /* a_j = w_j = 0: only b_j left */
    th[9] = 0.8;                  /* ...and active everywhere */
    th[12 + 4] = 1e-6;            /* tiny a_j: no cancellation allowed */
    check_ntk_factor(&m, th);
    /* Large init scale as in the paper. */
    m.ops->init_theta(&m, th, &g);
    check_ntk_factor(&m, th);
    model_destroy(&m);
}

/* Above the probe cap the neurons are merged into groups active on the
 * same probes: the spectrum is still that of the n_probe × p feature
 * matrix, whatever mix of neurons shares a group. */
static void test_relu1d_ntk_capped(void **state)
{
    model m;
    model_params p = relu1d_params(10);
    const int caps[] = {8, 20, 2, 1};
    for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
        p.probe_max = caps[c];
        create_ok(&m, &model_relu1d_ops, &p, 73);
        size_t k = (size_t)caps[c], ng = 2 * k - 1;
        assert_int_equal(m.n_probe, k);
        assert_int_equal(m.ntk_rows, k);
        assert_int_equal(m.ntk_cols, 2 * (ng < 10 ? ng : 10));
        for (size_t i = 1; i < k; i++)
            assert_true(m.probe[i] >= m.probe[i - 1]);
        rng g;
        rng_seed(&g, 74, 0);
        double th[30];
        random_theta(&m, &g, th);
        check_ntk_factor(&m, th);
        m.ops->init_theta(&m, th, &g); /* the paper's large scale */
        check_ntk_factor(&m, th);
        /* Neurons that share a group, a kink exactly on a probe, dead and
         * always-on neurons, w = 0, tiny and zero a. */
        double x0 = m.probe[0], xk = m.probe[k / 2];
        double w[10] = {1, 1, 2, -1, -3, 0, 0, 1, -1, 1};
        double b[10] = {-xk, -xk + 1e-12, -2 * xk, xk, 3 * xk, 0.7, -0.2,
                        -x0 + 5, -x0 - 5, 0.3};
        double a[10] = {1.5, -0.7, 1e-9, 2, 0, 1, 3, -1, 2, 0.5};
        for (int j = 0; j < 10; j++)
            th[j] = w[j], th[10 + j] = b[j], th[20 + j] = a[j];
        check_ntk_factor(&m, th);
        /* Everything dead: the factor is a zero column. */
        for (int j = 0; j < 10; j++)
            th[j] = 1.0, th[10 + j] = -100.0;
        check_ntk_factor(&m, th);
        model_destroy(&m);
    }
}

static void test_relu1d_extras(void **state)
{
    model m;
    model_params p = relu1d_params(4);
    create_ok(&m, &model_relu1d_ops, &p, 81);
    /* Two neurons with kinks inside the data range, one dead, one that
     * is active everywhere (kink outside). */
    double th[12] = {1, -1, 1, 1,        /* w */
                     0.2, 0.1, -9, 5,    /* b */
                     1, 2, 3, 4};        /* a */
    model_extras ex;
    extras_cfg cfg = {1e-6, 0.999};
    m.ops->extras(&m, th, &cfg, &ex);
    assert_true(isnan(ex.l0));
    assert_true(ex.kinks == 2.0);
    assert_true(ex.feature_sparsity > 0 && ex.feature_sparsity <= 1);
    model_destroy(&m);
}

/* rng = numpy, data_seed = 0: the diagonal-net notebook's X, X_test and
 * β*, draw for draw.  Expected values printed by numpy 1.24:
 *   np.random.seed(0); X = multivariate_normal(zeros(d), eye(d), n)
 *   X_test = (the same, 1000); b = randn(d); b[r:] = 0
 *   b = abs(b)/norm(b); y = X @ b
 * for n = 80, d = 200, r = 20 (Fig. 2), and β* for n = 40, d = 100
 * (Fig. 10).  Labels go through BLAS like numpy's: equal to rounding. */
static void test_diagnet_notebook_draw(void **st)
{
    (void)st;
    model m;
    model_params p = diagnet_params(200, 20, 80, 1000);
    rng data, probe;
    char err[200];
    rng_seed_numpy(&data, 0);
    rng_seed(&probe, 0, 2);
    assert_int_equal(model_create(&m, &model_diagnet_ops, &p, &data, &probe,
                                  err, sizeof err), 0);
    assert_true(m.x[0] == 1.764052345967664);
    assert_true(m.x[1] == 0.4001572083672233);
    assert_true(m.x[2] == 0.9787379841057392);
    assert_true(m.x[79 * 200 + 199] == -0.10630248751464731);
    assert_true(m.xt[0] == -1.9626525503620922);
    assert_true(m.xt[999 * 200 + 199] == 0.8045543528680955);
    const double *b = diagnet_beta_star(&m);
    assert_true(b[0] == 0.19183745952349926);
    assert_true(b[19] == 0.022564593798568303);
    assert_true(b[20] == 0.0 && b[199] == 0.0);
    assert_true(fabs(m.y[0] - (2.1727236587244496)) < 1e-14);
    assert_true(fabs(m.y[79] - (-0.7662388722572491)) < 1e-14);
    model_destroy(&m);

    p = diagnet_params(100, 20, 40, 1000);
    rng_seed_numpy(&data, 0);
    assert_int_equal(model_create(&m, &model_diagnet_ops, &p, &data, &probe,
                                  err, sizeof err), 0);
    b = diagnet_beta_star(&m);
    assert_true(b[0] == 0.05868342415785215);
    assert_true(b[19] == 0.12585779850455728);
    assert_true(fabs(m.y[0] - (2.4411097404281756)) < 1e-14);
    model_destroy(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_create_errors),
        cmocka_unit_test(test_quad1d_derivatives),
        cmocka_unit_test(test_quad1d_population),
        cmocka_unit_test(test_diagnet_derivatives),
        cmocka_unit_test(test_diagnet_data),
        cmocka_unit_test(test_diagnet_ntk),
        cmocka_unit_test(test_diagnet_ntk_capped),
        cmocka_unit_test(test_diagnet_line),
        cmocka_unit_test(test_diagnet_hvp_cache),
        cmocka_unit_test(test_relu1d_data),
        cmocka_unit_test(test_relu1d_derivatives),
        cmocka_unit_test(test_relu1d_ntk),
        cmocka_unit_test(test_relu1d_ntk_capped),
        cmocka_unit_test(test_relu1d_extras),
        cmocka_unit_test(test_diagnet_notebook_draw),
    };
    return cmocka_run_group_tests_name("models", tests, NULL, NULL);
}

/* test_ts.c — the teacher–student models (ts2, ts3) against finite
 * differences of themselves, their data against the spec, the teacher
 * angle and the neurons picture on hand-built weights, and the `teacher`
 * scene field. */
#include "testutil.h"

#include "la.h"
#include "model.h"
#include "model_registry.h"
#include "scene.h"
#include "teacher.h"

enum { MAXP = 256 };

static model_params ts_params(int which)
{
    model_params p;
    memset(&p, 0, sizeof p);
    if (which == 2) {
        p.d = 2, p.n = 15, p.n_test = 40, p.m = 20, p.teacher = 3;
        p.init_w = 0.5, p.init_a = 0.0;
    } else {
        p.d = 5, p.n = 50, p.n_test = 40, p.m = 10, p.teacher = 2;
        p.init_w = 0.8, p.init_a = 0.0;
    }
    return p;
}

static void create_ok(model *m, const model_ops *ops, const model_params *p,
                      uint64_t seed)
{
    rng data, probe;
    char err[200];
    rng_seed(&data, seed, 1);
    rng_seed(&probe, seed, 2);
    if (model_create(m, ops, p, &data, &probe, err, sizeof err) != 0)
        fail_msg("model_create(%s): %s", ops->name, err);
}

/* ---- pre-activations, to keep FD steps off the kinks ------------------ */

/* The smallest |pre-activation| of any hidden unit at input x. */
static double ts_margin(const model *m, const double *th, const double *x)
{
    size_t d = m->dim, nn = (size_t)m->prm.m;
    double lo = INFINITY;
    if (m->ops == &model_ts2_ops) {
        for (size_t j = 0; j < nn; j++) {
            double z = 0.0;
            for (size_t i = 0; i < d; i++)
                z += th[j * d + i] * x[i];
            lo = fmin(lo, fabs(z));
        }
        return lo;
    }
    const double *W1 = th, *b1 = W1 + nn * d, *W2 = b1 + nn,
                 *b2 = W2 + nn * nn;
    double h1[64];
    for (size_t j = 0; j < nn; j++) {
        double z = b1[j];
        for (size_t i = 0; i < d; i++)
            z += W1[j * d + i] * x[i];
        lo = fmin(lo, fabs(z));
        h1[j] = z > 0 ? z : 0;
    }
    for (size_t l = 0; l < nn; l++) {
        double z = b2[l];
        for (size_t j = 0; j < nn; j++)
            z += W2[l * nn + j] * h1[j];
        lo = fmin(lo, fabs(z));
    }
    return lo;
}

/* A random θ with every hidden unit at least 1e-3 off its kink on every
 * training and probe input, and (ts3) some units active. */
static void random_theta(const model *m, rng *g, double *th)
{
    for (int tries = 0; tries < 10000; tries++) {
        for (size_t k = 0; k < m->p; k++)
            th[k] = 0.8 * rng_normal(g);
        int ok = 1;
        for (size_t i = 0; i < m->n && ok; i++)
            ok = ts_margin(m, th, m->x + i * m->dim) > 1e-3;
        for (size_t i = 0; i < m->n_probe && ok; i++)
            ok = ts_margin(m, th, m->probe + i * m->dim) > 1e-3;
        if (ok)
            return;
    }
    fail_msg("no kink-free theta found");
}

/* ---- finite differences ----------------------------------------------- */

static void assert_vec_close(const double *got, const double *want, size_t k,
                             double tol)
{
    double s = 1.0;
    for (size_t i = 0; i < k; i++)
        s = fmax(s, fabs(want[i]));
    for (size_t i = 0; i < k; i++)
        if (!(fabs(got[i] - want[i]) <= tol * s))
            fail_msg("component %zu: %.17g vs %.17g (scale %g, tol %g)", i,
                     got[i], want[i], s, tol);
}

/* Central differences of f(θ) = predict at x (x != NULL) or the training
 * loss, step 1e-6·max(1, |θ_k|). */
static void fd_grad(const model *m, const double *theta, const double *x,
                    double y, double *g)
{
    double t[MAXP];
    memcpy(t, theta, m->p * sizeof *t);
    for (size_t k = 0; k < m->p; k++) {
        double h = 1e-6 * fmax(1.0, fabs(theta[k])), f[2];
        for (int s = 0; s < 2; s++) {
            t[k] = theta[k] + (s ? -h : h);
            if (!x)
                f[s] = model_train_loss(m, t);
            else if (isnan(y))
                f[s] = m->ops->predict(m, t, x);
            else {
                double r = m->ops->predict(m, t, x) - y;
                f[s] = m->loss_coef * r * r;
            }
        }
        t[k] = theta[k];
        g[k] = (f[0] - f[1]) / (2 * h);
    }
}

static void check_derivatives(const model *m, uint64_t seed)
{
    assert_true(m->p <= MAXP);
    rng g;
    rng_seed(&g, seed, 99);
    for (int trial = 0; trial < 3; trial++) {
        double th[MAXP], ga[MAXP], gf[MAXP], row[MAXP], th2[MAXP];
        double v[MAXP], hv[MAXP], gp[MAXP], gm[MAXP], tp[MAXP];
        random_theta(m, &g, th);
        size_t i = (size_t)trial * 7 % m->n;
        const double *x = m->x + i * m->dim;
        double y = m->y[i];

        /* grad_add (scaled, accumulating) vs FD of c r² */
        for (size_t k = 0; k < m->p; k++)
            ga[k] = 1.0;
        double r = m->ops->grad_add(m, th, x, y, 0.5, ga);
        assert_close(r, m->ops->predict(m, th, x) - y, 1e-12);
        for (size_t k = 0; k < m->p; k++)
            ga[k] = (ga[k] - 1.0) * 2.0;
        fd_grad(m, th, x, y, gf);
        assert_vec_close(ga, gf, m->p, 1e-6);

        /* feature row vs FD of predict */
        m->ops->feature(m, th, x, row);
        fd_grad(m, th, x, NAN, gf);
        assert_vec_close(row, gf, m->p, 1e-6);

        /* sgd1 vs θ − η ∇ℓ from grad_add */
        double eta = 0.037;
        memset(ga, 0, sizeof ga);
        m->ops->grad_add(m, th, x, y, 1.0, ga);
        memcpy(th2, th, m->p * sizeof *th2);
        double r2 = m->ops->sgd1(m, th2, x, y, eta);
        assert_close(r2, r, 1e-12);
        for (size_t k = 0; k < m->p; k++)
            assert_close(th2[k], th[k] - eta * ga[k], 1e-13);

        /* the full gradient vs FD of the training loss */
        model_full_grad(m, th, ga);
        fd_grad(m, th, NULL, NAN, gf);
        assert_vec_close(ga, gf, m->p, 1e-6);

        /* hvp vs central differences of the full gradient along v: the
         * step (1e-6·|v| per unit) stays well inside the 1e-3 margin */
        for (size_t k = 0; k < m->p; k++)
            v[k] = rng_normal(&g);
        model_hvp(m, th, v, hv);
        double e = 1e-6;
        for (size_t k = 0; k < m->p; k++)
            tp[k] = th[k] + e * v[k];
        model_full_grad(m, tp, gp);
        for (size_t k = 0; k < m->p; k++)
            tp[k] = th[k] - e * v[k];
        model_full_grad(m, tp, gm);
        for (size_t k = 0; k < m->p; k++)
            gf[k] = (gp[k] - gm[k]) / (2 * e);
        assert_vec_close(hv, gf, m->p, 1e-5);
    }
}

/* The NTK factor's singular values are those of the feature matrix on
 * the probes (it is that matrix: compare entry by entry). */
static void check_ntk(const model *m, const double *th)
{
    size_t rows = 0, cols = 0;
    double *F = malloc(m->ntk_rows * m->ntk_cols * sizeof *F);
    double *phi = malloc(m->n_probe * m->p * sizeof *phi);
    m->ops->ntk_factor(m, th, F, &rows, &cols);
    assert_int_equal(rows, m->n_probe);
    assert_int_equal(cols, m->p);
    model_feature_matrix(m, th, m->probe, m->n_probe, phi);
    for (size_t k = 0; k < rows * cols; k++)
        assert_true(F[k] == phi[k]);
    free(F);
    free(phi);
}

/* Every input (train, test, probe) on the unit sphere. */
static void check_sphere(const double *x, size_t count, size_t d)
{
    for (size_t i = 0; i < count; i++) {
        double s = 0.0;
        for (size_t k = 0; k < d; k++)
            s += x[i * d + k] * x[i * d + k];
        assert_close(sqrt(s), 1.0, 1e-14);
    }
}

/* ---- ts2 ---------------------------------------------------------------- */

static void test_ts2_data(void **state)
{
    model_params p = ts_params(2);
    model m;
    create_ok(&m, &model_ts2_ops, &p, 3);
    assert_int_equal(m.p, 60);
    assert_int_equal(m.n, 15);
    assert_int_equal(m.dim, 2);
    assert_int_equal(m.n_test, 40);
    assert_int_equal(m.n_probe, 60);
    assert_true(m.loss_coef == 1.0);
    check_sphere(m.x, m.n, 2);
    check_sphere(m.xt, m.n_test, 2);
    check_sphere(m.probe, m.n_probe, 2);
    size_t k = 0;
    const double *T = ts2_teacher_rows(&m, &k);
    assert_non_null(T);
    assert_int_equal(k, 3);
    check_sphere(T, 3, 2);
    /* the labels are the teacher's, Σ_k s_k relu(t_k·x) with s_k = ±1:
     * exactly one of the 8 sign patterns fits every label */
    int fits = 0;
    for (int pat = 0; pat < 8; pat++) {
        int ok = 1;
        for (size_t i = 0; i < m.n && ok; i++) {
            double y = 0.0;
            for (size_t q = 0; q < 3; q++) {
                double z = T[2 * q] * m.x[2 * i] +
                           T[2 * q + 1] * m.x[2 * i + 1];
                y += ((pat >> q) & 1 ? -1.0 : 1.0) * (z > 0 ? z : 0);
            }
            ok = fabs(m.y[i] - y) <= 1e-12;
        }
        fits += ok;
    }
    assert_int_equal(fits, 1);
    /* init: a = init_a·N = 0, W = 0.5·N: not all zero, h = 0 */
    double th[60];
    rng g;
    rng_seed(&g, 1, 7);
    m.ops->init_theta(&m, th, &g);
    for (size_t j = 0; j < 20; j++)
        assert_true(th[40 + j] == 0.0);
    assert_true(th[0] != 0.0);
    assert_true(m.ops->predict(&m, th, m.x) == 0.0);
    /* the same data seed gives the same data */
    model m2;
    create_ok(&m2, &model_ts2_ops, &p, 3);
    assert_memory_equal(m.x, m2.x, m.n * 2 * sizeof *m.x);
    assert_memory_equal(m.y, m2.y, m.n * sizeof *m.y);
    model_destroy(&m2);
    model_destroy(&m);
}

static void test_ts2_derivatives(void **state)
{
    model_params p = ts_params(2);
    model m;
    create_ok(&m, &model_ts2_ops, &p, 5);
    check_derivatives(&m, 11);
    rng g;
    rng_seed(&g, 2, 3);
    double th[MAXP];
    random_theta(&m, &g, th);
    check_ntk(&m, th);
    model_destroy(&m);
    /* d = 3 as well: the same code with a wider row */
    p.d = 3;
    p.m = 7;
    create_ok(&m, &model_ts2_ops, &p, 6);
    check_derivatives(&m, 12);
    model_destroy(&m);
}

static void test_ts2_errors(void **state)
{
    model_params p = ts_params(2);
    model m;
    rng data, probe;
    char err[200];
    rng_seed(&data, 1, 1);
    rng_seed(&probe, 1, 2);
    p.d = 1;
    assert_int_equal(model_create(&m, &model_ts2_ops, &p, &data, &probe,
                                  err, sizeof err), -1);
    assert_non_null(strstr(err, "ts2"));
    p = ts_params(2);
    p.m = 1000; /* 3000 parameters */
    assert_int_equal(model_create(&m, &model_ts2_ops, &p, &data, &probe,
                                  err, sizeof err), -1);
    assert_non_null(strstr(err, "2048"));
    model_destroy(&m);
}

/* ---- the teacher angle, on hand-built weights ------------------------- */

static void test_angle_helpers(void **state)
{
    /* two teacher rays in the plane: +x and +y (the second not unit) */
    const double T[4] = {1, 0, 0, 2};
    const double w0[2] = {3, 0}, w1[2] = {-1, 0}, w2[2] = {1, 1};
    assert_close(teacher_nearest_angle(w0, T, 2, 2), 0.0, 1e-12);
    /* −x is 90° from +y and 180° from +x: rays, not lines */
    assert_close(teacher_nearest_angle(w1, T, 2, 2), 90.0, 1e-12);
    assert_close(teacher_nearest_angle(w2, T, 2, 2), 45.0, 1e-12);
    const double zero[2] = {0, 0};
    assert_true(isnan(teacher_nearest_angle(zero, T, 2, 2)));
    /* with one teacher row, (0, −1) is 90° from it */
    const double w3[2] = {0, -1};
    assert_close(teacher_nearest_angle(w3, T, 1, 2), 90.0, 1e-12);

    /* mean over active neurons: W rows w0, w1 (live, sizes 1 and 1: both
     * active, mean (0 + 90)/2), w2 (size 0.05 < 10%: not active), and a
     * fourth dead on every input (huge size, ignored) */
    const double W[8] = {3, 0, -1, 0, 1, 1, 0, 1};
    double size[4] = {1.0, 1.0, 0.05, 100.0};
    /* act: 2 inputs × 4 neurons; neuron 3 is zero on both */
    const double act[8] = {1, 0, 0.5, 0, 0, 2, 0, 0};
    assert_close(teacher_angle_mean(W, size, 4, 2, act, 2, T, 2), 45.0,
                 1e-12);
    /* neuron 2 at the threshold counts (≥ 10%): (0 + 90 + 45)/3 */
    size[2] = 0.1;
    assert_close(teacher_angle_mean(W, size, 4, 2, act, 2, T, 2), 45.0,
                 1e-12);
    size[1] = 0.5;
    size[0] = 2.0; /* max 2: neuron 2 (0.1 < 0.2) drops, 0 and 1 stay */
    assert_close(teacher_angle_mean(W, size, 4, 2, act, 2, T, 2), 45.0,
                 1e-12);
    size[1] = 0.1; /* neuron 1 drops too: only neuron 0, at 0° */
    assert_close(teacher_angle_mean(W, size, 4, 2, act, 2, T, 2), 0.0,
                 1e-12);
    const double dead[8] = {0};
    assert_true(isnan(teacher_angle_mean(W, size, 4, 2, dead, 2, T, 2)));

    /* the plane of two teacher rows in R^3, orthonormal */
    const double T3[6] = {0, 0, 2, 1, 0, 1};
    double e1[3], e2[3];
    teacher_plane(T3, 2, 3, e1, e2);
    assert_close(e1[2], 1.0, 1e-15);
    assert_close(fabs(e2[0]), 1.0, 1e-15);
    assert_close(e1[0] * e2[0] + e1[1] * e2[1] + e1[2] * e2[2], 0.0, 1e-15);
    /* one row: a second axis orthogonal to it */
    teacher_plane(T3 + 3, 1, 3, e1, e2);
    assert_close(e1[0] * e2[0] + e1[1] * e2[1] + e1[2] * e2[2], 0.0, 1e-15);
    assert_close(e2[0] * e2[0] + e2[1] * e2[1] + e2[2] * e2[2], 1.0, 1e-15);
}

/* ts2's extras and neurons on a θ built from its own teacher: neuron 0
 * on teacher ray 0 (0°), neuron 1 at 90° from it, the rest tiny. */
static void test_ts2_extras_neurons(void **state)
{
    model_params p = ts_params(2);
    p.m = 4;
    p.teacher = 1;
    model m;
    create_ok(&m, &model_ts2_ops, &p, 9);
    size_t k = 0;
    const double *T = ts2_teacher_rows(&m, &k);
    assert_int_equal(k, 1);
    double th[12] = {0};
    th[0] = 2 * T[0], th[1] = 2 * T[1];   /* on the teacher ray */
    th[2] = -T[1], th[3] = T[0];          /* 90° from it */
    th[4] = 1e-3, th[5] = 0;              /* tiny: not active */
    th[6] = 0, th[7] = 1e-3;
    th[8] = 1.0, th[9] = -2.0, th[10] = 1.0, th[11] = 1.0;
    model_extras ex;
    extras_cfg c = {1e-6, 0.99};
    m.ops->extras(&m, th, &c, &ex);
    /* both big neurons live on some of the 15 inputs (half-planes) */
    assert_close(ex.teacher_angle, 45.0, 1e-10);
    assert_true(ex.feature_sparsity > 0 && ex.feature_sparsity <= 1);
    assert_true(isnan(ex.feature_sparsity2));
    assert_true(isnan(ex.l0) && isnan(ex.kinks));
    assert_int_equal(m.ops->picture, MODEL_PICTURE_NEURONS);
    double xy[8], txy[2];
    size_t cnt = 0, tc = 0;
    int proj = -1;
    m.ops->neurons(&m, th, xy, 4, &cnt, txy, 1, &tc, &proj);
    assert_int_equal(cnt, 4);
    assert_int_equal(tc, 1);
    assert_int_equal(proj, 0); /* d = 2: the input plane itself */
    assert_close(xy[0], 2 * T[0], 1e-15);  /* |a_0| w_0 */
    assert_close(xy[1], 2 * T[1], 1e-15);
    assert_close(xy[2], -2 * T[1], 1e-15); /* |a_1| = 2 */
    assert_close(xy[3], 2 * T[0], 1e-15);
    assert_close(txy[0], T[0], 1e-15);
    assert_close(txy[1], T[1], 1e-15);
    /* max smaller than the count: only the first `max` written */
    xy[2] = 12345;
    m.ops->neurons(&m, th, xy, 1, &cnt, txy, 0, &tc, &proj);
    assert_int_equal(cnt, 4);
    assert_true(xy[2] == 12345);
    model_destroy(&m);
}

/* ---- ts3 ---------------------------------------------------------------- */

static void test_ts3_data(void **state)
{
    model_params p = ts_params(3);
    model m;
    create_ok(&m, &model_ts3_ops, &p, 4);
    assert_int_equal(m.p, 181);
    assert_int_equal(m.n, 50);
    assert_int_equal(m.dim, 5);
    assert_int_equal(m.n_probe, 181);
    assert_true(m.loss_coef == 1.0);
    check_sphere(m.x, m.n, 5);
    check_sphere(m.xt, m.n_test, 5);
    check_sphere(m.probe, m.n_probe, 5);
    size_t k = 0;
    const double *T = ts3_teacher_params(&m, &k);
    assert_non_null(T);
    assert_int_equal(k, 2);
    /* the labels are the teacher's outputs, recomputed here by hand:
     * layout W1 (2×5), b1 (2), W2 (2×2), b2 (2), a (2), c */
    const double *W1 = T, *b1 = T + 10, *W2 = T + 12, *b2 = T + 16,
                 *a = T + 18, *c = T + 20;
    for (size_t i = 0; i < m.n; i++) {
        double h1[2], y = c[0];
        for (size_t j = 0; j < 2; j++) {
            double z = b1[j];
            for (size_t q = 0; q < 5; q++)
                z += W1[j * 5 + q] * m.x[i * 5 + q];
            h1[j] = z > 0 ? z : 0;
        }
        for (size_t l = 0; l < 2; l++) {
            double z = b2[l] + W2[l * 2] * h1[0] + W2[l * 2 + 1] * h1[1];
            y += a[l] * (z > 0 ? z : 0);
        }
        assert_close(m.y[i], y, 1e-12);
    }
    /* biases: PyTorch's default U(±1/√fan_in) */
    for (size_t j = 0; j < 2; j++) {
        assert_true(fabs(b1[j]) <= 1 / sqrt(5.0));
        assert_true(fabs(b2[j]) <= 1 / sqrt(2.0));
    }
    assert_true(fabs(c[0]) <= 1 / sqrt(2.0));
    /* the student's init: weights 0.8·N(0,1), biases in their bounds */
    double th[181];
    rng g;
    rng_seed(&g, 1, 7);
    m.ops->init_theta(&m, th, &g);
    for (size_t j = 0; j < 10; j++) {
        assert_true(fabs(th[50 + j]) <= 1 / sqrt(5.0));
        assert_true(fabs(th[160 + j]) <= 1 / sqrt(10.0));
    }
    double ss = 0;
    for (size_t q = 0; q < 50; q++)
        ss += th[q] * th[q];
    assert_true(sqrt(ss / 50) > 0.4 && sqrt(ss / 50) < 1.3);
    model_destroy(&m);
}

static void test_ts3_derivatives(void **state)
{
    model_params p = ts_params(3);
    model m;
    create_ok(&m, &model_ts3_ops, &p, 5);
    check_derivatives(&m, 21);
    rng g;
    rng_seed(&g, 2, 3);
    double th[MAXP];
    random_theta(&m, &g, th);
    check_ntk(&m, th);
    model_destroy(&m);
    /* a narrower net with a different teacher width */
    p.d = 3;
    p.m = 4;
    p.teacher = 3;
    p.n = 12;
    create_ok(&m, &model_ts3_ops, &p, 6);
    assert_int_equal(m.p, 4 * 3 + 16 + 12 + 1);
    check_derivatives(&m, 22);
    model_destroy(&m);
}

/* ts3's angle and picture: a student whose first layer holds the
 * teacher's two rows (0°), a row orthogonal to the teacher plane (90°),
 * and neurons whose output column is tiny (not active). */
static void test_ts3_extras_neurons(void **state)
{
    model_params p = ts_params(3);
    p.m = 4;
    model m;
    create_ok(&m, &model_ts3_ops, &p, 8);
    size_t k = 0;
    const double *T = ts3_teacher_params(&m, &k);
    assert_int_equal(k, 2);
    double th[4 * 5 + 16 + 12 + 1];
    memset(th, 0, sizeof th);
    double *W1 = th, *b1 = th + 20, *W2 = th + 24;
    double e1[5], e2[5];
    teacher_plane(T, 2, 5, e1, e2);
    /* n = e3 orthogonal to both: Gram–Schmidt a coordinate axis */
    double nrm[5] = {0, 0, 1, 0, 0}, s1 = 0, s2 = 0, nn = 0;
    for (int i = 0; i < 5; i++)
        s1 += nrm[i] * e1[i], s2 += nrm[i] * e2[i];
    for (int i = 0; i < 5; i++)
        nrm[i] -= s1 * e1[i] + s2 * e2[i], nn += nrm[i] * nrm[i];
    for (int i = 0; i < 5; i++)
        nrm[i] /= sqrt(nn);
    for (int i = 0; i < 5; i++) {
        W1[i] = 3 * T[i];          /* neuron 0 on teacher row 0 */
        W1[5 + i] = 0.5 * T[5 + i]; /* neuron 1 on teacher row 1 */
        W1[10 + i] = nrm[i];        /* neuron 2 at 90° from both */
        W1[15 + i] = e1[i] + e2[i]; /* neuron 3: tiny output column */
    }
    for (int j = 0; j < 4; j++)
        b1[j] = 2.0; /* every neuron live on every input */
    /* W2 columns: ‖col 0‖ = 1, ‖col 1‖ = 2, ‖col 2‖ = 1, ‖col 3‖ = 0.01 */
    W2[0 * 4 + 0] = 1.0;
    W2[1 * 4 + 1] = 2.0;
    W2[2 * 4 + 2] = 1.0;
    W2[3 * 4 + 3] = 0.01;
    model_extras ex;
    extras_cfg c = {1e-6, 0.99};
    m.ops->extras(&m, th, &c, &ex);
    /* sizes 3·1, ‖t1‖/2·2, 1, tiny: the first three are active */
    assert_close(ex.teacher_angle, 30.0, 1e-9);
    assert_true(ex.feature_sparsity > 0 && ex.feature_sparsity <= 1);
    assert_true(ex.feature_sparsity2 >= 0 && ex.feature_sparsity2 <= 1);
    assert_true(isnan(ex.kinks) && isnan(ex.l0));
    /* the picture: projected onto the teacher plane */
    double xy[8], txy[4];
    size_t cnt = 0, tc = 0;
    int proj = 0;
    m.ops->neurons(&m, th, xy, 4, &cnt, txy, 2, &tc, &proj);
    assert_int_equal(cnt, 4);
    assert_int_equal(tc, 2);
    assert_int_equal(proj, 1);
    /* neuron 2 is orthogonal to the plane: the origin */
    assert_close(xy[4], 0.0, 1e-12);
    assert_close(xy[5], 0.0, 1e-12);
    /* neuron 0 is 1·3·t0, in the plane: its length is 3‖t0‖ and it
     * points along teacher ray 0, which is unit and on the first axis */
    double n0 = 0;
    for (int i = 0; i < 5; i++)
        n0 += T[i] * T[i];
    assert_close(hypot(xy[0], xy[1]), 3 * sqrt(n0), 1e-12);
    assert_close(txy[0], 1.0, 1e-12);
    assert_close(txy[1], 0.0, 1e-12);
    assert_close(xy[0] / hypot(xy[0], xy[1]), txy[0], 1e-12);
    assert_close(hypot(txy[2], txy[3]), 1.0, 1e-12);
    /* neuron 3: ‖col 3‖·(e1 + e2) = (0.01, 0.01) */
    assert_close(xy[6], 0.01, 1e-12);
    assert_close(xy[7], 0.01, 1e-12);
    model_destroy(&m);
}

/* ---- the scene's `teacher` field and the ts checks -------------------- */

static int final_rc(const char *text, scene_err *e)
{
    scene s;
    scene_init(&s);
    memset(e, 0, sizeof *e);
    if (scene_load_string(&s, text, "t.scene", e) != 0)
        return -2;
    return scene_finalize(&s, e);
}

static void test_ts_scene(void **state)
{
    scene s;
    scene_err e;
    /* the defaults of ts2 */
    scene_init(&s);
    assert_int_equal(scene_load_string(&s, "model = ts2\n", "t.scene", &e),
                     0);
    assert_int_equal(scene_finalize(&s, &e), 0);
    assert_int_equal(s.mp.d, 2);
    assert_int_equal(s.mp.n, 15);
    assert_int_equal(s.mp.m, 20);
    assert_int_equal(s.mp.teacher, 3);
    assert_int_equal(s.mp.n_test, 1000);
    assert_true(s.mp.init_w == 0.5 && s.mp.init_a == 0.0);
    assert_true(s.steps == 14126 && s.corr == 0.99 && s.rank_tol == 1e-4);
    /* teacher is typed and range-checked, at its value's column */
    assert_int_equal(final_rc("model = ts2\nteacher = 0\n", &e), -2);
    assert_string_equal(e.file, "t.scene");
    assert_int_equal(e.line, 2);
    assert_int_equal(e.col, 11);
    assert_non_null(strstr(e.msg, "teacher must be an integer in 1..64"));
    assert_int_equal(final_rc("teacher = 2.5\n", &e), -2);
    assert_int_equal(e.line, 1);
    assert_int_equal(e.col, 11);
    assert_int_equal(final_rc("teacher = 65\n", &e), -2);
    /* ts2 needs d >= 2, blamed on d */
    assert_int_equal(final_rc("model = ts2\nd = 1\n", &e), -1);
    assert_int_equal(e.line, 2);
    assert_non_null(strstr(e.msg, "d >= 2"));
    /* the parameter cap, blamed on the later of m and d */
    assert_int_equal(final_rc("model = ts2\nm = 1000\n", &e), -1);
    assert_int_equal(e.line, 2);
    assert_non_null(strstr(e.msg, "2048"));
    assert_non_null(strstr(e.hint, "m <= 682"));
    /* no data files */
    assert_int_equal(final_rc("model = ts2\ndata = x.csv\n", &e), -1);
    assert_int_equal(e.line, 2);
    assert_non_null(strstr(e.msg, "no data files"));
    /* r is diagnet's: a ts2 with d = 2 does not trip over r = 20 */
    assert_int_equal(final_rc("model = ts2\nd = 3\n", &e), 0);
    /* ts3's defaults, and its width cap */
    scene_init(&s);
    assert_int_equal(scene_load_string(&s, "model = ts3\n", "t.scene", &e),
                     0);
    assert_int_equal(scene_finalize(&s, &e), 0);
    assert_true(s.mp.d == 5 && s.mp.n == 50 && s.mp.m == 10 &&
                s.mp.teacher == 2 && s.mp.init_w == 0.8);
    assert_true(s.steps == 10001 && s.sched.eta0 == 0.011);
    assert_int_equal(final_rc("model = ts3\nm = 65\n", &e), -1);
    assert_int_equal(e.line, 2);
    assert_non_null(strstr(e.msg, "at most 64"));
    assert_int_equal(final_rc("model = ts3\nd = 40\nm = 40\n", &e), -1);
    assert_non_null(strstr(e.msg, "2048"));
    assert_int_equal(final_rc("model = ts3\ntest_data = x.csv\n", &e), -1);
    assert_non_null(strstr(e.msg, "no data files"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ts2_data),
        cmocka_unit_test(test_ts2_derivatives),
        cmocka_unit_test(test_ts2_errors),
        cmocka_unit_test(test_angle_helpers),
        cmocka_unit_test(test_ts2_extras_neurons),
        cmocka_unit_test(test_ts3_data),
        cmocka_unit_test(test_ts3_derivatives),
        cmocka_unit_test(test_ts3_extras_neurons),
        cmocka_unit_test(test_ts_scene),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_hessian.c — the models' Hessian–vector products against a
 * finite-difference Hessian built independently from model_full_grad, and
 * λmax / the top eigenvector against that Hessian's full eigendecomposition
 * (LAPACKE_dsyev), for every model at its initialization and after some
 * steps; quad1d against the closed form; warm starts. */
#include "testutil.h"
#include "testrun.h"

#include <lapacke.h>

#include "hessian.h"
#include "run.h"
#include "scene.h"

static run *make_run(const char *const *kv)
{
    return test_run(NULL, kv);
}

/* H (p × p, symmetric) by central differences of the full gradient,
 * column k = (∇L(θ + h e_k) − ∇L(θ − h e_k)) / 2h with h = 1e-5·max(1,
 * |θ_k|): truncation O(h²‖∇³L‖), rounding O(ε‖∇L‖/h) — about 1e-9 relative
 * here.  Then symmetrized and diagonalized: ev ascending, H overwritten by
 * the eigenvectors (columns). */
static void fd_hessian(const model *m, const double *theta, double *H,
                       double *ev)
{
    size_t p = m->p;
    double *th = malloc(p * sizeof *th), *gp = malloc(p * sizeof *gp),
           *gm = malloc(p * sizeof *gm);
    assert_non_null(th);
    assert_non_null(gp);
    assert_non_null(gm);
    for (size_t k = 0; k < p; k++) {
        double h = 1e-5 * fmax(1.0, fabs(theta[k]));
        memcpy(th, theta, p * sizeof *th);
        th[k] = theta[k] + h;
        model_full_grad(m, th, gp);
        th[k] = theta[k] - h;
        model_full_grad(m, th, gm);
        for (size_t i = 0; i < p; i++)
            H[i * p + k] = (gp[i] - gm[i]) / (2.0 * h);
    }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < i; j++) {
            double s = 0.5 * (H[i * p + j] + H[j * p + i]);
            H[i * p + j] = H[j * p + i] = s;
        }
    free(th);
    free(gp);
    free(gm);
    if (ev)
        assert_int_equal(LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'V', 'U', (int)p, H,
                                       (int)p, ev), 0);
}

static double dot(const double *a, const double *b, size_t p)
{
    double s = 0.0;
    for (size_t i = 0; i < p; i++)
        s += a[i] * b[i];
    return s;
}

/* |a − b| ≤ tol·scale, with both values in the message. */
#define assert_within(a, b, tol)                                             \
    do {                                                                     \
        double a_ = (a), b_ = (b);                                           \
        if (!(fabs(a_ - b_) <= (tol)))                                       \
            fail_msg("%s = %.17g vs %s = %.17g (tol %g)", #a, a_, #b, b_,   \
                     (double)(tol));                                         \
    } while (0)

/* ‖a − b‖∞ / max(‖b‖∞, floor). */
static double rel_err(const double *a, const double *b, size_t p,
                      double floor)
{
    double d = 0.0, s = floor;
    for (size_t i = 0; i < p; i++) {
        d = fmax(d, fabs(a[i] - b[i]));
        s = fmax(s, fabs(b[i]));
    }
    return d / s;
}

/* One model at one state: H v against the FD Hessian times v, λmax and
 * the top eigenvector against dsyev's, and the warm start. */
static void check_state(const model *m, const double *theta, const char *what)
{
    size_t p = m->p;
    double *H = malloc(p * p * sizeof *H), *ev = malloc(p * sizeof *ev);
    double *v = malloc(p * sizeof *v), *hv = malloc(p * sizeof *hv),
           *fv = malloc(p * sizeof *fv), *top = calloc(p, sizeof *top);
    assert_non_null(H);
    assert_non_null(ev);
    assert_non_null(v);
    assert_non_null(hv);
    assert_non_null(fv);
    assert_non_null(top);

    /* H v for a fixed generic v, against the FD Hessian (before dsyev
     * overwrites it). */
    fd_hessian(m, theta, H, NULL);
    for (size_t j = 0; j < p; j++)
        v[j] = sin(1.0 + 0.37 * (double)j);
    model_hvp(m, theta, v, hv);
    for (size_t i = 0; i < p; i++) {
        fv[i] = 0.0;
        for (size_t j = 0; j < p; j++)
            fv[i] += H[i * p + j] * v[j];
    }
    double e_hv = rel_err(hv, fv, p, 1e-12);
    assert_true(e_hv < 1e-6);

    /* λmax and its eigenvector. */
    fd_hessian(m, theta, H, ev);
    double lmax_fd = ev[p - 1];
    hessian_ws ws;
    assert_int_equal(hessian_ws_init(&ws, p), 0);
    double lmax = hessian_top(&ws, m, theta, top);
    int cold = ws.steps;
    double scale = fmax(fabs(ev[0]), fabs(ev[p - 1]));
    print_message("%-28s p=%3zu λmax %.10g (FD %.10g) steps %d, |Hv−FD| %.1e\n",
                  what, p, lmax, lmax_fd, cold, e_hv);
    assert_within(lmax, lmax_fd, 1e-6 * scale);
    double nrm = dot(top, top, p), al = 0.0;
    for (size_t i = 0; i < p; i++)
        al += top[i] * H[i * p + (p - 1)];
    assert_close(nrm, 1.0, 1e-12);
    /* the eigenvector is determined when λmax is separated */
    double gap = p > 1 ? ev[p - 1] - ev[p - 2] : INFINITY;
    if (gap > 1e-3 * scale)
        assert_true(fabs(al) > 1.0 - 1e-6);

    /* Warm start from the answer: the same value, no more steps. */
    double again = hessian_top(&ws, m, theta, top);
    assert_within(again, lmax, 1e-9 * scale);
    assert_true(ws.steps <= cold);
    /* Warm start from the second eigenvector, orthogonal to the answer:
     * the generic part of the start still finds the top. */
    if (p > HESSIAN_DENSE_MAX && gap > 1e-3 * scale) {
        for (size_t i = 0; i < p; i++)
            top[i] = H[i * p + (p - 2)];
        double w2 = hessian_top(&ws, m, theta, top);
        assert_within(w2, lmax, 1e-9 * scale);
    }
    hessian_ws_free(&ws);
    free(H);
    free(ev);
    free(v);
    free(hv);
    free(fv);
    free(top);
}

/* Each model at its initialization and after some steps. */
static void check_model(const char *const *kv, uint64_t steps,
                        const char *name)
{
    run *r = make_run(kv);
    char what[64];
    snprintf(what, sizeof what, "%s at t=0", name);
    check_state(&r->m, r->theta, what);
    run_advance(r, steps);
    assert_false(r->diverged);
    snprintf(what, sizeof what, "%s at t=%llu", name,
             (unsigned long long)steps);
    check_state(&r->m, r->theta, what);
    run_destroy(r);
}

static void test_diagnet_against_fd(void **st)
{
    (void)st;
    const char *const kv[] = {"model=diagnet", "n=30", "d=40", "r=4",
                              "eta=0.2", "seed=5", NULL};
    check_model(kv, 2000, "diagnet");
}

static void test_relu1d_against_fd(void **st)
{
    (void)st;
    const char *const kv[] = {"model=relu1d", "m=20", "eta=2e-4", "seed=2",
                              NULL};
    check_model(kv, 3000, "relu1d");
}

/* The sizes the app runs: Fig. 2's network (p = 400) and Fig. 4's
 * (p = 300), where Lanczos stops well before p steps. */
static void test_paper_sizes_against_fd(void **st)
{
    (void)st;
    const char *const diag[] = {"model=diagnet", "n=80", "d=200", "r=20",
                                "eta=0.24", "seed=3", NULL};
    check_model(diag, 5000, "diagnet n=80 d=200");
    const char *const relu[] = {"model=relu1d", "m=100", "eta=2e-4", NULL};
    check_model(relu, 5000, "relu1d m=100");
}

static void test_quad1d_against_fd(void **st)
{
    (void)st;
    const char *const online[] = {"model=quad1d", "eta=1.1", NULL};
    check_model(online, 301, "quad1d online");
    const char *const fixed[] = {"model=quad1d", "n=20", "eta=0.5", NULL};
    check_model(fixed, 7, "quad1d n=20");
}

/* F''(θ) = E[x²](3θ² − θ*²): online exactly; with a fixed sample the same
 * with the sample mean of x². */
static void test_quad1d_closed_form(void **st)
{
    (void)st;
    const char *const online[] = {"model=quad1d", "a=1", "b=1.05",
                                  "theta_star=1.2", NULL};
    const char *const fixed[] = {"model=quad1d", "a=1", "b=1.05",
                                 "theta_star=1.2", "n=20", NULL};
    run *a = make_run(online), *b = make_run(fixed);
    double ex2 = (1.0 + 1.05 + 1.05 * 1.05) / 3.0, sx2 = 0.0;
    for (size_t i = 0; i < b->m.n; i++)
        sx2 += b->m.x[i] * b->m.x[i] / (double)b->m.n;
    hessian_ws ws;
    assert_int_equal(hessian_ws_init(&ws, 1), 0);
    const double th[] = {0.3, 0.8, 1.2, 1.5, -1.1};
    for (size_t k = 0; k < sizeof th / sizeof th[0]; k++) {
        double v = 0.0, f = 3.0 * th[k] * th[k] - 1.44;
        assert_close(hessian_top(&ws, &a->m, &th[k], &v), ex2 * f, 1e-14);
        assert_close(v, 1.0, 0);
        assert_close(hessian_top(&ws, &b->m, &th[k], &v), sx2 * f, 1e-13);
    }
    hessian_ws_free(&ws);
    run_destroy(a);
    run_destroy(b);
}

/* Between evaluations the run warm-starts from top_dir: the sharpness it
 * reports at its curvature cadence (curv_every) and the readout's
 * sharpness_now at any step match a cold computation, h_sharp records
 * only the former, and top_dir is a unit vector with its largest entry
 * positive. */
static void test_run_sharpness_and_direction(void **st)
{
    (void)st;
    const char *const kv[] = {"model=diagnet", "n=30", "d=40", "r=4",
                              "eta=0.2", "seed=5", NULL};
    run *r = make_run(kv);
    hessian_ws ws;
    size_t p = r->m.p;
    double *cold = malloc(p * sizeof *cold);
    assert_non_null(cold);
    assert_int_equal(hessian_ws_init(&ws, p), 0);
    uint64_t ce = r->curv_every;
    assert_true(ce > 1);
    for (int k = 0; k < 5; k++) {
        /* off the cadence: the readout is fresh, the curve is not fed */
        run_advance(r, ce - 1);
        run_evaluate(r);
        memset(cold, 0, p * sizeof *cold);
        double lc = hessian_top(&ws, &r->m, r->theta, cold);
        assert_within(r->last.sharpness_now, lc, 1e-9 * fabs(lc));
        assert_int_equal(r->h_sharp.total, (uint64_t)k);
        /* on it */
        run_advance(r, 1);
        run_evaluate(r);
        memset(cold, 0, p * sizeof *cold);
        lc = hessian_top(&ws, &r->m, r->theta, cold);
        assert_int_equal(r->last.curv_step, r->t);
        assert_within(r->last.sharpness, lc, 1e-9 * fabs(lc));
        assert_within(r->last.sharpness_now, lc, 1e-9 * fabs(lc));
        assert_int_equal(r->h_sharp.total, (uint64_t)k + 1);
        double n = 0.0, big = 0.0;
        for (size_t j = 0; j < p; j++) {
            n += r->top_dir[j] * r->top_dir[j];
            if (fabs(r->top_dir[j]) > fabs(big))
                big = r->top_dir[j];
        }
        assert_close(n, 1.0, 1e-12);
        assert_true(big > 0.0);
        assert_close(fabs(dot(r->top_dir, cold, p)), 1.0, 1e-6);
    }
    hessian_ws_free(&ws);
    free(cold);
    run_destroy(r);
}

static void test_fix_sign(void **st)
{
    (void)st;
    double a[] = {0.1, -0.9, 0.3}, b[] = {0.5, -0.5}, c[] = {0.2, 0.7};
    hessian_fix_sign(a, 3);
    assert_close(a[1], 0.9, 0);
    assert_close(a[0], -0.1, 0);
    hessian_fix_sign(b, 2); /* a tie: the first one decides */
    assert_close(b[0], 0.5, 0);
    hessian_fix_sign(c, 2);
    assert_close(c[1], 0.7, 0);
    hessian_ws ws;
    assert_int_equal(hessian_ws_init(&ws, 0), -1);
    hessian_ws_free(&ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quad1d_closed_form),
        cmocka_unit_test(test_quad1d_against_fd),
        cmocka_unit_test(test_diagnet_against_fd),
        cmocka_unit_test(test_relu1d_against_fd),
        cmocka_unit_test(test_paper_sizes_against_fd),
        cmocka_unit_test(test_run_sharpness_and_direction),
        cmocka_unit_test(test_fix_sign),
    };
    return cmocka_run_group_tests_name("hessian", tests, NULL, NULL);
}

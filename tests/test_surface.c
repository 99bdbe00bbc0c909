/* test_surface.c — the loss surface: its planes (own and fig3), the grid,
 * the paths' thinning, the session's wiring and the scene fields. */
#include "testutil.h"

#include "comparison.h"
#include "model_registry.h"
#include "run.h"
#include "scene.h"
#include "session.h"
#include "surface.h"

static const char *FIG3 =
    "model = diagnet\nrng = numpy\ndata_seed = 0\nseed = 2\nn = 20\n"
    "d = 30\nr = 3\nn_test = 100\ninit_u = 0.1\ninit_v = 0\n"
    "steps = 400\nevery = 10\nsurface = fig3\n";
static const char *FIG7 =
    "model = diagnet\ndata_seed = 1\nn = 1\nd = 2\nr = 1\nn_test = 10\n"
    "init_u = 0.7\ninit_v = 0.7\ndynamics = sde\nsde_delta = 0.005\n"
    "eta = 0.3\nsteps = 200\nevery = 20\nsurface = own\n"
    "surface_lo = -0.2\nsurface_hi = 1.3\n";

static run *make_run(const char *text, scene *sc)
{
    scene_err e;
    char err[256];
    scene_init(sc);
    if (scene_load_string(sc, text, "t.scene", &e) || scene_finalize(sc, &e))
        fail_msg("scene: %d:%d %s", e.line, e.col, e.msg);
    run *r = run_create(sc, err, sizeof err);
    if (!r)
        fail_msg("run: %s", err);
    return r;
}

static double norm_diff(const double *a, const double *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (a[i] - b[i]) * (a[i] - b[i]);
    return sqrt(s);
}

/* fig3: w0 is the origin, w* lies on the first axis at ‖w* − w0‖, the
 * axes are orthonormal, and the gradient-flow end lies in the plane. */
static void test_fig3_plane(void **state)
{
    (void)state;
    scene sc;
    run *r = make_run(FIG3, &sc);
    surface s;
    char err[256];
    assert_int_equal(surface_create(&s, SURF_FIG3, &r->m, r->theta, -0.5,
                                    2.3, 100, 16, sc.steps, err, sizeof err),
                     0);
    size_t p = r->m.p, d = p / 2;
    double a, b;
    surface_project(&s, r->theta, &a, &b);
    assert_close(a, 0, 1e-12);
    assert_close(b, 0, 1e-12);
    double *ws = malloc(p * sizeof *ws);
    const double *bs = diagnet_beta_star(&r->m);
    for (size_t j = 0; j < d; j++)
        ws[j] = ws[d + j] = sqrt(bs[j]);
    surface_project(&s, ws, &a, &b);
    assert_close(a, norm_diff(ws, r->theta, p), 1e-12);
    assert_close(b, 0, 1e-12);
    assert_close(a, s.star_a, 1e-12);
    double e11 = 0, e12 = 0, e22 = 0;
    for (size_t i = 0; i < p; i++) {
        e11 += s.e1[i] * s.e1[i];
        e12 += s.e1[i] * s.e2[i];
        e22 += s.e2[i] * s.e2[i];
    }
    assert_close(e11, 1, 1e-12);
    assert_close(e12, 0, 1e-12);
    assert_close(e22, 1, 1e-12);
    /* the GF end, stepped here by hand, projects with b > 0 and lies on
     * the plane: θ(a, b) reproduces it */
    double *w = malloc(p * sizeof *w), *g = malloc(p * sizeof *g);
    memcpy(w, r->theta, p * sizeof *w);
    for (uint64_t t = 0; t < sc.steps; t++) {
        model_full_grad(&r->m, w, g);
        for (size_t i = 0; i < p; i++)
            w[i] -= SURFACE_GF_ETA * g[i];
    }
    a = b = 0;
    for (size_t i = 0; i < p; i++) {
        a += (w[i] - r->theta[i]) * s.e1[i];
        b += (w[i] - r->theta[i]) * s.e2[i];
    }
    assert_true(b > 0);
    surface_point(&s, a, b, g);
    assert_true(norm_diff(g, w, p) < 1e-9);
    for (size_t i = 0; i < p; i++)
        w[i] = fabs(w[i]);
    surface_project(&s, w, &a, &b);
    /* the notebook projects |θ|: a sign flip changes nothing */
    for (size_t i = 0; i < p; i++)
        g[i] = -w[i];
    double a2, b2;
    surface_project(&s, g, &a2, &b2);
    assert_close(a2, a, 1e-12);
    assert_close(b2, b, 1e-12);
    free(w);
    free(g);
    free(ws);
    surface_free(&s);
    run_destroy(r);
}

/* own: a balanced θ = (u1, u2, u1, u2) has coordinates (u1, u2). */
static void test_own_plane(void **state)
{
    (void)state;
    scene sc;
    run *r = make_run(FIG7, &sc);
    surface s;
    char err[256];
    assert_int_equal(surface_create(&s, SURF_OWN, &r->m, r->theta, -0.2, 1.3,
                                    100, 12, sc.steps, err, sizeof err),
                     0);
    double th[4] = {0.3, -0.8, 0.3, -0.8}, a, b;
    surface_project(&s, th, &a, &b);
    assert_close(a, 0.3, 1e-15);
    assert_close(b, -0.8, 1e-15);
    surface_project(&s, r->theta, &a, &b);
    assert_close(a, 0.7, 1e-15);
    assert_close(b, 0.7, 1e-15);
    surface_point(&s, 0.25, 0.5, th);
    assert_close(th[0], 0.25, 0);
    assert_close(th[1], 0.5, 0);
    assert_close(th[2], 0.25, 0);
    assert_close(th[3], 0.5, 0);
    surface_free(&s);
    run_destroy(r);
}

/* The grid holds the training loss at its points, clipped; the
 * interpolation is exact at grid points; a new size recomputes it. */
static void test_grid(void **state)
{
    (void)state;
    scene sc;
    run *r = make_run(FIG7, &sc);
    surface s;
    char err[256];
    double clip = 2.0;
    assert_int_equal(surface_create(&s, SURF_OWN, &r->m, r->theta, -0.5, 2.3,
                                    clip, 15, sc.steps, err, sizeof err),
                     0);
    double th[4];
    int clipped = 0, below = 0;
    for (int j = 0; j < s.g; j += 3)
        for (int i = 0; i < s.g; i += 2) {
            double step = (s.hi - s.lo) / (s.g - 1);
            double a = s.lo + i * step, b = s.lo + j * step;
            surface_point(&s, a, b, th);
            double L = model_train_loss(&r->m, th);
            assert_close(surface_grid_at(&s, i, j), L < clip ? L : clip,
                         1e-15);
            clipped += L > clip;
            below += L < clip;
            if (L > 0 && L < clip)
                assert_close(surface_loss_at(&s, a, b), L, 1e-9);
        }
    assert_true(clipped > 0 && below > 0); /* both branches were seen */
    assert_true(isnan(surface_loss_at(&s, 2.4, 0)));
    const double *before = s.loss;
    assert_int_equal(surface_grid(&s, &r->m, 15), 0); /* same size: no-op */
    assert_ptr_equal(s.loss, before);
    assert_int_equal(surface_grid(&s, &r->m, 9), 0);
    assert_int_equal(s.g, 9);
    surface_point(&s, 2.3, 2.3, th);
    double L = model_train_loss(&r->m, th);
    assert_close(surface_grid_at(&s, 8, 8), L < clip ? L : clip, 1e-15);
    surface_free(&s);
    run_destroy(r);
}

/* A full path keeps every other point and doubles its stride; the steps
 * kept depend only on the steps pushed; a push at an earlier step drops
 * the later ones (a rewind); an off-stride newest point stays until a
 * later one comes. */
static void test_path_thinning(void **state)
{
    (void)state;
    surface_path pa;
    assert_int_equal(surface_path_init(&pa, 8, 10), 0);
    for (uint64_t t = 0; t <= 200; t += 10)
        surface_path_push(&pa, t, (double)t, -(double)t);
    /* 21 evaluations through a cap of 8: strides 1 → 2 → 4 */
    assert_int_equal(pa.stride, 4);
    assert_true(pa.n <= 8);
    for (size_t i = 0; i < pa.n; i++) {
        assert_int_equal(pa.step[i] % 40, 0);
        assert_close(pa.xy[2 * i], (double)pa.step[i], 0);
        assert_close(pa.xy[2 * i + 1], -(double)pa.step[i], 0);
        if (i)
            assert_true(pa.step[i] > pa.step[i - 1]);
    }
    assert_int_equal(pa.step[0], 0);
    assert_int_equal(pa.step[pa.n - 1], 200);
    /* off the stride: kept as the newest, replaced by the next */
    surface_path_push(&pa, 210, 1, 1);
    assert_int_equal(pa.step[pa.n - 1], 210);
    size_t n = pa.n;
    surface_path_push(&pa, 220, 2, 2);
    assert_int_equal(pa.n, n);
    assert_int_equal(pa.step[pa.n - 1], 220);
    /* a rewind to step 100 */
    surface_path_push(&pa, 100, 5, 5);
    assert_int_equal(pa.step[pa.n - 1], 100);
    assert_close(pa.xy[2 * (pa.n - 1)], 5, 0);
    for (size_t i = 0; i + 1 < pa.n; i++)
        assert_true(pa.step[i] < 100);
    /* the same pushes give the same path */
    surface_path pb;
    assert_int_equal(surface_path_init(&pb, 8, 10), 0);
    for (uint64_t t = 0; t <= 200; t += 10)
        surface_path_push(&pb, t, (double)t, -(double)t);
    surface_path_push(&pb, 210, 1, 1);
    surface_path_push(&pb, 220, 2, 2);
    surface_path_push(&pb, 100, 5, 5);
    assert_int_equal(pb.n, pa.n);
    assert_memory_equal(pb.step, pa.step, pa.n * sizeof *pa.step);
    surface_path_clear(&pb);
    assert_int_equal(pb.n, 0);
    surface_path_free(&pa);
    surface_path_free(&pb);
}

/* A session of a comparison builds one surface, every run points at it,
 * and each evaluation adds a point at the run's projection. */
static void test_session_paths(void **state)
{
    (void)state;
    char text[1024], err[256];
    snprintf(text, sizeof text, "%s\nrun gd\ndynamics = gd\neta = 3\n"
             "run sgd\neta = 0.6\n", FIG3);
    comparison *c = malloc(sizeof *c);
    scene_err e;
    if (comparison_load_string(c, text, "t.scene", &e) ||
        comparison_finalize(c, &e))
        fail_msg("comparison: %d:%d %s", e.line, e.col, e.msg);
    session *s = session_create(c, NULL, err, sizeof err);
    if (!s)
        fail_msg("session: %s", err);
    assert_non_null(s->surf);
    for (size_t i = 0; i < s->n; i++) {
        assert_ptr_equal(s->run[i].r->surf, s->surf);
        assert_int_equal(s->run[i].r->path.n, 1);
    }
    while (s->t < 100)
        if (session_advance(s, 10) > 0)
            for (size_t i = 0; i < s->n; i++)
                run_eval_losses(s->run[i].r);
    for (size_t i = 0; i < s->n; i++) {
        const run *r = s->run[i].r;
        double a, b;
        surface_project(s->surf, r->theta, &a, &b);
        assert_int_equal(r->path.n, 11);
        assert_int_equal(r->path.step[r->path.n - 1], 100);
        assert_close(r->path.xy[2 * (r->path.n - 1)], a, 0);
        assert_close(r->path.xy[2 * (r->path.n - 1) + 1], b, 0);
    }
    /* a fork carries its path; a restart starts them over */
    assert_true(session_fork(s, 1, "g2", err, sizeof err) >= 0);
    assert_int_equal(s->run[s->n - 1].r->path.n, 11);
    assert_ptr_equal(s->run[s->n - 1].r->surf, s->surf);
    assert_int_equal(session_restart(s, 0, 0, err, sizeof err), 0);
    for (size_t i = 0; i < s->n; i++)
        assert_int_equal(s->run[i].r->path.n, 1);
    session_destroy(s);
    free(c);
}

static void final_bad(const char *text, int line, int col, const char *want)
{
    scene s;
    scene_err e;
    scene_init(&s);
    int rc = scene_load_string(&s, text, "t.scene", &e);
    if (rc == 0)
        rc = scene_finalize(&s, &e);
    assert_int_equal(rc, -1);
    if (e.line != line || e.col != col)
        fail_msg("error at %d:%d, want %d:%d (%s)", e.line, e.col, line, col,
                 e.msg);
    if (!strstr(e.msg, want))
        fail_msg("message '%s' lacks '%s'", e.msg, want);
}

/* Every surface field is typed and checked, errors at file:line:col. */
static void test_scene_fields(void **state)
{
    (void)state;
    final_bad("model = diagnet\nd = 3\nr = 1\nsurface = own\n", 4, 11,
              "no 2-D plane");
    final_bad("model = diagnet\nd = 2\nr = 1\ninit_v = 0.5\nsurface = own\n",
              5, 11, "balanced");
    final_bad("model = relu1d\nsurface = fig3\n", 2, 11, "has none");
    final_bad("model = quad1d\nsurface = own\n", 2, 11, "no 2-D plane");
    final_bad("model = diagnet\nsurface = fig4\n", 2, 11, "unknown surface");
    final_bad("model = diagnet\nsurface = fig3\nsurface_lo = 3\n", 3, 14,
              "less than surface_hi");
    final_bad("model = diagnet\nsurface = fig3\nsurface_grid = 4\n", 3, 16,
              "surface_grid");
    final_bad("model = diagnet\nsurface = fig3\nsurface_clip = 0\n", 3, 16,
              "surface_clip");
    final_bad("model = diagnet\nn = 100\nd = 500\nsteps = 100000\n"
              "surface = fig3\n", 5, 11, "gradient-flow reference run");
    final_bad("model = diagnet\nn = 1000\nd = 1000\nsurface = fig3\n"
              "surface_grid = 40\n", 5, 16, "grid would take");
    /* defaults, and a scene that has one */
    scene s;
    scene_err e;
    scene_init(&s);
    assert_int_equal(s.surface, SURF_NONE);
    assert_close(s.surface_lo, -0.5, 0);
    assert_close(s.surface_hi, 2.3, 0);
    assert_close(s.surface_clip, 100, 0);
    assert_int_equal(scene_load_string(&s, FIG3, "t.scene", &e), 0);
    assert_int_equal(scene_finalize(&s, &e), 0);
    assert_int_equal(s.surface, SURF_FIG3);
    assert_int_equal(surface_kind_parse("own"), SURF_OWN);
    assert_string_equal(surface_kind_name(SURF_FIG3), "fig3");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fig3_plane),
        cmocka_unit_test(test_own_plane),
        cmocka_unit_test(test_grid),
        cmocka_unit_test(test_path_thinning),
        cmocka_unit_test(test_session_paths),
        cmocka_unit_test(test_scene_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

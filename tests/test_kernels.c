/* test_kernels.c — the dispatched SGD kernels (kernels.h) give the same
 * bits as the portable ones: the same runs under every level this CPU
 * has, compared with memcmp (θ, residuals, the loss history), including a
 * run at the edge of stability, where a 1-ulp difference grows until it
 * shows.  Levels the CPU lacks are skipped; portable against the best
 * available is always compared.  Speed is tests/bench.c's business. */
#include "testutil.h"
#include "testrun.h"

#include "kernels.h"
#include "rng.h"

/* The levels to compare with portable: every one this build has and this
 * CPU runs (at least the best, which may be portable itself). */
static size_t runnable(const kernels **out, size_t cap)
{
    size_t n = 0, count;
    const kernels *const *all = kernels_levels(&count);
    for (size_t i = 0; i < count && n < cap; i++)
        if (kernels_available(all[i]->name))
            out[n++] = all[i];
    return n;
}

/* Values that take the unusual paths: signed zeros (relu's z > 0 select
 * must give +0 for −0), subnormals (diagnet's decaying coordinates),
 * huge and ordinary numbers. */
static double awkward(rng *g, int k)
{
    switch (k % 9) {
    case 0: return -0.0;
    case 1: return 0.0;
    case 2: return 3e-310 * rng_normal(g);
    case 3: return 1e150 * rng_normal(g);
    default: return rng_normal(g);
    }
}

/* Chains of steps straight through each level's table entries, for every
 * length up to 40 (all the vector tails) and the bench's sizes. */
static void test_tables_bitwise(void **state)
{
    (void)state;
    const kernels *lv[8];
    size_t nl = runnable(lv, 8);
    assert_true(nl >= 1);
    assert_string_equal(lv[0]->name, "portable");
    static const size_t extra[] = {100, 101, 200, 203};
    for (size_t c = 0; c < 40 + 4; c++) {
        size_t d = c < 40 ? c + 1 : extra[c - 40];
        for (int odd = 0; odd < 2; odd++) {
            size_t p = 3 * d; /* enough for diagnet (2d) and relu1d (3d) */
            double *ref = kernels_alloc(p), *th = kernels_alloc(p);
            double *x = kernels_alloc(d + 1);
            double rref[64], r[64];
            assert_non_null(ref);
            assert_non_null(th);
            assert_non_null(x);
            for (size_t L = 0; L < nl; L++) {
                for (int which = 0; which < 2; which++) {
                    rng g;
                    rng_seed(&g, 7 + d, 1);
                    for (size_t j = 0; j < p; j++)
                        ref[j] = odd ? awkward(&g, (int)j)
                                     : 0.1 * rng_normal(&g);
                    memcpy(th, ref, p * sizeof *th);
                    /* x + odd: the kernels must not assume alignment */
                    for (int s = 0; s < 64; s++) {
                        for (size_t j = 0; j < d + 1; j++)
                            x[j] = rng_normal(&g);
                        double y = rng_normal(&g), eta = 0.05;
                        if (which == 0) {
                            rref[s] = lv[0]->diagnet_sgd1(ref, x + odd, y,
                                                          eta, d);
                            r[s] = lv[L]->diagnet_sgd1(th, x + odd, y, eta,
                                                       d);
                        } else {
                            rref[s] = lv[0]->relu1d_sgd1(ref, x[0], y, eta,
                                                         d);
                            r[s] = lv[L]->relu1d_sgd1(th, x[0], y, eta, d);
                        }
                    }
                    if (memcmp(ref, th, p * sizeof *th) != 0 ||
                        memcmp(rref, r, sizeof r) != 0)
                        fail_msg("%s %s d=%zu%s: not the portable bits",
                                 lv[L]->name, which ? "relu1d" : "diagnet",
                                 d, odd ? " (awkward values)" : "");
                }
            }
            free(ref);
            free(th);
            free(x);
        }
    }
}

#define EVALS 40

/* One run of the scene under the level: θ at the end and the training
 * loss every `every` steps (run_eval_losses, the loss history's values). */
typedef struct outcome {
    double *theta;
    size_t p;
    double loss[EVALS];
    double hist[2 * EVALS]; /* h_train: every bucket's last sample */
    size_t hist_len;
    uint64_t t;
    int diverged;
} outcome;

static outcome run_under(const char *level, const char *path,
                         const char *const *kv, uint64_t every, int nudge)
{
    assert_true(kernels_select(level));
    assert_string_equal(kernels_name(), level);
    run *r = test_run(path, kv);
    if (nudge) /* one ulp on one coordinate: what any miscompile would do */
        r->theta[0] = nextafter(r->theta[0], INFINITY);
    outcome o;
    memset(&o, 0, sizeof o);
    for (int k = 0; k < EVALS; k++) {
        run_advance(r, every);
        run_eval_losses(r);
        o.loss[k] = r->last.train_loss;
    }
    o.p = r->m.p;
    o.theta = malloc(o.p * sizeof *o.theta);
    assert_non_null(o.theta);
    memcpy(o.theta, r->theta, o.p * sizeof *o.theta);
    o.t = r->t;
    o.diverged = r->diverged;
    for (size_t i = 0; i < r->h_train.len && i < 2 * EVALS; i++)
        o.hist[o.hist_len++] = history_at(&r->h_train, i)->last;
    run_destroy(r);
    return o;
}

static int same(const outcome *a, const outcome *b)
{
    return a->p == b->p && a->t == b->t && a->diverged == b->diverged &&
           memcmp(a->theta, b->theta, a->p * sizeof *a->theta) == 0 &&
           memcmp(a->loss, b->loss, sizeof a->loss) == 0 &&
           a->hist_len == b->hist_len &&
           memcmp(a->hist, b->hist, sizeof a->hist) == 0;
}

/* The scene under portable and under every other runnable level. */
static void compare_levels(const char *path, const char *const *kv,
                           uint64_t every)
{
    const kernels *lv[8];
    size_t nl = runnable(lv, 8);
    outcome ref = run_under("portable", path, kv, every, 0);
    for (size_t L = 1; L < nl; L++) {
        outcome o = run_under(lv[L]->name, path, kv, every, 0);
        if (!same(&ref, &o))
            fail_msg("%s: %s differs from portable", kv[0], lv[L]->name);
        free(o.theta);
    }
    free(ref.theta);
    assert_true(kernels_select("auto"));
}

static void test_diagnet_runs(void **state)
{
    (void)state;
    const char *const d200[] = {"model=diagnet", "n=80", "d=200", "r=20",
                                "eta=0.15", NULL};
    const char *const d203[] = {"model=diagnet", "n=80", "d=203", "r=20",
                                "eta=0.15", NULL};
    compare_levels(NULL, d200, 100);
    compare_levels(NULL, d203, 100);
}

static void test_relu1d_runs(void **state)
{
    (void)state;
    const char *const m100[] = {"model=relu1d", "m=100", "eta=1e-2", NULL};
    const char *const m101[] = {"model=relu1d", "m=101", "eta=1e-2", NULL};
    compare_levels(NULL, m100, 100);
    compare_levels(NULL, m101, 100);
}

/* Fig. 2's set-up at η = 0.27, past its stable steps: the iterate bounces
 * and any 1-ulp difference is amplified.  The nudged run shows that this
 * comparison would see one. */
static void test_edge_of_stability(void **state)
{
    (void)state;
    const char *const edge[] = {"eta=0.27", NULL};
    const char *path = "scenes/fig2-diag-small.scene";
    compare_levels(path, edge, 100);
    outcome a = run_under("portable", path, edge, 100, 0);
    outcome b = run_under("portable", path, edge, 100, 1);
    printf("edge: t=%llu diverged=%d loss %g .. %g\n",
           (unsigned long long)a.t, a.diverged, a.loss[0], a.loss[EVALS - 1]);
    assert_false(memcmp(a.theta, b.theta, a.p * sizeof *a.theta) == 0);
    free(a.theta);
    free(b.theta);
    assert_true(kernels_select("auto"));
}

static void test_select(void **state)
{
    (void)state;
    assert_true(kernels_available("portable"));
    assert_false(kernels_available("x86-64-v9"));
    assert_false(kernels_available(NULL));
    assert_true(kernels_select("auto"));
    assert_string_equal(kernels_name(), kernels_best());
    const char *best = kernels_name();
    assert_false(kernels_select("nonsense"));
    assert_string_equal(kernels_name(), best); /* unchanged */
    assert_true(kernels_select("portable"));
    assert_string_equal(kernels_name(), "portable");
    assert_ptr_equal(kernels_active()->diagnet_sgd1,
                     kernels_levels(&(size_t){0})[0]->diagnet_sgd1);
    assert_true(kernels_select("auto"));
    double *a = kernels_alloc(3);
    assert_non_null(a);
    assert_int_equal((uintptr_t)a % KERNELS_ALIGN, 0);
    assert_true(a[0] == 0.0 && a[2] == 0.0);
    free(a);
}

/* Everything cmd prints on stdout (at most cap − 1 bytes). */
static void capture(const char *cmd, char *out, size_t cap)
{
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    size_t n = fread(out, 1, cap - 1, f);
    out[n] = 0;
    assert_int_equal(pclose(f), 0);
}

/* The binary honours SGDSCOPE_KERNEL (--version names the level; a name
 * it lacks leaves the best one), and its output is the same under
 * portable and the best level. */
static void test_environment(void **state)
{
    (void)state;
    const char *bin = getenv("SGDSCOPE_BIN");
    if (!bin || !*bin)
        bin = "./sgdscope";
    const kernels *lv[8];
    size_t nl = runnable(lv, 8);
    char cmd[1024], out[4096], want[128];
    for (size_t L = 0; L < nl; L++) {
        snprintf(cmd, sizeof cmd, "SGDSCOPE_KERNEL=%s %s --version",
                 lv[L]->name, bin);
        capture(cmd, out, sizeof out);
        snprintf(want, sizeof want, "SGD kernels: %s ", lv[L]->name);
        if (!strstr(out, want))
            fail_msg("%s: %s", cmd, out);
    }
    snprintf(cmd, sizeof cmd, "SGDSCOPE_KERNEL=x86-64-v9 %s --version", bin);
    capture(cmd, out, sizeof out);
    snprintf(want, sizeof want, "SGD kernels: %s ", kernels_best());
    assert_non_null(strstr(out, want));
    static char a[1 << 15], b[1 << 15];
    const char *args = "--headless fig2-diag-small --set eta=0.27 "
                       "--steps 20000 --every 1000 --csv -";
    snprintf(cmd, sizeof cmd, "SGDSCOPE_SCENES=scenes SGDSCOPE_KERNEL=portable "
             "%s %s", bin, args);
    capture(cmd, a, sizeof a);
    snprintf(cmd, sizeof cmd, "SGDSCOPE_SCENES=scenes %s %s", bin, args);
    capture(cmd, b, sizeof b);
    assert_true(strlen(a) > 100);
    assert_string_equal(a, b);
}

int main(void)
{
    const kernels *lv[8];
    size_t nl = runnable(lv, 8);
    printf("kernels: best %s; comparing portable with", kernels_best());
    for (size_t i = 1; i < nl; i++)
        printf(" %s", lv[i]->name);
    printf("%s\n", nl > 1 ? "" : " nothing else (no vector level here)");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select),
        cmocka_unit_test(test_tables_bitwise),
        cmocka_unit_test(test_diagnet_runs),
        cmocka_unit_test(test_relu1d_runs),
        cmocka_unit_test(test_edge_of_stability),
        cmocka_unit_test(test_environment),
    };
    return cmocka_run_group_tests_name("kernels", tests, NULL, NULL);
}

/* test_sweep.c — the grid of a sweep (grid.h), reading its output back
 * (sweeplog.h) and its map (sweepmap.h).  The end-to-end runs of the real
 * binary (parallel jobs, resumption, shards, signals) are in
 * tests/e2e_sweep.sh; this file checks the pieces against the cases that
 * could fool them.  Run from the source tree (goldens in tests/golden). */
#include "testutil.h"

#include "grid.h"
#include "sweeplog.h"
#include "sweepmap.h"

#include <unistd.h>

static void test_vary_range(void **st)
{
    (void)st;
    static grid g;
    char err[200];
    int col = -1;
    grid_init(&g);
    assert_int_equal(grid_add_vary(&g, "eta=0.20:0.30:21", err, sizeof err,
                                   &col), 0);
    assert_int_equal(g.naxes, 1);
    assert_string_equal(g.axis[0].key, "eta");
    assert_int_equal(g.axis[0].n, 21);
    assert_string_equal(g.axis[0].val[0], "0.2");
    /* 0.2 + 0.005 is 0.20500000000000002 in binary arithmetic: rounded
     * to 15 digits it is the value a user typed */
    assert_string_equal(g.axis[0].val[1], "0.205");
    assert_string_equal(g.axis[0].val[10], "0.25");
    assert_string_equal(g.axis[0].val[20], "0.3");
    /* A:B:N is a range only when all three are numbers: otherwise it is
     * one scene value with colons (decays=10%:4.8), checked by the scene */
    assert_int_equal(grid_add_vary(&g, "decays=a:0.3:3", err, sizeof err,
                                   &col), 0);
    assert_int_equal(g.axis[1].n, 1);
    assert_string_equal(g.axis[1].val[0], "a:0.3:3");
    g.naxes = 1;
    /* a descending range is a range too */
    assert_int_equal(grid_add_vary(&g, "steps=3000:1000:3", err, sizeof err,
                                   &col), 0);
    assert_string_equal(g.axis[1].val[0], "3000");
    assert_string_equal(g.axis[1].val[2], "1000");
    assert_int_equal(grid_points(&g), 63);
    grid_free(&g);
}

static void test_vary_list_and_replace(void **st)
{
    (void)st;
    static grid g;
    char err[200];
    int col;
    grid_init(&g);
    assert_int_equal(grid_add_vary(&g, "decays=10%:4.8,30%:3.4", err,
                                   sizeof err, &col), 0);
    assert_int_equal(g.axis[0].n, 2);
    assert_string_equal(g.axis[0].val[0], "10%:4.8");
    assert_string_equal(g.axis[0].val[1], "30%:3.4");
    assert_int_equal(grid_add_vary(&g, "eta=0.1,0.2", err, sizeof err, &col),
                     0);
    /* the same key again replaces the axis, in its place */
    assert_int_equal(grid_add_vary(&g, "decays=50%:2", err, sizeof err,
                                   &col), 0);
    assert_int_equal(g.naxes, 2);
    assert_string_equal(g.axis[0].key, "decays");
    assert_int_equal(g.axis[0].n, 1);
    assert_string_equal(g.axis[0].val[0], "50%:2");
    /* a comparison's RUN.field */
    assert_int_equal(grid_add_vary(&g, "small.eta=0.2,0.25", err, sizeof err,
                                   &col), 0);
    assert_string_equal(g.axis[2].key, "small.eta");
    grid_free(&g);
}

/* Each bad spec is refused with a reason and the column of the fault. */
static void test_vary_errors(void **st)
{
    (void)st;
    static const struct {
        const char *spec;
        int col; /* 0-based column, −1: any */
    } bad[] = {
        {"eta", -1},                 /* no '=' */
        {"=0.1,0.2", 0},             /* no key */
        {"eta=", 4},                 /* no values */
        {"eta=0.1,,0.2", -1},        /* an empty value */
        {"eta=0.2:0.3:0", -1},       /* N = 0 */
        {"eta=0.2:0.3:100000", -1},  /* more than GRID_MAX_VALUES */
        {"e ta=0.1", -1},            /* a space in the key */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        static grid g;
        char err[200] = "";
        int col = -7;
        grid_init(&g);
        if (grid_add_vary(&g, bad[i].spec, err, sizeof err, &col) != -1)
            fail_msg("'%s' was accepted", bad[i].spec);
        assert_true(err[0] != 0);
        assert_true(col >= 0 && col <= (int)strlen(bad[i].spec));
        if (bad[i].col >= 0 && col != bad[i].col)
            fail_msg("'%s': column %d, want %d (%s)", bad[i].spec, col,
                     bad[i].col, err);
        assert_int_equal(g.naxes, 0);
        grid_free(&g);
    }
    /* more than GRID_MAX_AXES fields */
    static grid g;
    char err[200];
    int col;
    grid_init(&g);
    const char *keys[] = {"a", "b", "c", "d", "e", "f", "g"};
    int rc = 0;
    for (size_t i = 0; i < 7; i++) {
        char spec[32];
        snprintf(spec, sizeof spec, "%s=1,2", keys[i]);
        rc = grid_add_vary(&g, spec, err, sizeof err, &col);
    }
    assert_int_equal(rc, -1);
    assert_int_equal(g.naxes, GRID_MAX_AXES);
    grid_free(&g);
}

static void test_seeds(void **st)
{
    (void)st;
    static grid g;
    char err[200];
    int col;
    grid_init(&g);
    assert_int_equal(grid_jobs(&g), 1); /* the scene's own seed */
    assert_int_equal(grid_set_seeds(&g, "1-3,7", err, sizeof err, &col), 0);
    assert_int_equal(g.nseeds, 4);
    assert_true(g.seeds[0] == 1 && g.seeds[2] == 3 && g.seeds[3] == 7);
    static const char *const bad[] = {"", "3-1", "1,1", "1-3,2", "x",
                                      "1-", "-3", "1-200000", "1,,2"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err[0] = 0;
        if (grid_set_seeds(&g, bad[i], err, sizeof err, &col) != -1)
            fail_msg("seeds '%s' were accepted", bad[i]);
        assert_true(err[0] != 0);
    }
    /* a refused list leaves the earlier one */
    assert_int_equal(g.nseeds, 4);
    grid_free(&g);
}

/* The job order every part of a sweep agrees on: the first axis
 * slowest, the seed fastest; and shards that partition the jobs. */
static void test_job_order_and_shards(void **st)
{
    (void)st;
    static grid g;
    char err[200];
    int col;
    grid_init(&g);
    assert_int_equal(grid_add_vary(&g, "eta=0.1,0.2", err, sizeof err, &col),
                     0);
    assert_int_equal(grid_add_vary(&g, "n=10,20,30", err, sizeof err, &col),
                     0);
    assert_int_equal(grid_set_seeds(&g, "5,6", err, sizeof err, &col), 0);
    assert_int_equal(grid_points(&g), 6);
    assert_int_equal(grid_jobs(&g), 12);
    for (size_t j = 0; j < 12; j++) {
        size_t idx[GRID_MAX_AXES], si;
        grid_job(&g, j, idx, &si);
        assert_int_equal(idx[0], j / 6);
        assert_int_equal(idx[1], (j / 2) % 3);
        assert_int_equal(si, j % 2);
    }
    for (unsigned n = 1; n <= 5; n++)
        for (size_t j = 0; j < 40; j++) {
            int in = 0;
            for (unsigned k = 1; k <= n; k++)
                in += grid_in_shard(j, k, n);
            assert_int_equal(in, 1);
        }
    assert_true(grid_in_shard(0, 1, 4) && grid_in_shard(5, 2, 4));
    grid_free(&g);
}

static void test_fingerprint(void **st)
{
    (void)st;
    static grid a, b;
    char err[200];
    int col;
    grid_init(&a);
    grid_init(&b);
    grid_add_vary(&a, "eta=0.1,0.2", err, sizeof err, &col);
    grid_add_vary(&b, "eta=0.1,0.2", err, sizeof err, &col);
    const char *s1 = "eta = 0.1\n", *s2 = "eta = 0.2\n";
    uint64_t f = grid_fingerprint(&a, s1, strlen(s1));
    assert_true(f == grid_fingerprint(&b, s1, strlen(s1)));
    assert_true(f != grid_fingerprint(&a, s2, strlen(s2)));
    grid_add_vary(&b, "eta=0.1,0.3", err, sizeof err, &col);
    assert_true(f != grid_fingerprint(&b, s1, strlen(s1)));
    grid_set_seeds(&a, "1-2", err, sizeof err, &col);
    assert_true(f != grid_fingerprint(&a, s1, strlen(s1)));
    grid_free(&a);
    grid_free(&b);
}

/* A sweep file: keys, comments, later lines winning, and errors at
 * file:line:col. */
static void test_sweep_file(void **st)
{
    (void)st;
    char path[] = "/tmp/sgdscope-test-XXXXXX.sweep";
    int fd = mkstemps(path, 6);
    assert_true(fd >= 0);
    const char *text = "# a comment\n"
                       "scene = fig2-diag-decay50   # trailing comment\n"
                       "vary  = eta=0.24:0.30:4\n"
                       "seeds = 1-3\n"
                       "set   = steps=1000\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    static grid g;
    scene_err e;
    grid_init(&g);
    assert_int_equal(grid_load_file(&g, path, &e), 0);
    assert_string_equal(g.scene, "fig2-diag-decay50");
    assert_int_equal(g.axis[0].n, 4);
    assert_string_equal(g.axis[0].val[3], "0.3");
    assert_int_equal(g.axis[0].line, 3);
    assert_int_equal(g.nseeds, 3);
    assert_int_equal(g.nsets, 1);
    assert_string_equal(g.sets[0], "steps=1000");
    grid_free(&g);

    static const struct {
        const char *text;
        int line, col;
    } bad[] = {
        {"scene = a\nvary = eta=0.2:0.3:0\n", 2, -1},
        {"scene = a\nfrobnicate = 3\n", 2, 1},
        {"scene = a\nseeds = 3-1\n", 2, -1},
        {"scene = a\nset = steps\n", 2, 7},
        {"scene = a\nvary\n", 2, -1},
        {"scene = a\n\x01\n", 2, 1},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(bad[i].text, f);
        fclose(f);
        grid_init(&g);
        memset(&e, 0, sizeof e);
        if (grid_load_file(&g, path, &e) != -1)
            fail_msg("sweep file %zu was accepted", i);
        assert_true(e.msg[0] != 0);
        if (e.line != bad[i].line ||
            (bad[i].col >= 0 && e.col != bad[i].col))
            fail_msg("sweep file %zu: at %d:%d, want %d:%d (%s)", i, e.line,
                     e.col, bad[i].line, bad[i].col, e.msg);
        grid_free(&g);
    }
    unlink(path);
}

/* A line as the sweep writes it (the summary's fields shortened). */
#define LINE(job, fp, params, run, seed, extra)                              \
    "{\"job\":" #job ",\"sweep\":\"" fp "\",\"params\":{" params "},"        \
    "\"run\":\"" run "\",\"scene\":\"t\",\"seed\":" #seed extra "}"

static void test_log_parse(void **st)
{
    (void)st;
    static sweep_log l;
    sweep_rec r;
    char err[200];
    int col;
    memset(&l, 0, sizeof l);
    const char *ok = LINE(3, "00000000000000ab", "\"eta\":0.25,\"decays\":"
                          "\"10%:4.8\"", "caf\\u00e9", 7,
                          ",\"test_loss\":1.5e-4,\"l0\":58,\"rank\":null,"
                          "\"diverged\":false,\"verdict\":\"bouncing\","
                          "\"nested\":{\"a\":[1,2,{\"b\":\"\\\"\"}]}");
    assert_int_equal(sweeplog_parse_line(&l, ok, strlen(ok), &r, err,
                                         sizeof err, &col), 0);
    assert_int_equal(r.job, 3);
    assert_string_equal(r.run, "caf\xc3\xa9"); /* é, from its escape */
    assert_true(r.seed == 7);
    assert_int_equal(l.nkeys, 2);
    assert_string_equal(l.key[0], "eta");
    assert_true(r.num[0] == 0.25);
    assert_string_equal(r.val[1], "10%:4.8");
    assert_true(isnan(r.num[1]));
    assert_true(r.metric[SWEEPLOG_TEST_LOSS] == 1.5e-4);
    assert_true(r.metric[SWEEPLOG_L0] == 58);
    assert_true(isnan(r.metric[SWEEPLOG_RANK])); /* null */
    assert_true(r.metric[SWEEPLOG_DIVERGED] == 0);
    assert_true(l.fingerprint == 0xab);

    static const struct {
        const char *s;
        int col; /* 1-based, −1: any */
    } bad[] = {
        {"{\"job\":1,", -1},                          /* cut off */
        {"{\"job\":1,\"sweep\":\"00000000000000ab\"}", -1}, /* no params */
        {"[1,2]", 1},                                 /* not an object */
        {"{\"job\":-1}", -1},
        {"{\"job\":1 \"x\":2}", 10},                  /* a missing comma */
        {"{\"s\":\"\\ud800\"}", -1},                  /* a lone surrogate */
        {"{\"s\":\"a\x01\"}", -1},                   /* a raw control char */
        {"{\"n\":01}", -1},                           /* a leading zero */
        {"{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]"
         "]]]]]]]]]]]]}", -1},                        /* too deep */
        /* another sweep's line */
        {LINE(4, "00000000000000cd", "\"eta\":0.25,\"decays\":\"x\"", "a", 1,
              ""), -1},
        /* other swept fields */
        {LINE(4, "00000000000000ab", "\"eta\":0.25", "a", 1, ""), -1},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err[0] = 0;
        col = 0;
        if (sweeplog_parse_line(&l, bad[i].s, strlen(bad[i].s), &r, err,
                                sizeof err, &col) != -1)
            fail_msg("line %zu was accepted: %s", i, bad[i].s);
        assert_true(err[0] != 0);
        assert_true(col >= 1 && col <= (int)strlen(bad[i].s) + 1);
        if (bad[i].col >= 0 && col != bad[i].col)
            fail_msg("line %zu: column %d, want %d (%s)", i, col, bad[i].col,
                     err);
    }
    sweeplog_free(&l);
}

static void test_edge(void **st)
{
    (void)st;
    double x[] = {0.1, 0.2, 0.3, 0.4}, e = 0;
    double p1[] = {0, 0.25, 0.75, 1};
    assert_int_equal(sweepmap_edge(x, p1, 4, &e), 1);
    assert_close(e, 0.25, 1e-15);
    double p2[] = {0, 0, 0.5, 1}; /* exactly one half at 0.3 */
    assert_int_equal(sweepmap_edge(x, p2, 4, &e), 1);
    assert_close(e, 0.3, 1e-15);
    double p3[] = {0, 0.1, 0.2, 0.4}; /* never half */
    assert_int_equal(sweepmap_edge(x, p3, 4, &e), 0);
    double p4[] = {0.6, 1, 1, 1}; /* already at the smallest */
    assert_int_equal(sweepmap_edge(x, p4, 4, &e), -1);
    assert_true(e == 0.1);
    /* not monotone: the first crossing going up */
    double p5[] = {0, 1, 0, 1};
    assert_int_equal(sweepmap_edge(x, p5, 4, &e), 1);
    assert_close(e, 0.15, 1e-15);
}

/* A small sweep written as the sweep writes it, read back and drawn:
 * 3 step sizes × 2 decays × 2 seeds, with diverged runs at the top. */
static char *map_of(const sweepmap_opts *o)
{
    char path[] = "/tmp/sgdscope-test-XXXXXX.jsonl";
    int fd = mkstemps(path, 6);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    const double eta[] = {0.2, 0.25, 0.3};
    const char *dec[] = {"10%:4.8", "50%:1.5"};
    size_t job = 0;
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 2; k++)
            for (int s = 1; s <= 2; s++, job++) {
                int div = i == 2 && (k == 1 || s == 2);
                double tl = div ? 1e5 : 1e-3 / (1 + 4 * i) / (1 + 3 * k) / s;
                fprintf(f, "{\"job\":%zu,\"sweep\":\"00000000000000ab\","
                           "\"params\":{\"eta\":%g,\"decays\":\"%s\"},"
                           "\"run\":\"main\",\"scene\":\"fig2-diag-decay50\","
                           "\"seed\":%d,\"test_loss\":%g,\"l0\":%d,"
                           "\"diverged\":%s,\"verdict\":\"%s\"}\n",
                        job, eta[i], dec[k], s, tl, 180 - 40 * i - 20 * k,
                        div ? "true" : "false",
                        div ? "diverged" : i ? "bouncing" : "converged");
            }
    fclose(f);
    static sweep_log l;
    char err[300];
    if (sweeplog_read(&l, path, err, sizeof err) != 0)
        fail_msg("%s", err);
    unlink(path);
    assert_int_equal(l.n, 12);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    assert_int_equal(sweepmap_print(&l, o, m, err, sizeof err), 0);
    fclose(m);
    sweeplog_free(&l);
    return buf;
}

static void test_map_golden(void **st)
{
    (void)st;
    sweepmap_opts o = {80, 0, 0, SWEEPLOG_TEST_LOSS, NULL, NULL};
    char *t = map_of(&o);
    /* the numbers the picture claims */
    assert_non_null(strstr(t, "12 runs"));
    assert_non_null(strstr(t, "2 sampling seeds (1-2)"));
    assert_non_null(strstr(t, "3/4"));
    check_golden("sweepmap-test-loss-80", t);
    free(t);
    o.ascii = 1;
    o.metric = SWEEPLOG_VERDICT;
    t = map_of(&o);
    for (const unsigned char *p = (const unsigned char *)t; *p; p++)
        assert_true(*p < 0x80); /* the ASCII tier is ASCII */
    check_golden("sweepmap-verdict-80-ascii", t);
    free(t);
    o.ascii = 0;
    o.metric = SWEEPLOG_L0;
    o.width = 40;
    t = map_of(&o);
    check_golden("sweepmap-l0-40", t);
    free(t);
}

static void test_map_refusals(void **st)
{
    (void)st;
    /* an unknown --x field is refused with the fields named; the
     * metric names round-trip */
    for (int m = 0; m < SWEEPLOG_NMETRICS; m++)
        assert_int_equal(sweeplog_metric_find(sweeplog_metric_name(m)), m);
    assert_int_equal(sweeplog_metric_find("loss"), -1);
    char path[] = "/tmp/sgdscope-test-XXXXXX.jsonl";
    int fd = mkstemps(path, 6);
    const char *ln = LINE(0, "00000000000000ab", "\"eta\":0.2", "main", 1,
                          ",\"test_loss\":1e-3") "\n";
    assert_int_equal(write(fd, ln, strlen(ln)), (ssize_t)strlen(ln));
    close(fd);
    static sweep_log l;
    char err[300];
    assert_int_equal(sweeplog_read(&l, path, err, sizeof err), 0);
    sweepmap_opts o = {80, 0, 0, SWEEPLOG_TEST_LOSS, "batch", NULL};
    FILE *nul = fopen("/dev/null", "w");
    err[0] = 0;
    assert_int_equal(sweepmap_print(&l, &o, nul, err, sizeof err), -1);
    assert_non_null(strstr(err, "batch"));
    assert_non_null(strstr(err, "eta"));
    fclose(nul);
    sweeplog_free(&l);
    /* a malformed second line: file:line:col */
    FILE *f = fopen(path, "a");
    fputs("{\"job\":1,\n", f);
    fclose(f);
    assert_int_equal(sweeplog_read(&l, path, err, sizeof err), -1);
    char want[200];
    snprintf(want, sizeof want, "%s:2:", path);
    assert_non_null(strstr(err, want));
    sweeplog_free(&l);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vary_range),
        cmocka_unit_test(test_vary_list_and_replace),
        cmocka_unit_test(test_vary_errors),
        cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_job_order_and_shards),
        cmocka_unit_test(test_fingerprint),
        cmocka_unit_test(test_sweep_file),
        cmocka_unit_test(test_log_parse),
        cmocka_unit_test(test_edge),
        cmocka_unit_test(test_map_golden),
        cmocka_unit_test(test_map_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

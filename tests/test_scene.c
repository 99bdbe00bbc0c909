/* test_scene.c — the scene format: values, defaults by model, and every
 * error path with its exact file:line:col and hint. */
#include "testutil.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sanitize.h"
#include "scene.h"

/* ---- helpers ---------------------------------------------------------- */

static int fidx(const char *name)
{
    int i = scene_field_index(name);
    if (i < 0)
        fail_msg("no field '%s'", name);
    return i;
}

/* Loads text over a fresh scene; fails the test on an error. */
static void load_ok(scene *s, const char *text)
{
    scene_err e;
    scene_init(s);
    if (scene_load_string(s, text, "t.scene", &e) != 0)
        fail_msg("unexpected error %s:%d:%d: %s", e.file, e.line, e.col,
                 e.msg);
}

static void final_ok(scene *s)
{
    scene_err e;
    if (scene_finalize(s, &e) != 0)
        fail_msg("unexpected finalize error %s:%d:%d: %s", e.file, e.line,
                 e.col, e.msg);
}

/* Checks an error's position, that msg contains want and, when hint is
 * not NULL, that the hint contains it ("" = no hint at all). */
static void check_err(const scene_err *e, const char *file, int line,
                      int col, const char *want, const char *hint)
{
    assert_string_equal(e->file, file);
    if (e->line != line || e->col != col)
        fail_msg("error at %d:%d, want %d:%d (%s)", e->line, e->col, line,
                 col, e->msg);
    if (!strstr(e->msg, want))
        fail_msg("message '%s' lacks '%s'", e->msg, want);
    if (hint && !hint[0] && e->hint[0])
        fail_msg("unexpected hint '%s'", e->hint);
    if (hint && hint[0] && !strstr(e->hint, hint))
        fail_msg("hint '%s' lacks '%s'", e->hint, hint);
}

/* Loading text must fail at line:col with want in the message. */
static void load_bad(const char *text, int line, int col, const char *want,
                     const char *hint)
{
    scene s;
    scene_err e;
    scene_init(&s);
    memset(&e, 0, sizeof e);
    assert_int_equal(scene_load_string(&s, text, "t.scene", &e), -1);
    check_err(&e, "t.scene", line, col, want, hint);
}

/* Loading succeeds but finalize fails at line:col. */
static void final_bad(const char *text, int line, int col, const char *want,
                      const char *hint)
{
    scene s;
    scene_err e;
    load_ok(&s, text);
    memset(&e, 0, sizeof e);
    assert_int_equal(scene_finalize(&s, &e), -1);
    check_err(&e, line ? "t.scene" : "default", line, col, want, hint);
}

static char tmpdir[64];

/* Writes len bytes to a file in the test's temporary directory. */
static const char *write_tmp(const char *name, const char *data, size_t len)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

static int setup_dir(void **state)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_scene.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
    static const char *const names[] = {"fig2-large.scene", "plain",
                                        "nul.scene", "crlf.scene",
                                        "big.scene"};
    char path[128];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", tmpdir, names[i]);
        unlink(path);
    }
    return rmdir(tmpdir);
}

/* ---- defaults and the table ------------------------------------------ */

static void test_defaults(void **state)
{
    scene s;
    scene_init(&s);
    assert_string_equal(s.name, "default");
    assert_string_equal(s.path, "");
    assert_string_equal(s.title, "");
    assert_string_equal(s.model, "quad1d");
    assert_int_equal(s.seed, 1);
    assert_int_equal(s.steps, 2000);
    assert_int_equal(s.every, 1);
    assert_int_equal(s.dynamics, DYN_SGD);
    assert_int_equal(s.dyn.batch, 1);
    assert_close(s.sched.eta0, 1.1, 0);
    assert_close(s.sched.decay_factor, 2, 0);
    assert_int_equal(s.sched.ndecays, 0);
    assert_int_equal(s.sched.has_warmup, 0);
    assert_close(s.sched.warm_decay, 1, 0);
    assert_int_equal(s.sched.has_exp, 0);
    assert_int_equal(s.dyn.sde_substeps, 10);
    assert_close(s.dyn.sde_scale, 1, 0);
    assert_int_equal(s.dyn.flow_substeps, 100);
    assert_close(s.dyn.max_loss, 1e10, 0);
    assert_close(s.rank_tol, 1e-10, 0);
    assert_close(s.l0_tol, 1e-6, 0);
    assert_close(s.corr, 0.999, 0);
    assert_int_equal(s.band_window, 50);
    assert_close(s.band_lo, 0.1, 0);
    assert_close(s.band_hi, 0.9, 0);
    assert_close(s.mp.a, 1, 0);
    assert_close(s.mp.b, 1.05, 0);
    assert_close(s.mp.theta_star, 1, 0);
    assert_close(s.mp.theta0, 0.3, 0);
    assert_int_equal(s.mp.n, 0);
    assert_int_equal(s.mp.d, 200);
    assert_int_equal(s.mp.r, 20);
    assert_int_equal(s.mp.n_test, 1000);
    assert_close(s.mp.init_u, 0.1, 0);
    assert_close(s.mp.init_v, 0, 0);
    assert_int_equal(s.mp.m, 100);
    assert_close(s.mp.init_w, 2.5, 0);
    assert_close(s.mp.init_b, 2.5, 0);
    assert_close(s.mp.init_a, 4, 0);
    assert_int_equal(s.mp.npoints, 0);
    for (size_t i = 0; i < scene_field_count(); i++)
        assert_int_equal(s.set_line[i], 0);
    final_ok(&s);
    assert_int_equal(s.sched.total_steps, 2000);
    /* Proposition 2's interval: eta in ((θ* a)^-2, 1.25 (θ* b)^-2). */
    assert_true(s.sched.eta0 > 1.0 && s.sched.eta0 < 1.25 / (1.05 * 1.05));
}

static void test_field_table(void **state)
{
    size_t n = scene_field_count();
    scene_field_info fi;
    assert_true(n >= 38 && n <= SCENE_MAX_FIELDS);
    for (size_t i = 0; i < n; i++) {
        const char *a = scene_field_name(i);
        assert_non_null(a);
        assert_int_equal(scene_field_index(a), (int)i);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(a, scene_field_name(j));
        assert_int_equal(scene_field_info_at(i, &fi), 0);
        assert_string_equal(fi.name, a);
        assert_true(fi.help && fi.help[0]);
        assert_non_null(fi.type);
    }
    assert_null(scene_field_name(n));
    assert_int_equal(scene_field_info_at(n, &fi), -1);
    assert_int_equal(scene_field_index("etaa"), -1);
    scene_field_info_at((size_t)fidx("eta"), &fi);
    assert_string_equal(fi.type, "number");
    assert_string_equal(fi.range, "> 0");
    scene_field_info_at((size_t)fidx("corr"), &fi);
    assert_string_equal(fi.range, "(0, 1]");
    scene_field_info_at((size_t)fidx("sde_substeps"), &fi);
    assert_string_equal(fi.type, "integer");
    assert_string_equal(fi.range, "1..1000");
    assert_string_equal(fi.def, "10");
    assert_string_equal(
        scene_field_model_default((size_t)fidx("eta"), "relu1d"), "2e-4");
    assert_null(scene_field_model_default((size_t)fidx("corr"), "relu1d"));
}

/* The man page documents every field of the table. */
static void test_man_page_lists_fields(void **state)
{
    static char buf[1 << 17];
    FILE *f = fopen("man/sgdscope-scene.5", "r");
    if (!f)
        f = fopen("../man/sgdscope-scene.5", "r");
    if (!f)
        skip();
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    for (size_t i = 0; i < scene_field_count(); i++) {
        char pat[80];
        snprintf(pat, sizeof pat, ".B %s\n", scene_field_name(i));
        if (!strstr(buf, pat))
            fail_msg("man page lacks field '%s'", scene_field_name(i));
    }
}

/* ---- good scenes -------------------------------------------------------- */

static void test_parse_diagnet(void **state)
{
    scene s;
    load_ok(&s, "# Fig. 2, large step\n"
                "\n"
                "model    = diagnet        # the diagonal net\n"
                "   eta=0.27\n"
                "\tdecays\t=\t10%:4.8, 30%:3.4 50%:1.5\n"
                "seed = 18446744073709551615\n"
                "steps = 1e5\n"
                "batch = 4\n"
                "band_window = 100000\n");
    final_ok(&s);
    assert_string_equal(s.model, "diagnet");
    assert_close(s.sched.eta0, 0.27, 0);
    assert_int_equal(s.sched.ndecays, 3);
    assert_close(s.sched.decays[0].at, 0.1, 1e-15);
    assert_int_equal(s.sched.decays[0].is_frac, 1);
    assert_close(s.sched.decays[1].factor, 3.4, 0);
    assert_close(s.sched.decays[2].at, 0.5, 1e-15);
    assert_true(s.seed == UINT64_MAX);
    assert_int_equal(s.steps, 100000);
    assert_int_equal(s.sched.total_steps, 100000);
    assert_int_equal(s.dyn.batch, 4);
    assert_int_equal(s.band_window, 100000);
    /* Set-ness: line and value column of what the file named. */
    assert_int_equal(s.set_line[fidx("eta")], 4);
    assert_int_equal(s.set_col[fidx("eta")], 8);
    assert_int_equal(s.set_line[fidx("model")], 3);
    assert_int_equal(s.set_col[fidx("model")], 12);
    assert_string_equal(s.set_file[fidx("model")], "t.scene");
    assert_int_equal(s.set_line[fidx("n")], 0);
    /* diagnet's defaults for what the file left unset */
    assert_int_equal(s.mp.n, 80);
    assert_int_equal(s.every, 285);
}

static void test_decay_forms(void **state)
{
    scene s;
    load_ok(&s, "decays = 500:2 0.25:3,12.5%:1.5 ,, 7:0.5\nsteps = 1000\n");
    final_ok(&s);
    assert_int_equal(s.sched.ndecays, 4);
    assert_close(s.sched.decays[0].at, 500, 0);
    assert_int_equal(s.sched.decays[0].is_frac, 0);
    assert_close(s.sched.decays[1].at, 0.25, 0);
    assert_int_equal(s.sched.decays[1].is_frac, 1);
    assert_close(s.sched.decays[2].at, 0.125, 1e-15);
    assert_int_equal(s.sched.decays[2].is_frac, 1);
    assert_close(s.sched.decays[3].factor, 0.5, 0);
    /* none empties a list given before (e.g. by an earlier scene) */
    scene_err e;
    assert_int_equal(scene_set(&s, "decays = none", &e), 0);
    assert_int_equal(s.sched.ndecays, 0);
}

static void test_warmup_forms(void **state)
{
    scene s;
    load_ok(&s, "model = relu1d\nwarmup = 0.02:400:1\nwarmup_decay = 2.5\n");
    final_ok(&s);
    assert_int_equal(s.sched.has_warmup, 1);
    assert_close(s.sched.warm_f, 0.02, 0);
    assert_close(s.sched.warm_k, 400, 0);
    assert_close(s.sched.warm_q, 1, 0);
    assert_close(s.sched.warm_decay, 2.5, 0);
    load_ok(&s, "warmup = 50%:500:0.5\n");
    assert_close(s.sched.warm_f, 0.5, 0);
    load_ok(&s, "warmup = 1:6:0.5\n");
    assert_close(s.sched.warm_f, 1, 0);
    load_ok(&s, "warmup = none\n");
    assert_int_equal(s.sched.has_warmup, 0);
}

static void test_expwarmup(void **state)
{
    scene s;
    load_ok(&s, "model = diagnet\nn = 40\nexpwarmup = 1.05:0.5\n");
    final_ok(&s);
    assert_int_equal(s.sched.has_exp, 1);
    assert_close(s.sched.exp_factor, 1.05, 0);
    assert_close(s.sched.exp_max, 0.5, 0);
    assert_int_equal(s.sched.exp_epoch, 40); /* one epoch = n steps */
    load_ok(&s, "expwarmup = 1.05:0.5:7\n");
    final_ok(&s);
    assert_int_equal(s.sched.exp_epoch, 7);
    load_ok(&s, "expwarmup = 1.05:2\n"); /* online quad1d: epoch 1 */
    final_ok(&s);
    assert_int_equal(s.sched.exp_epoch, 1);
    load_ok(&s, "model = relu1d\nexpwarmup = 1.05:2\n"); /* paper's 12 */
    final_ok(&s);
    assert_int_equal(s.sched.exp_epoch, 12);
}

static void test_points(void **state)
{
    scene s;
    load_ok(&s, "model = relu1d\npoints = -1:0.5, 0:1 2.5:-3e-1\n");
    final_ok(&s);
    assert_int_equal(s.mp.npoints, 3);
    assert_close(s.mp.px[0], -1, 0);
    assert_close(s.mp.py[0], 0.5, 0);
    assert_close(s.mp.px[2], 2.5, 0);
    assert_close(s.mp.py[2], -0.3, 1e-15);
}

static void test_comments_blank_lines(void **state)
{
    scene s;
    load_ok(&s, "\n# only a comment\n   \n\t# indented comment\n"
                "eta = 0.9 # trailing\nsteps=10#tight\n\n");
    assert_close(s.sched.eta0, 0.9, 0);
    assert_int_equal(s.steps, 10);
    assert_int_equal(s.set_line[fidx("eta")], 5);
    assert_int_equal(s.set_line[fidx("steps")], 6);
    load_ok(&s, ""); /* an empty scene is the default */
    assert_close(s.sched.eta0, 1.1, 0);
}

static void test_quoted_title(void **state)
{
    scene s;
    load_ok(&s, "title = \"Fig. 2 #large step\"  # comment\n");
    assert_string_equal(s.title, "Fig. 2 #large step");
    load_ok(&s, "title = \"say \\\"hi\\\" \\\\ η = 0.27\"\n");
    assert_string_equal(s.title, "say \"hi\" \\ η = 0.27");
    load_ok(&s, "title = plain words   # no quotes needed\n");
    assert_string_equal(s.title, "plain words");
    load_ok(&s, "title = \"\"\n");
    assert_string_equal(s.title, "");
}

static void test_crlf_and_bom(void **state)
{
    scene s;
    load_ok(&s, "\xEF\xBB\xBFmodel = diagnet\r\neta = 0.3\r\n# c\r\n"
                "title = \"x\"\r\n");
    assert_string_equal(s.model, "diagnet");
    assert_close(s.sched.eta0, 0.3, 0);
    assert_string_equal(s.title, "x");
    load_bad("eta = 0.3\r\netaa = 1\r\n", 2, 1, "unknown key 'etaa'",
             "did you mean 'eta'?");
}

/* ---- model defaults ---------------------------------------------------- */

static void test_model_defaults(void **state)
{
    scene s;
    load_ok(&s, "model = relu1d\n");
    final_ok(&s);
    assert_close(s.sched.eta0, 2e-4, 0);
    assert_int_equal(s.steps, 31623);
    assert_int_equal(s.every, 100);
    assert_close(s.rank_tol, 1e-4, 0);

    load_ok(&s, "model = relu1d\neta = 0.01\nevery = 0\n");
    final_ok(&s);
    assert_close(s.sched.eta0, 0.01, 0); /* set explicitly: kept */
    assert_int_equal(s.every, 0);
    assert_int_equal(s.steps, 31623);

    load_ok(&s, "model = diagnet\n");
    final_ok(&s);
    assert_close(s.sched.eta0, 0.25, 0);
    assert_int_equal(s.steps, 100001);
    assert_int_equal(s.sched.total_steps, 100001);
    assert_close(s.rank_tol, 1e-10, 0);

    /* Finalizing again after switching model recomputes unset fields. */
    scene_err e;
    assert_int_equal(scene_set(&s, "model=quad1d", &e), 0);
    final_ok(&s);
    assert_close(s.sched.eta0, 1.1, 0);
    assert_int_equal(s.steps, 2000);
    assert_int_equal(s.mp.n, 0);
}

/* ---- --set -------------------------------------------------------------- */

static void test_set_overrides(void **state)
{
    scene s;
    scene_err e;
    load_ok(&s, "model = diagnet\neta = 0.5\n");
    assert_int_equal(scene_set(&s, "eta=0.7", &e), 0);
    assert_close(s.sched.eta0, 0.7, 0);
    assert_string_equal(s.set_file[fidx("eta")], "--set");
    assert_int_equal(s.set_line[fidx("eta")], 1);
    assert_int_equal(s.set_col[fidx("eta")], 5);
    assert_int_equal(scene_set(&s, "  dynamics = gd ", &e), 0);
    assert_int_equal(s.dynamics, DYN_GD);
    assert_int_equal(s.dyn.kind, DYN_GD);
    final_ok(&s);
    assert_close(s.sched.eta0, 0.7, 0);
    assert_string_equal(s.model, "diagnet");
}

static void test_set_errors(void **state)
{
    scene s;
    scene_err e;
    scene_init(&s);
    assert_int_equal(scene_set(&s, "eta=abc", &e), -1);
    check_err(&e, "--set", 1, 5, "eta must be a number > 0, got 'abc'", "");
    assert_int_equal(scene_set(&s, "etaa=1", &e), -1);
    check_err(&e, "--set", 1, 1, "unknown key 'etaa'", "did you mean 'eta'?");
    assert_int_equal(scene_set(&s, "", &e), -1);
    check_err(&e, "--set", 1, 1, "expected key=value", NULL);
    assert_int_equal(scene_set(&s, "# nothing", &e), -1);
    check_err(&e, "--set", 1, 1, "expected key=value", NULL);
    assert_int_equal(scene_set(&s, "eta=1\nsteps=2", &e), -1);
    check_err(&e, "--set", 1, 6, "newline", NULL);
    assert_int_equal(scene_set(&s, "eta", &e), -1);
    check_err(&e, "--set", 1, 4, "missing '=' after 'eta'", NULL);
    assert_close(s.sched.eta0, 1.1, 0); /* failed sets change nothing */
}

/* ---- syntax errors ------------------------------------------------------ */

static void test_unknown_key(void **state)
{
    load_bad("etaa = 0.3\n", 1, 1, "unknown key 'etaa'",
             "did you mean 'eta'?");
    load_bad("eta = 1\n\n   stpes = 10\n", 3, 4, "unknown key 'stpes'",
             "did you mean 'steps'?");
    load_bad("warm = 0.5:1:1\n", 1, 1, "unknown key 'warm'",
             "did you mean 'warmup'?");
    load_bad("ETA = 1\n", 1, 1, "unknown key 'ETA'", "did you mean 'eta'?");
    /* far from everything: no guess, a pointer to the manual */
    load_bad("learning_rate = 0.1\n", 1, 1, "unknown key 'learning_rate'",
             "see sgdscope-scene(5)");
    scene s;
    scene_err e;
    scene_init(&s);
    assert_int_equal(scene_load_string(&s, "qqqqqq = 1", "t.scene", &e), -1);
    assert_null(strstr(e.hint, "did you mean"));
}

static void test_missing_equals(void **state)
{
    load_bad("eta 0.5\n", 1, 4, "missing '=' after 'eta'", "write 'eta = 0.5'");
    /* a YAML habit: the hint is the line as it should be written, never
     * the key with its colon ("write 'model: = VALUE'") */
    load_bad("model: quad1d\n", 1, 6, "expected '=' after 'model', got ':'",
             "write 'model = quad1d'");
    load_bad("eta: 0.5 # big\n", 1, 4, "after 'eta'", "write 'eta = 0.5'");
    load_bad("steps\n", 1, 6, "missing '=' after 'steps'",
             "write 'steps = VALUE'");
    load_bad("  seed # c\n", 1, 7, "missing '=' after 'seed'", NULL);
    load_bad("\n= 5\n", 2, 1, "expected a key before '='", NULL);
}

static void test_empty_value(void **state)
{
    load_bad("eta =\n", 1, 6, "missing value for 'eta'", NULL);
    load_bad("eta =   # later\n", 1, 9, "missing value for 'eta'", NULL);
    load_bad("steps = \"\"\n", 1, 10, "steps must be an integer >= 1, got ''",
             NULL);
}

static void test_quote_errors(void **state)
{
    load_bad("title = \"open\n", 1, 9, "unterminated string", NULL);
    load_bad("title = \"a\" b\n", 1, 13,
             "unexpected text after the closing quote", NULL);
    /* columns count characters, not bytes: η is two bytes, one column */
    load_bad("title = \"η\" x\n", 1, 13,
             "unexpected text after the closing quote", NULL);
    char t[200] = "title = \"";
    memset(t + 9, 'x', 128); /* one byte more than title[] holds */
    strcpy(t + 9 + 128, "\"\n");
    load_bad(t, 1, 10, "title is too long (at most 127 bytes)", NULL);
    t[9 + 127] = '"'; /* 127 fits */
    t[9 + 128] = '\0';
    scene s;
    load_ok(&s, t);
    assert_int_equal(strlen(s.title), 127);
}

/* ---- value errors ------------------------------------------------------- */

static void test_bad_numbers(void **state)
{
    load_bad("eta = -1\n", 1, 7, "eta must be a number > 0, got '-1'", "");
    load_bad("eta = abc\n", 1, 7, "eta must be a number > 0, got 'abc'", NULL);
    load_bad("eta = 1.5x\n", 1, 7, "got '1.5x'", NULL);
    load_bad("eta = 1.5 2\n", 1, 7, "got '1.5 2'", NULL);
    load_bad("eta = inf\n", 1, 7, "got 'inf'", NULL);
    load_bad("theta0 = nan\n", 1, 10, "theta0 must be a number, got 'nan'",
             NULL);
    load_bad("eta = 1e999\n", 1, 7, "got '1e999' (too large)", NULL);
    load_bad("steps = 10x\n", 1, 9, "steps must be an integer >= 1, got '10x'",
             NULL);
    load_bad("steps = 1.5\n", 1, 9, "got '1.5'", NULL);
    load_bad("steps = -3\n", 1, 9, "got '-3'", NULL);
    load_bad("steps = +3\n", 1, 9, "got '+3'", NULL);
    load_bad("every = 0x10\n", 1, 9, "every must be an integer >= 0", NULL);
}

static void test_out_of_range(void **state)
{
    load_bad("steps = 0\n", 1, 9, "steps must be an integer >= 1, got '0'",
             NULL);
    load_bad("sde_substeps = 0\n", 1, 16,
             "sde_substeps must be an integer in 1..1000, got '0'", NULL);
    load_bad("flow_substeps = 10001\n", 1, 17, "in 1..10000", NULL);
    load_bad("band_window = 1\n", 1, 15, "in 2..100000", NULL);
    load_bad("batch = 0\n", 1, 9, "batch must be an integer in 1..1000000",
             NULL);
    load_bad("d = 4097\n", 1, 5, "d must be an integer in 1..4096", NULL);
    load_bad("corr = 1.5\n", 1, 8, "corr must be a number in (0, 1], got",
             NULL);
    load_bad("corr = 0\n", 1, 8, "in (0, 1]", NULL);
    load_bad("rank_tol = 1\n", 1, 12, "rank_tol must be a number in (0, 1)",
             NULL);
    load_bad("band_lo = -0.1\n", 1, 11, "band_lo must be a number in [0, 1]",
             NULL);
    load_bad("sde_scale = -1\n", 1, 13, "sde_scale must be a number >= 0",
             NULL);
    load_bad("a = 0\n", 1, 5, "a must be a number > 0, got '0'", NULL);
    scene s;
    load_ok(&s, "sde_scale = 0\ncorr = 1\nband_lo = 0\nband_hi = 1\n");
}

static void test_integer_overflow(void **state)
{
    load_bad("seed = 18446744073709551616\n", 1, 8,
             "seed must be an integer >= 0, got '18446744073709551616' "
             "(too large)", NULL);
    load_bad("steps = 99999999999999999999999\n", 1, 9, "(too large)", NULL);
    load_bad("n = 2147483648\n", 1, 5, "(too large)", NULL);
    load_bad("steps = 1e300\n", 1, 9, "(too large)", NULL);
}

static void test_bad_enum(void **state)
{
    load_bad("model = diagnett\n", 1, 9, "unknown model 'diagnett'",
             "did you mean 'diagnet'?");
    load_bad("model = transformer\n", 1, 9, "unknown model 'transformer'",
             "one of: quad1d, diagnet, relu1d");
    load_bad("dynamics = labelnose\n", 1, 12, "unknown dynamics 'labelnose'",
             "did you mean 'labelnoise'?");
    load_bad("dynamics = adam\n", 1, 12, "unknown dynamics 'adam'",
             "one of: sgd, gd, labelnoise, sde, flow");
}

static void test_bad_decays(void **state)
{
    /*          1234567890123456789 */
    load_bad("decays = 10%:4.8 30%x:3.4\n", 1, 18, "bad decay position",
             NULL);
    load_bad("decays = 10%:4.8,  50%:0\n", 1, 20,
             "a decay factor must be a number > 0, got '0'", NULL);
    load_bad("decays = 10%\n", 1, 10, "a decay must be AT:FACTOR", NULL);
    load_bad("decays = 10%:2:3\n", 1, 10, "a decay must be AT:FACTOR", NULL);
    load_bad("decays = 0%:2\n", 1, 10, "bad decay position", NULL);
    load_bad("decays = 100%:2\n", 1, 10, "bad decay position", NULL);
    load_bad("decays = 1.5:2\n", 1, 10, "bad decay position", NULL);
    load_bad("decays = 0:2\n", 1, 10, "a decay step must be an integer >= 1",
             NULL);
    load_bad("decays = ,\n", 1, 10, "decays needs AT:FACTOR items", NULL);
    /* 17 items: the 17th is at column 10 + 16 * 4 = 74 */
    load_bad("decays = 1:2 2:2 3:2 4:2 5:2 6:2 7:2 8:2 9:2 1:2 1:2 1:2 1:2 "
             "1:2 1:2 1:2 1:2\n", 1, 74, "too many decays (at most 16)",
             NULL);
}

static void test_bad_warmup(void **state)
{
    load_bad("warmup = 0.5:400\n", 1, 10,
             "warmup must be F:K:Q or none, got '0.5:400'", NULL);
    load_bad("warmup = 0.5:400:1:2\n", 1, 10, "warmup must be F:K:Q", NULL);
    load_bad("warmup = 0.5:400:1 0.2:1:1\n", 1, 10, "warmup takes one F:K:Q",
             NULL);
    load_bad("warmup = 0:400:1\n", 1, 10, "warmup fraction F", NULL);
    load_bad("warmup = 1.5:400:1\n", 1, 10, "warmup fraction F", NULL);
    load_bad("warmup = 0.5:-4:1\n", 1, 14, "warmup K must be a number > 0",
             NULL);
    load_bad("warmup = 0.5:4:zero\n", 1, 16, "warmup power Q", NULL);
    load_bad("warmup_decay = 0\n", 1, 16, "warmup_decay must be a number > 0",
             NULL);
    load_bad("expwarmup = 1.05\n", 1, 13,
             "expwarmup must be FACTOR:MAX[:EPOCH]", NULL);
    load_bad("expwarmup = 0.9:1\n", 1, 13, "expwarmup FACTOR must be", NULL);
    load_bad("expwarmup = 1.05:1:0\n", 1, 20, "expwarmup EPOCH must be", NULL);
}

static void test_bad_points(void **state)
{
    load_bad("points = 1:2\n", 1, 10, "points needs at least 2", NULL);
    load_bad("points = 1:2 3:x\n", 1, 14, "a point must be x:y", NULL);
    load_bad("points = 1:2 3\n", 1, 14, "a point must be x:y", NULL);
    load_bad("points = 1:2 3:4 1:5\n", 1, 18, "x = 1 appears twice", NULL);
    char buf[1024] = "points =";
    for (int i = 0; i <= 64; i++)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), " %d:0", i);
    /* " 0:0" .. " 9:0" take 4 columns, " 10:0" .. " 63:0" take 5 */
    load_bad(buf, 1, 10 + 10 * 4 + 54 * 5, "too many points", NULL);
}

static void test_duplicate_key(void **state)
{
    load_bad("eta = 0.1\nsteps = 5\n  eta = 0.2\n", 3, 3,
             "'eta' set twice (first on line 1)", NULL);
}

static void test_failed_load_changes_nothing(void **state)
{
    scene s;
    scene_err e;
    scene_init(&s);
    assert_int_equal(scene_load_string(&s, "eta = 0.5\nbogus = 1\n", "t", &e),
                     -1);
    assert_close(s.sched.eta0, 1.1, 0);
    assert_int_equal(s.set_line[fidx("eta")], 0);
}

/* ---- text that is not text --------------------------------------------- */

static void test_garbage(void **state)
{
    load_bad("eta = 1\nmodel = \xff\n", 2, 9, "invalid UTF-8 byte 0xFF", NULL);
    load_bad("# \xc3\x28\n", 1, 3, "invalid UTF-8", NULL);   /* bad tail */
    load_bad("# \xed\xa0\x80\n", 1, 3, "invalid UTF-8", NULL); /* surrogate */
    load_bad("# \xc0\xaf\n", 1, 3, "invalid UTF-8", NULL);   /* overlong */
    load_bad("# \xe2\x82\n", 1, 3, "invalid UTF-8", NULL);   /* cut short */
    load_bad("eta = 1\x1b[2J\n", 1, 8, "control character 0x1B", NULL);
    load_bad("a = 1\rb = 2\n", 1, 6, "control character 0x0D", NULL);
    char *big = malloc(5000);
    memset(big, ' ', 4999);
    big[4999] = '\0';
    memcpy(big, "# ", 2);
    load_bad(big, 1, 4097, "line is longer than 4096 bytes", NULL);
    big[4096] = '\0'; /* exactly 4096 is fine */
    scene s;
    load_ok(&s, big);
    free(big);
}

static void test_files(void **state)
{
    scene s;
    scene_err e;
    const char *p = write_tmp("fig2-large.scene",
                              "model = diagnet\neta = 0.27\n", 27);
    scene_init(&s);
    assert_int_equal(scene_load_file(&s, p, &e), 0);
    assert_string_equal(s.name, "fig2-large");
    assert_string_equal(s.path, p);
    assert_string_equal(s.set_file[fidx("eta")], p);
    assert_close(s.sched.eta0, 0.27, 0);

    p = write_tmp("plain", "eta = 0.5\n", 10);
    assert_int_equal(scene_load_file(&s, p, &e), 0);
    assert_string_equal(s.name, "plain");

    /* NUL bytes are an error at their position, not the end of the text */
    static const char nul[] = "eta = 0.5\nsteps = 1\0 0\n";
    p = write_tmp("nul.scene", nul, sizeof nul - 1);
    assert_int_equal(scene_load_file(&s, p, &e), -1);
    check_err(&e, p, 2, 10, "NUL byte", NULL);

    /* CRLF from a file */
    static const char crlf[] = "eta = 0.5\r\nsteps = x\r\n";
    p = write_tmp("crlf.scene", crlf, sizeof crlf - 1);
    assert_int_equal(scene_load_file(&s, p, &e), -1);
    check_err(&e, p, 2, 9, "got 'x'", NULL);

    /* more than 1 MiB */
    size_t n = (1u << 20) + 10;
    char *big = malloc(n);
    memset(big, '\n', n);
    p = write_tmp("big.scene", big, n);
    free(big);
    assert_int_equal(scene_load_file(&s, p, &e), -1);
    check_err(&e, p, 0, 0, "larger than", NULL);

    /* unreadable: missing, a directory */
    assert_int_equal(scene_load_file(&s, "/nonexistent/x.scene", &e), -1);
    check_err(&e, "/nonexistent/x.scene", 0, 0, strerror(ENOENT), NULL);
    assert_int_equal(scene_load_file(&s, tmpdir, &e), -1);
    check_err(&e, tmpdir, 0, 0, "not a regular file: a directory", NULL);
    assert_string_equal(s.name, "plain"); /* failures keep the old scene */
}

/* A FIFO (or a device) named like a scene is refused without being read:
 * opening a FIFO with no writer would block forever (issue 8, item 8).
 * The alarm turns a hang into a failure. */
static void test_fifo_is_refused(void **state)
{
    (void)state;
    static scene s;
    scene_err e;
    char p[600];
    snprintf(p, sizeof p, "%s/fifo.scene", tmpdir);
    unlink(p);
    assert_int_equal(mkfifo(p, 0600), 0);
    scene_init(&s);
    alarm(20);
    assert_int_equal(scene_load_file(&s, p, &e), -1);
    alarm(0);
    check_err(&e, p, 0, 0, "not a regular file: a FIFO", "a scene is a text file");
    /* a character device, by its usual name */
    alarm(20);
    assert_int_equal(scene_load_file(&s, "/dev/null", &e), -1);
    alarm(0);
    check_err(&e, "/dev/null", 0, 0, "not a regular file: a character device",
              NULL);
    unlink(p);
}

/* Errors quote the scene's text and name its file: both sanitized, and a
 * quote cut to its width never ends inside a UTF-8 character (issue 8,
 * items 7 and 10). */
static void test_err_text_sanitized(void **state)
{
    (void)state;
    static scene s;
    scene_err e;
    /* a 72-byte key, 2-byte characters after "xy": cut at 63 bytes it
     * would end in half an 'é' */
    char text[256] = "xy";
    for (int i = 0; i < 35; i++)
        strcat(text, "\xc3\xa9");
    strcat(text, " = 1\n");
    scene_init(&s);
    assert_int_equal(scene_load_string(&s, text, "t.scene", &e), -1);
    assert_non_null(strstr(e.msg, "unknown key 'xy\xc3\xa9"));
    assert_true(sanitize_is_clean(e.msg));
    assert_null(strstr(e.msg, "\\x")); /* no byte escapes: whole chars */
    /* a value with C1 CSI and a bidi override, echoed in the error */
    assert_int_equal(scene_load_string(&s, "model = a\xc2\x9b" "2J\xe2\x80\xae" "b\n",
                                       "t.scene", &e), -1);
    assert_non_null(strstr(e.msg, "unknown model 'a\\u009b2J\\u202eb'"));
    /* a hostile file name, in the error and in what prints it */
    assert_int_equal(scene_load_string(&s, "eta = x\n", "bad\x1b[2Jname.scene",
                                       &e), -1);
    assert_string_equal(e.file, "bad\\e[2Jname.scene");
    char buf[1024] = "";
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    assert_non_null(f);
    scene_err_print(&e, f);
    fclose(f);
    assert_non_null(strstr(buf, "bad\\e[2Jname.scene:1:7: error: "));
    assert_null(strchr(buf, 0x1b));
    /* every message of a timeline token cut to its width: whole chars */
    char ev[256] = "at 1: dynamics a";
    for (int i = 0; i < 40; i++)
        strcat(ev, "\xce\xb8");
    strcat(ev, "\n");
    assert_int_equal(scene_load_string(&s, ev, "t.scene", &e), -1);
    assert_true(sanitize_is_clean(e.msg));
    assert_null(strstr(e.msg, "\\x"));
}

/* What a scene does to η is known before it runs: a scene that takes η
 * to 0 or to infinity is refused at the line responsible (issue 8, item
 * 10), not left to the run. */
static void test_eta_range_refused(void **state)
{
    (void)state;
    /*         123456789012345 */
    final_bad("at 1: eta 5e-324\n", 1, 11,
              "eta 4.94066e-324 is below the smallest step size", "2.2e-308");
    final_bad("at 1: eta 1e-300\nat 2: scale 5e-324\n", 2, 13,
              "scale 4.94066e-324 takes eta below the smallest step size",
              NULL);
    final_bad("at 1: eta 1e308\nat 2: scale 1e308\n", 2, 13,
              "scale 1e+308 takes eta above the largest step size", NULL);
    final_bad("eta = 5e-324\n", 1, 7, "eta (4.94066e-324) is below the "
              "smallest step size", NULL);
    /* scheduled decays: blamed on the decays, or on the event they
     * combine with */
    final_bad("steps = 100\neta = 1e-300\ndecays = 50%:1e10\n", 3, 10,
              "the schedule takes eta below the smallest step size (2.2e-308) "
              "at step 50", NULL);
    final_bad("steps = 100\ndecays = 50%:100\nat 1: eta 1e-307\n", 3, 11,
              "at step 50", NULL);
    final_bad("steps = 100\neta = 1e300\ndecays = 50%:1e-10\n", 3, 10,
              "above the largest step size", NULL);
    /* a warmup climbing past the top */
    final_bad("steps = 100\neta = 1e300\nwarmup = 0.5:1e10:1\n", 3, 10,
              "above the largest step size", NULL);
    /* in range: fine, however extreme */
    static scene s;
    scene_err e;
    load_ok(&s, "steps = 100\neta = 1e-300\ndecays = 50%:1e7\n"
                "at 1: scale 1e300\nat 2: eta 1e-5\nat 3: scale 0.5\n");
    assert_int_equal(scene_finalize(&s, &e), 0);
}

/* ---- cross-field errors ------------------------------------------------- */

static void test_cross_fields(void **state)
{
    /* a >= b: blame the one set last */
    final_bad("eta = 1.1\na = 1.2\n", 2, 5, "a (1.2) must be less than b (1.05)",
              "[a, b]");
    final_bad("a = 0.5\nb = 0.4\n", 2, 5, "must be less than b", NULL);
    final_bad("b = 0.4\n\na = 0.5\n", 3, 5, "must be less than b", NULL);
    /* ... but only quad1d draws x from [a, b] */
    scene s;
    load_ok(&s, "model = relu1d\na = 2\n");
    final_ok(&s);

    final_bad("model = diagnet\nd = 10\nr  =  20\n", 3, 7,
              "r (20) must be at most d (10)", NULL);
    final_bad("model = diagnet\nr = 5\nd = 4\n", 3, 5, "must be at most d",
              NULL);
    final_bad("model = diagnet\nn = 0\n", 2, 5, "diagnet needs n >= 1", NULL);
    final_bad("# online\ndynamics = labelnoise\n", 2, 12,
              "labelnoise needs a finite training set",
              "set n = 20 (a fixed training set) or use sgd");
    final_bad("dynamics = sde\n", 1, 12, "sde needs a finite training set",
              "set n = 20");
    load_ok(&s, "dynamics = labelnoise\nn = 20\n");
    final_ok(&s);
    final_bad("band_lo = 0.5\nband_hi = 0.5\n", 2, 11,
              "band_lo (0.5) must be less than band_hi (0.5)", NULL);
    final_bad("band_lo = 0.95\n", 1, 11, "band_lo (0.95) must be less", NULL);
    final_bad("steps = 100\ndecays = 50:2 101:2\n", 2, 10,
              "decay at step 101 is past the end of the run (steps = 100)",
              NULL);
    load_ok(&s, "steps = 100\ndecays = 100:2\n");
    final_ok(&s);
    final_bad("warmup = 0.001:400:1\nsteps = 100\n", 2, 9,
              "shorter than one step", NULL);
    final_bad("warmup = 0.5:400:1\nexpwarmup = 1.05:1\n", 2, 13,
              "warmup and expwarmup cannot both be on", "none");
}

/* A conflict introduced by --set points at --set. */
static void test_cross_field_blames_set(void **state)
{
    scene s;
    scene_err e;
    load_ok(&s, "model = diagnet\nd = 50\n");
    assert_int_equal(scene_set(&s, "r=60", &e), 0);
    assert_int_equal(scene_finalize(&s, &e), -1);
    check_err(&e, "--set", 1, 3, "r (60) must be at most d (50)", NULL);

    load_ok(&s, "model = diagnet\nr = 10\n");
    assert_int_equal(scene_set(&s, "d = 5", &e), 0);
    assert_int_equal(scene_finalize(&s, &e), -1);
    check_err(&e, "--set", 1, 5, "r (10) must be at most d (5)", NULL);

    /* a default that cannot work points at the scene, line 0 */
    scene_init(&s);
    snprintf(s.model, sizeof s.model, "gone");
    assert_int_equal(scene_finalize(&s, &e), -1);
    check_err(&e, "default", 0, 0, "unknown model 'gone'", NULL);
}

/* ---- the timeline ------------------------------------------------------- */

/* Loads and finalizes text; fails the test on an error. */
static void tl_ok(scene *s, const char *text)
{
    load_ok(s, text);
    final_ok(s);
}

static void test_timeline_kinds(void **state)
{
    scene s;
    tl_ok(&s, "at 0: caption 600 \"Watch\"   # shown 600 steps\n"
              "steps = 100000\n"
              "  at 10000: decay\n"
              "at 50%: eta 0.1\n"
              "at\t60000 :\tscale 0.5 # halve\n"
              "at 70000: dynamics gd\n"
              "at 70000: batch 4\n"
              "at 80000:pause\n"
              "at 90000: key +\n"
              "at 90000: key space\n"
              "at 90000: key #  # the '#' key, then a comment\n");
    const timeline *tl = &s.tl;
    assert_int_equal(tl->n, 10);
    static const tl_kind kinds[] = {TL_CAPTION, TL_DECAY, TL_ETA, TL_SCALE,
                                    TL_DYNAMICS, TL_BATCH, TL_PAUSE, TL_KEY,
                                    TL_KEY, TL_KEY};
    static const uint64_t steps[] = {0, 10000, 50000, 60000, 70000, 70000,
                                     80000, 90000, 90000, 90000};
    static const int lines[] = {1, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    for (size_t i = 0; i < 10; i++) {
        assert_int_equal(tl->ev[i].kind, kinds[i]);
        assert_int_equal(tl->ev[i].step, steps[i]);
        assert_int_equal(tl->ev[i].line, lines[i]);
    }
    assert_close(tl->ev[0].value, 600, 0);
    assert_string_equal(tl->ev[0].text, "Watch");
    assert_int_equal(tl->ev[0].col, 4);
    assert_int_equal(tl->ev[0].arg_col, 19);
    assert_int_equal(tl->ev[1].col, 6);
    assert_int_equal(tl->ev[1].arg_col, 13);
    assert_int_equal(tl->ev[1].is_frac, 0);
    assert_close(tl->ev[2].value, 0.1, 0);
    assert_int_equal(tl->ev[2].is_frac, 1);
    assert_close(tl->ev[2].at, 0.5, 0);
    assert_close(tl->ev[3].value, 0.5, 0);
    assert_int_equal(tl->ev[3].col, 4);
    assert_close(tl->ev[4].value, DYN_GD, 0);
    assert_close(tl->ev[5].value, 4, 0);
    assert_close(tl->ev[7].value, '+', 0);
    assert_int_equal(tl->ev[7].arg_col, 15);
    assert_close(tl->ev[8].value, ' ', 0);
    assert_close(tl->ev[9].value, '#', 0);
    /* events do not count as fields */
    for (size_t i = 0; i < scene_field_count(); i++)
        if (i != (size_t)fidx("steps"))
            assert_int_equal(s.set_line[i], 0);
    /* every dynamics name; batch bounds; eta in exponent form */
    tl_ok(&s, "at 1: dynamics sgd\nat 2: dynamics labelnoise\n"
              "at 3: dynamics sde\nat 4: dynamics flow\n"
              "at 5: batch 1\nat 6: batch 1000000\nat 7: eta 2.5e-4\n"
              "at 8: batch 1e3\n");
    assert_close(s.tl.ev[1].value, DYN_LABELNOISE, 0);
    assert_close(s.tl.ev[3].value, DYN_FLOW, 0);
    assert_close(s.tl.ev[5].value, 1000000, 0);
    assert_close(s.tl.ev[6].value, 2.5e-4, 0);
    assert_close(s.tl.ev[7].value, 1000, 0);
    /* no events: an empty timeline */
    tl_ok(&s, "eta = 1\n");
    assert_int_equal(s.tl.n, 0);
}

static void test_timeline_fractions(void **state)
{
    scene s;
    scene_err e;
    /* steps may come after the events that refer to it */
    tl_ok(&s, "at 0%: pause\nat 0.0: pause\nat 12.5%: decay\n"
              "at 0.25: decay\nat 100%: pause\nsteps = 1000\n");
    assert_int_equal(s.tl.n, 5);
    assert_int_equal(s.tl.ev[0].step, 0);
    assert_int_equal(s.tl.ev[1].step, 0);
    assert_int_equal(s.tl.ev[2].step, 125);
    assert_int_equal(s.tl.ev[3].step, 250);
    assert_int_equal(s.tl.ev[4].step, 1000);
    assert_int_equal(s.tl.ev[4].is_frac, 1);
    assert_close(s.tl.ev[4].at, 1, 0);
    /* ... and may be changed by --set after the file: finalize again */
    assert_int_equal(scene_set(&s, "steps=10", &e), 0);
    final_ok(&s);
    /* ⌊f·N⌋, the notebooks' int(f * num_iter) */
    assert_int_equal(s.tl.ev[2].step, 1); /* ⌊1.25⌋ */
    assert_int_equal(s.tl.ev[3].step, 2); /* ⌊2.5⌋ */
    assert_int_equal(s.tl.ev[4].step, 10);
    /* the model's default steps, when the scene names none */
    tl_ok(&s, "model = diagnet\nat 10%: decay\n");
    assert_int_equal(s.tl.ev[0].step, 10000);
    /* events past the end of the run are allowed */
    tl_ok(&s, "steps = 100\nat 5000: decay\n");
    assert_int_equal(s.tl.ev[0].step, 5000);
    tl_ok(&s, "at 9007199254740992: decay\n"); /* 2^53 */
    assert_true(s.tl.ev[0].step == 9007199254740992ull);
}

static void test_timeline_order(void **state)
{
    scene s;
    scene_err e;
    /*                                 line 7: col 4 */
    final_bad("at 10: decay\n\nat 1000: pause\n# c\n\nsteps = 5000\n"
              "at 500: decay\n", 7, 4,
              "event at step 500 comes after one at step 1000 (line 3); "
              "timeline events must be in step order",
              "move this line above line 3");
    /* the same step twice is fine: file order */
    tl_ok(&s, "at 5: key +\nat 5: key -\nat 5: decay\n");
    assert_close(s.tl.ev[0].value, '+', 0);
    assert_close(s.tl.ev[1].value, '-', 0);
    /* fractions are ordered by the step they resolve to */
    final_bad("steps = 1000\nat 600: decay\nat  50%: pause\n", 3, 5,
              "event at step 500 comes after one at step 600 (line 2)",
              NULL);
    tl_ok(&s, "steps = 2000\nat 600: decay\nat 50%: pause\n");
    /* a steps from --set that breaks the order points at the event */
    load_ok(&s, "steps = 2000\nat 600: decay\nat 50%: pause\n");
    assert_int_equal(scene_set(&s, "steps = 1000", &e), 0);
    assert_int_equal(scene_finalize(&s, &e), -1);
    check_err(&e, "t.scene", 3, 4, "comes after one at step 600 (line 2)",
              NULL);
    /* a run shortened below a step-written event (the tour with --steps
     * 2000): the error says the run is too short, the hint how to fix it,
     * also when the events are a comparison's shared lines */
    load_ok(&s, "steps = 60000\nat 45000: decay\nat 100%: end \"x\"\n");
    assert_int_equal(scene_set(&s, "steps = 2000", &e), 0);
    assert_int_equal(scene_finalize(&s, &e), -1);
    check_err(&e, "t.scene", 3, 4,
              "event at 100% is step 2000, before the one at step 45000 "
              "(line 2): the run (steps = 2000) is shorter than the timeline",
              "give steps >= 45000");
    final_bad("steps = 2000\nat 45000: decay\nat 100%: pause\nrun a\n"
              "at 10: decay\n", 3, 4, "is shorter than the timeline",
              "give steps >= 45000");
}

static void test_timeline_errors(void **state)
{
    /*        123456789012345678901 */
    load_bad("at 100: decya\n", 1, 9, "unknown event 'decya'",
             "did you mean 'decay'?");
    load_bad("eta = 1\n  at 5: paus\n", 2, 9, "unknown event 'paus'",
             "did you mean 'pause'?");
    load_bad("at 5: jump\n", 1, 7, "unknown event 'jump'",
             "one of: decay, eta, scale, dynamics, batch, pause, caption, "
             "key");
    load_bad("at 5:\n", 1, 6, "missing event after ':'", "one of: decay");
    load_bad("at 5 decay\n", 1, 6, "missing ':' after the step",
             "at 5: KIND");
    load_bad("at 5\n", 1, 5, "missing ':' after the step", NULL);
    load_bad("at\n", 1, 3, "missing step after 'at'", "at STEP: KIND");
    load_bad("at : decay\n", 1, 4, "missing step after 'at'", NULL);
    load_bad("at x: decay\n", 1, 4, "bad event step 'x'", "percentage");
    load_bad("at -5: decay\n", 1, 4, "bad event step '-5'", NULL);
    load_bad("at 1.5: decay\n", 1, 4, "bad event step '1.5'", NULL);
    load_bad("at 1.0: decay\n", 1, 4, "bad event step '1.0'", NULL);
    load_bad("at 101%: decay\n", 1, 4, "bad event step '101%'", NULL);
    load_bad("at -0%: decay\n", 1, 4, "bad event step '-0%'", NULL);
    load_bad("at 1e3: decay\n", 1, 4, "bad event step '1e3'", NULL);
    load_bad("at 9007199254740993: decay\n", 1, 4,
             "too large an event step", "");
    load_bad("at 99999999999999999999999: decay\n", 1, 4,
             "too large an event step", NULL);
    load_bad("at 5: decay 2\n", 1, 13, "unexpected text after the decay event",
             "decay takes no argument");
    load_bad("at 5: pause now\n", 1, 13, "unexpected text after the pause",
             "pause takes no argument");
    load_bad("at 5: eta 0.1 0.2\n", 1, 15, "unexpected text after the eta",
             "put a '#' before a comment");
    load_bad("at 5: eta\n", 1, 10, "eta needs a value, a number > 0", NULL);
    load_bad("at 5: eta 0\n", 1, 11, "eta must be a number > 0, got '0'",
             NULL);
    load_bad("at 5: eta -1\n", 1, 11, "got '-1'", NULL);
    load_bad("at 5: eta inf\n", 1, 11, "got 'inf'", NULL);
    load_bad("at 5: scale nan\n", 1, 13, "scale must be a number > 0", NULL);
    load_bad("at 5: scale 1e999\n", 1, 13, "(too large)", NULL);
    load_bad("at 5: batch 0\n", 1, 13,
             "batch must be an integer in 1..1000000, got '0'", NULL);
    load_bad("at 5: batch 1000001\n", 1, 13, "in 1..1000000", NULL);
    load_bad("at 5: batch 2.5\n", 1, 13, "got '2.5'", NULL);
    load_bad("at 5: dynamics sgdd\n", 1, 16, "unknown dynamics 'sgdd'",
             "did you mean 'sgd'?");
    load_bad("at 5: dynamics\n", 1, 15, "dynamics needs a name",
             "one of: sgd, gd");
    load_bad("at 5: dynamics gd sgd\n", 1, 19, "unexpected text", NULL);
    load_bad("at 5: key\n", 1, 10, "key needs a key", "key space");
    load_bad("at 5: key ++\n", 1, 11, "got '++'", NULL);
    load_bad("at 5: key Space\n", 1, 11, "got 'Space'", NULL);
    load_bad("at 5: key \xce\xb7\n", 1, 11, "printable ASCII", NULL);
    load_bad("at 5: key + -\n", 1, 13, "unexpected text after the key", NULL);
    /* the column counts characters: η is two bytes */
    load_bad("# η\n\xce\xb7 = 1\n", 2, 1, "unknown key 'η'", NULL);
    load_bad("title = \"η\"\nat 5: decay x\n", 2, 13, "unexpected text",
             NULL);
    /* `at` used as a key */
    load_bad("at = 5\n", 1, 1, "unknown key 'at'", "at STEP: KIND");
    /* a failed line leaves the scene's timeline as it was */
    scene s;
    scene_err e;
    load_ok(&s, "at 5: decay\n");
    assert_int_equal(scene_load_string(&s, "at 6: pause\nat 7: zz\n", "t",
                                       &e), -1);
    assert_int_equal(s.tl.n, 1);
    assert_int_equal(s.tl.ev[0].kind, TL_DECAY);
}

static void test_timeline_captions(void **state)
{
    scene s;
    tl_ok(&s, "at 0: caption 1 \"θ jumps: η = 0.27 # not a comment\"\n"
              "at 1: caption 20 \"say \\\"hi\\\" \\\\ \" # comment\n"
              "at 2: caption 3\"\"\n");
    assert_string_equal(s.tl.ev[0].text, "θ jumps: η = 0.27 # not a comment");
    assert_close(s.tl.ev[0].value, 1, 0);
    assert_string_equal(s.tl.ev[1].text, "say \"hi\" \\ ");
    assert_close(s.tl.ev[1].value, 20, 0);
    assert_string_equal(s.tl.ev[2].text, "");
    load_bad("at 0: caption \"x\"\n", 1, 15, "caption needs a duration",
             "caption 600");
    load_bad("at 0: caption 0 \"x\"\n", 1, 15,
             "caption duration must be an integer >= 1 (steps), got '0'",
             NULL);
    load_bad("at 0: caption 1.5 \"x\"\n", 1, 15, "got '1.5'", NULL);
    load_bad("at 0: caption 600 x\n", 1, 19,
             "caption text must be in double quotes", NULL);
    load_bad("at 0: caption 600\n", 1, 18, "caption text must be in double",
             NULL);
    load_bad("at 0: caption 600 \"open # \n", 1, 19, "unterminated caption",
             "close it");
    load_bad("at 0: caption 600 \"a\" b\n", 1, 23,
             "unexpected text after the caption event", NULL);
    /* TL_TEXT_MAX - 1 bytes fit, one more does not */
    char t[400] = "at 0: caption 5 \"";
    size_t k = strlen(t);
    memset(t + k, 'x', TL_TEXT_MAX - 1);
    strcpy(t + k + TL_TEXT_MAX - 1, "\"\n");
    tl_ok(&s, t);
    assert_int_equal(strlen(s.tl.ev[0].text), TL_TEXT_MAX - 1);
    memset(t + k, 'x', TL_TEXT_MAX);
    strcpy(t + k + TL_TEXT_MAX, "\"\n");
    load_bad(t, 1, 18, "caption is too long (at most 159 bytes)", NULL);
    /* an escape counts as the one byte it stands for */
    memset(t + k, 'x', TL_TEXT_MAX - 2);
    strcpy(t + k + TL_TEXT_MAX - 2, "\\\"\"\n");
    tl_ok(&s, t);
    assert_int_equal(s.tl.ev[0].text[TL_TEXT_MAX - 2], '"');
}

/* Captions in seconds ("6s") or until a key, timed pauses and the end
 * of a lesson; plain numbers keep meaning steps. */
static void test_timeline_pacing(void **state)
{
    (void)state;
    scene s;
    tl_ok(&s, "at 0: caption 6s \"six seconds\"\n"
              "at 1: caption 2.5s \"two and a half\"\n"
              "at 2: caption key \"until a key\"\n"
              "at 3: caption 600 \"steps\"\n"
              "at 4: pause\n"
              "at 5: pause 5s   # a hold\n"
              "at 6: end\n"
              "at 7: end \"That's all # not a comment\"  # a comment\n");
    const tl_event *ev = s.tl.ev;
    assert_int_equal(s.tl.n, 8);
    assert_int_equal(ev[0].unit, TL_SECONDS);
    assert_close(ev[0].value, 6, 0);
    assert_string_equal(ev[0].text, "six seconds");
    assert_int_equal(ev[1].unit, TL_SECONDS);
    assert_close(ev[1].value, 2.5, 0);
    assert_int_equal(ev[2].unit, TL_UNTIL_KEY);
    assert_string_equal(ev[2].text, "until a key");
    assert_int_equal(ev[3].unit, TL_STEPS);
    assert_close(ev[3].value, 600, 0);
    assert_int_equal(ev[4].kind, TL_PAUSE);
    assert_int_equal(ev[4].unit, TL_STEPS);
    assert_close(ev[4].value, 0, 0);
    assert_int_equal(ev[5].unit, TL_SECONDS);
    assert_close(ev[5].value, 5, 0);
    assert_int_equal(ev[6].kind, TL_END);
    assert_string_equal(ev[6].text, "");
    assert_int_equal(ev[7].kind, TL_END);
    assert_string_equal(ev[7].text, "That's all # not a comment");
    /*        123456789012345678901 */
    load_bad("at 0: caption 0s \"x\"\n", 1, 15,
             "caption duration in seconds must be a number in (0, 86400] "
             "followed by 's', got '0s'", "caption 6s");
    load_bad("at 0: caption xs \"x\"\n", 1, 15, "got 'xs'", NULL);
    load_bad("at 0: caption 1e9s \"x\"\n", 1, 15, "(too large)", NULL);
    load_bad("at 0: caption keys \"x\"\n", 1, 15,
             "caption duration in seconds", "caption key");
    load_bad("at 0: caption 6 s \"x\"\n", 1, 17,
             "caption text must be in double quotes", NULL);
    load_bad("at 0: caption key\n", 1, 18,
             "caption text must be in double quotes", NULL);
    load_bad("at 5: pause 5\n", 1, 13, "unexpected text after the pause",
             "pause 5s");
    load_bad("at 5: pause -1s\n", 1, 13, "pause event: '-1s'", NULL);
    load_bad("at 5: pause 5s x\n", 1, 16, "unexpected text after the pause",
             "put a '#' before a comment");
    load_bad("at 5: end now\n", 1, 11, "unexpected text after the end",
             "end \"That's all\"");
    load_bad("at 5: end \"open\n", 1, 11, "unterminated end caption",
             "close it");
    load_bad("at 5: endd\n", 1, 7, "unknown event 'endd'",
             "did you mean 'end'?");
}

static void test_timeline_too_many(void **state)
{
    char *t = malloc(32 * (TL_MAX_EVENTS + 2));
    size_t k = 0;
    for (int i = 0; i < TL_MAX_EVENTS; i++)
        k += (size_t)sprintf(t + k, "at %d: decay\n", i);
    scene *s = malloc(sizeof *s);
    tl_ok(s, t);
    assert_int_equal(s->tl.n, TL_MAX_EVENTS);
    assert_int_equal(s->tl.ev[TL_MAX_EVENTS - 1].step, TL_MAX_EVENTS - 1);
    sprintf(t + k, "  at 999: pause\n");
    load_bad(t, TL_MAX_EVENTS + 1, 3, "too many events (at most 128)", NULL);
    free(s);
    free(t);
}

/* Loading replaces the timeline; --set cannot add to it. */
static void test_timeline_load_and_set(void **state)
{
    scene s;
    scene_err e;
    load_ok(&s, "at 5: decay\nat 6: pause\n");
    assert_int_equal(scene_load_string(&s, "at 7: key +\n", "u", &e), 0);
    assert_int_equal(s.tl.n, 1);
    assert_int_equal(s.tl.ev[0].kind, TL_KEY);
    assert_int_equal(scene_load_string(&s, "eta = 1\n", "u", &e), 0);
    assert_int_equal(s.tl.n, 0);
    load_ok(&s, "at 5: decay\n");
    assert_int_equal(scene_set(&s, "at 6: pause", &e), -1);
    check_err(&e, "--set", 1, 1, "--set cannot add timeline events",
              "scene file");
    assert_int_equal(scene_set(&s, "  at", &e), -1);
    check_err(&e, "--set", 1, 3, "--set cannot add timeline events", NULL);
    assert_int_equal(s.tl.n, 1);
    assert_int_equal(scene_set(&s, "steps=7", &e), 0); /* keeps the events */
    assert_int_equal(s.tl.n, 1);
}

static int is_key_calls;

/* A key table for the tests: the app's keys are data it owns. */
static int test_is_key(int c)
{
    is_key_calls++;
    return c && strchr(" +-d.q", c) != NULL;
}

static void test_check_keys(void **state)
{
    scene s;
    scene_err e;
    tl_ok(&s, "at 1: key +\nat 2: key space\nat 3: decay\n");
    assert_int_equal(scene_check_keys(&s, test_is_key, &e), 0);
    /*                      1234567890 */
    tl_ok(&s, "at 1: key +\n at 2: key Z\nat 3: key x\n");
    memset(&e, 0, sizeof e);
    assert_int_equal(scene_check_keys(&s, test_is_key, &e), -1);
    check_err(&e, "t.scene", 2, 12, "key 'Z' is unknown or not for scenes (see sgdscope(1) KEYS)",
              "");
    /* Other events' values are not characters and are never converted to
     * one (found by fuzzing: 1e55 converted to int is undefined). */
    tl_ok(&s, "at 1: scale 1e55\nat 2: eta 3e300\nat 3: caption 9e15 \"x\"\n");
    is_key_calls = 0;
    assert_int_equal(scene_check_keys(&s, test_is_key, &e), 0);
    assert_int_equal(is_key_calls, 0);
    tl_ok(&s, "at 1: key space\n");
    assert_int_equal(scene_check_keys(&s, test_is_key, &e), 0);
    s.tl.ev[0].value = '!';
    assert_int_equal(scene_check_keys(&s, test_is_key, &e), -1);
    check_err(&e, "t.scene", 1, 11, "key '!' is unknown", NULL);
}

/* An event list as text, "kind@step" each, for compact comparisons. */
static const char *tl_str(const timeline *tl)
{
    static char buf[1024];
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < tl->n && k < sizeof buf; i++) {
        const tl_event *ev = &tl->ev[i];
        if (ev->kind == TL_KEY)
            k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%c@%llu",
                                  i ? " " : "", (char)ev->value,
                                  (unsigned long long)ev->step);
        else
            k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s@%llu",
                                  i ? " " : "", timeline_kind_name(ev->kind),
                                  (unsigned long long)ev->step);
    }
    return buf;
}

/* timeline_parse_script must fail with want (and "column col") in err
 * and leave tl unchanged. */
static void script_bad(timeline *tl, const char *script, int col,
                       const char *want)
{
    char err[256] = "", pat[32];
    size_t n = tl->n;
    assert_int_equal(timeline_parse_script(tl, script, test_is_key, err,
                                           sizeof err), -1);
    snprintf(pat, sizeof pat, "column %d:", col);
    if (!strstr(err, pat) || !strstr(err, want))
        fail_msg("script '%s': error '%s' lacks '%s' / '%s'", script, err,
                 pat, want);
    assert_int_equal(tl->n, n);
}

static void test_script(void **state)
{
    scene s;
    char err[256];
    timeline *tl = &s.tl;
    tl_ok(&s, "at 200: decay\nat 300: pause\n");
    assert_int_equal(timeline_parse_script(tl, "100:+ 200:d  300:space",
                                           test_is_key, err, sizeof err), 0);
    assert_string_equal(tl_str(tl), "+@100 decay@200 d@200 pause@300  @300");
    assert_int_equal(tl->ev[0].line, 0);
    assert_int_equal(tl->ev[0].is_frac, 0);
    assert_close(tl->ev[0].at, 100, 0);
    /* items out of order are placed by step; one step keeps script order */
    tl->n = 0;
    assert_int_equal(timeline_parse_script(tl, "\t50:q 10:- 10:+ 0:.",
                                           test_is_key, err, sizeof err), 0);
    assert_string_equal(tl_str(tl), ".@0 -@10 +@10 q@50");
    assert_int_equal(timeline_parse_script(tl, "", test_is_key, err,
                                           sizeof err), 0);
    assert_int_equal(timeline_parse_script(tl, "  ", test_is_key, err,
                                           sizeof err), 0);
    assert_int_equal(tl->n, 4);
    /* a resolve after the merge finds it in order */
    size_t bad;
    assert_int_equal(timeline_resolve(tl, 1000, &bad, err, sizeof err), 0);

    script_bad(tl, "abc:+", 1, "bad step in 'abc:+'");
    script_bad(tl, "10:+ abc:+", 6, "bad step");
    script_bad(tl, ":+", 1, "bad step");
    script_bad(tl, "-1:+", 1, "bad step");
    script_bad(tl, "1x:+", 1, "bad step");
    script_bad(tl, "100", 4, "missing ':' after the step in '100'");
    script_bad(tl, "100:", 5, "missing key after ':' in '100:'");
    script_bad(tl, "100:zz", 5, "a key is one character, 'space' or 'tab', got 'zz'");
    script_bad(tl, "1:+  100:Z", 10, "key 'Z' is unknown or not for scripts (see sgdscope(1) KEYS)");
    script_bad(tl, "1:x", 3, "key 'x' is unknown");
    script_bad(tl, "99999999999999999999:+", 1, "step too large");

    /* room for TL_MAX_EVENTS in all, the scene's events included */
    char big[16 * (TL_MAX_EVENTS + 1)];
    size_t k = 0;
    for (int i = 0; i < TL_MAX_EVENTS - 4; i++)
        k += (size_t)sprintf(big + k, "%d:+ ", i);
    assert_int_equal(timeline_parse_script(tl, big, test_is_key, err,
                                           sizeof err), 0);
    assert_int_equal(tl->n, TL_MAX_EVENTS);
    tl->n = 4;
    sprintf(big + k, "7:d");
    script_bad(tl, big, (int)k + 1, "too many events");
}

static void test_timeline_api(void **state)
{
    timeline tl;
    char err[200];
    size_t bad = 99;
    memset(&tl, 0, sizeof tl);
    assert_int_equal(timeline_first_at(&tl, 0), 0);
    static const uint64_t st[] = {0, 5, 5, 9};
    for (size_t i = 0; i < 4; i++) {
        tl.ev[i].at = (double)st[i];
        tl.ev[i].line = (int)i + 1;
    }
    tl.n = 4;
    assert_int_equal(timeline_resolve(&tl, 10, &bad, err, sizeof err), 0);
    assert_int_equal(timeline_first_at(&tl, 0), 0);
    assert_int_equal(timeline_first_at(&tl, 1), 1);
    assert_int_equal(timeline_first_at(&tl, 5), 1);
    assert_int_equal(timeline_first_at(&tl, 6), 3);
    assert_int_equal(timeline_first_at(&tl, 9), 3);
    assert_int_equal(timeline_first_at(&tl, 10), 4);
    assert_int_equal(timeline_first_at(&tl, UINT64_MAX), 4);
    /* fractions: a huge steps saturates instead of overflowing */
    tl.ev[3].at = 1.0;
    tl.ev[3].is_frac = 1;
    assert_int_equal(timeline_resolve(&tl, UINT64_MAX, &bad, err, sizeof err),
                     0);
    assert_true(tl.ev[3].step == UINT64_MAX);
    assert_int_equal(timeline_resolve(&tl, 4, &bad, err, sizeof err), -1);
    assert_int_equal(bad, 3);
    /* 100% of 4 steps falls before the event at step 5: a run shorter
     * than its timeline, said so */
    assert_string_equal(err, "event at 100% is step 4, before the one at "
                             "step 5 (line 3): the run (steps = 4) is "
                             "shorter than the timeline");
    /* two step-written events out of order: plain order */
    tl.ev[3].is_frac = 0;
    tl.ev[3].at = 4.0;
    assert_int_equal(timeline_resolve(&tl, 4, &bad, err, sizeof err), -1);
    assert_string_equal(err, "event at step 4 comes after one at step 5 "
                             "(line 3); timeline events must be in step "
                             "order");
    static const char *const names[] = {"decay", "eta", "scale", "dynamics",
                                        "batch", "pause", "caption", "key",
                                        "end"};
    for (int i = 0; i < TL_KIND_COUNT; i++)
        assert_string_equal(timeline_kind_name((tl_kind)i), names[i]);
    assert_null(timeline_kind_name((tl_kind)TL_KIND_COUNT));
}

static void test_err_print(void **state)
{
    char *out = NULL;
    size_t len = 0;
    scene_err e = {.file = "a.scene", .line = 3, .col = 7, .msg = "boom",
                   .hint = "try again"};
    FILE *f = open_memstream(&out, &len);
    scene_err_print(&e, f);
    e.hint[0] = '\0';
    e.line = 0;
    e.col = 0;
    scene_err_print(&e, f);
    fclose(f);
    assert_string_equal(out, "a.scene:3:7: error: boom\n  hint: try again\n"
                             "a.scene: error: boom\n");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_field_table),
        cmocka_unit_test(test_man_page_lists_fields),
        cmocka_unit_test(test_parse_diagnet),
        cmocka_unit_test(test_decay_forms),
        cmocka_unit_test(test_warmup_forms),
        cmocka_unit_test(test_expwarmup),
        cmocka_unit_test(test_points),
        cmocka_unit_test(test_comments_blank_lines),
        cmocka_unit_test(test_quoted_title),
        cmocka_unit_test(test_crlf_and_bom),
        cmocka_unit_test(test_model_defaults),
        cmocka_unit_test(test_set_overrides),
        cmocka_unit_test(test_set_errors),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_missing_equals),
        cmocka_unit_test(test_empty_value),
        cmocka_unit_test(test_quote_errors),
        cmocka_unit_test(test_bad_numbers),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_integer_overflow),
        cmocka_unit_test(test_bad_enum),
        cmocka_unit_test(test_bad_decays),
        cmocka_unit_test(test_bad_warmup),
        cmocka_unit_test(test_bad_points),
        cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_failed_load_changes_nothing),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_fifo_is_refused),
        cmocka_unit_test(test_err_text_sanitized),
        cmocka_unit_test(test_eta_range_refused),
        cmocka_unit_test(test_cross_fields),
        cmocka_unit_test(test_cross_field_blames_set),
        cmocka_unit_test(test_err_print),
        cmocka_unit_test(test_timeline_kinds),
        cmocka_unit_test(test_timeline_fractions),
        cmocka_unit_test(test_timeline_order),
        cmocka_unit_test(test_timeline_errors),
        cmocka_unit_test(test_timeline_captions),
        cmocka_unit_test(test_timeline_pacing),
        cmocka_unit_test(test_timeline_too_many),
        cmocka_unit_test(test_timeline_load_and_set),
        cmocka_unit_test(test_check_keys),
        cmocka_unit_test(test_script),
        cmocka_unit_test(test_timeline_api),
    };
    return cmocka_run_group_tests_name("scene", tests, setup_dir,
                                       teardown_dir);
}

/* test_datafile.c — points from CSV files (datafile.c) and the scene
 * fields that name them (scene_data.c): the format, every malformed case
 * at its exact file:line:col, the checks against the model, paths
 * relative to the scene, and runs on file data (the same numbers as the
 * same points given otherwise; β* unknown, never made up). */
#include "testutil.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "comparison.h"
#include "datafile.h"
#include "headless.h"
#include "model_registry.h"
#include "run.h"
#include "scene.h"
#include "testrun.h"

static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_datafile.XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    char sub[128];
    snprintf(sub, sizeof sub, "%s/sub", tmpdir);
    return mkdir(sub, 0700);
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- the format -------------------------------------------------------- */

static void test_parse_with_and_without_header(void **state)
{
    (void)state;
    scene_err e;
    static const char *const texts[] = {
        "1.5,-2,0.25\n3,4e-1,5\n",
        "x1,x2,y\n1.5,-2,0.25\n3,4e-1,5\n",
        "\xEF\xBB\xBF# a comment\r\n\r\n  x1 , x2,y\r\n 1.5 ,\t-2,0.25\r\n"
        "   # another\n3,4e-1,5", /* BOM, CRLF, blanks, no last newline */
    };
    static const int first[] = {1, 2, 4}, header[] = {0, 1, 1};
    for (size_t i = 0; i < 3; i++) {
        datafile *df = datafile_parse(texts[i], strlen(texts[i]), "d.csv",
                                      &e);
        if (!df)
            fail_msg("text %zu: %s:%d:%d: %s", i, e.file, e.line, e.col,
                     e.msg);
        assert_int_equal(df->md.n, 2);
        assert_int_equal(df->md.dim, 2);
        assert_int_equal(df->cols, 3);
        assert_int_equal(df->first_line, first[i]);
        assert_int_equal(df->header, header[i]);
        const double x[] = {1.5, -2, 3, 0.4}, y[] = {0.25, 5};
        assert_memory_equal(df->md.x, x, sizeof x);
        assert_memory_equal(df->md.y, y, sizeof y);
        datafile_free(df);
    }
}

/* Each malformed file: the exact line, column and message. */
static void test_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int line, col;
        const char *msg;
    } cases[] = {
        {"", 0, 0, "no data rows (an empty file)"},
        {"# just a comment\n\n", 0, 0, "no data rows (an empty file)"},
        {"# c\nx,y\n", 2, 1, "a header and no data rows"},
        {"1,2\n3,4,5\n", 2, 5, "3 columns, not 2"},
        {"x,y,z\n1,2,3\n4,5\n", 3, 4, "2 columns, not 3"},
        {"1,2\n3, inf\n", 2, 4, "not a finite number: 'inf'"},
        {"1,NaN\n", 1, 3, "not a finite number: 'NaN'"},
        {"1,-Infinity\n", 1, 3, "not a finite number: '-Infinity'"},
        {"1,\n", 1, 3, "empty field"},
        {"1,,2\n", 1, 3, "empty field"},
        {"1,abc\n", 1, 3, "not a number: 'abc'"},
        {"1,2 # note\n", 1, 3, "not a number: '2 # note'"},
        {"1;2\n", 1, 1, "1 column: a row needs its x values and then y"},
        {"0x10,2\n", 1, 1, "not a number: '0x10'"},
        {"1,1e999\n", 1, 3, "number out of range: '1e999'"},
        {"1,2\n3,abcdefghijklmnopqrstuvwxyz\n", 2, 3,
         "not a number: 'abcdefghijklmnop...'"},
        {"1,2\n3,\x1b]0;PWN\x07\n", 2, 3, "not a number: '\\e]0;PWN\\a'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        scene_err e;
        datafile *df = datafile_parse(cases[i].text, strlen(cases[i].text),
                                      "d.csv", &e);
        if (df)
            fail_msg("case %zu parsed", i);
        if (e.line != cases[i].line || e.col != cases[i].col ||
            strcmp(e.msg, cases[i].msg) != 0 || strcmp(e.file, "d.csv"))
            fail_msg("case %zu: got %s:%d:%d: %s, want %d:%d: %s", i, e.file,
                     e.line, e.col, e.msg, cases[i].line, cases[i].col,
                     cases[i].msg);
    }
    /* a NUL byte: the text is not a C string */
    scene_err e;
    assert_null(datafile_parse("1,2\n3,\0\n", 8, "d.csv", &e));
    assert_int_equal(e.line, 2);
    assert_int_equal(e.col, 3);
    assert_string_equal(e.msg, "NUL byte in the file");
}

/* Rows, x values and columns beyond the limits: errors at the line that
 * crosses them, never a huge allocation. */
static void test_parse_limits(void **state)
{
    (void)state;
    scene_err e;
    size_t rows = DATAFILE_MAX_ROWS + 1;
    char *t = malloc(rows * 4 + 1);
    assert_non_null(t);
    for (size_t i = 0; i < rows; i++)
        memcpy(t + 4 * i, "0,1\n", 4);
    assert_null(datafile_parse(t, rows * 4, "big.csv", &e));
    assert_int_equal(e.line, DATAFILE_MAX_ROWS + 1);
    assert_int_equal(e.col, 1);
    assert_string_equal(e.msg, "more than 1000000 rows");
    free(t);

    /* 4096 x columns: 1024 rows fill MODEL_DATA_MAX, the 1025th is over */
    size_t w = 2 * DATAFILE_MAX_COLS, nr = MODEL_DATA_MAX / 4096 + 1;
    t = malloc(nr * w + 1);
    assert_non_null(t);
    for (size_t i = 0; i < nr; i++) {
        for (size_t k = 0; k < DATAFILE_MAX_COLS; k++)
            memcpy(t + i * w + 2 * k, "0,", 2);
        t[i * w + w - 1] = '\n';
    }
    datafile *df = datafile_parse(t, (nr - 1) * w, "wide.csv", &e);
    assert_non_null(df);
    assert_int_equal(df->md.dim, 4096);
    datafile_free(df);
    assert_null(datafile_parse(t, nr * w, "wide.csv", &e));
    assert_int_equal(e.line, (int)nr);
    assert_string_equal(e.msg,
                        "more than 4194304 x values (rows times x columns)");
    free(t);

    /* one column too many: pointed at */
    t = malloc(w + 8);
    assert_non_null(t);
    for (size_t k = 0; k < DATAFILE_MAX_COLS; k++)
        memcpy(t + 2 * k, "0,", 2);
    memcpy(t + w, "0\n", 3);
    assert_null(datafile_parse(t, strlen(t), "wide.csv", &e));
    assert_int_equal(e.line, 1);
    assert_int_equal(e.col, (int)w + 1);
    assert_string_equal(e.msg, "more than 4097 columns (x1..x4096 and y at "
                               "most)");
    free(t);
}

/* Only regular files, never blocking; the same bytes are parsed once. */
static void test_load_files(void **state)
{
    (void)state;
    scene_err e;
    char p[256], q[256];
    write_file("a.csv", "x,y\n1,2\n3,4\n");
    snprintf(p, sizeof p, "%s/a.csv", tmpdir);
    const datafile *a = datafile_load(p, &e);
    assert_non_null(a);
    assert_ptr_equal(datafile_load(p, &e), a);
    write_file("a.csv", "x,y\n1,2\n3,5\n"); /* same size, other bytes */
    const datafile *b = datafile_load(p, &e);
    assert_non_null(b);
    assert_true(b != a);
    assert_true(a->md.y[1] == 4.0 && b->md.y[1] == 5.0); /* a stays whole */

    snprintf(q, sizeof q, "%s/fifo.csv", tmpdir);
    assert_int_equal(mkfifo(q, 0600), 0);
    alarm(20);
    assert_null(datafile_load(q, &e));
    alarm(0);
    assert_string_equal(e.msg, "not a regular file: a FIFO");
    assert_int_equal(e.line, 0);
    assert_null(datafile_load(tmpdir, &e));
    assert_string_equal(e.msg, "not a regular file: a directory");
    assert_null(datafile_load("/dev/zero", &e));
    assert_string_equal(e.msg, "not a regular file: a character device");

    snprintf(q, sizeof q, "%s/huge.csv", tmpdir);
    FILE *f = fopen(q, "wb");
    assert_non_null(f);
    assert_int_equal(ftruncate(fileno(f), (off_t)DATAFILE_MAX_BYTES + 1), 0);
    fclose(f);
    assert_null(datafile_load(q, &e));
    assert_string_equal(e.msg, "file is larger than 67108864 bytes");
    unlink(q);
}

/* ---- the scene fields ---------------------------------------------------- */

/* Loads the scene text as tmpdir/NAME, applies sets, finalizes: the
 * result of finalize (or of the load). */
static int scene_from(scene *s, const char *name, const char *text,
                      const char *set, scene_err *e)
{
    char path[256];
    write_file(name, text);
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    scene_init(s);
    if (scene_load_file(s, path, e) != 0)
        return -2;
    if (set && scene_set(s, set, e) != 0)
        return -3;
    return scene_finalize(s, e);
}

static void check_err(const scene_err *e, const char *file, int line,
                      int col, const char *msg, const char *hint_part)
{
    char want[512];
    snprintf(want, sizeof want, "%s/%s", tmpdir, file);
    if (strcmp(e->file, want) || e->line != line || e->col != col ||
        strcmp(e->msg, msg) || (hint_part && !strstr(e->hint, hint_part)))
        fail_msg("got %s:%d:%d: %s (hint: %s)\nwant %s:%d:%d: %s (hint "
                 "with: %s)", e->file, e->line, e->col, e->msg, e->hint,
                 want, line, col, msg, hint_part ? hint_part : "");
}

/* Paths are relative to the scene file's directory; absolute ones stay;
 * from --set they are the user's own (relative to the working
 * directory). */
static void test_paths_relative_to_scene(void **state)
{
    (void)state;
    static scene s;
    scene_err e;
    char want[256];
    write_file("sub/d.csv", "x1,x2,y\n1,2,3\n4,5,6\n7,8,9\n");
    assert_int_equal(scene_from(&s, "sub/t.scene",
                                "model = diagnet\ndata = d.csv\n", NULL, &e),
                     0);
    snprintf(want, sizeof want, "%s/sub/d.csv", tmpdir);
    assert_string_equal(s.data, want);
    assert_non_null(s.mp.data);
    assert_int_equal(s.mp.d, 2);
    assert_int_equal(s.mp.n, 3);
    assert_int_equal(s.mp.n_test, 0);
    assert_true(s.mp.data->x[5] == 8.0 && s.mp.data->y[2] == 9.0);

    char text[400];
    snprintf(text, sizeof text, "model = diagnet\ndata = \"%s\"\n", want);
    assert_int_equal(scene_from(&s, "abs.scene", text, NULL, &e), 0);
    assert_string_equal(s.data, want);

    /* --set: as given; "none" clears */
    assert_int_equal(scene_from(&s, "sub/t.scene",
                                "model = diagnet\ndata = d.csv\n",
                                "data=no/such.csv", &e), -1);
    assert_string_equal(e.file, "no/such.csv");
    assert_string_equal(e.msg, "cannot open: No such file or directory");
    assert_string_equal(e.hint, "data named by --set");
    assert_int_equal(scene_from(&s, "sub/t.scene",
                                "model = diagnet\ndata = d.csv\n",
                                "data=none", &e), 0);
    assert_null(s.mp.data);
    assert_int_equal(s.mp.d, 200);
}

/* Columns against the model, and the fields the file decides. */
static void test_scene_checks(void **state)
{
    (void)state;
    static scene s;
    scene_err e;
    write_file("d3.csv", "# three columns\n\nx1,x2,y\n1,2,3\n4,5,6\n");
    write_file("d4.csv", "x1,x2,x3,y\n1,2,3,4\n");
    write_file("r.csv", "x,y\n-1,0.5\n0,1\n1,0.25\n");

    /* the example of the man page: d set, the file has 3 x columns */
    assert_int_equal(scene_from(&s, "a.scene", "model = diagnet\nd = 2\n"
                                "data = d4.csv\n", NULL, &e), -1);
    check_err(&e, "d4.csv", 2, 1,
              "4 columns, diagnet with d = 2 needs 3 (x1..x2, y)",
              "data named at ");
    assert_non_null(strstr(e.hint, "a.scene:3:8"));
    assert_non_null(strstr(e.hint, "d is set at "));
    /* test_data must agree with data */
    assert_int_equal(scene_from(&s, "a.scene", "model = diagnet\n"
                                "data = d3.csv\ntest_data = d4.csv\n", NULL,
                                &e), -1);
    check_err(&e, "d4.csv", 2, 1,
              "4 columns, diagnet with d = 2 needs 3 (x1..x2, y)",
              "test_data named at ");
    /* n (n_test) set to another number: the line that set it */
    assert_int_equal(scene_from(&s, "a.scene", "model = diagnet\nn = 5\n"
                                "data = d3.csv\n", NULL, &e), -1);
    char shown[256];
    snprintf(shown, sizeof shown, "n = 5, but %s/d3.csv has 2 rows", tmpdir);
    check_err(&e, "a.scene", 2, 5, shown, "leave n unset");
    assert_int_equal(scene_from(&s, "a.scene", "model = diagnet\nn = 2\n"
                                "d = 2\ndata = d3.csv\ntest_data = d3.csv\n"
                                "n_test = 2\n", NULL, &e), 0);
    assert_int_equal(scene_from(&s, "a.scene", "model = diagnet\n"
                                "data = d3.csv\nn_test = 10\n", NULL, &e),
                     -1);
    check_err(&e, "a.scene", 3, 10, "n_test draws test points from beta*, "
              "and with data beta* is unknown", "test_data");
    assert_int_equal(scene_from(&s, "a.scene", "model = diagnet\nr = 1\n"
                                "data = d3.csv\n", NULL, &e), -1);
    check_err(&e, "a.scene", 2, 5, "r sets beta*'s support, and with data "
              "beta* is unknown", NULL);
    /* models that take no files, or not this one */
    assert_int_equal(scene_from(&s, "a.scene", "data = r.csv\n", NULL, &e),
                     -1);
    check_err(&e, "a.scene", 1, 8, "quad1d draws its own x: data files are "
              "for diagnet and relu1d", NULL);
    assert_int_equal(scene_from(&s, "a.scene", "model = relu1d\n"
                                "data = r.csv\ntest_data = r.csv\n", NULL,
                                &e), -1);
    check_err(&e, "a.scene", 3, 13, "relu1d has no test set: test_data is "
              "for diagnet", NULL);
    assert_int_equal(scene_from(&s, "a.scene", "model = relu1d\n"
                                "data = r.csv\npoints = 0:1 1:2\n", NULL,
                                &e), -1);
    check_err(&e, "a.scene", 3, 10, "data and points both give relu1d's "
              "training points", NULL);
    assert_int_equal(scene_from(&s, "a.scene", "model = relu1d\n"
                                "data = d3.csv\n", NULL, &e), -1);
    check_err(&e, "d3.csv", 4, 1, "3 columns, relu1d needs 2 (x, y)", NULL);
    write_file("flat.csv", "1,2\n1,3\n");
    assert_int_equal(scene_from(&s, "a.scene", "model = relu1d\n"
                                "data = flat.csv\n", NULL, &e), -1);
    check_err(&e, "flat.csv", 1, 1, "every x is 1: relu1d needs two "
              "different x", NULL);
    assert_int_equal(scene_from(&s, "a.scene", "model = relu1d\n"
                                "data = r.csv\n", NULL, &e), 0);
    assert_int_equal(s.mp.n, 3);
    /* an error inside the file: the file's position, the scene's line */
    write_file("bad.csv", "x,y\n1,2\n3,oops\n");
    assert_int_equal(scene_from(&s, "a.scene", "model = relu1d\n\n"
                                "data = bad.csv\n", NULL, &e), -1);
    check_err(&e, "bad.csv", 3, 3, "not a number: 'oops'", "data named at ");
    assert_non_null(strstr(e.hint, "a.scene:3:8"));
}

/* ---- runs on file data --------------------------------------------------- */

/* relu1d on `points` and on a CSV of the same points: the same run, bit
 * for bit. */
static void test_file_points_same_run(void **state)
{
    (void)state;
    write_file("p.csv", "# the points of the scene below\nx,y\n"
                        "-1.3,0.2\n-0.4,1.5\n0.1,-0.3\n0.75,0.9\n1.6,-1.1\n");
    char pts[] = "points=-1.3:0.2 -0.4:1.5 0.1:-0.3 0.75:0.9 1.6:-1.1";
    char data[256];
    snprintf(data, sizeof data, "data=%s/p.csv", tmpdir);
    const char *const ka[] = {"model=relu1d", "m=20", "steps=3000",
                              "every=100", pts, NULL};
    const char *const kb[] = {"model=relu1d", "m=20", "steps=3000",
                              "every=100", data, NULL};
    run *a = test_run(NULL, ka), *b = test_run(NULL, kb);
    assert_int_equal(a->m.n, 5);
    assert_int_equal(b->m.n, 5);
    assert_memory_equal(a->m.x, b->m.x, 5 * sizeof *a->m.x);
    run_advance(a, 3000);
    run_advance(b, 3000);
    assert_memory_equal(a->theta, b->theta, a->m.p * sizeof *a->theta);
    run_evaluate(a);
    run_evaluate(b);
    assert_memory_equal(&a->last.train_loss, &b->last.train_loss,
                        sizeof(double));
    run_destroy(a);
    run_destroy(b);
}

/* diagnet on data: the file's points, no β*, no test set unless given;
 * test_data alone keeps the drawn set and its β*; the JSON summary says
 * β* is unknown and prints no test loss it does not have. */
static void test_diagnet_on_data(void **state)
{
    (void)state;
    write_file("tr.csv", "x1,x2,x3,y\n1,0,0,1\n0,1,0,-0.5\n0,0,1,0\n"
                         "1,1,0,0.5\n");
    write_file("te.csv", "0.5,0.5,0.5,0.25\n1,-1,0,1.5\n");
    char tr[256], te[256];
    snprintf(tr, sizeof tr, "data=%s/tr.csv", tmpdir);
    snprintf(te, sizeof te, "test_data=%s/te.csv", tmpdir);
    const char *const k1[] = {"model=diagnet", "steps=200", "every=50", tr,
                              NULL};
    run *r = test_run(NULL, k1);
    assert_int_equal(r->m.n, 4);
    assert_int_equal(r->m.dim, 3);
    assert_int_equal(r->m.n_test, 0);
    assert_null(diagnet_beta_star(&r->m));
    assert_true(r->m.x[4] == 1.0 && r->m.y[1] == -0.5);
    run_advance(r, 200);
    run_evaluate(r);
    assert_true(isfinite(r->last.train_loss));
    assert_true(isnan(r->last.test_loss));

    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    headless_summary("main", r, f);
    fclose(f);
    assert_non_null(strstr(out, ",\"beta_star\":\"unknown\","));
    assert_non_null(strstr(out, ",\"test_loss\":null,"));
    assert_non_null(strstr(out, "tr.csv\","));
    assert_null(strstr(out, "nan"));
    free(out);

    /* a clone (what a fork starts from) keeps the same points */
    char err[256];
    run *c = run_clone(r, err, sizeof err);
    assert_non_null(c);
    assert_memory_equal(c->m.x, r->m.x, 12 * sizeof *r->m.x);
    assert_memory_equal(c->theta, r->theta, r->m.p * sizeof *r->theta);
    run_destroy(c);
    run_destroy(r);

    const char *const k2[] = {"model=diagnet", "d=3", "r=2", "n=10",
                              "steps=10", te, NULL};
    r = test_run(NULL, k2);
    assert_int_equal(r->m.n, 10);
    assert_int_equal(r->m.n_test, 2);
    assert_non_null(diagnet_beta_star(&r->m));
    assert_true(r->m.xt[3] == 1.0 && r->m.yt[1] == 1.5);
    run_destroy(r);
}

/* The runs of a comparison share one loaded file. */
static void test_comparison_shares_data(void **state)
{
    (void)state;
    write_file("sub/c.csv", "x1,x2,y\n1,2,3\n4,5,6\n");
    static comparison c;
    scene_err e;
    char path[256];
    snprintf(path, sizeof path, "%s/sub/c.scene", tmpdir);
    write_file("sub/c.scene", "model = diagnet\ndata = c.csv\nsteps = 100\n"
                              "run small\neta = 0.01\nrun large\n"
                              "eta = 0.1\n");
    assert_int_equal(comparison_load_file(&c, path, &e), 0);
    if (comparison_finalize(&c, &e) != 0)
        fail_msg("%s:%d:%d: %s", e.file, e.line, e.col, e.msg);
    assert_int_equal(c.n, 2);
    assert_non_null(c.run[0].mp.data);
    assert_ptr_equal(c.run[0].mp.data, c.run[1].mp.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_with_and_without_header),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_limits),
        cmocka_unit_test(test_load_files),
        cmocka_unit_test(test_paths_relative_to_scene),
        cmocka_unit_test(test_scene_checks),
        cmocka_unit_test(test_file_points_same_run),
        cmocka_unit_test(test_diagnet_on_data),
        cmocka_unit_test(test_comparison_shares_data),
    };
    return cmocka_run_group_tests_name("datafile", tests, setup, teardown);
}

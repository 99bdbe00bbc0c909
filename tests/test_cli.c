/* test_cli.c — the real binary: usage errors, scene errors, headless
 * output, determinism across processes, divergence as an outcome. */
#include "testutil.h"

#include <sys/wait.h>
#include <unistd.h>

static const char *bin(void)
{
    const char *b = getenv("SGDSCOPE_BIN");
    return b && *b ? b : "./sgdscope";
}

static char tmpdir[256];
static char out_text[1 << 16], err_text[1 << 16];

static void slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n = 0;
    if (f) {
        n = fread(buf, 1, cap - 1, f);
        fclose(f);
    }
    buf[n] = 0;
}

/* Runs `sgdscope ARGS` with stdin from /dev/null; returns the exit status
 * and leaves stdout/stderr in out_text/err_text. */
static int sh(const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s %s </dev/null >%s/out 2>%s/err", bin(),
             args, tmpdir, tmpdir);
    int st = system(cmd);
    char p[300];
    snprintf(p, sizeof p, "%s/out", tmpdir);
    slurp(p, out_text, sizeof out_text);
    snprintf(p, sizeof p, "%s/err", tmpdir);
    slurp(p, err_text, sizeof err_text);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void write_file(const char *name, const char *text)
{
    char p[300];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **st)
{
    (void)st;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/sgdscope-cli-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **st)
{
    (void)st;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_help_and_version(void **st)
{
    (void)st;
    assert_int_equal(sh("--help"), 0);
    assert_non_null(strstr(out_text, "usage: sgdscope"));
    assert_non_null(strstr(out_text, "--headless"));
    assert_int_equal(sh("--version"), 0);
    assert_non_null(strstr(out_text, "sgdscope "));
}

static void test_bad_flags(void **st)
{
    (void)st;
    const char *cases[][2] = {
        {"--bogus", "unknown option '--bogus'"},
        {"--headless --seed abc", "--seed needs a whole number"},
        {"--headless --seed -3", "--seed needs a whole number"},
        {"--headless --steps 1e3", "--steps needs a whole number"},
        {"--headless --every x", "--every needs a whole number"},
        {"--headless --set eta", "--set needs KEY=VALUE"},
        {"--headless --model", "needs a value"},
        {"--headless a.scene b.scene", "expected one scene"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(sh(cases[i][0]), 2);
        if (!strstr(err_text, cases[i][1]))
            fail_msg("'%s': stderr lacks '%s':\n%s", cases[i][0], cases[i][1],
                     err_text);
        assert_non_null(strstr(err_text, "usage: sgdscope"));
        assert_string_equal(out_text, "");
    }
}

static void test_bad_values_and_scenes(void **st)
{
    (void)st;
    assert_int_equal(sh("--headless --set etaa=1"), 2);
    assert_non_null(strstr(err_text, "--set:1:1: error: unknown key 'etaa'"));
    assert_non_null(strstr(err_text, "eta"));
    assert_int_equal(sh("--headless --model resnet"), 2);
    assert_non_null(strstr(err_text, "resnet"));
    assert_int_equal(sh("--headless --set eta=-1"), 2);
    assert_non_null(strstr(err_text, "--set:1:5:"));

    write_file("bad.scene", "# a scene\nmodel = diagnet\n  stpes = 10\n");
    char a[1024];
    snprintf(a, sizeof a, "--headless %s/bad.scene", tmpdir);
    assert_int_equal(sh(a), 2);
    assert_non_null(strstr(err_text, "bad.scene:3:3: error: unknown key"));
    assert_non_null(strstr(err_text, "steps"));
    assert_string_equal(out_text, "");

    assert_int_equal(sh("--headless no/such/file.scene"), 2);
    assert_non_null(strstr(err_text, "no/such/file.scene"));
    assert_int_equal(sh("--headless no-such-scene-name"), 2);
    assert_non_null(strstr(err_text, "no-such-scene-name"));

    snprintf(a, sizeof a, "--headless --csv %s/nodir/x.csv", tmpdir);
    assert_int_equal(sh(a), 2);
    assert_non_null(strstr(err_text, "cannot write"));
}

static void test_no_terminal(void **st)
{
    (void)st;
    assert_int_equal(sh(""), 2);
    assert_non_null(strstr(err_text, "--headless"));
    assert_null(strchr(strchr(err_text, '\n') + 1, '\n')); /* one line */
}

static void test_summary_fields(void **st)
{
    (void)st;
    assert_int_equal(sh("--headless --model quad1d --steps 500 --summary"), 0);
    const char *keys[] = {"\"scene\":", "\"model\":\"quad1d\"", "\"seed\":1",
                          "\"steps\":500", "\"eta\":1.1", "\"train_loss\":",
                          "\"test_loss\":", "\"rank\":1", "\"theta\":",
                          "\"diverged\":false", "\"diverged_at\":null"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strstr(out_text, keys[i]))
            fail_msg("summary lacks %s:\n%s", keys[i], out_text);

    assert_int_equal(sh("--headless --model relu1d --set eta=2e-4 "
                        "--set warmup=0.5:400:1 --steps 2000 --seed 7 "
                        "--summary"), 0);
    assert_non_null(strstr(out_text, "\"feature_sparsity\":"));
    assert_non_null(strstr(out_text, "\"kinks\":"));
    assert_non_null(strstr(out_text, "\"seed\":7"));
    assert_null(strstr(out_text, "\"l0\""));

    assert_int_equal(sh("--headless --model diagnet --set d=30 --set n=20 "
                        "--set r=3 --steps 1000 --summary"), 0);
    assert_non_null(strstr(out_text, "\"l0\":"));
}

static void test_csv_rows_and_determinism(void **st)
{
    (void)st;
    static char first[1 << 16];
    assert_int_equal(sh("--headless --model quad1d --steps 100 --every 10 "
                        "--csv -"), 0);
    assert_true(strncmp(out_text, "step,eta,train_loss,test_loss,rank,",
                        35) == 0);
    assert_non_null(strstr(out_text, ",theta\n"));
    int lines = 0;
    for (const char *c = out_text; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 1 + 11); /* header, steps 0, 10, ..., 100 */
    assert_non_null(strstr(out_text, "\n100,"));
    strcpy(first, out_text);
    assert_int_equal(sh("--headless --model quad1d --steps 100 --every 10 "
                        "--csv -"), 0);
    assert_string_equal(first, out_text);
    assert_int_equal(sh("--headless --model quad1d --steps 100 --every 10 "
                        "--seed 2 --csv -"), 0);
    assert_string_not_equal(first, out_text);

    assert_int_equal(sh("--headless --model quad1d --steps 100 --every 0 "
                        "--csv -"), 0);
    lines = 0;
    for (const char *c = out_text; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 2); /* header and the end */
    assert_non_null(strstr(out_text, "\n100,"));

    /* to a file, byte-identical across processes */
    char a[1024];
    snprintf(a, sizeof a, "--headless --model diagnet --set d=30 --set n=20 "
             "--set r=3 --steps 2000 --every 100 --csv %s/a.csv", tmpdir);
    assert_int_equal(sh(a), 0);
    snprintf(a, sizeof a, "--headless --model diagnet --set d=30 --set n=20 "
             "--set r=3 --steps 2000 --every 100 --csv %s/b.csv", tmpdir);
    assert_int_equal(sh(a), 0);
    snprintf(a, sizeof a, "cmp -s %s/a.csv %s/b.csv", tmpdir, tmpdir);
    assert_int_equal(system(a), 0);
}

static void test_divergence_is_an_outcome(void **st)
{
    (void)st;
    assert_int_equal(sh("--headless --model quad1d --set eta=3 --summary"), 0);
    assert_non_null(strstr(out_text, "\"diverged\":true"));
    assert_non_null(strstr(out_text, "\"diverged_at\":"));
    assert_null(strstr(out_text, "nan"));
    assert_null(strstr(out_text, "inf"));
    assert_int_equal(sh("--headless --model quad1d --set eta=3 --every 1 "
                        "--csv -"), 0);
    assert_null(strstr(out_text, "nan"));
    assert_null(strstr(out_text, "inf"));
}

static void test_shipped_scenes_parse(void **st)
{
    (void)st;
    const char *names[] = {"prop2-quad", "fig2-diag-small", "fig2-diag-decay10",
                           "fig2-diag-decay30", "fig2-diag-decay50",
                           "fig4-relu-decay2", "fig4-relu-decay50"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char a[300];
        snprintf(a, sizeof a, "--headless %s --steps 300 --summary", names[i]);
        if (sh(a) != 0)
            fail_msg("%s: %s", names[i], err_text);
        assert_non_null(strstr(out_text, names[i]));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_version),
        cmocka_unit_test(test_bad_flags),
        cmocka_unit_test(test_bad_values_and_scenes),
        cmocka_unit_test(test_no_terminal),
        cmocka_unit_test(test_summary_fields),
        cmocka_unit_test(test_csv_rows_and_determinism),
        cmocka_unit_test(test_divergence_is_an_outcome),
        cmocka_unit_test(test_shipped_scenes_parse),
    };
    return cmocka_run_group_tests_name("cli", tests, setup, teardown);
}

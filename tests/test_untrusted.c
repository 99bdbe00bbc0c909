/* test_untrusted.c — the real binary given hostile text and files (issue
 * 8, items 7, 8 and 10): file names, titles, captions and arguments with
 * terminal escapes reach no terminal, frame or recording raw; a FIFO
 * among the scenes hangs nothing. */
#include "testutil.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sanitize.h"

static const char *bin(void)
{
    const char *b = getenv("SGDSCOPE_BIN");
    return b && *b ? b : "./sgdscope";
}

static char tmpdir[256];
static char out_text[1 << 17], err_text[1 << 16];

static size_t slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n = 0;
    if (f) {
        n = fread(buf, 1, cap - 1, f);
        fclose(f);
    }
    buf[n] = 0;
    return n;
}

/* Runs `sgdscope ARGS` (sh syntax: quote hostile bytes in '...') with
 * stdin from /dev/null, under `timeout` as a safety net only (a hang
 * shows as status 124); leaves stdout/stderr in out_text/err_text. */
static int sh(const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "timeout 60 %s %s </dev/null >%s/out 2>%s/err",
             bin(), args, tmpdir, tmpdir);
    int st = system(cmd);
    char p[300];
    snprintf(p, sizeof p, "%s/out", tmpdir);
    slurp(p, out_text, sizeof out_text);
    snprintf(p, sizeof p, "%s/err", tmpdir);
    slurp(p, err_text, sizeof err_text);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Writes text to DIR/name (name may hold any byte but '/'). */
static void write_file(const char *dir, const char *name, const char *text)
{
    char p[600];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Nothing a terminal would act on: no C0 control but the newline, no
 * DEL, no C1 (as a byte or as UTF-8), no bidi control, valid UTF-8. */
static void assert_inert(const char *what, const char *text)
{
    size_t n = strlen(text), i = 0;
    while (i < n) {
        size_t l = strcspn(text + i, "\n");
        char line[4096];
        size_t k = l < sizeof line - 1 ? l : sizeof line - 1;
        memcpy(line, text + i, k);
        line[k] = 0;
        if (!sanitize_is_clean(line))
            fail_msg("%s: a raw control or bad byte reaches the output in "
                     "line '%s'", what, line);
        i += l + 1;
    }
}

static char scenes[300]; /* a private scene directory */

static int setup(void **st)
{
    (void)st;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/sgdscope-untrusted-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    snprintf(scenes, sizeof scenes, "%s/scenes", tmpdir);
    if (mkdir(scenes, 0700) != 0)
        return -1;
    /* the private directory first, then the shipped scenes */
    setenv("SGDSCOPE_SCENES", scenes, 1);
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* --list: a file name with an OSC title sequence and a BEL, and a title
 * with C1 CSI (U+009B) and a bidi override, come out escaped. */
static void test_list_hostile_names(void **st)
{
    (void)st;
    write_file(scenes, "esc\x1b]0;PWN\x07name.scene",
               "title = \"osc in the name\"\n");
    write_file(scenes, "c1title.scene",
               "title = \"a\xc2\x9b" "2Jb \xe2\x80\xae" "evil\"\n");
    assert_int_equal(sh("--list"), 0);
    assert_inert("--list", out_text);
    if (!strstr(out_text, "esc\\e]0;PWN\\aname  "))
        fail_msg("--list lacks the escaped name:\n%s", out_text);
    if (!strstr(out_text, "a\\u009b2Jb \\u202eevil"))
        fail_msg("--list lacks the escaped title:\n%s", out_text);
    /* the shipped scenes still listed, aligned after the long name */
    assert_non_null(strstr(out_text, "prop2-quad "));
    char p[600];
    snprintf(p, sizeof p, "%s/esc\x1b]0;PWN\x07name.scene", scenes);
    unlink(p);
    snprintf(p, sizeof p, "%s/c1title.scene", scenes);
    unlink(p);
}

/* A parse error names a hostile file: escaped. */
static void test_parse_error_hostile_file_name(void **st)
{
    (void)st;
    write_file(tmpdir, "bad\x1b[2Jname.scene", "eta = x\n");
    char args[600];
    snprintf(args, sizeof args, "--headless '%s/bad\x1b[2Jname.scene'",
             tmpdir);
    assert_int_equal(sh(args), 2);
    assert_inert("parse error", err_text);
    if (!strstr(err_text, "bad\\e[2Jname.scene:1:7: error: eta must be"))
        fail_msg("stderr:\n%s", err_text);
}

/* Usage, --script and "no scene" errors quote their argument escaped. */
static void test_argument_errors(void **st)
{
    (void)st;
    assert_int_equal(sh("--headless --script '\x1b[2J:d'"), 2);
    assert_inert("--script", err_text);
    assert_non_null(strstr(err_text, "--script: column 1: bad step in "
                                     "'\\e[2J:d'"));
    assert_int_equal(sh("--headless '\x1b]0;PWN\x07nosuch'"), 2);
    assert_inert("no scene", err_text);
    assert_non_null(strstr(err_text, "no scene '\\e]0;PWN\\anosuch'"));
    assert_int_equal(sh("--fps '\x1b[31m\xc2\x9b'"), 2);
    assert_inert("usage", err_text);
    assert_non_null(strstr(err_text, "got '\\e[31m\\u009b'"));
    assert_int_equal(sh("'--\x1b[2J'"), 2);
    assert_inert("unknown option", err_text);
    assert_non_null(strstr(err_text, "unknown option '--\\e[2J'"));
    assert_int_equal(sh("--headless --set 'eta=\xe2\x80\xae" "1'"), 2);
    assert_inert("--set value", err_text);
    assert_non_null(strstr(err_text, "got '\\u202e1'"));
    assert_int_equal(sh("--headless prop2-quad '\x9b" "2J'"), 2);
    assert_inert("second scene", err_text);
    assert_non_null(strstr(err_text, "got also '\\x9b2J'"));
    /* output paths that cannot be written are quoted escaped too */
    assert_int_equal(sh("--headless --steps 10 --csv "
                        "'/nonexistent\x1b[2J/x.csv'"), 2);
    assert_inert("--csv path", err_text);
    assert_non_null(strstr(err_text, "'/nonexistent\\e[2J/x.csv'"));
    assert_int_equal(sh("--headless --steps 10 --record "
                        "'/nonexistent\x1b]0;x\x07/x.cast'"), 2);
    assert_inert("--record path", err_text);
    assert_non_null(strstr(err_text, "'/nonexistent\\e]0;x\\a/x.cast'"));
}

/* An unknown key longer than the quote is cut on a character boundary
 * (item 10): stderr stays valid UTF-8. */
static void test_unknown_key_cut_on_a_character(void **st)
{
    (void)st;
    char args[400] = "--headless --set 'xy";
    for (int i = 0; i < 40; i++)
        strcat(args, "\xc3\xa9");
    strcat(args, "=1'");
    assert_int_equal(sh(args), 2);
    assert_inert("unknown key", err_text);
    assert_non_null(strstr(err_text, "unknown key 'xy\xc3\xa9"));
}

/* A title and a caption with C1 and bidi controls, in a --snapshot frame,
 * the summary's scene name, and a recording's title and markers. */
static void test_frame_summary_and_cast(void **st)
{
    (void)st;
    write_file(tmpdir, "c1\xc2\x9bscene.scene",
               "title = \"T\xc2\x9b" "2J\xe2\x81\xa6" "x\"\n"
               "steps = 50\n"
               "at 0: caption 40 \"cap\xc2\x9b" "1m\xe2\x80\xae" "tion\"\n");
    char args[700];
    snprintf(args, sizeof args,
             "--snapshot --at 10 --size 100x30 '%s/c1\xc2\x9bscene.scene'",
             tmpdir);
    assert_int_equal(sh(args), 0);
    assert_inert("--snapshot", out_text);
    if (!strstr(out_text, "T\\u009b2J\\u2066x"))
        fail_msg("the title bar lacks the escaped title:\n%s", out_text);
    if (!strstr(out_text, "cap\\u009b1m\\u202etion"))
        fail_msg("the frame lacks the escaped caption:\n%s", out_text);

    snprintf(args, sizeof args, "--headless --summary '%s/c1\xc2\x9bscene.scene'",
             tmpdir);
    assert_int_equal(sh(args), 0);
    assert_inert("--summary", out_text);
    assert_non_null(strstr(out_text, "\"scene\":\"c1\\\\u009bscene\""));

    snprintf(args, sizeof args,
             "--headless --record %s/t.cast --size 80x24 "
             "'%s/c1\xc2\x9bscene.scene'",
             tmpdir, tmpdir);
    assert_int_equal(sh(args), 0);
    char p[300];
    static char cast[1 << 22];
    snprintf(p, sizeof p, "%s/t.cast", tmpdir);
    slurp(p, cast, sizeof cast);
    /* JSON keeps ESC as \u001b in the frames; the raw user text must not
     * be there at all, in the title or in a marker label */
    assert_null(strstr(cast, "\xc2\x9b"));
    assert_null(strstr(cast, "\xe2\x80\xae"));
    assert_null(strstr(cast, "\xe2\x81\xa6"));
    if (!strstr(cast, "\"title\": \"sgdscope: T\\\\u009b2J\\\\u2066x\""))
        fail_msg("the cast header lacks the escaped title:\n%.300s", cast);
    if (!strstr(cast, "\"m\", \"caption: cap\\\\u009b1m\\\\u202etion\""))
        fail_msg("the cast lacks the escaped caption marker");
}

/* A FIFO named like a scene, in the search path: --list completes and
 * says what it is; given as the scene, it is exit 2 naming it (item 8).
 * `timeout` in sh() is only a safety net: a hang is status 124. */
static void test_fifo_scene(void **st)
{
    (void)st;
    char p[600];
    snprintf(p, sizeof p, "%s/fifo.scene", scenes);
    assert_int_equal(mkfifo(p, 0600), 0);
    assert_int_equal(sh("--list"), 0);
    if (!strstr(out_text, "fifo ") ||
        !strstr(out_text, "(not a regular file: a FIFO)"))
        fail_msg("--list:\n%s", out_text);
    assert_non_null(strstr(out_text, "prop2-quad "));
    char args[700];
    snprintf(args, sizeof args, "--headless --steps 5 %s", p);
    assert_int_equal(sh(args), 2);
    char want[700];
    snprintf(want, sizeof want, "%s: error: not a regular file: a FIFO", p);
    if (!strstr(err_text, want))
        fail_msg("stderr:\n%s", err_text);
    /* by name, through the search path */
    assert_int_equal(sh("--headless --steps 5 fifo"), 2);
    assert_non_null(strstr(err_text, "not a regular file: a FIFO"));
    /* and a directory named like a scene */
    snprintf(p, sizeof p, "%s/dir.scene", scenes);
    assert_int_equal(mkdir(p, 0700), 0);
    assert_int_equal(sh("--headless --steps 5 dir"), 2);
    assert_non_null(strstr(err_text, "not a regular file: a directory"));
    assert_int_equal(sh("--list"), 0);
    assert_non_null(strstr(out_text, "(not a regular file: a directory)"));
    rmdir(p);
    snprintf(p, sizeof p, "%s/fifo.scene", scenes);
    unlink(p);
}

/* η stays a positive finite number (item 10): a scene that would take it
 * to 0 or infinity is refused at the line; keys that would are held at
 * the bound with a message on stderr (headless), and the summary's eta
 * is never 0 or null. */
static void test_eta_range(void **st)
{
    (void)st;
    write_file(tmpdir, "eta0.scene", "at 1: eta 5e-324\nat 2: scale 5e-324\n");
    char args[600];
    snprintf(args, sizeof args, "--headless --summary %s/eta0.scene", tmpdir);
    assert_int_equal(sh(args), 2);
    assert_non_null(strstr(err_text, "eta0.scene:1:11: error: eta "
                                     "4.94066e-324 is below the smallest"));
    write_file(tmpdir, "etainf.scene", "at 1: eta 1e308\nat 2: scale 1e308\n");
    snprintf(args, sizeof args, "--headless --summary %s/etainf.scene",
             tmpdir);
    assert_int_equal(sh(args), 2);
    assert_non_null(strstr(err_text, "etainf.scene:2:13: error: scale 1e+308 "
                                     "takes eta above the largest"));
    assert_int_equal(sh("--headless --summary --set eta=3e-308 --steps 6 "
                        "--script '1:- 2:- 3:- 4:- 5:d'"), 0);
    assert_non_null(strstr(err_text, "sgdscope: step 4: η held at "
                                     "2.22507e-308, the smallest step size"));
    assert_non_null(strstr(err_text, "sgdscope: step 5: η held at"));
    assert_non_null(strstr(out_text, "\"eta\":2.225073859e-308,"));
    /* from the minimum θ* = 1 the gradient is 0: even this η keeps it */
    assert_int_equal(sh("--headless --summary --set eta=1.7e308 "
                        "--set theta0=1 --steps 3 --script '1:+'"), 0);
    assert_non_null(strstr(err_text, "η held at 1.79769e+308, the largest"));
    assert_null(strstr(out_text, "\"eta\":null"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_hostile_names),
        cmocka_unit_test(test_parse_error_hostile_file_name),
        cmocka_unit_test(test_argument_errors),
        cmocka_unit_test(test_unknown_key_cut_on_a_character),
        cmocka_unit_test(test_frame_summary_and_cast),
        cmocka_unit_test(test_fifo_scene),
        cmocka_unit_test(test_eta_range),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

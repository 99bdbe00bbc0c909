/* test_cli.c — the real binary: usage errors, scene errors, headless
 * output, determinism across processes, divergence as an outcome. */
#include "testutil.h"

#include <ctype.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "scene.h"

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
        {"--bogus", "unknown option '--bogus'\n"},
        {"--fsp", "unknown option '--fsp' (did you mean '--fps'?)"},
        {"--fsp=3", "unknown option '--fsp=3' (did you mean '--fps'?)"},
        {"--hedless", "(did you mean '--headless'?)"},
        {"--no-colour", "(did you mean '--no-color'?)"},
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

/* The summary's verdict is exactly one of the five words, and its
 * sharpness a number or null (issue 7, item 3). */
static void check_verdict_and_sharpness(const char *json, const char *want)
{
    const char *v = strstr(json, "\"verdict\":\"");
    if (!v)
        fail_msg("summary lacks \"verdict\":\n%s", json);
    v += strlen("\"verdict\":\"");
    const char *words[] = {"bouncing", "converging", "converged", "erratic",
                           "diverged"};
    int found = 0;
    for (size_t i = 0; i < 5; i++) {
        size_t n = strlen(words[i]);
        if (strncmp(v, words[i], n) == 0 && v[n] == '"')
            found++;
    }
    if (found != 1)
        fail_msg("verdict is not one of the five words:\n%s", json);
    if (want && strncmp(v, want, strlen(want)) != 0)
        fail_msg("verdict is not %s:\n%s", want, json);
    const char *sh_ = strstr(json, "\"sharpness\":");
    if (!sh_)
        fail_msg("summary lacks \"sharpness\":\n%s", json);
    sh_ += strlen("\"sharpness\":");
    char *end;
    strtod(sh_, &end);
    if (strncmp(sh_, "null", 4) != 0 && (end == sh_ || (*end != ',' &&
                                                       *end != '}')))
        fail_msg("sharpness is neither a number nor null:\n%s", json);
}

static void test_summary_fields(void **st)
{
    (void)st;
    assert_int_equal(sh("--headless --model quad1d --set eta=3 --summary"), 0);
    check_verdict_and_sharpness(out_text, "diverged");
    assert_int_equal(sh("--headless --model quad1d --steps 500 --summary"), 0);
    const char *keys[] = {"\"scene\":", "\"model\":\"quad1d\"", "\"seed\":1",
                          "\"steps\":500", "\"eta\":1.1", "\"train_loss\":",
                          "\"test_loss\":", "\"rank\":1", "\"theta\":",
                          "\"diverged\":false", "\"diverged_at\":null"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strstr(out_text, keys[i]))
            fail_msg("summary lacks %s:\n%s", keys[i], out_text);
    check_verdict_and_sharpness(out_text, NULL);

    assert_int_equal(sh("--headless --model relu1d --set eta=2e-4 "
                        "--set warmup=0.5:400:1 --steps 2000 --seed 7 "
                        "--summary"), 0);
    assert_non_null(strstr(out_text, "\"feature_sparsity\":"));
    assert_non_null(strstr(out_text, "\"kinks\":"));
    assert_non_null(strstr(out_text, "\"seed\":7"));
    assert_null(strstr(out_text, "\"l0\""));
    check_verdict_and_sharpness(out_text, NULL);

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
    assert_true(strncmp(out_text, "run,step,eta,dynamics,batch,train_loss,",
                        39) == 0);
    assert_non_null(strstr(out_text, ",theta\n"));
    int lines = 0;
    for (const char *c = out_text; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 1 + 11); /* header, steps 0, 10, ..., 100 */
    assert_non_null(strstr(out_text, "\nmain,100,"));
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
    assert_non_null(strstr(out_text, "\nmain,100,"));

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
                           "fig4-relu-decay2", "fig4-relu-decay50",
                           "fig2-compare", "prop2-compare", "fig4-compare",
                           "fig10-compare", "appc-sde-diag",
                           "appc-sde-relu"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char a[300];
        snprintf(a, sizeof a, "--headless %s --steps 300 --summary", names[i]);
        if (sh(a) != 0)
            fail_msg("%s: %s", names[i], err_text);
        assert_non_null(strstr(out_text, names[i]));
    }
}

/* --list shows every shipped scene with its title. */
static void test_list(void **st)
{
    (void)st;
    assert_int_equal(sh("--list"), 0);
    const char *names[] = {"prop2-quad ", "prop2-quad-below", "prop2-quad-above",
                           "fig2-diag-small", "fig2-diag-decay10",
                           "fig2-diag-decay30", "fig2-diag-decay50",
                           "fig10-diag-gd", "fig4-relu-decay2",
                           "fig4-relu-decay50", "fig11-relu-overreg",
                           "fig7-valley2d", "tour ", "fig2-compare",
                           "prop2-compare", "fig4-compare", "fig10-compare",
                           "appc-sde-diag", "appc-sde-relu"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strstr(out_text, names[i]))
            fail_msg("--list lacks %s:\n%s", names[i], out_text);
    assert_null(strstr(out_text, "does not parse"));
}

/* Decodes the JSON string starting at the opening quote p into out
 * (enough for the casts written here: \uXXXX below 0x10000). */
static size_t json_string(const char *p, char *out, size_t cap)
{
    size_t n = 0;
    for (p++; *p && *p != '"' && n + 4 < cap; p++) {
        if (*p != '\\') {
            out[n++] = *p;
            continue;
        }
        p++;
        switch (*p) {
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case 't': out[n++] = '\t'; break;
        case 'u': {
            unsigned cp = (unsigned)strtoul((char[]){p[1], p[2], p[3], p[4], 0},
                                            NULL, 16);
            p += 4;
            if (cp < 0x80) {
                out[n++] = (char)cp;
            } else if (cp < 0x800) {
                out[n++] = (char)(0xC0 | (cp >> 6));
                out[n++] = (char)(0x80 | (cp & 0x3F));
            } else {
                out[n++] = (char)(0xE0 | (cp >> 12));
                out[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                out[n++] = (char)(0x80 | (cp & 0x3F));
            }
            break;
        }
        default: out[n++] = *p;
        }
    }
    out[n] = 0;
    return n;
}

/* Drops ANSI escape sequences and turns "\r\n" into "\n". */
static void plain(char *s)
{
    char *w = s;
    for (char *r = s; *r;) {
        if (*r == 0x1b && r[1] == '[') {
            r += 2;
            while (*r && !((*r >= 'A' && *r <= 'Z') || (*r >= 'a' && *r <= 'z')))
                r++;
            if (*r)
                r++;
        } else if (*r == '\r' && r[1] == '\n') {
            r++;
        } else {
            *w++ = *r++;
        }
    }
    *w = 0;
}

/* A headless recording: valid header, one frame per line, markers at the
 * η events, written atomically, and its last frame is --snapshot of the
 * same scene and step. */
/* The last frame of a headless recording of args is --snapshot's frame;
 * the recording's markers include want (NULL: none asked). */
static void record_matches_snapshot(const char *args, const char *want)
{
    static char snap[1 << 16], frame[1 << 20], line[1 << 20];
    char a[1024], path[512];
    int marked = 0;
    snprintf(path, sizeof path, "%s/demo.cast", tmpdir);
    snprintf(a, sizeof a, "--headless --record %s --size 100x30 %s", path,
             args);
    assert_int_equal(sh(a), 0);
    snprintf(a, sizeof a, "--snapshot --size 100x30 %s", args);
    assert_int_equal(sh(a), 0);
    strcpy(snap, out_text);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int lines = 0, markers = 0, frames = 0;
    while (fgets(line, sizeof line, f)) {
        lines++;
        if (lines == 1) {
            assert_non_null(strstr(line, "\"version\": 2"));
            assert_non_null(strstr(line, "\"width\": 100"));
            assert_non_null(strstr(line, "\"height\": 30"));
            continue;
        }
        assert_true(line[0] == '[');
        char *kind = strstr(line, ", \"");
        assert_non_null(kind);
        if (strncmp(kind, ", \"m\"", 5) == 0) {
            markers++;
            marked |= want && strstr(kind, want) != NULL;
            continue;
        }
        assert_true(strncmp(kind, ", \"o\"", 5) == 0);
        frames++;
        json_string(strchr(kind + 5, '"'), frame, sizeof frame);
    }
    fclose(f);
    assert_true(frames > 10);
    assert_true(markers >= 2); /* the decay and the η change */
    if (want && !marked)
        fail_msg("%s: no marker '%s'", args, want);
    plain(frame);
    strcat(frame, "\n");
    assert_string_equal(frame, snap);
    /* no temporary left next to it */
    snprintf(a, sizeof a, "ls %s | grep -c demo.cast > %s/n", tmpdir, tmpdir);
    assert_int_equal(system(a) >= 0, 1);
    char np[600];
    snprintf(np, sizeof np, "%s/n", tmpdir);
    slurp(np, line, 64);
    assert_int_equal(atoi(line), 1);
}

static void test_record_matches_snapshot(void **st)
{
    (void)st;
    record_matches_snapshot("--steps 3000 --script '1000:d 2000:+' "
                            "fig2-diag-decay50", "step 1000: decay");
    /* a comparison: the whole session, a fork and the prefix in it; its
     * markers name their run */
    record_matches_snapshot("--steps 3000 --script '1000:f 1000:d 2000:tab "
                            "2000:* 2000:+' fig4-compare",
                            "decay2-f1 step 1000: decay");
}

/* Keys that pause or step have no meaning without a screen: a headless
 * recording or run with them in its script still ends (it once looped
 * forever, filling the disk). */
static void test_headless_ignores_pause_keys(void **st)
{
    (void)st;
    char a[1024];
    snprintf(a, sizeof a, "timeout 60 %s --headless --record %s/p.cast "
             "--size 60x20 --steps 300 --script '100:space 150:. 200:r' "
             "prop2-quad </dev/null >/dev/null 2>&1", bin(), tmpdir);
    int rc = system(a);
    assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
    assert_int_equal(sh("--headless --steps 300 --script '100:space 150:.' "
                        "--summary prop2-quad"), 0);
    assert_non_null(strstr(out_text, "\"steps\":300"));
}

/* An event that resets the run does not cut a snapshot short: it shows
 * step N, as the recording's last frame does. */
static void test_snapshot_after_reset_event(void **st)
{
    (void)st;
    assert_int_equal(sh("--snapshot prop2-quad --steps 300 --size 100x30 "
                        "--script '150:r'"), 0);
    assert_non_null(strstr(out_text, "step 300"));
    assert_int_equal(sh("--headless --script '10:m' --steps 100"), 2);
    assert_non_null(strstr(err_text, "key 'm' is unknown or not for scripts"));
    /* nor keys that switch scenes, wait for typing or write files */
    const char *refused[] = {"M", "p", ":", "e"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "--headless --script '10:%s' --steps 100",
                 refused[i]);
        assert_int_equal(sh(cmd), 2);
        assert_non_null(strstr(err_text, "not for scripts"));
    }
    /* a scene's timeline likewise, with its file:line:col */
    FILE *f = fopen("build/tests/presses-e.scene", "w");
    assert_non_null(f);
    fputs("model = quad1d\nat 5: key e\n", f);
    fclose(f);
    assert_int_equal(sh("--headless build/tests/presses-e.scene"), 2);
    assert_non_null(strstr(err_text, "presses-e.scene:2:11: error: key 'e' "
                                     "is unknown or not for scenes"));
    remove("build/tests/presses-e.scene");
}

/* A diverging run's CSV never repeats or goes back in step. */
static void test_csv_steps_monotone_through_divergence(void **st)
{
    (void)st;
    const char *runs[] = {
        "--headless --model diagnet --set eta=2 --set dynamics=sde "
        "--every 1 --csv -",
        "--headless --model quad1d --set eta=3 --every 1 --csv -",
        "--headless --model relu1d --set eta=1 --every 1 --csv -"};
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(sh(runs[k]), 0);
        long long prev = -1;
        int rows = 0;
        for (const char *l = strchr(out_text, '\n'); l && l[1];
             l = strchr(l + 1, '\n')) {
            const char *c = strchr(l + 1, ','); /* after the run */
            assert_non_null(c);
            long long step = atoll(c + 1);
            if (!(step > prev))
                fail_msg("%s: step %lld after %lld:\n%s", runs[k], step, prev,
                         out_text);
            prev = step;
            rows++;
        }
        assert_true(rows >= 1);
    }
}

/* Bad recording paths, scripts and timelines: a clear error before
 * anything runs, exit 2, nothing written. */
static void test_record_and_script_errors(void **st)
{
    (void)st;
    char a[1024];
    snprintf(a, sizeof a, "--headless --record %s/nodir/x.cast --steps 10",
             tmpdir);
    assert_int_equal(sh(a), 2);
    assert_non_null(strstr(err_text, "nodir/x.cast"));
    assert_int_equal(sh("--headless --script '100:Z' --steps 10"), 2);
    assert_non_null(strstr(err_text, "--script"));
    assert_int_equal(sh("--headless --script 'x:+' --steps 10"), 2);
    assert_int_equal(sh("--headless --script '100' --steps 10"), 2);
    write_file("order.scene", "model = quad1d\nat 500: decay\nat 100: decay\n");
    snprintf(a, sizeof a, "--headless %s/order.scene", tmpdir);
    assert_int_equal(sh(a), 2);
    assert_non_null(strstr(err_text, "order.scene:3:"));
    write_file("key.scene", "model = quad1d\nat 5: key Z\n");
    snprintf(a, sizeof a, "--headless %s/key.scene", tmpdir);
    assert_int_equal(sh(a), 2);
    assert_non_null(strstr(err_text, "key.scene:2:"));
    assert_int_equal(sh("--snapshot --record x.cast"), 2);
}

/* A timeline applies at its steps, headless as in the view, and is
 * logged: the decay shows in the events count and in η. */
static void test_timeline_applies(void **st)
{
    (void)st;
    write_file("tl.scene", "model = quad1d\neta = 1.1\nsteps = 400\n"
               "at 100: decay\nat 200: eta 0.5\nat 300: key +\n");
    char a[1024];
    snprintf(a, sizeof a, "--headless %s/tl.scene --every 100 --csv -", tmpdir);
    assert_int_equal(sh(a), 0);
    assert_non_null(strstr(out_text, "\nmain,100,0.55,"));
    assert_non_null(strstr(out_text, "\nmain,200,0.5,"));
    assert_non_null(strstr(out_text, "\nmain,300,0.55,"));
}

/* The first line of a file (its CSV header) into buf. */
static void first_line(const char *path, char *buf, size_t cap)
{
    slurp(path, buf, cap);
    char *nl = strchr(buf, '\n');
    if (nl)
        *nl = 0;
}

/* Checks, with Python's csv.DictReader as a user would read them, that
 * both files carry step and a verdict word on every row, that dynamics
 * and batch follow the events (o at 100, B at 200), and that where both
 * have a row for the same step, the two agree on what it measured. */
static const char csv_check_py[] =
    "import csv, sys\n"
    "words = {'bouncing', 'converging', 'converged', 'erratic', 'diverged'}\n"
    "tables = []\n"
    "for p in sys.argv[1:]:\n"
    "    rows = list(csv.DictReader(open(p, newline='')))\n"
    "    assert len(rows) > 10, (p, len(rows))\n"
    "    for r in rows:\n"
    "        s = int(r['step'])\n"
    "        assert r['run'] == 'main', (p, r)\n"
    "        assert r['verdict'] in words, (p, r)\n"
    "        assert r['dynamics'] == ('sgd' if s < 200 else 'gd'), (p, r)\n"
    "        # a batch size is SGD's only: empty under GD\n"
    "        assert r['batch'] == ('1' if s < 100 else '2' if s < 200 else ''), (p, r)\n"
    "        assert float(r['train_min']) <= float(r['train_loss']) "
    "<= float(r['train_max']), (p, r)\n"
    "    steps = [int(r['step']) for r in rows]\n"
    "    assert steps == sorted(set(steps)), (p, steps)\n"
    "    tables.append({int(r['step']): r for r in rows})\n"
    "a, b = tables\n"
    "common = sorted(set(a) & set(b))\n"
    "assert len(common) > 10, common\n"
    "for s in common:\n"
    "    for k in ('eta', 'dynamics', 'batch', 'train_loss', 'test_loss',\n"
    "              'rank'):\n"
    "        assert a[s][k] == b[s][k], (s, k, a[s][k], b[s][k])\n"
    "print('csv-ok')\n";

/* The `e` export and --csv share one schema: the same header, readable
 * by name, with the same meaning in every column (issue 7, item 9). */
static void test_csv_one_schema(void **st)
{
    (void)st;
    static scene sc;
    static app a;
    scene_err e;
    char err[256], exp_path[512], csv_path[512], args[1024];
    scene_init(&sc);
    assert_int_equal(scene_set(&sc, "model=quad1d", &e), 0);
    assert_int_equal(scene_set(&sc, "steps=300", &e), 0);
    assert_int_equal(scene_set(&sc, "every=10", &e), 0);
    assert_int_equal(scene_finalize(&sc, &e), 0);
    assert_int_equal(app_open(&a, &sc, NULL, err, sizeof err), 0);
    a.headless = 1;
    app_run_to(&a, 100);
    app_act(&a, ACT_BATCH_UP); /* 1 -> 2 */
    app_run_to(&a, 200);
    app_act(&a, ACT_DYNAMICS); /* SGD -> GD */
    app_run_to(&a, 300);
    snprintf(exp_path, sizeof exp_path, "%s/export.csv", tmpdir);
    if (app_export_csv(&a, exp_path, err, sizeof err) != 0)
        fail_msg("export: %s", err);
    app_close(&a);

    snprintf(csv_path, sizeof csv_path, "%s/headless.csv", tmpdir);
    snprintf(args, sizeof args, "--headless --model quad1d --steps 300 "
             "--every 10 --script '100:B 200:o' --csv %s", csv_path);
    assert_int_equal(sh(args), 0);

    static char h1[4096], h2[4096];
    first_line(exp_path, h1, sizeof h1);
    first_line(csv_path, h2, sizeof h2);
    assert_string_equal(h1, h2);
    assert_string_equal(h1, "run,step,eta,dynamics,batch,train_loss,test_loss,"
                            "train_min,train_max,band_lo,band_hi,bounce,"
                            "rank,sharpness,verdict,theta");

    char py[600], cmd[2048];
    snprintf(py, sizeof py, "%s/check.py", tmpdir);
    FILE *f = fopen(py, "w");
    assert_non_null(f);
    fputs(csv_check_py, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "python3 %s %s %s >%s/py.out 2>&1", py,
             exp_path, csv_path, tmpdir);
    int rc = system(cmd);
    snprintf(py, sizeof py, "%s/py.out", tmpdir);
    slurp(py, out_text, sizeof out_text);
    if (!(WIFEXITED(rc) && WEXITSTATUS(rc) == 0) || !strstr(out_text, "csv-ok"))
        fail_msg("the CSV files do not read as one schema:\n%s", out_text);

    /* the model's extra columns close the header, for each model */
    assert_int_equal(sh("--headless --model relu1d --steps 10 --csv -"), 0);
    assert_true(strncmp(out_text, h1, strlen(h1) - strlen(",theta")) == 0);
    assert_non_null(strstr(out_text, ",verdict,feature_sparsity,kinks\n"));
    assert_int_equal(sh("--headless --model diagnet --set d=30 --set n=20 "
                        "--set r=3 --steps 10 --csv -"), 0);
    assert_non_null(strstr(out_text, ",verdict,l0\n"));
}

/* A rewind restores θ, not the dynamics: after switching to GD at step
 * 50, diverging and rewinding to a checkpoint R before 50 (and replaying
 * up to the session's step), the export's rows from R on say gd (the switch logged at 50 belongs to the
 * abandoned future, but its setting stays in force). */
static void test_export_dynamics_through_rewind(void **st)
{
    (void)st;
    static scene sc;
    static app a;
    scene_err e;
    char err[256], path[512];
    scene_init(&sc);
    assert_int_equal(scene_set(&sc, "model=quad1d", &e), 0);
    assert_int_equal(scene_set(&sc, "steps=400", &e), 0);
    assert_int_equal(scene_set(&sc, "every=1", &e), 0);
    /* η ×5 at step 60: GD leaves the valley there */
    assert_int_equal(scene_set(&sc, "decays=60:0.2", &e), 0);
    assert_int_equal(scene_finalize(&sc, &e), 0);
    assert_int_equal(app_open(&a, &sc, NULL, err, sizeof err), 0);
    a.headless = 1;
    app_run_to(&a, 50);
    app_act(&a, ACT_DYNAMICS);
    app_run_to(&a, 400);
    assert_true(a.r->diverged);
    app_act(&a, ACT_REWIND);
    assert_false(a.r->diverged);
    /* the rewind's step is logged (the run then catches up with the
     * session, as every run of a comparison does) */
    const schedule *sd = &a.r->sched;
    size_t k = sd->nlog;
    while (k > 0 && sd->log[k - 1].kind != EV_REWIND)
        k--;
    assert_true(k > 0); /* then η ÷ 2, logged after it */
    uint64_t R = (uint64_t)sd->log[k - 1].value;
    assert_true(R < 50);
    app_run_to(&a, a.ses->t + 5);
    snprintf(path, sizeof path, "%s/rewind.csv", tmpdir);
    if (app_export_csv(&a, path, err, sizeof err) != 0)
        fail_msg("export: %s", err);
    app_close(&a);

    static char text[1 << 16];
    slurp(path, text, sizeof text);
    int after = 0;
    for (const char *l = strchr(text, '\n'); l && l[1];
         l = strchr(l + 1, '\n')) {
        const char *c = strchr(l + 1, ',');     /* step */
        assert_non_null(c);
        unsigned long long step = strtoull(c + 1, NULL, 10);
        c = strchr(c + 1, ',');                 /* eta */
        assert_non_null(c);
        c = strchr(c + 1, ',');                 /* dynamics */
        assert_non_null(c);
        const char *want = step >= R ? "gd," : "sgd,";
        if (strncmp(c + 1, want, strlen(want)) != 0)
            fail_msg("row at step %llu (rewound to %llu): want %.*s:\n%s",
                     step, (unsigned long long)R, (int)strlen(want) - 1,
                     want, text);
        after += step >= R;
    }
    assert_true(after >= 5);
}

/* --at picks the step to show while --steps stays the run length, so a
 * decay at 30% of a 1000-step run has not happened at step 200 (with
 * --steps 200 it would have, at 60).  The snapshot, a headless recording's
 * last frame and a headless summary all stop at the same step. */
static void test_at_keeps_the_run_length(void **st)
{
    (void)st;
    static char at200[1 << 16], frame[1 << 20], line[1 << 20];
    assert_int_equal(sh("--snapshot fig2-diag-decay30 --steps 1000 --at 200 "
                        "--size 100x30"), 0);
    strcpy(at200, out_text);
    assert_non_null(strstr(at200, "step 200"));
    assert_non_null(strstr(at200, "pre-decay"));
    assert_null(strstr(at200, "decayed"));
    assert_int_equal(sh("--snapshot fig2-diag-decay30 --steps 1000 --at 20% "
                        "--size 100x30"), 0);
    assert_string_equal(out_text, at200);
    /* --steps alone still means "the run, and its end" */
    assert_int_equal(sh("--snapshot fig2-diag-decay30 --steps 200 "
                        "--size 100x30"), 0);
    assert_non_null(strstr(out_text, "step 200"));
    assert_non_null(strstr(out_text, "decayed"));

    assert_int_equal(sh("--headless fig2-diag-decay30 --steps 1000 --at 200 "
                        "--summary"), 0);
    assert_non_null(strstr(out_text, "\"steps\":200"));
    assert_non_null(strstr(out_text, "\"phase\":\"pre-decay\""));
    assert_int_equal(sh("--headless fig2-diag-decay30 --steps 1000 "
                        "--at 40% --every 100 --csv -"), 0);
    assert_non_null(strstr(out_text, "\nmain,400,"));
    assert_null(strstr(out_text, "\nmain,500,"));

    char a[1024], path[512];
    snprintf(path, sizeof path, "%s/at.cast", tmpdir);
    snprintf(a, sizeof a, "--headless --record %s --size 100x30 "
             "--steps 1000 --at 200 fig2-diag-decay30", path);
    assert_int_equal(sh(a), 0);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f)) {
        char *kind = strstr(line, ", \"o\"");
        if (line[0] == '[' && kind)
            json_string(strchr(kind + 5, '"'), frame, sizeof frame);
    }
    fclose(f);
    plain(frame);
    strcat(frame, "\n");
    assert_string_equal(frame, at200);

    /* where --at means nothing or names no step of the run: exit 2 */
    const char *bad[][2] = {
        {"--snapshot --steps 1000 --at 1001", "past the end of the run"},
        {"--snapshot --at 101%", "--at needs a step N or a share P%"},
        {"--snapshot --at x", "--at needs a step N or a share P%"},
        {"--snapshot --at -5", "--at needs a step N or a share P%"},
        {"--at 100", "--at needs --snapshot or --headless"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(sh(bad[i][0]), 2);
        if (!strstr(err_text, bad[i][1]))
            fail_msg("'%s': stderr lacks '%s':\n%s", bad[i][0], bad[i][1],
                     err_text);
        assert_non_null(strstr(err_text, "usage: sgdscope"));
    }
}

/* Every flag of --help is documented in sgdscope(1). */
static void test_manual_covers_help(void **st)
{
    (void)st;
    static char man[1 << 17];
    slurp("man/sgdscope.1", man, sizeof man);
    assert_true(strlen(man) > 1000);
    assert_int_equal(sh("--help"), 0);
    int checked = 0;
    for (const char *p = out_text; (p = strstr(p, "--")) != NULL;) {
        char flag[32] = {0}, roff[64] = {0};
        size_t k = 0;
        p += 2;
        while (k < sizeof flag - 1 && ((*p >= 'a' && *p <= 'z') || *p == '-'))
            flag[k++] = *p++;
        /* in roff source a flag is written \-\-name, with \- for '-' */
        size_t j = 0;
        j += (size_t)snprintf(roff, sizeof roff, "\\-\\-");
        for (size_t i = 0; flag[i] && j + 3 < sizeof roff; i++) {
            if (flag[i] == '-')
                j += (size_t)snprintf(roff + j, sizeof roff - j, "\\-");
            else
                roff[j++] = flag[i];
        }
        if (!strstr(man, roff))
            fail_msg("sgdscope.1 does not document --%s (%s)", flag, roff);
        checked++;
    }
    assert_true(checked >= 20);
}

/* ---- scenes named by the documentation --------------------------------- */

/* Whether name (a scene name or path, roff escapes already undone) is a
 * shipped scene: scenes/NAME.scene exists.  Placeholders (SCENE, [SCENE],
 * NAME.scene) are not names. */
static int doc_scene_ok(const char *tok, int *checked)
{
    char name[256];
    const char *b = strrchr(tok, '/');
    b = b ? b + 1 : tok;
    snprintf(name, sizeof name, "%s", b);
    size_t n = strlen(name);
    const char *ext = ".scene";
    if (n > 6 && strcmp(name + n - 6, ".scene") == 0)
        name[n -= 6] = 0;
    else if (n > 6 && strcmp(name + n - 6, ".sweep") == 0) {
        name[n -= 6] = 0; /* a sweep file: scenes/NAME.sweep */
        ext = ".sweep";
    }
    int upper = 1;
    for (size_t i = 0; i < n; i++)
        if (name[i] >= 'a' && name[i] <= 'z')
            upper = 0;
    if (n == 0 || upper || strchr(name, '['))
        return 1;
    char path[300];
    snprintf(path, sizeof path, "scenes/%s%s", name, ext);
    (*checked)++;
    return access(path, R_OK) == 0;
}

/* Undoes the roff escapes the pages use in commands and joins continued
 * lines ("\e" or "\" at the end of a line), in place. */
static void doc_plain(char *s)
{
    char *w = s;
    for (char *r = s; *r;) {
        if (r[0] == '\\' && r[1] == '-') {
            *w++ = '-';
            r += 2;
        } else if (strncmp(r, "\\(aq", 4) == 0) {
            *w++ = '\'';
            r += 4;
        } else if (strncmp(r, "\\e\n", 3) == 0) {
            *w++ = ' ';
            r += 3;
        } else if (r[0] == '\\' && r[1] == '\n') {
            *w++ = ' ';
            r += 2;
        } else {
            *w++ = *r++;
        }
    }
    *w = 0;
}

/* Checks the scene arguments of one command, from just after "sgdscope"
 * to the end of the command (a newline, or a closing backtick in
 * Markdown, which may span lines). */
static void doc_check_command(const char *doc, const char *p, int backtick,
                              int *checked)
{
    /* long options that take a value (the value is not a scene) */
    static const char *const valued[] = {"--model", "--set", "--seed",
        "--data-seed",
        "--steps", "--csv", "--every", "--size", "--record", "--script",
        "--fps", "--at", "--ghost", "--vary", "--seeds", "--shard", "--map",
        "--metric", "--x", "--y", NULL};
    char tok[256];
    int skip_value = 0;
    for (;;) {
        while (*p == ' ' || (backtick && *p == '\n'))
            p++;
        if (!*p || *p == '\n' || *p == '`' || *p == '#' || *p == ';' ||
            *p == '|' || *p == '>' || *p == '<')
            return;
        size_t k = 0;
        if (*p == '\'') { /* a quoted script: one value */
            const char *q = strchr(p + 1, '\'');
            if (!q)
                return;
            p = q + 1;
            tok[0] = '\'';
            tok[1] = 0;
        } else {
            while (*p && *p != ' ' && *p != '\n' && *p != '`' &&
                   k + 1 < sizeof tok)
                tok[k++] = *p++;
            tok[k] = 0;
        }
        if (skip_value) {
            skip_value = 0;
            continue;
        }
        if (tok[0] == '-') {
            if (!tok[1] || tok[1] != '-')
                return; /* "sgdscope \- watch ...": prose, not a command */
            for (size_t i = 0; valued[i]; i++)
                if (strcmp(tok, valued[i]) == 0)
                    skip_value = 1;
            continue;
        }
        if (tok[0] == '\'' || strchr(tok, '='))
            continue;
        if (!doc_scene_ok(tok, checked))
            fail_msg("%s: a command names the scene '%s', which is not in "
                     "scenes/", doc, tok);
    }
}

/* Every scene the manual pages and the README name exists: the scene
 * arguments of every sgdscope command they show, every scenes/X.scene
 * path, and the README's table of scenes (issue 7, item 10).  A file
 * name in an error message (my.scene:4:1: ...) is an example of a
 * user's own file, not a reference. */
static void test_docs_name_real_scenes(void **st)
{
    (void)st;
    const char *docs[] = {"README.md", "man/sgdscope.1",
                          "man/sgdscope-scene.5"};
    static char text[1 << 18];
    int checked = 0;
    for (size_t d = 0; d < 3; d++) {
        slurp(docs[d], text, sizeof text);
        assert_true(strlen(text) > 1000);
        doc_plain(text);
        /* commands: "sgdscope" or "./sgdscope" starting a line (after
         * indentation) or a Markdown code span */
        for (const char *p = text; (p = strstr(p, "sgdscope ")) != NULL;
             p++) {
            const char *s = p;
            if (s > text + 1 && strncmp(s - 2, "./", 2) == 0)
                s -= 2;
            int backtick = s > text && s[-1] == '`';
            const char *ls = s;
            while (ls > text && (ls[-1] == ' ' || ls[-1] == '\t'))
                ls--;
            int line_start = ls == text || ls[-1] == '\n';
            if (backtick || line_start)
                doc_check_command(docs[d], p + strlen("sgdscope "), backtick,
                                  &checked);
        }
        /* paths and names ending in .scene */
        for (const char *p = text; (p = strstr(p, ".scene")) != NULL; p++) {
            const char *s = p;
            while (s > text && (isalnum((unsigned char)s[-1]) ||
                                s[-1] == '-' || s[-1] == '_' || s[-1] == '/'))
                s--;
            if (s == p || p[6] == ':' || isalnum((unsigned char)p[6]))
                continue; /* ".scene" alone, an error location, .scene5 */
            char tok[256];
            snprintf(tok, sizeof tok, "%.*s", (int)(p + 6 - s), s);
            if (strcmp(tok, "my.scene") == 0 ||
                strcmp(tok, "lesson.scene") == 0)
                continue; /* introduced as a user's own files */
            if (!doc_scene_ok(tok, &checked))
                fail_msg("%s: names the scene '%s', which is not in scenes/",
                         docs[d], tok);
        }
    }
    /* the README's table of scenes: | `name` | what it shows | */
    slurp("README.md", text, sizeof text);
    int rows = 0;
    for (const char *p = text; (p = strstr(p, "\n| `")) != NULL; p++) {
        char tok[128];
        const char *q = strchr(p + 4, '`');
        assert_non_null(q);
        snprintf(tok, sizeof tok, "%.*s", (int)(q - p - 4), p + 4);
        if (strchr(tok, '-') == NULL && strcmp(tok, "tour") != 0)
            continue; /* the models' table: quad1d, diagnet, relu1d */
        rows++;
        if (!doc_scene_ok(tok, &checked))
            fail_msg("README.md: the scene table lists '%s', which is not "
                     "in scenes/", tok);
    }
    assert_true(rows >= 10);
    assert_true(checked >= 25);
}

/* Both manual pages render without a single groff warning. */
static void test_manuals_render_clean(void **st)
{
    (void)st;
    const char *pages[] = {"man/sgdscope.1", "man/sgdscope-scene.5"};
    for (size_t i = 0; i < 2; i++) {
        char cmd[600], p[300];
        snprintf(cmd, sizeof cmd, "groff -ww -man -Tutf8 %s >%s/man.out "
                 "2>%s/man.err", pages[i], tmpdir, tmpdir);
        assert_int_equal(system(cmd), 0);
        snprintf(p, sizeof p, "%s/man.err", tmpdir);
        slurp(p, err_text, sizeof err_text);
        if (err_text[0])
            fail_msg("%s: groff says:\n%s", pages[i], err_text);
        snprintf(p, sizeof p, "%s/man.out", tmpdir);
        slurp(p, out_text, sizeof out_text);
        assert_true(strlen(out_text) > 2000);
    }
}

/* The band and the verdict are the run's, fed at the scene's own cadence
 * (every = 285 here): rows every 1, 7 or 100 steps, or none before the
 * end, report the same band, bounce share and verdict at step 20000
 * (they gave band_lo 0.0156 / 0.011 / 9.2e-5 / 0.039 when the rows fed
 * the band). */
static void test_band_independent_of_rows(void **st)
{
    (void)st;
    static char first[4096];
    const char *every[] = {"1", "7", "100", "0"};
    for (size_t i = 0; i < sizeof every / sizeof every[0]; i++) {
        char a[256];
        snprintf(a, sizeof a, "--headless --summary fig2-diag-decay30 "
                 "--at 20000 --every %s", every[i]);
        assert_int_equal(sh(a), 0);
        const char *b = strstr(out_text, "\"band_lo\"");
        const char *e = strstr(out_text, "\"sharpness\"");
        assert_non_null(b);
        assert_non_null(e);
        assert_true(e > b && (size_t)(e - b) < sizeof first);
        if (i == 0) {
            memcpy(first, b, (size_t)(e - b));
            first[e - b] = 0;
            assert_non_null(strstr(first, "\"verdict\":\"bouncing\""));
        } else if (strncmp(first, b, (size_t)(e - b)) != 0 ||
                   first[e - b] != 0) {
            fail_msg("--every %s: %.*s\nvs --every 1: %s", every[i],
                     (int)(e - b), b, first);
        }
    }
}


/* Issue 8.2: a diverged run ends the same whatever --every (the same
 * summary, byte for byte), a snapshot freezes at the same step, and the
 * final state is never null or beyond diverge_loss. */
static void test_freeze_independent_of_every(void **st)
{
    (void)st;
    static char first[sizeof out_text];
    const struct { const char *args; const char *at; } runs[] = {
        {"prop2-quad --set eta=1e308 --steps 20", "step 0"},
        {"fig2-diag-small --set eta=0.4", "step 29"},
        /* past three checkpoints: the replay from one finds the step */
        {"fig2-diag-small --set eta=0.28 --seed 6 --steps 5000", "step 3857"},
        {"fig4-relu-decay50 --set eta=0.005 --steps 3000", "step 15"},
    };
    const char *every[] = {"0", "1", "7", "100"};
    for (size_t k = 0; k < sizeof runs / sizeof runs[0]; k++) {
        for (size_t i = 0; i < sizeof every / sizeof every[0]; i++) {
            char a[512];
            snprintf(a, sizeof a, "--headless %s --every %s --summary",
                     runs[k].args, every[i]);
            assert_int_equal(sh(a), 0);
            assert_non_null(strstr(out_text, "\"diverged\":true"));
            assert_null(strstr(out_text, "\"train_loss\":null"));
            const char *tl = strstr(out_text, "\"train_loss\":");
            assert_non_null(tl);
            double L = strtod(tl + 13, NULL);
            if (!(L <= 1e10))
                fail_msg("%s: final loss %g beyond diverge_loss", a, L);
            if (i == 0)
                snprintf(first, sizeof first, "%s", out_text);
            else if (strcmp(first, out_text) != 0)
                fail_msg("%s:\n%s\nvs --every 0:\n%s", a, out_text, first);
        }
        char a[512], want[64];
        snprintf(a, sizeof a, "--snapshot %s --size 100x30", runs[k].args);
        assert_int_equal(sh(a), 0);
        snprintf(want, sizeof want, "Diverged at %s ", runs[k].at);
        if (!strstr(out_text, want))
            fail_msg("%s: no '%s' in\n%s", a, want, out_text);
        snprintf(want, sizeof want, "\"diverged_at\":%s}", runs[k].at + 5);
        if (!strstr(first, want))
            fail_msg("headless %s: no '%s' in\n%s", runs[k].args, want, first);
    }
}

/* A comparison headless: one CSV header, a `run` column naming each row's
 * run (rows of every run at every --every, in run order), and one JSON
 * object per run on its own line, with "run" first.  --set NAME.KEY
 * changes one run; an unknown NAME is a usage error with a hint. */
static const char compare_py[] =
    "import csv, json, sys\n"
    "rows = list(csv.DictReader(open(sys.argv[1], newline='')))\n"
    "runs = [r['run'] for r in rows]\n"
    "assert set(runs) == {'decay2', 'decay50'}, set(runs)\n"
    "for name in ('decay2', 'decay50'):\n"
    "    steps = [int(r['step']) for r in rows if r['run'] == name]\n"
    "    assert steps == list(range(0, 2001, 500)), (name, steps)\n"
    "    for r in rows:\n"
    "        assert r['kinks'] != '' and r['feature_sparsity'] != '', r\n"
    "lines = open(sys.argv[2]).read().splitlines()\n"
    "objs = [json.loads(l) for l in lines]\n"
    "assert [o['run'] for o in objs] == ['decay2', 'decay50'], lines\n"
    "assert all(l.startswith('{\"run\":') for l in lines), lines\n"
    "assert objs[0]['steps'] == objs[1]['steps'] == 2000, objs\n"
    "assert objs[1]['eta'] != objs[0]['eta'], objs\n"
    "print('compare-ok')\n";

static void test_comparison_headless(void **st)
{
    (void)st;
    char a[1024], py[300], cmd[2048];
    static char csv_text[1 << 16];
    snprintf(a, sizeof a, "--headless fig4-compare --steps 2000 --every 500 "
             "--csv %s/cmp.csv", tmpdir);
    assert_int_equal(sh(a), 0);
    snprintf(py, sizeof py, "%s/cmp.csv", tmpdir);
    slurp(py, csv_text, sizeof csv_text);
    assert_true(strncmp(csv_text, "run,step,eta,", 13) == 0);
    assert_non_null(strstr(csv_text, ",verdict,feature_sparsity,kinks\n"));
    assert_non_null(strstr(csv_text, "\ndecay2,0,"));
    assert_non_null(strstr(csv_text, "\ndecay50,2000,"));
    snprintf(a, sizeof a, "--headless fig4-compare --steps 2000 --summary "
             "--set decay50.eta=3e-4 > %s/cmp.json", tmpdir);
    assert_int_equal(sh(a), 0);
    snprintf(py, sizeof py, "%s/cmp.json", tmpdir);
    FILE *f = fopen(py, "w");
    assert_non_null(f);
    fputs(out_text, f);
    fclose(f);
    snprintf(py, sizeof py, "%s/cmp.py", tmpdir);
    f = fopen(py, "w");
    assert_non_null(f);
    fputs(compare_py, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "python3 %s %s/cmp.csv %s/cmp.json >%s/py.out "
             "2>&1", py, tmpdir, tmpdir, tmpdir);
    int rc = system(cmd);
    snprintf(py, sizeof py, "%s/py.out", tmpdir);
    slurp(py, out_text, sizeof out_text);
    if (!(WIFEXITED(rc) && WEXITSTATUS(rc) == 0) ||
        !strstr(out_text, "compare-ok"))
        fail_msg("the comparison's CSV or summary is wrong:\n%s", out_text);

    /* a single scene's one run is "main" */
    assert_int_equal(sh("--headless prop2-quad --steps 10 --summary"), 0);
    const char *head = "{\"run\":\"main\",\"scene\":\"prop2-quad\"";
    assert_true(strncmp(out_text, head, strlen(head)) == 0);

    /* errors before anything runs: exit 2, file:line:col, a hint */
    assert_int_equal(sh("--headless fig4-compare --set decay5.eta=1"), 2);
    assert_non_null(strstr(err_text, "--set:1:1: error: no run named "
                                     "'decay5'"));
    assert_non_null(strstr(err_text, "hint: did you mean"));
    assert_string_equal(out_text, "");
    write_file("dup.scene", "model = quad1d\nrun a\neta = 1\nrun a\n");
    snprintf(a, sizeof a, "--headless %s/dup.scene", tmpdir);
    assert_int_equal(sh(a), 2);
    assert_non_null(strstr(err_text, "dup.scene:4:5: error: run 'a' is "
                                     "named twice"));
    write_file("comp.scene", "model = diagnet\nrun sgd\nrun sde\n"
               "dynamics = sde\nsde_companion = sgdd\n");
    snprintf(a, sizeof a, "--headless %s/comp.scene", tmpdir);
    assert_int_equal(sh(a), 2);
    assert_non_null(strstr(err_text, "comp.scene:5:17: error: no run named "
                                     "'sgdd'"));
    assert_non_null(strstr(err_text, "did you mean 'sgd'?"));
}


/* Issue 8: every promise of the manual listed in tests/promises.txt names
 * tests that exist: a cmocka test defined and registered in its file, or
 * an e2e check of its script; and the manual still has the section. */
static void test_promises_backed(void **st)
{
    (void)st;
    static char man[1 << 17], man5[1 << 17], file[1 << 18];
    slurp("man/sgdscope.1", man, sizeof man);
    slurp("man/sgdscope-scene.5", man5, sizeof man5);
    FILE *f = fopen("tests/promises.txt", "r");
    assert_non_null(f);
    char line[2048];
    int promises = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *bar1 = strchr(line, '|'), *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
        if (!bar1 || !bar2)
            fail_msg("tests/promises.txt: malformed line: %s", line);
        char sect[128];
        size_t sl = (size_t)(bar1 - line);
        while (sl > 0 && line[sl - 1] == ' ')
            sl--;
        assert_true(sl < sizeof sect);
        memcpy(sect, line, sl);
        sect[sl] = 0;
        char want[160];
        snprintf(want, sizeof want, "\n.SH %s\n", sect);
        if (!strstr(man, want) && !strstr(man5, want))
            fail_msg("promises.txt names section '%s', not in the manuals", sect);
        int tests = 0;
        for (char *tok = strtok(bar2 + 1, ",\n"); tok; tok = strtok(NULL, ",\n")) {
            while (*tok == ' ')
                tok++;
            char *colon = strchr(tok, ':');
            if (!colon)
                fail_msg("promises.txt: '%s' is not FILE:TEST", tok);
            *colon = 0;
            const char *name = colon + 1;
            slurp(tok, file, sizeof file);
            if (!file[0])
                fail_msg("promises.txt: no file %s", tok);
            char a[200], b[200];
            if (name[0] == '"') {
                /* an e2e check: ok "N ... */
                snprintf(a, sizeof a, "ok %.*s ", (int)strlen(name) - 1, name);
                if (!strstr(file, a))
                    fail_msg("promises.txt: %s has no check %s", tok, name);
            } else {
                snprintf(a, sizeof a, "static void %s(", name);
                /* registered: cmocka_unit_test(NAME) or a macro T(NAME) */
                snprintf(b, sizeof b, "(%s)", name);
                if (!strstr(file, a) || !strstr(file, b))
                    fail_msg("promises.txt: %s does not define and register %s",
                             tok, name);
            }
            tests++;
        }
        assert_true(tests > 0);
        promises++;
    }
    fclose(f);
    assert_true(promises >= 10);
}

/* --ghost FILE[:RUN] draws a saved run behind the live ones: a file the
 * app cannot read, a run it does not hold, or --headless without a view
 * is exit 2 before anything runs; --record --summary prints one JSON
 * line per run of the session the recording drew. */
static void test_ghost_and_record_summary(void **st)
{
    (void)st;
    char a[1024];
    snprintf(a, sizeof a, "--headless fig4-compare --steps 600 --every 200 "
             "--csv %s/g.csv", tmpdir);
    assert_int_equal(sh(a), 0);
    snprintf(a, sizeof a, "--snapshot fig4-compare --steps 600 --ghost "
             "%s/g.csv:decay50", tmpdir);
    assert_int_equal(sh(a), 0);
    assert_string_equal(err_text, "");
    snprintf(a, sizeof a, "--snapshot fig4-compare --steps 600 --ghost "
             "%s/g.csv:decay9", tmpdir);
    assert_int_equal(sh(a), 2);
    assert_non_null(strstr(err_text, "sgdscope: --ghost: "));
    assert_non_null(strstr(err_text, "g.csv:9: no run 'decay9'"));
    assert_string_equal(out_text, "");
    snprintf(a, sizeof a, "--snapshot --ghost %s/none.csv", tmpdir);
    assert_int_equal(sh(a), 2);
    assert_non_null(strstr(err_text, "none.csv: cannot open"));
    snprintf(a, sizeof a, "--snapshot --ghost %s", tmpdir);
    assert_int_equal(sh(a), 2);
    assert_non_null(strstr(err_text, "not a regular file"));
    snprintf(a, sizeof a, "--headless fig4-compare --ghost %s/g.csv", tmpdir);
    assert_int_equal(sh(a), 2);
    assert_non_null(strstr(err_text, "needs the view"));
    assert_non_null(strstr(err_text, "usage: sgdscope"));
    assert_int_equal(sh("--snapshot --ghost"), 2);

    snprintf(a, sizeof a, "--headless --record %s/c.cast --summary "
             "fig4-compare --steps 600 --script '200:f'", tmpdir);
    assert_int_equal(sh(a), 0);
    const char *l2 = strchr(out_text, '\n');
    assert_non_null(l2);
    const char *r1 = "{\"run\":\"decay2\",", *r2 = "{\"run\":\"decay50\",";
    assert_true(strncmp(out_text, r1, strlen(r1)) == 0);
    assert_true(strncmp(l2 + 1, r2, strlen(r2)) == 0);
    assert_non_null(strstr(out_text, "\n{\"run\":\"decay2-f1\","));
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
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_record_matches_snapshot),
        cmocka_unit_test(test_record_and_script_errors),
        cmocka_unit_test(test_headless_ignores_pause_keys),
        cmocka_unit_test(test_snapshot_after_reset_event),
        cmocka_unit_test(test_csv_steps_monotone_through_divergence),
        cmocka_unit_test(test_timeline_applies),
        cmocka_unit_test(test_csv_one_schema),
        cmocka_unit_test(test_export_dynamics_through_rewind),
        cmocka_unit_test(test_at_keeps_the_run_length),
        cmocka_unit_test(test_manual_covers_help),
        cmocka_unit_test(test_manuals_render_clean),
        cmocka_unit_test(test_docs_name_real_scenes),
        cmocka_unit_test(test_band_independent_of_rows),
        cmocka_unit_test(test_freeze_independent_of_every),
        cmocka_unit_test(test_promises_backed),
        cmocka_unit_test(test_comparison_headless),
        cmocka_unit_test(test_ghost_and_record_summary),
    };
    return cmocka_run_group_tests_name("cli", tests, setup, teardown);
}

/* test_runs.c — the app's side of comparisons (issue 9): the app steps a
 * session (a scene is a comparison of one), Tab / Shift-Tab move the
 * focus, f forks, `*` applies the next one-run key to every live run, c
 * toggles the table, u rewinds the focused run; a run diverges alone;
 * keys, forks and focus changes replay bit for bit from a script, at any
 * frame rate, with a screen or headless; scenes switch between single
 * runs and comparisons; the ghost reader refuses what is not our CSV. */
#include "testutil.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "ghost.h"
#include "headless.h"
#include "record.h"
#include "session.h"

/* A small diagonal net (quick to step) and three runs of it; `hot`
 * diverges at step 48. */
#define BASE "model = diagnet\nn = 20\nd = 30\nr = 3\nn_test = 50\n" \
             "seed = 3\ndata_seed = 3\neta = 0.1\nsteps = 3000\n"  \
             "every = 50\n"
#define CMP BASE "run a\nrun b\neta = 0.12\nrun c\ndecays = 50%:2\n"
#define HOT BASE "run a\nrun hot\neta = 0.6\nrun b\neta = 0.12\n"

static char tmpdir[256];

static int setup(void **st)
{
    (void)st;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/sgdscope-runs-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **st)
{
    (void)st;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *at(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s", tmpdir, name);
    return buf;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* A finalized comparison from text, keys checked as main.c checks them,
 * with --script's keys when script is not NULL. */
static comparison *cmp_text(const char *text, const char *script)
{
    comparison *c = malloc(sizeof *c);
    scene_err e;
    char err[256];
    assert_non_null(c);
    if (comparison_load_string(c, text, "t.scene", &e) != 0 ||
        comparison_finalize(c, &e) != 0 ||
        comparison_check_keys(c, app_is_scene_key, app_is_run_key, &e) != 0)
        fail_msg("t.scene:%d:%d: %s", e.line, e.col, e.msg);
    if (script &&
        comparison_add_script(c, script, app_is_scene_key, err, sizeof err))
        fail_msg("--script: %s", err);
    return c;
}

static void open_cmp(app *a, const char *text, const char *script)
{
    comparison *c = cmp_text(text, script);
    char err[256];
    if (app_open_comparison(a, c, NULL, err, sizeof err) != 0)
        fail_msg("app_open_comparison: %s", err);
    free(c);
}

/* a and b stand at the same step with the same bits. */
static void same_run(const run *a, const run *b, const char *what)
{
    if (a->t != b->t || a->diverged != b->diverged)
        fail_msg("%s: step %llu%s vs %llu%s", what,
                 (unsigned long long)a->t, a->diverged ? " (frozen)" : "",
                 (unsigned long long)b->t, b->diverged ? " (frozen)" : "");
    if (memcmp(a->theta, b->theta, a->m.p * sizeof *a->theta) != 0)
        fail_msg("%s: θ differs at step %llu", what,
                 (unsigned long long)a->t);
    assert_true(memcmp(&a->step_rng, &b->step_rng, sizeof a->step_rng) == 0);
    assert_true(run_eta(a) == run_eta(b));
    assert_int_equal(a->sched.nlog, b->sched.nlog);
}

/* Two sessions of the same runs, run by run, with the same logs. */
static void same_session(const session *x, const session *y)
{
    assert_int_equal(x->n, y->n);
    assert_int_equal(x->t, y->t);
    assert_int_equal(x->focus, y->focus);
    for (size_t i = 0; i < x->n; i++) {
        assert_string_equal(session_name(x, i), session_name(y, i));
        same_run(session_run(x, i), session_run(y, i), session_name(x, i));
    }
    assert_int_equal(x->nlog, y->nlog);
    for (size_t i = 0; i < x->nlog; i++) {
        assert_int_equal(x->log[i].kind, y->log[i].kind);
        assert_int_equal(x->log[i].step, y->log[i].step);
        assert_int_equal(x->log[i].run, y->log[i].run);
    }
}

/* ---- a scene is a comparison of one ------------------------------------- */

static void test_scene_is_session_of_one(void **st)
{
    (void)st;
    app a;
    scene sc;
    scene_err e;
    char err[256];
    scene_init(&sc);
    assert_int_equal(scene_finalize(&sc, &e), 0);
    assert_int_equal(app_open(&a, &sc, NULL, err, sizeof err), 0);
    assert_non_null(a.ses);
    assert_int_equal(a.ses->n, 1);
    assert_ptr_equal(a.r, session_focused(a.ses));
    assert_string_equal(session_name(a.ses, 0), COMPARISON_MAIN);
    /* Tab and f on one run: f makes it two */
    app_press(&a, '\t');
    assert_non_null(strstr(a.msg, "one run"));
    app_run_to(&a, 100);
    app_press(&a, 'f');
    assert_int_equal(a.ses->n, 2);
    assert_int_equal(a.ses->focus, 1);
    assert_ptr_equal(a.r, session_run(a.ses, 1));
    assert_string_equal(session_name(a.ses, 1), "main-f1");
    assert_non_null(strstr(a.msg, "main-f1"));
    app_close(&a);
}

/* ---- focus ------------------------------------------------------------- */

static void test_tab_moves_focus(void **st)
{
    (void)st;
    app a;
    open_cmp(&a, CMP, NULL);
    assert_int_equal(a.ses->n, 3);
    assert_int_equal(a.ses->focus, 0);
    app_press(&a, '\t');
    assert_int_equal(a.ses->focus, 1);
    assert_ptr_equal(a.r, session_run(a.ses, 1));
    assert_string_equal(a.run_name, "b");
    assert_non_null(strstr(a.msg, "focus: b (2/3)"));
    app_press(&a, '\t');
    app_press(&a, '\t');
    assert_int_equal(a.ses->focus, 0); /* cyclic */
    app_press(&a, APP_KEY_BTAB);
    assert_int_equal(a.ses->focus, 2);
    assert_ptr_equal(a.r, session_run(a.ses, 2));
    assert_non_null(strstr(a.msg, "focus: c"));
    /* logged with the step */
    assert_int_equal(a.ses->nlog, 4);
    assert_int_equal(a.ses->log[3].kind, SESSION_LOG_FOCUS);
    assert_int_equal(a.ses->log[3].run, 2);
    /* one-run keys act on the focused run only, named */
    double eta[3];
    for (size_t i = 0; i < 3; i++)
        eta[i] = run_eta(session_run(a.ses, i));
    app_press(&a, '+');
    assert_true(run_eta(session_run(a.ses, 2)) == eta[2] * APP_ETA_FACTOR);
    assert_true(run_eta(session_run(a.ses, 0)) == eta[0]);
    assert_true(run_eta(session_run(a.ses, 1)) == eta[1]);
    assert_non_null(strstr(a.msg, "c: η = "));
    /* the `:` commands too */
    assert_int_equal(app_command(&a, "eta 0.05"), 0);
    assert_true(run_eta(session_run(a.ses, 2)) == 0.05);
    assert_true(run_eta(session_run(a.ses, 0)) == eta[0]);
    app_close(&a);
}

/* ---- fork ---------------------------------------------------------------- */

/* A fork continued without changes is its parent, bit for bit; a change
 * on the fork alone leaves the parent as it was; a seventh run is
 * refused. */
static void test_fork(void **st)
{
    (void)st;
    app a, b;
    open_cmp(&a, CMP, NULL);
    open_cmp(&b, CMP, NULL);
    a.headless = b.headless = 1;
    app_run_to(&a, 700);
    app_press(&a, '\t'); /* fork b */
    app_press(&a, 'f');
    assert_int_equal(a.ses->n, 4);
    assert_int_equal(a.ses->focus, 3);
    assert_string_equal(session_name(a.ses, 3), "b-f1");
    assert_non_null(strstr(a.msg, "forked b at step 700"));
    assert_int_equal(a.ses->log[a.ses->nlog - 2].kind, SESSION_LOG_FORK);
    assert_int_equal(a.ses->log[a.ses->nlog - 2].from, 1);
    assert_int_equal(a.ses->log[a.ses->nlog - 1].kind, SESSION_LOG_FOCUS);
    app_run_to(&a, 2500);
    app_run_to(&b, 2500);
    same_run(session_run(a.ses, 3), session_run(a.ses, 1), "fork vs parent");
    same_run(session_run(a.ses, 1), session_run(b.ses, 1), "parent vs alone");
    /* the fork's history is the parent's, evaluated at the same steps */
    assert_int_equal(session_run(a.ses, 3)->h_train.total,
                     session_run(a.ses, 1)->h_train.total);
    /* d on the fork only */
    app_press(&a, 'd');
    app_run_to(&a, 2800);
    app_run_to(&b, 2800);
    same_run(session_run(a.ses, 1), session_run(b.ses, 1), "parent");
    assert_true(run_eta(session_run(a.ses, 3)) <
                run_eta(session_run(a.ses, 1)));
    /* up to 6 runs, then a message */
    app_press(&a, 'f');
    app_press(&a, 'f');
    assert_int_equal(a.ses->n, 6);
    /* each fork forks the focused run, the newest: names say whose */
    assert_string_equal(session_name(a.ses, 4), "b-f1-f1");
    assert_string_equal(session_name(a.ses, 5), "b-f1-f1-f1");
    app_press(&a, 'f');
    assert_int_equal(a.ses->n, 6);
    assert_non_null(strstr(a.msg, "at most 6"));
    /* a reset drops the forks */
    app_press(&a, 'r');
    assert_int_equal(a.ses->n, 3);
    assert_int_equal(a.ses->t, 0);
    assert_int_equal(a.ses->focus, 0);
    app_close(&a);
    app_close(&b);
}

/* ---- the all-runs prefix ------------------------------------------------- */

static void test_all_prefix(void **st)
{
    (void)st;
    app a;
    open_cmp(&a, CMP, NULL);
    a.headless = 1;
    app_run_to(&a, 300);
    double eta[3];
    for (size_t i = 0; i < 3; i++)
        eta[i] = run_eta(session_run(a.ses, i));
    /* * d: every live run decays by its own factor */
    app_press(&a, '*');
    assert_true(a.all_prefix);
    assert_non_null(strstr(a.msg, "all runs"));
    app_press(&a, 'd');
    assert_false(a.all_prefix);
    for (size_t i = 0; i < 3; i++) {
        const run *r = session_run(a.ses, i);
        assert_close(run_eta(r), eta[i] / r->sched.cfg.decay_factor, 1e-15);
        assert_int_equal(r->sched.nlog, 1);
        assert_int_equal(r->sched.log[0].kind, EV_DECAY_NOW);
        assert_int_equal(r->sched.log[0].step, 300);
    }
    assert_non_null(strstr(a.msg, "on all 3 runs"));
    /* Esc cancels the prefix: the next key acts on the focused run */
    for (size_t i = 0; i < 3; i++)
        eta[i] = run_eta(session_run(a.ses, i));
    app_press(&a, '*');
    app_press(&a, APP_KEY_ESC);
    assert_false(a.all_prefix);
    assert_non_null(strstr(a.msg, "cancelled"));
    app_press(&a, '-');
    assert_close(run_eta(session_run(a.ses, 0)), eta[0] / APP_ETA_FACTOR,
                 1e-15);
    assert_true(run_eta(session_run(a.ses, 1)) == eta[1]);
    /* ** is no prefix; a key that is not about one run drops it and does
     * what it always does */
    app_press(&a, '*');
    app_press(&a, '*');
    assert_false(a.all_prefix);
    app_press(&a, '*');
    app_press(&a, 'l');
    assert_false(a.all_prefix);
    assert_true(a.xlog);
    /* * ] on every run */
    for (size_t i = 0; i < 3; i++)
        eta[i] = run_eta(session_run(a.ses, i));
    app_press(&a, '*');
    app_press(&a, ']');
    for (size_t i = 0; i < 3; i++)
        assert_true(run_eta(session_run(a.ses, i)) ==
                    eta[i] * APP_ETA_FINE);
    app_close(&a);
}

/* ---- c: the table -------------------------------------------------------- */

static void test_table_key(void **st)
{
    (void)st;
    app a;
    open_cmp(&a, CMP, NULL);
    assert_false(a.table);
    app_press(&a, 'c');
    assert_true(a.table);
    app_press(&a, 'c');
    assert_false(a.table);
    app_close(&a);
}

/* ---- a run diverging alone ------------------------------------------------ */

static void test_diverge_alone(void **st)
{
    (void)st;
    app a;
    open_cmp(&a, HOT, NULL);
    a.spf = 20;
    app_clock(&a, 0.0);
    for (int f = 0; f < 10; f++)
        app_tick(&a, 0);
    const run *hot = session_run(a.ses, 1);
    assert_true(hot->diverged);
    assert_int_equal(hot->diverged_at, 48);
    /* said once, naming it; the others go on */
    assert_non_null(strstr(a.msg, "hot diverged at step 48"));
    assert_non_null(strstr(a.msg, "Tab to it"));
    assert_true(app_busy(&a));
    uint64_t t = a.ses->t;
    app_tick(&a, 0);
    assert_int_equal(a.ses->t, t + 20);
    assert_int_equal(session_run(a.ses, 0)->t, t + 20);
    assert_int_equal(hot->t, 48);
    /* evaluated once at its frozen state */
    assert_int_equal(hot->last.step, 48);
    /* u on a run that has not diverged says so; * skips the frozen run */
    app_press(&a, 'u');
    assert_non_null(strstr(a.msg, "a: nothing to rewind"));
    double hot_eta = run_eta(hot);
    app_press(&a, '*');
    app_press(&a, '-');
    assert_true(run_eta(hot) == hot_eta);
    assert_non_null(strstr(a.msg, "on 2 live runs (1 frozen)"));
    /* keys on the frozen run itself are refused */
    app_press(&a, '\t');
    assert_ptr_equal(a.r, hot);
    app_press(&a, 'd');
    assert_true(run_eta(hot) == hot_eta);
    assert_non_null(strstr(a.msg, "frozen"));
    /* u rewinds it with η/2 and replays it up to the others */
    app_press(&a, 'u');
    hot = session_run(a.ses, 1);
    assert_false(hot->diverged);
    assert_int_equal(hot->t, a.ses->t);
    assert_close(run_eta(hot), hot_eta / 2, 1e-15);
    assert_non_null(strstr(a.msg, "hot: rewound"));
    assert_int_equal(a.ses->log[a.ses->nlog - 1].kind, SESSION_LOG_REWIND);
    app_tick(&a, 0);
    assert_int_equal(hot->t, a.ses->t);
    app_close(&a);

    /* `* u` rewinds every frozen run; when all are frozen nothing steps */
    open_cmp(&a, BASE "run x\neta = 0.6\nrun y\neta = 0.7\n", NULL);
    a.spf = 100;
    for (int f = 0; f < 5; f++)
        app_tick(&a, 0);
    assert_int_equal(session_live(a.ses), 0);
    assert_false(app_busy(&a));
    assert_int_equal(app_tick(&a, 0), 0);
    app_press(&a, '*');
    app_press(&a, 'u');
    assert_non_null(strstr(a.msg, "rewound 2 frozen runs"));
    app_close(&a);
}

/* ---- replay -------------------------------------------------------------- */

/* Forks, focus moves, the prefix and one-run keys from a --script (also
 * a fork's own later key), as the app runs it at two frame rates and as
 * the headless runner runs it, and as keys pressed at those steps: the
 * same runs, bit for bit, the same session log. */
#define SCRIPT "500:f 500:d 700:tab 700:* 700:+ 900:tab 1100:* 1100:d " \
               "1300:tab 1300:f 1600:w"
static void test_script_replays(void **st)
{
    (void)st;
    app x, y, z;
    /* headless app, one jump */
    open_cmp(&x, CMP, SCRIPT);
    x.headless = 1;
    app_run_to(&x, 3000);
    /* f at 500 forks a (the fork gets the focus, d decays it), tab at
     * 700 focuses a again, tab at 900 b, tab at 1300 c, which f forks */
    assert_int_equal(x.ses->n, 5);
    assert_string_equal(session_name(x.ses, 3), "a-f1");
    assert_string_equal(session_name(x.ses, 4), "c-f1");
    assert_int_equal(x.ses->focus, 4);
    assert_int_equal(session_run(x.ses, 3)->sched.log[0].kind, EV_DECAY_NOW);
    assert_int_equal(session_run(x.ses, 3)->sched.log[0].step, 500);
    /* the screen's app, frames of 37 steps (it stops once at the end) */
    open_cmp(&y, CMP, SCRIPT);
    y.spf = 37;
    app_clock(&y, 0.0);
    for (int f = 0; f < 1000 && y.ses->t < 3000; f++)
        app_tick(&y, f % 3 == 0);
    app_run_to(&y, 3000);
    same_session(x.ses, y.ses);
    /* keys pressed at those steps */
    open_cmp(&z, CMP, NULL);
    z.headless = 1;
    static const struct {
        uint64_t t;
        const char *keys;
    } presses[] = {{500, "fd"}, {700, "\t*+"}, {900, "\t"}, {1100, "*d"},
                   {1300, "\tf"}, {1600, "w"}};
    for (size_t i = 0; i < sizeof presses / sizeof presses[0]; i++) {
        app_run_to(&z, presses[i].t);
        for (const char *k = presses[i].keys; *k; k++)
            app_press(&z, *k);
    }
    app_run_to(&z, 3000);
    same_session(x.ses, z.ses);
    /* the headless runner */
    comparison *c = cmp_text(CMP, SCRIPT);
    char err[256];
    session *h = session_create(c, app_run_key, err, sizeof err);
    assert_non_null(h);
    headless_opts o = {NULL, NULL, 100, 3000, NULL};
    assert_int_equal(headless_run(h, &o), 0);
    same_session(x.ses, h);
    session_destroy(h);
    free(c);
    app_close(&x);
    app_close(&y);
    app_close(&z);
}

/* A scene's timeline may press the comparison keys too: `key tab` in a
 * scene file, and a fork from the timeline takes the rest of its
 * parent's own events with it. */
static void test_timeline_keys(void **st)
{
    (void)st;
    app a;
    open_cmp(&a, BASE "at 100: key f\nat 100: key tab\nat 200: key *\n"
                      "at 200: key d\nat 300: key c\n"
                      "run a\nat 250: key -\nrun b\n", NULL);
    a.headless = 1;
    app_run_to(&a, 400);
    assert_int_equal(a.ses->n, 3);
    assert_string_equal(session_name(a.ses, 2), "a-f1");
    assert_int_equal(a.ses->focus, 0); /* f focused a-f1, tab: a again */
    assert_true(a.table);
    /* * d decayed all three at 200; a's own `-` at 250 was copied into
     * its fork */
    for (size_t i = 0; i < 3; i++) {
        const schedule *s = &session_run(a.ses, i)->sched;
        assert_int_equal(s->log[0].kind, EV_DECAY_NOW);
        assert_int_equal(s->log[0].step, 200);
        assert_int_equal(s->nlog, i == 1 ? 1 : 2);
    }
    app_close(&a);
}

/* ---- scene switching -------------------------------------------------- */

static size_t scene_at(const app *a, const char *name)
{
    for (size_t i = 0; i < a->nscenes; i++)
        if (strcmp(a->scenes[i].name, name) == 0)
            return i;
    fail_msg("no scene %s in the list", name);
    return 0;
}

/* m, M and the picker open comparisons whole and single scenes as one
 * run, the view's run always the focused one. */
static void test_scene_switching(void **st)
{
    (void)st;
    app a;
    scene sc;
    scene_err e;
    char err[256];
    scene_init(&sc);
    assert_int_equal(scene_finalize(&sc, &e), 0);
    assert_int_equal(app_open(&a, &sc, "scenes", err, sizeof err), 0);
    size_t cmp = scene_at(&a, "fig2-compare");
    size_t one = scene_at(&a, "fig2-diag-small");
    /* the picker onto the comparison */
    app_press(&a, 'p');
    a.pick = cmp;
    app_press(&a, APP_KEY_ENTER);
    assert_int_equal(a.scene_idx, cmp);
    assert_int_equal(a.ses->n, 4);
    assert_string_equal(session_name(a.ses, 3), "decay50");
    assert_string_equal(a.base.name, "fig2-compare");
    assert_ptr_equal(a.r, session_run(a.ses, 0));
    assert_true(session_run(a.ses, 0)->have_metrics);
    assert_true(session_run(a.ses, 3)->have_metrics);
    app_press(&a, '\t');
    assert_ptr_equal(a.r, session_run(a.ses, 1));
    /* m and M onto single scenes and back */
    a.scene_idx = one;
    app_press(&a, 'M');
    assert_int_equal(a.scene_idx, one - 1);
    app_press(&a, 'm');
    assert_int_equal(a.scene_idx, one);
    assert_int_equal(a.ses->n, 1);
    assert_string_equal(session_name(a.ses, 0), COMPARISON_MAIN);
    assert_ptr_equal(a.r, session_run(a.ses, 0));
    assert_non_null(strstr(a.msg, "fig2-diag-small"));
    a.scene_idx = cmp + 1;
    app_press(&a, 'M');
    assert_int_equal(a.ses->n, 4);
    assert_int_equal(a.ses->focus, 0);
    app_close(&a);
}

/* ---- the export and the recording --------------------------------------- */

static void test_export_every_run(void **st)
{
    (void)st;
    app a;
    char path[300];
    open_cmp(&a, CMP, "500:f");
    a.headless = 1;
    app_run_to(&a, 1000);
    char err[256];
    if (app_export_csv(&a, at(path, sizeof path, "e.csv"), err, sizeof err))
        fail_msg("export: %s", err);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[1024];
    int header = 0, rows[4] = {0};
    const char *names[4] = {"a,", "b,", "c,", "a-f1,"};
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "run,step,", 9) == 0) {
            header++;
            continue;
        }
        for (int i = 0; i < 4; i++)
            rows[i] += strncmp(line, names[i], strlen(names[i])) == 0;
    }
    fclose(f);
    assert_int_equal(header, 1);
    for (int i = 0; i < 4; i++)
        assert_int_equal(rows[i], 21); /* 0, 50, ..., 1000 */
    /* the ghost reads any run of it back */
    ghost g;
    memset(&g, 0, sizeof g);
    assert_int_equal(ghost_load(&g, path, "a-f1", err, sizeof err), 0);
    assert_int_equal(g.n, 21);
    assert_int_equal(g.step[20], 1000);
    assert_string_equal(g.label, "e.csv:a-f1");
    /* %.10g in the CSV */
    assert_close(g.train[20], session_run(a.ses, 3)->last.train_loss, 1e-9);
    ghost_free(&g);
    app_close(&a);
}

/* Markers name their run in a comparison; --record --summary's lines
 * (one per run) come from the app's session. */
static void test_record_markers(void **st)
{
    (void)st;
    app a;
    char path[300], err[256];
    open_cmp(&a, HOT, "100:tab 100:tab 200:d");
    assert_int_equal(recorder_headless(&a, at(path, sizeof path, "c.cast"),
                                       80, 24, GLYPH_ASCII, 0, 30, 400, err,
                                       sizeof err), 0);
    assert_int_equal(a.ses->t, 400);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char text[1 << 22];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
    assert_non_null(strstr(text, "\"m\", \"hot step 48: diverged"));
    assert_non_null(strstr(text, "\"m\", \"b step 200: decay: eta / "));
    app_close(&a);
}

/* ---- the ghost reader ---------------------------------------------------- */

static const char hdr[] =
    "run,step,eta,dynamics,batch,train_loss,test_loss,train_min,train_max,"
    "band_lo,band_hi,bounce,rank,sharpness,verdict,l0\n";

static int load(ghost *g, const char *name, const char *text,
                const char *run_name, char *err, size_t cap)
{
    char path[300];
    at(path, sizeof path, name);
    if (text)
        put(path, text);
    return ghost_load(g, path, run_name, err, cap);
}

static void expect_error(const char *name, const char *text,
                         const char *run_name, const char *want)
{
    ghost g;
    char err[512];
    memset(&g, 0, sizeof g);
    assert_int_equal(load(&g, name, text, run_name, err, sizeof err), -1);
    assert_int_equal(g.n, 0);
    assert_null(g.step);
    if (!strstr(err, want))
        fail_msg("%s: '%s' lacks '%s'", name, err, want);
}

static void test_ghost_good(void **st)
{
    (void)st;
    ghost g;
    char err[256], text[2048];
    memset(&g, 0, sizeof g);
    snprintf(text, sizeof text, "%s"
             "main,0,0.1,sgd,1,0.5,0.6,0.5,0.5,,,,30,,,30\n"
             "main,50,0.1,sgd,1,0.25,,0.2,0.3,,,,29,,bouncing,28\r\n"
             "main,100,0.1,sgd,1,1e-3,2.5e-3,0.001,0.001,,,,28,,,27", hdr);
    assert_int_equal(load(&g, "g.csv", text, NULL, err, sizeof err), 0);
    assert_int_equal(g.n, 3);
    assert_int_equal(g.step[2], 100);
    assert_true(g.train[1] == 0.25);
    assert_true(isnan(g.test[1]));
    assert_true(g.test[2] == 2.5e-3);
    assert_string_equal(g.label, "g.csv");
    /* a reload frees what it held */
    assert_int_equal(load(&g, "g.csv", NULL, "main", err, sizeof err), 0);
    assert_int_equal(g.n, 3);
    ghost_free(&g);
    assert_int_equal(g.n, 0);
    ghost_free(&g); /* twice is fine */
    /* long format: runs interleaved, each its own increasing steps */
    snprintf(text, sizeof text, "%s"
             "small,0,0.1,sgd,1,1,1,1,1,,,,1,,,1\n"
             "big,0,0.2,sgd,1,2,2,2,2,,,,1,,,1\n"
             "small,10,0.1,sgd,1,3,3,3,3,,,,1,,,1\n"
             "big,10,0.2,sgd,1,4,4,4,4,,,,1,,,1\n", hdr);
    assert_int_equal(load(&g, "long.csv", text, "big", err, sizeof err), 0);
    assert_int_equal(g.n, 2);
    assert_true(g.train[1] == 4);
    assert_string_equal(g.label, "long.csv:big");
    assert_int_equal(load(&g, "long.csv", NULL, NULL, err, sizeof err), 0);
    assert_true(g.train[1] == 3); /* the first run: small */
    ghost_free(&g);
    /* FILE[:RUN] */
    char path[300], run_name[COMPARISON_NAME_MAX];
    assert_int_equal(ghost_split("x/runs.csv:decay50", path, sizeof path,
                                 run_name), 0);
    assert_string_equal(path, "x/runs.csv");
    assert_string_equal(run_name, "decay50");
    assert_int_equal(ghost_split("a:b.csv", path, sizeof path, run_name), 0);
    assert_string_equal(path, "a:b.csv");
    assert_string_equal(run_name, "");
    /* a file whose name holds ':' is the file */
    put(at(text, sizeof text, "odd:main"), hdr);
    assert_int_equal(ghost_split(text, path, sizeof path, run_name), 0);
    assert_string_equal(path, text);
    assert_string_equal(run_name, "");
}

static void test_ghost_refuses(void **st)
{
    (void)st;
    char text[8192];
    expect_error("empty.csv", "", NULL, "empty.csv: an empty file");
    expect_error("hdr.csv", "step,eta,train_loss\n1,2,3\n", NULL,
                 "hdr.csv:1: not the header of an sgdscope CSV");
    snprintf(text, sizeof text, "%.*s,bogus\n", (int)strlen(hdr) - 1, hdr);
    expect_error("col.csv", text, NULL, "col.csv:1: unknown column 17");
    snprintf(text, sizeof text, "%smain,0,,,,1,1,,,,,,,,,\n"
             "main,10,,,,1,1,,,,,,,,,\nmain,10,,,,1,1,,,,,,,,,\n", hdr);
    expect_error("steps.csv", text, NULL,
                 "steps.csv:4: step 10 of run main does not follow step 10");
    snprintf(text, sizeof text, "%smain,0,,,,1,1,,,,,,,,,\n"
             "other,0,,,,1,1,,,,,,,,,\n", hdr);
    expect_error("run.csv", text, "nope",
                 "run.csv:3: no run 'nope' up to the end of the file (its "
                 "runs: main, other)");
    expect_error("run.csv", NULL, "no/pe", "is not a run name");
    snprintf(text, sizeof text, "%smain,0,,,,1,1,,,,\n", hdr);
    expect_error("fields.csv", text, NULL,
                 "fields.csv:2: 11 fields where the header has 16");
    snprintf(text, sizeof text, "%smain,x,,,,1,1,,,,,,,,,\n", hdr);
    expect_error("step.csv", text, NULL, "step.csv:2: step is not a whole");
    snprintf(text, sizeof text, "%smain,1,,,,nan,1,,,,,,,,,\n", hdr);
    expect_error("nan.csv", text, NULL, "nan.csv:2: a loss is not a number");
    expect_error("rows.csv", hdr, NULL, "rows.csv:1: no rows after the "
                 "header");
    /* an overlong line */
    static char big[GHOST_LINE_MAX + 512];
    snprintf(big, sizeof big, "%s", hdr);
    size_t k = strlen(big);
    memset(big + k, '1', GHOST_LINE_MAX + 10);
    big[k + GHOST_LINE_MAX + 10] = 0;
    expect_error("long.csv", big, NULL,
                 "long.csv:2: a line longer than 4096 bytes");
    /* a NUL byte */
    char path[300];
    FILE *f = fopen(at(path, sizeof path, "nul.csv"), "w");
    assert_non_null(f);
    fputs(hdr, f);
    fwrite("main,0\0,,,1,1,,,,,,,,,\nmain,1,,,,1,1,,,,,,,,,\n", 1, 46, f);
    fclose(f);
    expect_error("nul.csv", NULL, NULL, "nul.csv:2: a NUL byte");
    /* not a regular file: a FIFO nobody writes is refused at once (a
     * blocking open would hang here), and a directory */
    assert_int_equal(mkfifo(at(path, sizeof path, "fifo.csv"), 0600), 0);
    expect_error("fifo.csv", NULL, NULL, "fifo.csv: not a regular file");
    expect_error(".", NULL, NULL, "not a regular file");
    expect_error("missing.csv", NULL, NULL, "missing.csv: cannot open");
}

/* :ghost loads one, keeps it when a load fails, and :ghost off hides it. */
static void test_ghost_command(void **st)
{
    (void)st;
    app a;
    char path[300], line[400];
    open_cmp(&a, CMP, NULL);
    a.headless = 1;
    app_run_to(&a, 500);
    char err[256];
    if (app_export_csv(&a, at(path, sizeof path, "g.csv"), err, sizeof err))
        fail_msg("export: %s", err);
    snprintf(line, sizeof line, "ghost %s b", path);
    assert_int_equal(app_command(&a, line), 0);
    assert_int_equal(a.ghost.n, 11);
    assert_string_equal(a.ghost.label, "g.csv:b");
    assert_non_null(strstr(a.msg, "ghost: g.csv:b (11 points)"));
    snprintf(line, sizeof line, "ghost %s zz", path);
    assert_int_equal(app_command(&a, line), -1);
    assert_non_null(strstr(a.msg, "no run 'zz'"));
    assert_int_equal(a.ghost.n, 11);
    assert_int_equal(app_command(&a, "ghost"), -1);
    assert_non_null(strstr(a.msg, "ghost needs a value"));
    assert_int_equal(app_command(&a, "ghost off"), 0);
    assert_int_equal(a.ghost.n, 0);
    app_close(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scene_is_session_of_one),
        cmocka_unit_test(test_tab_moves_focus),
        cmocka_unit_test(test_fork),
        cmocka_unit_test(test_all_prefix),
        cmocka_unit_test(test_table_key),
        cmocka_unit_test(test_diverge_alone),
        cmocka_unit_test(test_script_replays),
        cmocka_unit_test(test_timeline_keys),
        cmocka_unit_test(test_scene_switching),
        cmocka_unit_test(test_export_every_run),
        cmocka_unit_test(test_record_markers),
        cmocka_unit_test(test_ghost_good),
        cmocka_unit_test(test_ghost_refuses),
        cmocka_unit_test(test_ghost_command),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

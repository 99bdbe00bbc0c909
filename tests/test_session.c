/* test_session.c — comparisons (the `run NAME` syntax, its errors, --set
 * NAME.KEY) and sessions (lockstep, forks, companions, freezing alone):
 * the runs of a session are the runs of the same scenes alone, bit for
 * bit. */
#include "testutil.h"

#include "app.h"
#include "comparison.h"
#include "session.h"
#include "testrun.h"

/* A small diagonal net: quick to step, big enough to be non-trivial. */
#define SMALL "model = diagnet\nn = 20\nd = 30\nr = 3\nn_test = 50\n" \
              "seed = 3\neta = 0.1\nsteps = 3000\nevery = 50\n"

static comparison *cmp_new(void)
{
    comparison *c = malloc(sizeof *c);
    assert_non_null(c);
    return c;
}

/* A finalized comparison from text (with --set items, NULL-terminated). */
static comparison *cmp_text(const char *text, const char *const *sets)
{
    comparison *c = cmp_new();
    scene_err e;
    if (comparison_load_string(c, text, "t.scene", &e) != 0)
        fail_msg("load: %s:%d:%d: %s", e.file, e.line, e.col, e.msg);
    for (; sets && *sets; sets++)
        if (comparison_set(c, *sets, &e) != 0)
            fail_msg("--set %s: %s", *sets, e.msg);
    if (comparison_finalize(c, &e) != 0)
        fail_msg("finalize: %s:%d:%d: %s", e.file, e.line, e.col, e.msg);
    return c;
}

/* The same from a file of scenes/. */
static comparison *cmp_file(const char *path, const char *const *sets)
{
    comparison *c = cmp_new();
    scene_err e;
    if (comparison_load_file(c, path, &e) != 0)
        fail_msg("load %s: %s", path, e.msg);
    for (; sets && *sets; sets++)
        if (comparison_set(c, *sets, &e) != 0)
            fail_msg("--set %s: %s", *sets, e.msg);
    if (comparison_finalize(c, &e) != 0)
        fail_msg("finalize %s: %s:%d: %s", path, e.file, e.line, e.msg);
    return c;
}

/* The keys a scene may press (as main.c's is_key). */
static int is_key(int k)
{
    return app_key_action(k) >= 0;
}

static session *ses(const comparison *c)
{
    char err[256];
    session *s = session_create(c, app_run_key, err, sizeof err);
    if (!s)
        fail_msg("session_create: %s", err);
    return s;
}

/* Fires what is due (ignoring the caller's events) and advances in
 * chunks of `chunk` to step `to`, evaluating each run's losses at its
 * `every`, as the headless runner does. */
static void drive(session *s, uint64_t to, uint64_t chunk)
{
    char msg[160];
    session_due d;
    while (s->t < to && session_live(s) > 0) {
        while (session_peek(s, &d))
            session_fire(s, &d, msg, sizeof msg);
        uint64_t n = to - s->t < chunk ? to - s->t : chunk;
        for (size_t i = 0; i < s->n; i++) {
            uint64_t e = s->run[i].r->sc.every;
            if (!s->run[i].r->diverged && e && e - s->t % e < n)
                n = e - s->t % e;
        }
        session_advance(s, n);
        for (size_t i = 0; i < s->n; i++) {
            run *r = s->run[i].r;
            uint64_t e = r->sc.every;
            if (!r->diverged && e && r->t % e == 0)
                run_eval_losses(r);
        }
    }
    while (session_peek(s, &d))
        session_fire(s, &d, msg, sizeof msg);
}

/* a and b stand at the same step with the same bits. */
static void same_run(const run *a, const run *b, const char *what)
{
    if (a->t != b->t || a->diverged != b->diverged)
        fail_msg("%s: step %llu%s vs %llu%s", what,
                 (unsigned long long)a->t, a->diverged ? " (frozen)" : "",
                 (unsigned long long)b->t, b->diverged ? " (frozen)" : "");
    assert_int_equal(a->m.p, b->m.p);
    if (memcmp(a->theta, b->theta, a->m.p * sizeof *a->theta) != 0)
        fail_msg("%s: θ differs at step %llu", what,
                 (unsigned long long)a->t);
    double la = model_train_loss(&a->m, a->theta);
    double lb = model_train_loss(&b->m, b->theta);
    double ta = model_test_loss(&a->m, a->theta);
    double tb = model_test_loss(&b->m, b->theta);
    if (memcmp(&la, &lb, sizeof la) || memcmp(&ta, &tb, sizeof ta))
        fail_msg("%s: losses differ", what);
    assert_true(memcmp(&a->step_rng, &b->step_rng, sizeof a->step_rng) == 0);
    assert_true(run_eta(a) == run_eta(b));
}

/* ---- the syntax ---------------------------------------------------------- */

static void test_parse(void **st)
{
    (void)st;
    const char *text =
        "# a comparison\n"
        SMALL
        "title = \"three\"\n"
        "at 0: caption 10 \"hello\"\n"
        "at 100: decay\n"
        "at 200: key +\n"
        "\n"
        "run a   # the base alone\n"
        "run b-2\n"
        "eta = 0.05\n"
        "at 50: eta 0.02\n"
        "at 150: key d\n"
        "run c_3\n"
        "seed = 4\n";
    comparison *c = cmp_text(text, NULL);
    assert_int_equal(c->n, 3);
    assert_true(c->blocks);
    assert_string_equal(c->name[0], "a");
    assert_string_equal(c->name[1], "b-2");
    assert_string_equal(c->name[2], "c_3");
    assert_int_equal(c->line[1], 17);
    assert_int_equal(c->col[1], 5);
    assert_true(c->run[0].sched.eta0 == 0.1);
    assert_true(c->run[1].sched.eta0 == 0.05);
    assert_int_equal(c->run[2].seed, 4);
    assert_int_equal(c->run[0].seed, 3);
    assert_string_equal(c->run[1].title, "three");
    /* the session: the caption and the base key */
    assert_int_equal(c->tl.n, 2);
    assert_int_equal(c->tl.ev[0].kind, TL_CAPTION);
    assert_int_equal(c->tl.ev[1].kind, TL_KEY);
    /* run a: the base decay; run b: its eta, the decay, its key */
    assert_int_equal(c->run[0].tl.n, 1);
    assert_int_equal(c->run[0].tl.ev[0].kind, TL_DECAY);
    assert_int_equal(c->run[1].tl.n, 3);
    assert_int_equal(c->run[1].tl.ev[0].kind, TL_ETA);
    assert_int_equal(c->run[1].tl.ev[0].step, 50);
    assert_int_equal(c->run[1].tl.ev[1].kind, TL_DECAY);
    assert_int_equal(c->run[1].tl.ev[2].kind, TL_KEY);
    assert_int_equal(c->run[1].tl.ev[2].step, 150);
    /* run b alone: every event back in step order */
    static scene one;
    comparison_run_scene(c, 1, &one);
    assert_int_equal(one.tl.n, 5);
    const uint64_t want[] = {0, 50, 100, 150, 200};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(one.tl.ev[i].step, want[i]);
    /* keys: the block's d acts on one run, the base's + too */
    scene_err e;
    assert_int_equal(comparison_check_keys(c, is_key, app_is_run_key, &e),
                     0);
    free(c);

    /* no blocks: one run, "main", and everything as before */
    c = cmp_text(SMALL "at 10: decay\nat 20: caption 5 \"x\"\n", NULL);
    assert_int_equal(c->n, 1);
    assert_false(c->blocks);
    assert_string_equal(c->name[0], "main");
    assert_int_equal(c->run[0].tl.n, 1);
    assert_int_equal(c->tl.n, 1);
    free(c);

    /* scene_load_file of a comparison: the first run as if alone */
    static scene s;
    scene_init(&s);
    assert_int_equal(scene_load_string(&s, text, "t.scene", &e), 0);
    assert_int_equal(scene_finalize(&s, &e), 0);
    assert_true(s.sched.eta0 == 0.1);
    assert_int_equal(s.tl.n, 3); /* caption, decay, key + (base) */
    scene_init(&s);
    assert_int_equal(scene_load_file(&s, "scenes/fig2-compare.scene", &e), 0);
    assert_int_equal(scene_finalize(&s, &e), 0);
    assert_true(s.sched.eta0 == 0.25); /* run small */
    assert_string_equal(s.name, "fig2-compare");
}

/* The error e is at file:line:col with msg (a substring) and hint. */
static void want_err(const scene_err *e, int line, int col, const char *msg,
                     const char *hint)
{
    if (e->line != line || e->col != col || !strstr(e->msg, msg) ||
        (hint && !strstr(e->hint, hint)))
        fail_msg("got %s:%d:%d: %s (hint: %s); want %d:%d '%s' '%s'",
                 e->file, e->line, e->col, e->msg, e->hint, line, col, msg,
                 hint ? hint : "");
}

/* Loads text (and finalizes with the --set items); must fail. */
static void bad(const char *text, const char *const *sets, int line, int col,
                const char *msg, const char *hint)
{
    comparison *c = cmp_new();
    scene_err e;
    int rc = comparison_load_string(c, text, "bad.scene", &e);
    for (; rc == 0 && sets && *sets; sets++)
        rc = comparison_set(c, *sets, &e);
    if (rc == 0)
        rc = comparison_finalize(c, &e);
    if (rc == 0)
        rc = comparison_check_keys(c, is_key, app_is_run_key, &e);
    if (rc == 0)
        fail_msg("no error for:\n%s", text);
    want_err(&e, line, col, msg, hint);
    /* the file is named: the scene's, or --set for an option */
    if (strcmp(e.file, "bad.scene") != 0 && strcmp(e.file, "--set") != 0)
        fail_msg("error names file '%s'", e.file);
    free(c);
}

static void test_parse_errors(void **st)
{
    (void)st;
    bad("run a\nrun b\nrun c\nrun d\nrun e\nrun f\nrun g\n", NULL, 7, 1,
        "more than 6 runs", "split");
    bad("eta = 1\nrun a\nrun b\n\nrun a\n", NULL, 5, 5,
        "run 'a' is named twice (first on line 2)", "own name");
    bad("run a\n  etaa = 1\n", NULL, 2, 3, "unknown key 'etaa'",
        "did you mean 'eta'?");
    bad("run a\ntitle = \"x\"\n", NULL, 2, 1, "title names the whole",
        "above the first 'run' line");
    bad("run a\n steps = 10\n", NULL, 2, 2, "steps is shared", "above");
    bad("run a\nat 5: caption 3 \"x\"\n", NULL, 2, 4,
        "a caption belongs to the whole comparison", "above");
    bad("run a\nat 5: pause\n", NULL, 2, 4, "a pause belongs", NULL);
    bad("run a\nat 5: end\n", NULL, 2, 4, "a end belongs", NULL);
    bad("run a!\n", NULL, 1, 6, "unexpected character in the run name",
        NULL);
    bad("run\n", NULL, 1, 4, "expected a run name", "run NAME");
    bad("run   # nothing\n", NULL, 1, 7, "expected a run name", NULL);
    bad("run a b\n", NULL, 1, 7, "unexpected text after the run name", NULL);
    bad("run a:\n", NULL, 1, 6, "unexpected ':'", "without the ':'");
    bad("run abcdefghijklmnopqrstuvwxyz\n", NULL, 1, 5, "longer than 24",
        NULL);
    /* a key of the whole session inside a run block */
    bad("run a\nat 5: key r\n", NULL, 2, 11, "acts on the whole session",
        "above the first 'run' line");
    bad("run a\nat 5: key Z\n", NULL, 2, 11, "unknown", NULL);
    /* run lengths that differ by the models' defaults */
    bad("run a\nmodel = quad1d\nrun b\nmodel = relu1d\n", NULL, 3, 5,
        "run 'b' is 31623 steps long", "set steps above");

    /* companions */
    const char *sde = SMALL "run sgd\nrun sde\ndynamics = sde\n";
    char t[1024];
    snprintf(t, sizeof t, "%ssde_companion = sgdd\n", sde);
    bad(t, NULL, 13, 17, "no run named 'sgdd'", "did you mean 'sgd'?");
    snprintf(t, sizeof t, "%ssde_companion = sde\n", sde);
    bad(t, NULL, 13, 17, "cannot be its own companion", NULL);
    snprintf(t, sizeof t, "%ssde_companion = sgd\nrun x\nsde_companion = sgd"
             "\n", sde);
    bad(t, NULL, 15, 17, "sde_companion is for dynamics = sde", NULL);
    snprintf(t, sizeof t, "%ssde_companion = gd\nrun gd\ndynamics = gd\n",
             sde);
    bad(t, NULL, 13, 17, "the companion 'gd' runs gd, not sgd",
        "Appendix C");
    snprintf(t, sizeof t, "%ssde_companion = sgd\nseed = 9\n", sde);
    bad(t, NULL, 13, 17, "has seed 3, this run seed 9", "share the model");
    snprintf(t, sizeof t, "%ssde_companion = sgd\nn = 21\n", sde);
    bad(t, NULL, 13, 17, "another 'n' than this run", "data");
    snprintf(t, sizeof t, "%ssde_companion = sgd\nsde_delta = 0.1\n", sde);
    bad(t, NULL, 13, 17, "sde_delta fixes delta", NULL);
    /* a single scene has one run, "main" */
    bad(SMALL "dynamics = sde\nsde_companion = sgd\n", NULL, 11, 17,
        "no run named 'sgd'", "one run, 'main'");
    /* a companion set by --set NAME.KEY is blamed on --set */
    const char *const set[] = {"sde.sde_companion=nope", NULL};
    bad(sde, set, 1, 19, "no run named 'nope'", NULL);
}

static void test_set_run_key(void **st)
{
    (void)st;
    const char *text = SMALL "run a\nrun b\neta = 0.05\n";
    const char *const sets[] = {"b.eta=0.07", "seed=5", "a.seed=6", NULL};
    comparison *c = cmp_text(text, sets);
    assert_true(c->run[0].sched.eta0 == 0.1);
    assert_true(c->run[1].sched.eta0 == 0.07);
    assert_int_equal(c->run[0].seed, 6);
    assert_int_equal(c->run[1].seed, 5);
    free(c);
    /* KEY=V wins over a run block */
    const char *const all[] = {"eta=0.2", NULL};
    c = cmp_text(text, all);
    assert_true(c->run[1].sched.eta0 == 0.2);
    free(c);
    /* main.KEY on a scene without blocks */
    const char *const m[] = {"main.eta=0.3", NULL};
    c = cmp_text(SMALL, m);
    assert_true(c->run[0].sched.eta0 == 0.3);
    free(c);

    const char *const unknown[] = {"bb.eta=1", NULL};
    bad(text, unknown, 1, 1, "no run named 'bb'", "did you mean 'b'?");
    const char *const far[] = {"zzzz.eta=1", NULL};
    bad(text, far, 1, 1, "no run named 'zzzz'", "the runs are: a, b");
    const char *const title[] = {"a.title=x", NULL};
    bad(text, title, 1, 3, "title is shared", "applies to every run");
    const char *const steps[] = {"b.steps=10", NULL};
    bad(text, steps, 1, 3, "steps is shared", NULL);
    /* a bad value: the column counts from the start of NAME.KEY=V */
    const char *const neg[] = {"b.eta=-1", NULL};
    bad(text, neg, 1, 7, "eta must be", NULL);
    const char *const typo[] = {"b.etaa=1", NULL};
    bad(text, typo, 1, 3, "unknown key 'etaa'", "did you mean 'eta'?");
}

/* ---- lockstep -------------------------------------------------------------- */

static void test_lockstep_identical(void **st)
{
    (void)st;
    comparison *c = cmp_text(SMALL "run a\nrun b\nrun c\n", NULL);
    session *s = ses(c);
    assert_int_equal(s->n, 3);
    drive(s, 3000, 1000);
    assert_int_equal(s->t, 3000);
    same_run(s->run[0].r, s->run[1].r, "a vs b");
    same_run(s->run[0].r, s->run[2].r, "a vs c");
    /* the data draw, probes and start are shared */
    assert_true(memcmp(s->run[0].r->m.x, s->run[2].r->m.x,
                       20 * 30 * sizeof(double)) == 0);
    session_destroy(s);
    free(c);

    /* a run with its own seed differs */
    c = cmp_text(SMALL "run a\nrun b\nseed = 4\n", NULL);
    s = ses(c);
    drive(s, 500, 500);
    assert_true(memcmp(s->run[0].r->theta, s->run[1].r->theta,
                       60 * sizeof(double)) != 0);
    session_destroy(s);
    free(c);
}

/* Same comparison, chunks of 1, 7, 333 and the whole: the same bits. */
static void test_any_chunking(void **st)
{
    (void)st;
    const char *text = SMALL "at 777: decay\nrun a\nrun b\neta = 0.05\n"
                       "at 1001: key +\n";
    comparison *c = cmp_text(text, NULL);
    session *ref = ses(c);
    drive(ref, 2000, 100000);
    const uint64_t chunks[] = {1, 7, 333};
    for (size_t k = 0; k < 3; k++) {
        session *s = ses(c);
        drive(s, 2000, chunks[k]);
        for (size_t i = 0; i < 2; i++)
            same_run(ref->run[i].r, s->run[i].r, "chunked");
        assert_int_equal(s->run[1].r->sched.nlog, 2); /* decay and + */
        session_destroy(s);
    }
    session_destroy(ref);
    free(c);
}

/* Each run of a shipped comparison is its single scene alone, bit for
 * bit (over a shortened run: the fractions follow `steps`). */
static void check_equals_singles(const char *cmp, const char *const *singles,
                                 const char *steps, uint64_t to)
{
    char set[64];
    snprintf(set, sizeof set, "steps=%s", steps);
    const char *const sets[] = {set, NULL};
    comparison *c = cmp_file(cmp, sets);
    session *s = ses(c);
    drive(s, to, 977);
    for (size_t i = 0; singles[i]; i++) {
        run *alone = test_run(singles[i], sets);
        run_advance(alone, to);
        if (alone->t == to)
            run_check(alone);
        char what[300];
        snprintf(what, sizeof what, "%s run %s vs %s", cmp, s->run[i].name,
                 singles[i]);
        same_run(s->run[i].r, alone, what);
        run_destroy(alone);
    }
    assert_int_equal(s->n, (size_t)(c->n));
    session_destroy(s);
    free(c);
}

static void test_runs_equal_single_scenes(void **st)
{
    (void)st;
    const char *fig2[] = {"scenes/fig2-diag-small.scene",
                          "scenes/fig2-diag-decay10.scene",
                          "scenes/fig2-diag-decay30.scene",
                          "scenes/fig2-diag-decay50.scene", NULL};
    check_equals_singles("scenes/fig2-compare.scene", fig2, "6000", 6000);
    const char *prop2[] = {"scenes/prop2-quad-below.scene",
                           "scenes/prop2-quad.scene",
                           "scenes/prop2-quad-above.scene", NULL};
    check_equals_singles("scenes/prop2-compare.scene", prop2, "2000", 2000);
    const char *fig4[] = {"scenes/fig4-relu-decay2.scene",
                          "scenes/fig4-relu-decay50.scene", NULL};
    check_equals_singles("scenes/fig4-compare.scene", fig4, "3000", 3000);
}

/* One run diverges; the others go on, untouched. */
static void test_freeze_alone(void **st)
{
    (void)st;
    comparison *c = cmp_text(SMALL "run ok\nrun boom\neta = 3\n", NULL);
    session *s = ses(c);
    drive(s, 2000, 500);
    assert_int_equal(s->t, 2000);
    assert_true(s->run[1].r->diverged);
    assert_true(s->run[1].r->t < 2000);
    assert_false(s->run[0].r->diverged);
    assert_int_equal(s->run[0].r->t, 2000);
    assert_int_equal(session_live(s), 1);
    /* the live run is the run alone */
    const char *const kv[] = {"model=diagnet", "n=20", "d=30", "r=3",
                              "n_test=50", "seed=3", "eta=0.1", "steps=3000",
                              "every=50", NULL};
    run *alone = test_run(NULL, kv);
    run_advance(alone, 2000);
    same_run(s->run[0].r, alone, "the live run");
    run_destroy(alone);
    /* u: the frozen run rewinds, halves η and catches up (or freezes) */
    char err[128];
    assert_int_equal(session_rewind(s, 0, 2.0, err, sizeof err), -1);
    assert_int_equal(session_rewind(s, 1, 2.0, err, sizeof err), 0);
    assert_true(run_eta(s->run[1].r) == 1.5);
    assert_true(s->run[1].r->diverged || s->run[1].r->t == 2000);
    assert_int_equal(s->log[s->nlog - 1].kind, SESSION_LOG_REWIND);
    session_destroy(s);
    free(c);
}

/* ---- forks ----------------------------------------------------------------- */

static void test_fork_identical(void **st)
{
    (void)st;
    /* a decay ahead in the timeline, and the checkpoints crossed */
    comparison *c = cmp_text(SMALL "at 2500: decay\n", NULL);
    session *s = ses(c);
    drive(s, 1234, 100);
    char err[128];
    int k = session_fork(s, 0, NULL, err, sizeof err);
    assert_int_equal(k, 1);
    assert_string_equal(s->run[1].name, "main-f1");
    assert_int_equal(s->run[1].parent, 0);
    assert_int_equal(s->run[1].born, 1234);
    assert_int_equal(s->log[0].kind, SESSION_LOG_FORK);
    assert_int_equal(s->log[0].step, 1234);
    assert_string_equal(s->log[0].name, "main-f1");
    same_run(s->run[0].r, s->run[1].r, "at the fork");
    drive(s, 3000, 333);
    same_run(s->run[0].r, s->run[1].r, "the fork continued");
    const run *a = s->run[0].r, *b = s->run[1].r;
    /* the decay fired on both; the histories and the verdict agree */
    assert_int_equal(a->sched.nlog, 1);
    assert_int_equal(b->sched.nlog, 1);
    assert_int_equal(a->h_train.len, b->h_train.len);
    assert_true(memcmp(a->h_train.b, b->h_train.b,
                       a->h_train.len * sizeof *a->h_train.b) == 0);
    assert_int_equal(a->last.verdict, b->last.verdict);
    assert_true(memcmp(&a->last.band_lo, &b->last.band_lo,
                       sizeof(double)) == 0);
    /* names: given, taken, bad; and at most 6 runs */
    assert_int_equal(session_fork(s, 0, "main-f1", err, sizeof err), -1);
    assert_int_equal(session_fork(s, 0, "a b", err, sizeof err), -1);
    for (int i = 0; i < 4; i++)
        assert_true(session_fork(s, 1, NULL, err, sizeof err) >= 2);
    assert_int_equal(s->n, 6);
    assert_string_equal(s->run[2].name, "main-f1-f1");
    assert_int_equal(session_fork(s, 0, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "at most 6"));
    session_destroy(s);

    /* a fork changed at once parts from its parent; the same fork at the
     * same step replays bit for bit */
    session *x = ses(c), *y = ses(c);
    session *both[2] = {x, y};
    for (int i = 0; i < 2; i++) {
        drive(both[i], 1000, 250);
        int f = session_fork(both[i], 0, "branch", err, sizeof err);
        assert_int_equal(f, 1);
        run_decay_now(both[i]->run[1].r);
        drive(both[i], 2000, i ? 7 : 1000);
    }
    same_run(x->run[1].r, y->run[1].r, "replayed fork");
    assert_true(memcmp(x->run[0].r->theta, x->run[1].r->theta,
                       60 * sizeof(double)) != 0);
    session_destroy(x);
    session_destroy(y);
    free(c);
}

/* A fork of a frozen run is frozen where its parent is. */
static void test_fork_frozen(void **st)
{
    (void)st;
    comparison *c = cmp_text(SMALL "run ok\nrun boom\neta = 3\n", NULL);
    session *s = ses(c);
    drive(s, 1000, 1000);
    char err[128];
    int k = session_fork(s, 1, "boom2", err, sizeof err);
    assert_int_equal(k, 2);
    assert_true(s->run[2].r->diverged);
    assert_int_equal(s->run[2].r->diverged_at, s->run[1].r->diverged_at);
    drive(s, 1500, 1000);
    same_run(s->run[1].r, s->run[2].r, "frozen fork");
    session_destroy(s);
    free(c);
}

/* ---- companions ------------------------------------------------------------ */

/* A companion that never moves (η so small that no update changes θ) has
 * a loss L0 known in advance: the SDE reading it is exactly the SDE with
 * the fixed δ = 4c·L0. */
static void test_companion_reads_loss(void **st)
{
    (void)st;
    const char *text = SMALL "sde_substeps = 4\n"
                       "run still\neta = 1e-300\n"
                       "run sde\ndynamics = sde\nsde_companion = still\n";
    comparison *c = cmp_text(text, NULL);
    session *s = ses(c);
    run *still = s->run[0].r, *sde = s->run[1].r;
    assert_ptr_equal(sde->tap_in, s->run[0].tap);
    assert_ptr_equal(still->tap_out, s->run[0].tap);
    assert_true(sde->dyn.sde_ext);
    assert_int_equal(s->run[1].companion, 0);
    assert_int_equal(s->order[0], 0);
    double L0 = model_train_loss(&still->m, still->theta);
    drive(s, 3000, 1000);
    assert_true(model_train_loss(&still->m, still->theta) == L0);
    /* δ = sde_scale · 4c · L0, as a fixed sde_delta */
    char fixed[64];
    snprintf(fixed, sizeof fixed, "sde_delta=%.17g",
             4.0 * still->m.loss_coef * L0);
    const char *const kv[] = {"model=diagnet", "n=20", "d=30", "r=3",
                              "n_test=50", "seed=3", "eta=0.1", "steps=3000",
                              "every=50", "dynamics=sde", "sde_substeps=4",
                              fixed, NULL};
    run *alone = test_run(NULL, kv);
    assert_true(alone->dyn.sde_delta == 4.0 * still->m.loss_coef * L0);
    run_advance(alone, 3000);
    same_run(sde, alone, "SDE with a still companion vs fixed δ");
    run_destroy(alone);
    session_destroy(s);
    free(c);
}

/* The tap holds the companion's own loss before each of its steps, for
 * any chunking; the SDE's path does not depend on the chunking either. */
static void test_companion_tap(void **st)
{
    (void)st;
    const char *text = SMALL "sde_substeps = 2\n"
                       "run sgd\nrun sde\ndynamics = sde\n"
                       "sde_companion = sgd\n";
    const char *const six[] = {"steps=6000", NULL};
    comparison *c = cmp_text(text, six);
    session *s = ses(c);
    drive(s, 5000, 5000); /* more than SESSION_TAP_CHUNK at once */
    /* the companion alone, step by step */
    const char *const kv[] = {"model=diagnet", "n=20", "d=30", "r=3",
                              "n_test=50", "seed=3", "eta=0.1", "steps=6000",
                              "every=50", NULL};
    run *alone = test_run(NULL, kv);
    for (uint64_t t = 0; t < 5000; t++) {
        double L = model_train_loss(&alone->m, alone->theta);
        if (t >= 5000 - SESSION_TAP_CAP &&
            memcmp(&L, &s->run[0].tap[t % SESSION_TAP_CAP], sizeof L) != 0)
            fail_msg("tap at step %llu: %.17g vs %.17g",
                     (unsigned long long)t, s->run[0].tap[t % SESSION_TAP_CAP],
                     L);
        run_advance(alone, 1);
    }
    same_run(s->run[0].r, alone, "the companion vs alone");
    run_destroy(alone);
    session *s2 = ses(c);
    drive(s2, 5000, 3);
    same_run(s->run[1].r, s2->run[1].r, "SDE chunked by 3 vs 5000");
    session_destroy(s2);
    session_destroy(s);
    free(c);
}

/* A companion that diverges freezes alone; its SDE goes on with δ held at
 * the frozen state's loss (here within a low diverge_loss: a frozen state
 * far up a blow-up would take the SDE along). */
static void test_companion_frozen(void **st)
{
    (void)st;
    const char *text = SMALL "sde_substeps = 2\n"
                       "run sgd\ndiverge_loss = 2\nat 300: eta 4\n"
                       "run sde\ndynamics = sde\nsde_companion = sgd\n";
    comparison *c = cmp_text(text, NULL);
    session *s = ses(c);
    drive(s, 2000, 2000);
    run *sgd = s->run[0].r, *sde = s->run[1].r;
    assert_true(sgd->diverged);
    assert_false(sde->diverged);
    assert_int_equal(sde->t, 2000);
    double Lf = model_train_loss(&sgd->m, sgd->theta);
    for (uint64_t t = sgd->t; t < 2000; t++)
        assert_true(s->run[0].tap[t % SESSION_TAP_CAP] == Lf);
    session_destroy(s);
    free(c);
}

/* ---- timelines and restarts ----------------------------------------------- */

static void test_events_and_restart(void **st)
{
    (void)st;
    /* the base decay on every run, the block's key on its run, the base
     * key on the focused run, the caption for the caller */
    const char *text = SMALL "at 100: decay\nat 200: key +\n"
                       "at 300: caption 10 \"x\"\n"
                       "run a\nrun b\nat 150: key d\n";
    comparison *c = cmp_text(text, NULL);
    session *s = ses(c);
    session_set_focus(s, 1);
    char msg[160];
    session_due d;
    int yours = 0;
    while (s->t < 400) {
        while (session_peek(s, &d))
            if (session_fire(s, &d, msg, sizeof msg) == SESSION_YOURS) {
                assert_int_equal(d.ev->kind, TL_CAPTION);
                assert_int_equal(d.run, -1);
                yours++;
            }
        assert_true(session_advance(s, 1000) > 0);
    }
    assert_int_equal(yours, 1);
    assert_int_equal(s->run[0].r->sched.nlog, 1); /* the decay */
    assert_int_equal(s->run[1].r->sched.nlog, 3); /* decay, d, + */
    assert_true(run_eta(s->run[1].r) == 0.1 / 2 / 2 * 1.1);
    assert_int_equal(session_next_event(s), UINT64_MAX);
    /* a fork in, then a restart: the scene's runs at step 0 */
    char err[128];
    assert_int_equal(session_fork(s, 0, "f", err, sizeof err), 2);
    assert_int_equal(session_restart(s, 0, 0, err, sizeof err), 0);
    assert_int_equal(s->n, 2);
    assert_int_equal(s->t, 0);
    assert_int_equal(s->run[0].r->t, 0);
    assert_int_equal(session_next_event(s), 100);
    assert_int_equal(s->log[s->nlog - 1].kind, SESSION_LOG_RESTART);
    session_focus_next(s);
    assert_int_equal(s->focus, 0);
    assert_int_equal(session_find(s, "b"), 1);
    assert_int_equal(session_find(s, "f"), -1);
    /* a reseed shifts every seed */
    assert_int_equal(session_restart(s, 1, 1, err, sizeof err), 0);
    assert_int_equal(s->run[0].r->sc.seed, 4);
    session_destroy(s);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_set_run_key),
        cmocka_unit_test(test_lockstep_identical),
        cmocka_unit_test(test_any_chunking),
        cmocka_unit_test(test_runs_equal_single_scenes),
        cmocka_unit_test(test_freeze_alone),
        cmocka_unit_test(test_fork_identical),
        cmocka_unit_test(test_fork_frozen),
        cmocka_unit_test(test_companion_reads_loss),
        cmocka_unit_test(test_companion_tap),
        cmocka_unit_test(test_companion_frozen),
        cmocka_unit_test(test_events_and_restart),
    };
    return cmocka_run_group_tests_name("session", tests, NULL, NULL);
}

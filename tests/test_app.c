/* test_app.c — the interactive session without a terminal: the key table,
 * frame-rate independence, reproducible key-driven runs, rewind, warmup,
 * dynamics cycling. */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "canvas.h"
#include "mapjob.h"
#include "view.h"

static void open_scene(app *a, const char *path, const char *const *sets)
{
    scene s;
    scene_err e;
    scene_init(&s);
    if (path && scene_load_file(&s, path, &e) != 0)
        fail_msg("%s: %s", path, e.msg);
    for (; sets && *sets; sets++)
        if (scene_set(&s, *sets, &e) != 0)
            fail_msg("%s: %s", *sets, e.msg);
    assert_int_equal(scene_finalize(&s, &e), 0);
    char err[256];
    if (app_open(a, &s, "scenes", err, sizeof err) != 0)
        fail_msg("app_open: %s", err);
}

static void test_key_table(void **st)
{
    (void)st;
    int seen[ACT_COUNT] = {0};
    for (size_t i = 0; i < app_nkeys; i++) {
        for (size_t j = i + 1; j < app_nkeys; j++)
            assert_int_not_equal(app_keys[i].key, app_keys[j].key);
        /* an alternative key belongs to its action only */
        for (int k = 0; k < APP_KEY_ALTS; k++)
            if (app_keys[i].alt[k])
                assert_int_equal(app_key_action(app_keys[i].alt[k]),
                                 (int)app_keys[i].act);
        seen[app_keys[i].act]++;
        assert_int_equal(app_key_action(app_keys[i].key),
                         (int)app_keys[i].act);
        assert_non_null(app_keys[i].help);
    }
    for (int k = 0; k < ACT_COUNT; k++)
        if (seen[k] != 1)
            fail_msg("action %d bound %d times", k, seen[k]);
    assert_int_equal(app_key_action('Z'), -1);
    /* the conventional keys */
    assert_int_equal(app_key_action('q'), ACT_QUIT);
    assert_int_equal(app_key_action(' '), ACT_PAUSE);
    assert_int_equal(app_key_action('?'), ACT_HELP);
    /* arrows, F1 and F10 as in htop and mc, and the fine η steps */
    assert_int_equal(app_key_action(APP_KEY_UP), ACT_ETA_UP);
    assert_int_equal(app_key_action(APP_KEY_DOWN), ACT_ETA_DOWN);
    assert_int_equal(app_key_action(APP_KEY_RIGHT), ACT_FASTER);
    assert_int_equal(app_key_action(APP_KEY_LEFT), ACT_SLOWER);
    assert_int_equal(app_key_action(APP_KEY_F1), ACT_HELP);
    assert_int_equal(app_key_action(APP_KEY_F10), ACT_QUIT);
    assert_int_equal(app_key_action(']'), ACT_ETA_FINE_UP);
    assert_int_equal(app_key_action('['), ACT_ETA_FINE_DOWN);
    assert_int_equal(app_key_action(':'), ACT_PROMPT);
    assert_int_equal(app_key_action('M'), ACT_PREV_SCENE);
    assert_int_equal(app_key_action('p'), ACT_PICKER);
    assert_int_equal(app_key_action(0), -1);
}

/* The same keys at the same steps give the same run whatever the number
 * of steps per frame (the frame rate). */
static void test_frame_rate_independent(void **st)
{
    (void)st;
    app a, b;
    const char *const sets[] = {"seed=3", NULL};
    open_scene(&a, "scenes/fig2-diag-decay50.scene", sets);
    open_scene(&b, "scenes/fig2-diag-decay50.scene", sets);
    a.spf = 1000;
    b.spf = 37;
    /* a: 3 frames of 1000; b: frames of 37 up to 3000, then finish */
    for (int f = 0; f < 3; f++)
        app_tick(&a, f == 1);
    while (b.r->t + 37 <= 3000)
        app_tick(&b, 1);
    app_run_to(&b, 3000);
    app_run_to(&a, 3000); /* both record the metrics at 3000 */
    assert_int_equal(a.r->t, 3000);
    assert_int_equal(b.r->t, 3000);
    app_act(&a, ACT_ETA_UP);
    app_act(&b, ACT_ETA_UP);
    app_act(&a, ACT_DECAY);
    app_act(&b, ACT_DECAY);
    app_run_to(&a, 5000);
    app_run_to(&b, 5000);
    assert_memory_equal(a.r->theta, b.r->theta, a.r->m.p * sizeof(double));
    /* losses were recorded at the same steps with the same values */
    assert_int_equal(a.r->h_train.total, b.r->h_train.total);
    assert_true(a.r->last.train_loss == b.r->last.train_loss);
    assert_int_equal(a.r->sched.nlog, 2);
    assert_int_equal(a.r->sched.log[0].step, 3000);
    app_close(&a);
    app_close(&b);
}

static void test_pause_and_step(void **st)
{
    (void)st;
    app a;
    open_scene(&a, NULL, NULL);
    a.spf = 4;
    app_tick(&a, 0);
    assert_int_equal(a.r->t, 4);
    app_act(&a, ACT_PAUSE);
    assert_true(a.paused);
    assert_int_equal(app_tick(&a, 0), 0);
    assert_int_equal(a.r->t, 4);
    app_act(&a, ACT_STEP);
    assert_int_equal(a.r->t, 5);
    app_act(&a, ACT_PAUSE);
    app_tick(&a, 0);
    assert_int_equal(a.r->t, 9);
    /* . while running pauses first, as in most players */
    app_act(&a, ACT_STEP);
    assert_true(a.paused);
    assert_int_equal(a.r->t, 9);
    app_act(&a, ACT_FASTER);
    assert_int_equal(a.spf, 8);
    app_act(&a, ACT_SLOWER);
    app_act(&a, ACT_SLOWER);
    assert_int_equal(a.spf, 2);
    app_close(&a);
}

static void test_eta_keys_and_interval(void **st)
{
    (void)st;
    app a;
    open_scene(&a, NULL, NULL);
    double e0 = run_eta(a.r);
    assert_close(e0, 1.1, 1e-15);
    app_act(&a, ACT_ETA_UP);
    assert_close(run_eta(a.r), 1.1 * 1.1, 1e-12);
    app_act(&a, ACT_ETA_DOWN);
    assert_close(run_eta(a.r), 1.1, 1e-12);
    app_act(&a, ACT_DECAY);
    assert_close(run_eta(a.r), 1.1 / a.r->sched.cfg.decay_factor, 1e-12);
    assert_int_equal(a.r->sched.nlog, 3);
    app_close(&a);
}

/* A run blown up by a key press comes back with u: earlier state, lower η,
 * running again. */
static void test_diverge_and_rewind(void **st)
{
    (void)st;
    app a;
    open_scene(&a, NULL, NULL);
    a.spf = 500; /* the run stops at its length, 2000 */
    app_tick(&a, 0);
    for (int i = 0; i < 8; i++)
        app_act(&a, ACT_ETA_UP); /* η = 1.1 · 1.1^8 ≈ 2.36: diverges */
    app_tick(&a, 0);
    app_tick(&a, 0);
    assert_true(a.r->diverged);
    assert_non_null(strstr(a.msg, "diverged"));
    uint64_t at = a.r->diverged_at;
    double eta = run_eta(a.r);
    app_act(&a, ACT_REWIND);
    assert_false(a.r->diverged);
    /* back to a checkpoint before the blow-up (logged), then replayed
     * with η/2 up to the session's step, where it stands in lockstep */
    const schedule *sd = &a.r->sched;
    size_t k = sd->nlog;
    while (k > 0 && sd->log[k - 1].kind != EV_REWIND)
        k--;
    assert_true(k > 0); /* then η ÷ 2, logged after it */
    assert_true(sd->log[k - 1].value < (double)at);
    assert_int_equal(a.r->t, a.ses->t);
    assert_close(run_eta(a.r), eta / 2.0, 1e-12);
    assert_true(isfinite(a.r->theta[0]));
    assert_non_null(strstr(a.msg, "rewound"));
    /* the histories hold the replay, not the abandoned future */
    const hist_bucket *last = history_at(&a.r->h_train,
                                         a.r->h_train.len - 1);
    assert_true(last->step_last <= a.r->t);
    app_tick(&a, 0);
    assert_true(a.r->t > 0);
    /* u with nothing to rewind only says so */
    app_act(&a, ACT_REWIND);
    assert_non_null(strstr(a.msg, "nothing to rewind"));
    app_close(&a);
}

static void test_dynamics_cycle_and_batch(void **st)
{
    (void)st;
    app a;
    open_scene(&a, NULL, NULL);
    /* online quad1d: label noise and the SDE need a training set */
    app_act(&a, ACT_DYNAMICS);
    assert_int_equal(a.r->dyn.kind, DYN_GD);
    app_act(&a, ACT_DYNAMICS);
    assert_int_equal(a.r->dyn.kind, DYN_SGD);
    app_close(&a);

    open_scene(&a, "scenes/fig2-diag-small.scene", NULL);
    const dyn_kind want[] = {DYN_GD, DYN_LABELNOISE, DYN_SDE, DYN_SGD};
    for (size_t i = 0; i < 4; i++) {
        app_act(&a, ACT_DYNAMICS);
        assert_int_equal(a.r->dyn.kind, want[i]);
    }
    app_act(&a, ACT_BATCH_UP);
    app_act(&a, ACT_BATCH_UP);
    assert_int_equal(a.r->dyn.batch, 4);
    app_act(&a, ACT_BATCH_DOWN);
    assert_int_equal(a.r->dyn.batch, 2);
    app_close(&a);
}

static void test_warmup_key(void **st)
{
    (void)st;
    app a;
    /* a step whose doubling stays stable (the scene's 0.25 doubled is
     * past the edge, and the run would freeze before the checks) */
    const char *const sets[] = {"eta=0.15", NULL};
    open_scene(&a, "scenes/fig2-diag-small.scene", sets);
    double e0 = run_eta(a.r);
    app_act(&a, ACT_WARMUP);
    assert_true(a.r->sched.mw_active);
    app_run_to(&a, 5000); /* halfway through a ramp over 10^4 steps */
    assert_close(run_eta(a.r), e0 * 1.5, 1e-12);
    app_act(&a, ACT_WARMUP);
    assert_false(a.r->sched.mw_active);
    app_run_to(&a, 9000);
    assert_close(run_eta(a.r), e0 * 1.5, 1e-12);
    app_close(&a);
}

static void test_reset_and_scenes(void **st)
{
    (void)st;
    app a;
    open_scene(&a, NULL, NULL);
    assert_true(a.nscenes >= 7);
    app_run_to(&a, 100);
    double th = a.r->theta[0];
    app_act(&a, ACT_RESET);
    assert_int_equal(a.r->t, 0);
    app_run_to(&a, 100);
    assert_true(a.r->theta[0] == th);
    app_act(&a, ACT_RESEED);
    assert_int_equal(a.r->sc.seed, 2);
    app_act(&a, ACT_NEXT_SCENE);
    assert_string_not_equal(a.r->sc.name, "default");
    char first[SCENE_NAME_MAX];
    snprintf(first, sizeof first, "%s", a.r->sc.name);
    app_act(&a, ACT_NEXT_SCENE);
    assert_string_not_equal(a.r->sc.name, first);
    app_act(&a, ACT_HELP);
    assert_true(a.help);
    app_act(&a, ACT_XAXIS);
    assert_true(a.xlog);
    app_act(&a, ACT_QUIT);
    assert_true(a.quit);
    app_close(&a);
}


/* A frame of the whole screen as text (the overlays included). */
static char *frame_text(const app *a, int w, int h)
{
    canvas c;
    assert_int_equal(canvas_init(&c, w, h, GLYPH_BRAILLE), 0);
    view_draw(&c, a);
    size_t need = canvas_to_text(&c, NULL, 0) + 1;
    char *t = malloc(need);
    assert_non_null(t);
    canvas_to_text(&c, t, need);
    canvas_free(&c);
    return t;
}

static void open_text(app *a, const char *text)
{
    static scene s;
    scene_err e;
    scene_init(&s);
    if (scene_load_string(&s, text, "t.scene", &e) != 0 ||
        scene_finalize(&s, &e) != 0)
        fail_msg("t.scene:%d:%d: %s", e.line, e.col, e.msg);
    char err[256];
    if (app_open(a, &s, NULL, err, sizeof err) != 0)
        fail_msg("app_open: %s", err);
}

/* In help, Esc, q and ? close it and q does not quit; F1 opens it, F10
 * quits from anywhere; the run waits while it is open and goes on as it
 * was (running, or paused) when it closes. */
static void test_help_keys_and_pause(void **st)
{
    (void)st;
    app a;
    open_scene(&a, NULL, NULL);
    a.spf = 4;
    app_tick(&a, 0);
    assert_int_equal(a.r->t, 4);
    const int closers[] = {APP_KEY_ESC, 'q', '?'};
    for (size_t i = 0; i < 3; i++) {
        app_press(&a, i == 1 ? APP_KEY_F1 : '?');
        assert_true(a.help);
        uint64_t t = a.r->t;
        assert_int_equal(app_tick(&a, 0), 0); /* waits behind the help */
        assert_int_equal(a.r->t, t);
        assert_false(app_busy(&a));
        app_press(&a, closers[i]);
        assert_false(a.help);
        assert_false(a.quit);
        assert_false(a.paused);
        assert_int_equal(app_tick(&a, 0), 4); /* running again */
    }
    /* paused before the help: still paused after it */
    app_press(&a, ' ');
    app_press(&a, '?');
    app_press(&a, APP_KEY_ESC);
    assert_true(a.paused);
    assert_int_equal(app_tick(&a, 0), 0);
    app_press(&a, '?');
    app_press(&a, APP_KEY_F10);
    assert_true(a.quit);
    app_close(&a);
}

/* The help is generated from the key table: the arrows and F keys show
 * next to their action, and on the online quad1d it says why o skips
 * label-noise GD and the SDE. */
static void test_help_text(void **st)
{
    (void)st;
    app a;
    open_scene(&a, NULL, NULL);
    app_press(&a, '?');
    for (int size = 0; size < 2; size++) {
        char *t = frame_text(&a, size ? 80 : 120, size ? 24 : 40);
        assert_non_null(strstr(t, "(also Up, =)"));
        assert_non_null(strstr(t, "(also Down)"));
        assert_non_null(strstr(t, "(also Right)"));
        assert_non_null(strstr(t, "(also F1)"));
        assert_non_null(strstr(t, "(also F10)"));
        assert_non_null(strstr(t, "]      η ×1.01"));
        assert_non_null(strstr(t, "online (n = 0"));
        assert_non_null(strstr(t, "quit (also F10)"));
        free(t);
    }
    app_close(&a);
    open_scene(&a, "scenes/fig2-diag-small.scene", NULL);
    app_press(&a, '?');
    char *t = frame_text(&a, 120, 40);
    assert_null(strstr(t, "online (n = 0"));
    free(t);
    app_close(&a);
}

static void test_online_dynamics_say_why(void **st)
{
    (void)st;
    app a;
    open_scene(&a, NULL, NULL);
    app_press(&a, 'o');
    assert_int_equal(a.r->dyn.kind, DYN_GD);
    app_press(&a, 'o');
    assert_int_equal(a.r->dyn.kind, DYN_SGD);
    assert_non_null(strstr(a.msg, "skipped label-noise GD, SDE"));
    /* whole at 80 columns: the hint line keeps "? help  q quit" (16
     * cells) and a margin, the help says why */
    assert_true(strlen(a.msg) <= 80 - 16 - 3);
    app_close(&a);
}

/* A live run stops once at the scene's run length, where the figure
 * ends, whatever the speed; space runs on past it; a reset re-arms it.
 * A jump (goto, --snapshot) is not stopped. */
static void test_stop_at_run_length(void **st)
{
    (void)st;
    app a;
    open_scene(&a, NULL, NULL); /* 2000 steps */
    a.spf = 768;
    for (int i = 0; i < 5; i++)
        app_tick(&a, 0);
    assert_int_equal(a.r->t, 2000);
    assert_true(a.paused);
    assert_non_null(strstr(a.msg, "end of the run"));
    app_press(&a, ' ');
    app_tick(&a, 0);
    assert_int_equal(a.r->t, 2768);
    app_press(&a, 'r');
    assert_int_equal(a.r->t, 0);
    for (int i = 0; i < 5; i++)
        app_tick(&a, 0);
    assert_int_equal(a.r->t, 2000);
    assert_int_equal(app_command(&a, "goto 5000"), 0);
    for (int i = 0; i < 200 && a.going; i++)
        app_tick(&a, 0);
    assert_int_equal(a.r->t, 5000);
    app_close(&a);
}

/* The messages a user meets often fit the hint line whole at 80 columns
 * (it keeps "? help  q quit" on the right): a bad command, the next
 * scene, a divergence. */
static void test_messages_fit_80(void **st)
{
    (void)st;
    const size_t room = 80 - 16 - 3;
    app a;
    open_scene(&a, NULL, NULL);
    assert_int_equal(app_command(&a, "frobnicate 3"), -1);
    assert_true(strlen(a.msg) <= room);
    assert_non_null(strstr(a.msg, "goto"));
    assert_int_equal(app_command(&a, "eta"), -1);
    assert_true(strlen(a.msg) <= room);
    app_press(&a, 'm');
    assert_non_null(strstr(a.msg, "scene "));
    assert_true(strlen(a.msg) <= room);
    app_close(&a);
    const char *const hot[] = {"eta=5", NULL};
    open_scene(&a, NULL, hot);
    a.spf = 64;
    for (int i = 0; i < 50 && !a.r->diverged; i++)
        app_tick(&a, 0);
    assert_true(a.r->diverged);
    assert_non_null(strstr(a.msg, "diverged"));
    assert_true(strlen(a.msg) <= room + 4); /* η is two bytes */
    /* a frozen run keeps the η it blew up with until u or r */
    double eta = run_eta(a.r);
    app_press(&a, 'd');
    app_press(&a, '+');
    app_press(&a, 'o');
    assert_int_equal(app_command(&a, "eta 0.5"), -1);
    assert_true(run_eta(a.r) == eta);
    assert_int_equal(a.r->dyn.kind, DYN_SGD);
    assert_non_null(strstr(a.msg, "frozen"));
    app_close(&a);
}

/* ] and [ reach inside Proposition 2's interval (1, 1.134) from 1.1,
 * which + (×1.1 = 1.21) jumps over; each press is a logged event. */
static void test_fine_eta(void **st)
{
    (void)st;
    app a;
    open_scene(&a, NULL, NULL);
    app_press(&a, ']');
    app_press(&a, ']');
    assert_close(run_eta(a.r), 1.1 * 1.01 * 1.01, 1e-12);
    assert_true(run_eta(a.r) > 1.12 && run_eta(a.r) < 1.134);
    app_press(&a, '[');
    assert_close(run_eta(a.r), 1.1 * 1.01, 1e-12);
    assert_int_equal(a.r->sched.nlog, 3);
    app_close(&a);
}

static void type(app *a, const char *s)
{
    app_press(a, ':');
    for (; *s; s++)
        app_press(a, *s);
    app_press(a, APP_KEY_ENTER);
}

/* The `:` prompt: the run waits while it is open; Enter applies at a
 * step boundary through the run's logged events; Esc cancels; Backspace
 * edits; bad input says what is wrong. */
static void test_prompt(void **st)
{
    (void)st;
    app a;
    open_scene(&a, NULL, NULL);
    a.spf = 10;
    app_tick(&a, 0);
    app_press(&a, ':');
    assert_true(a.prompt);
    assert_int_equal(app_tick(&a, 0), 0);
    app_press(&a, 'e');
    app_press(&a, 'x');
    app_press(&a, APP_KEY_BACKSPACE);
    assert_string_equal(a.line, "e");
    app_press(&a, APP_KEY_ESC);
    assert_false(a.prompt);
    assert_int_equal(a.r->sched.nlog, 0);

    type(&a, "eta 1.12");
    assert_false(a.prompt);
    assert_close(run_eta(a.r), 1.12, 1e-12);
    assert_int_equal(a.r->sched.nlog, 1);
    assert_int_equal(a.r->sched.log[0].kind, EV_SET_ETA);
    assert_int_equal(a.r->sched.log[0].step, 10);
    type(&a, "eta x");
    assert_non_null(strstr(a.msg, "eta needs a number > 0, got 'x'"));
    type(&a, "eta -1");
    assert_non_null(strstr(a.msg, "got '-1'"));
    /* out of the range η is kept in: refused (issue 8, item 10) */
    type(&a, "eta 1e-320");
    assert_non_null(strstr(a.msg, "eta 1e-320 is outside the step sizes "
                                  "2.2e-308..1.8e+308"));
    type(&a, "eta 1e999");
    assert_non_null(strstr(a.msg, "eta 1e999 is outside"));
    type(&a, "eta");
    assert_non_null(strstr(a.msg, "eta needs a value"));
    type(&a, "jump 5");
    assert_non_null(strstr(a.msg, "'jump'? try eta"));
    type(&a, "decay now");
    assert_non_null(strstr(a.msg, "decay takes no value"));
    type(&a, "dynamics sde");
    assert_non_null(strstr(a.msg, "finite training set"));
    assert_close(run_eta(a.r), 1.12, 1e-12);
    assert_int_equal(a.r->sched.nlog, 1);

    type(&a, "batch 4");
    assert_int_equal(a.r->dyn.batch, 4);
    type(&a, "batch 0");
    assert_non_null(strstr(a.msg, "batch needs an integer in 1..4096"));
    type(&a, "decay");
    assert_close(run_eta(a.r), 1.12 / a.r->sched.cfg.decay_factor, 1e-12);
    type(&a, "dynamics gd");
    assert_int_equal(a.r->dyn.kind, DYN_GD);
    type(&a, "seed 9");
    assert_int_equal(a.r->sc.seed, 9);
    assert_int_equal(a.r->t, 0);
    type(&a, "help");
    assert_true(a.help);
    app_press(&a, 'q');
    assert_false(a.quit);
    app_close(&a);
}

/* `:map LO:HI[:N] [S-T]` starts a map of that grid; every malformed or
 * out-of-range grid is refused with a message before the earlier map's
 * sweep is touched; `:map` alone reopens it. */
static void test_map_command(void **st)
{
    (void)st;
    app a;
    static const char *const sets[] = {"steps = 300", NULL};
    open_scene(&a, NULL, sets);
    a.map_workers = 1;
    type(&a, "map 0.1:0.3:5 2-4");
    assert_true(a.map);
    assert_non_null(a.mj);
    assert_int_equal(a.mj->state, MAPJOB_RUNNING);
    assert_int_equal(a.mj->neta, 5);
    assert_int_equal(a.mj->nseed, 3);
    assert_int_equal(a.mj->seed[0], 2);
    assert_int_equal(a.mj->seed[2], 4);
    assert_close(a.mj->eta[0], 0.1, 1e-15);
    assert_close(a.mj->eta[2], 0.2, 1e-15);
    assert_close(a.mj->eta[4], 0.3, 1e-15);
    app_press(&a, APP_KEY_ESC);
    assert_false(a.map);

    static const struct { const char *line, *says; } bad[] = {
        {"map 0.3:0.1", "0 < LO < HI"},
        {"map 0:0.1", "0 < LO < HI"},
        {"map 0.1:0.3:1", "2 to 41 values"},
        {"map 0.1:0.3:42", "2 to 41 values"},
        {"map 0.1:0.3:x", "2 to 41 values"},
        {"map 0.1", "LO:HI[:N]"},
        {"map 0.1:0.3:5:7", "LO:HI[:N]"},
        {"map 0.1:zz", "LO:HI[:N]"},
        {"map 0.1:0.3 5-2", "S or S-T"},
        {"map 0.1:0.3 1-", "S or S-T"},
        {"map 0.1:0.3 -3", "S or S-T"},
        {"map 0.1:0.3 1-21", "1 to 20 seeds"},
        {"map 0.1:0.3 1-2 3", "too many words"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        type(&a, bad[i].line);
        if (!strstr(a.msg, bad[i].says))
            fail_msg("'%s' said '%s'", bad[i].line, a.msg);
        assert_false(a.map);
        /* the map before is untouched */
        assert_true(a.mj->state == MAPJOB_RUNNING ||
                    a.mj->state == MAPJOB_DONE);
        assert_int_equal(a.mj->neta, 5);
        assert_int_equal(a.mj->seed[0], 2);
    }
    /* one seed, the default N */
    type(&a, "map 0.2:0.4 7");
    assert_true(a.map);
    assert_int_equal(a.mj->neta, MAPJOB_DEFAULT_ETA);
    assert_int_equal(a.mj->nseed, 1);
    assert_int_equal(a.mj->seed[0], 7);
    app_press(&a, 'q');
    /* alone: the same map again, not a new sweep */
    const mapjob *before = a.mj;
    size_t total = a.mj->total;
    type(&a, "map");
    assert_true(a.map);
    assert_ptr_equal(a.mj, before);
    assert_int_equal(a.mj->total, total);
    assert_int_equal(a.mj->seed[0], 7);
    app_close(&a);
}

/* goto runs forward in chunks, one per frame, with a progress message,
 * and lands on the same state as a jump; behind, it restarts and runs
 * forward; Esc stops it. */
static void test_goto(void **st)
{
    (void)st;
    app a, b;
    const char *const sets[] = {"seed=3", NULL};
    open_scene(&a, "scenes/fig2-diag-decay50.scene", sets);
    open_scene(&b, "scenes/fig2-diag-decay50.scene", sets);
    app_clock(&a, 0.0);
    type(&a, "goto 5000");
    assert_true(a.going);
    app_tick(&a, 0);
    assert_true(a.r->t > 0 && a.r->t < 5000);
    assert_non_null(strstr(a.msg, "going to step 5000"));
    for (int f = 1; a.going && f < 1000; f++) {
        app_clock(&a, f * 0.01); /* quick frames: the chunk grows */
        app_tick(&a, 0);
    }
    assert_false(a.going);
    assert_int_equal(a.r->t, 5000);
    app_run_to(&b, 5000);
    assert_memory_equal(a.r->theta, b.r->theta, a.r->m.p * sizeof(double));
    /* behind: reset, then forward to the same state */
    type(&a, "goto 1000");
    while (a.going)
        app_tick(&a, 0);
    assert_int_equal(a.r->t, 1000);
    app_close(&b);
    open_scene(&b, "scenes/fig2-diag-decay50.scene", sets);
    app_run_to(&b, 1000);
    assert_memory_equal(a.r->theta, b.r->theta, a.r->m.p * sizeof(double));
    /* Esc stops a goto where it is */
    type(&a, "goto 900000");
    app_tick(&a, 0);
    app_press(&a, APP_KEY_ESC);
    assert_false(a.going);
    uint64_t t = a.r->t;
    assert_true(t < 900000);
    assert_non_null(strstr(a.msg, "goto stopped"));
    type(&a, "goto 12x");
    assert_non_null(strstr(a.msg, "goto needs a step"));
    app_close(&a);
    app_close(&b);
}

/* Below one step per frame: < past ×1 takes a step every k frames (shown
 * as ×0.5, ×0.2, ...), > comes back. */
static void test_slow_speeds(void **st)
{
    (void)st;
    app a;
    char buf[32];
    open_scene(&a, NULL, NULL);
    a.spf = 2;
    app_press(&a, '<');
    assert_string_equal(app_speed_text(&a, buf, sizeof buf), "×1");
    app_press(&a, '<');
    assert_string_equal(app_speed_text(&a, buf, sizeof buf), "×0.5");
    uint64_t n = 0;
    for (int f = 0; f < 10; f++)
        n += app_tick(&a, 0);
    assert_int_equal(n, 5);
    app_press(&a, '<');
    app_press(&a, '<');
    assert_string_equal(app_speed_text(&a, buf, sizeof buf), "×0.1");
    n = 0;
    for (int f = 0; f < 30; f++)
        n += app_tick(&a, 0);
    assert_int_equal(n, 3);
    for (int i = 0; i < 10; i++)
        app_press(&a, '<');
    assert_string_equal(app_speed_text(&a, buf, sizeof buf), "×0.01");
    for (int i = 0; i < 6; i++)
        app_press(&a, '>');
    assert_string_equal(app_speed_text(&a, buf, sizeof buf), "×1");
    app_press(&a, APP_KEY_RIGHT);
    assert_string_equal(app_speed_text(&a, buf, sizeof buf), "×2");
    app_close(&a);
}

/* Messages last seconds of the front end's clock, not frames. */
static void test_message_seconds(void **st)
{
    (void)st;
    app a;
    open_scene(&a, NULL, NULL);
    app_clock(&a, 100.0);
    app_press(&a, 'd');
    assert_non_null(strstr(a.msg, "decay"));
    for (int f = 0; f < 200; f++)
        app_tick(&a, 0); /* frames alone never expire it */
    app_clock(&a, 102.9);
    assert_true(a.msg[0]);
    assert_true(app_next_timer(&a) > 102.9);
    app_clock(&a, 103.01);
    assert_false(a.msg[0]);
    app_close(&a);
}

/* A caption in seconds stays that long on the lesson's clock and the
 * next event waits for it; the lesson clock stops while the help is
 * open; an end stops the run and says what next. */
static void test_caption_seconds_and_end(void **st)
{
    (void)st;
    app a;
    open_text(&a, "model = quad1d\nsteps = 1000\n"
                  "at 0: caption 2s \"A\"\n"
                  "at 10: caption 5 \"B\"\n"
                  "at 20: end \"bye\"\n");
    a.spf = 100;
    /* 30 frames a second: the 10 steps to the next event are spread over
     * the caption's 2 s, so the picture moves while it is read */
    double now = 0;
    int f = 0;
    for (; now < 1.0; now = ++f / 30.0) {
        app_clock(&a, now);
        app_tick(&a, 0);
    }
    assert_string_equal(app_caption(&a), "A");
    assert_true(a.r->t >= 3 && a.r->t <= 7);
    assert_true(app_busy(&a));
    app_press(&a, '?'); /* the help stops the lesson's clock */
    app_clock(&a, 30.0);
    assert_int_equal(app_tick(&a, 0), 0);
    app_press(&a, APP_KEY_ESC);
    for (now = 30.0; now < 30.9; now += 1.0 / 30.0) {
        app_clock(&a, now);
        app_tick(&a, 0);
    }
    assert_string_equal(app_caption(&a), "A");
    assert_true(a.r->t <= 10);
    /* at the event before the caption ran out: it waits there */
    for (f = 0; f < 60 && a.r->t < 20; f++) {
        app_clock(&a, 30.9 + f / 30.0);
        app_tick(&a, 0);
        if (a.lesson < 1.999)
            assert_true(a.r->t <= 10);
    }
    assert_int_equal(a.r->t, 20);
    assert_true(a.ended);
    assert_true(a.paused);
    assert_string_equal(app_caption(&a), "bye");
    assert_non_null(strstr(a.msg, "lesson over"));
    assert_int_equal(app_tick(&a, 0), 0);
    char *t = frame_text(&a, 80, 24);
    assert_non_null(strstr(t, "bye"));
    assert_non_null(strstr(t, "r restarts"));
    free(t);
    /* r restarts the lesson, running */
    app_press(&a, 'r');
    assert_false(a.ended);
    assert_false(a.paused);
    assert_int_equal(a.ses->tl_next, 0);
    /* a jump (--snapshot) stops at the end too */
    app_run_to(&a, 1000);
    assert_int_equal(a.r->t, 20);
    assert_true(a.ended);
    /* the CSV runner (headless.c's loop) fires an end as nothing */
    {
        app b;
        open_text(&b, "model = quad1d\nsteps = 1000\n"
                      "at 20: end \"bye\"\nat 30: eta 1.05\n");
        b.headless = 1;
        app_fire_due(&b);
        session_advance(b.ses, 20);
        assert_int_equal(app_fire_due(&b), 1);
        assert_false(b.ended);
        session_advance(b.ses, 10);
        assert_int_equal(app_fire_due(&b), 1);
        assert_close(run_eta(b.r), 1.05, 1e-12);
        app_close(&b);
    }
    /* space goes on past the end */
    app_press(&a, ' ');
    assert_false(a.ended);
    assert_true(app_tick(&a, 0) > 0);
    app_close(&a);
}

/* A caption in steps does not hold the timeline (the old meaning). */
static void test_caption_steps(void **st)
{
    (void)st;
    app a;
    open_text(&a, "model = quad1d\nsteps = 1000\n"
                  "at 0: caption 50 \"S\"\nat 10: eta 1.05\n");
    a.spf = 30;
    app_tick(&a, 0);
    assert_int_equal(a.r->t, 30);
    assert_true(run_eta(a.r) == 1.05);
    assert_string_equal(app_caption(&a), "S");
    app_tick(&a, 0);
    assert_null(app_caption(&a));
    app_close(&a);
}

/* caption key: the run waits (shown paused) until any key, and that key
 * does nothing else. */
static void test_caption_key(void **st)
{
    (void)st;
    app a;
    open_text(&a, "model = quad1d\nsteps = 1000\n"
                  "at 5: caption key \"K\"\n");
    a.spf = 10;
    app_tick(&a, 0);
    assert_int_equal(a.r->t, 5);
    assert_true(a.waitkey);
    assert_true(a.paused);
    assert_int_equal(app_tick(&a, 0), 0);
    assert_false(app_busy(&a));
    char *t = frame_text(&a, 80, 24);
    assert_non_null(strstr(t, "K  [any key]"));
    free(t);
    double eta = run_eta(a.r);
    app_press(&a, 'd');
    assert_true(run_eta(a.r) == eta);
    assert_false(a.waitkey);
    assert_false(a.paused);
    assert_null(app_caption(&a));
    assert_int_equal(app_tick(&a, 0), 10);
    /* keys that go elsewhere still act: r restarts the lesson */
    app_close(&a);
    open_text(&a, "model = quad1d\nsteps = 1000\n"
                  "at 5: caption key \"K\"\n");
    a.spf = 10;
    app_tick(&a, 0);
    assert_true(a.waitkey);
    app_press(&a, 'r');
    assert_false(a.waitkey);
    assert_false(a.paused);
    assert_int_equal(a.r->t, 0);
    assert_int_equal(a.ses->tl_next, 0);
    app_tick(&a, 0);
    assert_true(a.waitkey); /* the lesson again, from its start */
    app_press(&a, '?');
    assert_true(a.help);
    app_close(&a);
    /* q quits from a key caption as from anywhere else (F10 too) */
    const int quits[] = {'q', APP_KEY_F10};
    for (size_t i = 0; i < 2; i++) {
        open_text(&a, "model = quad1d\nsteps = 1000\n"
                      "at 5: caption key \"K\"\n");
        a.spf = 10;
        app_tick(&a, 0);
        assert_true(a.waitkey);
        app_press(&a, quits[i]);
        assert_true(a.quit);
        app_close(&a);
    }
}

/* At 80x24 a caption, even one of two lines, sits in the bottom rows
 * and leaves the top panels (the valley) alone; the status line stays. */
static void test_caption_placement(void **st)
{
    (void)st;
    app a;
    open_text(&a, "model = quad1d\nsteps = 1000\n"
                  "at 0: caption key \"alpha beta gamma delta epsilon zeta "
                  "eta theta iota kappa lambda mu nu xi omicron pi rho "
                  "sigma tau upsilon phi chi psi omega\"\n");
    app_tick(&a, 0);
    assert_true(a.waitkey);
    char *t = frame_text(&a, 80, 24);
    char *line = t;
    for (int y = 0; y < 24 && line; y++) {
        char *nl = strchr(line, '\n'), row[1024];
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        snprintf(row, sizeof row, "%.*s", (int)len, line);
        int has = strstr(row, "alpha") || strstr(row, "omega");
        if (y < 12 && has)
            fail_msg("caption on row %d, over the top panels:\n%s", y, t);
        if (y == 22 && !strstr(row, "step"))
            fail_msg("status line covered:\n%s", t);
        line = nl ? nl + 1 : NULL;
    }
    assert_non_null(strstr(t, "alpha"));
    assert_non_null(strstr(t, "omega  [any key]"));
    free(t);
    app_close(&a);
}

/* pause 1s resumes by itself on the front end's clock; a plain pause
 * waits for space. */
static void test_timed_pause(void **st)
{
    (void)st;
    app a;
    open_text(&a, "model = quad1d\nsteps = 1000\n"
                  "at 5: pause 1s\nat 10: pause\n");
    a.spf = 10;
    app_clock(&a, 0.0);
    app_tick(&a, 0);
    assert_int_equal(a.r->t, 5);
    assert_true(a.paused);
    assert_true(app_next_timer(&a) >= 1.0);
    app_clock(&a, 0.5);
    assert_true(a.paused);
    app_clock(&a, 1.01);
    assert_false(a.paused);
    app_tick(&a, 0);
    assert_int_equal(a.r->t, 10);
    assert_true(a.paused);
    app_clock(&a, 100.0);
    assert_true(a.paused);
    app_close(&a);
}

/* m and M walk the list of --list (one function makes both), p picks
 * from it; SGDSCOPE_SCENES adds a directory to the shipped scenes. */
static void test_scene_list(void **st)
{
    (void)st;
    char dir[] = "/tmp/test_app.XXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/zz-extra.scene", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("title = \"An extra scene\"\nmodel = quad1d\n", f);
    fclose(f);
    setenv("SGDSCOPE_SCENES", dir, 1);

    static scenedir_entry list[SCENEDIR_MAX];
    size_t n = scenedir_collect(NULL, list, SCENEDIR_MAX);
    assert_true(n >= 14);
    /* natural order: fig2 before fig4 before fig10, tour before zz */
    size_t i2 = n, i4 = n, i10 = n;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(list[i].name, "fig2-diag-decay10") == 0)
            i2 = i;
        if (strcmp(list[i].name, "fig4-relu-decay2") == 0)
            i4 = i;
        if (strcmp(list[i].name, "fig10-diag-gd") == 0)
            i10 = i;
    }
    assert_true(i2 < i4 && i4 < i10 && i10 < n);
    assert_string_equal(list[n - 1].name, "zz-extra");
    assert_string_equal(list[n - 1].title, "An extra scene");
    int tour = 0;
    for (size_t i = 0; i < n; i++)
        tour += strcmp(list[i].name, "tour") == 0;
    assert_int_equal(tour, 1);

    app a;
    open_scene(&a, "scenes/prop2-quad.scene", NULL);
    assert_int_equal(a.nscenes, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(a.scenes[i].name, list[i].name);
    size_t at = a.scene_idx;
    assert_string_equal(a.scenes[at].name, "prop2-quad");
    app_press(&a, 'm');
    assert_string_equal(a.r->sc.name, list[at + 1].name);
    app_press(&a, 'M');
    assert_string_equal(a.r->sc.name, "prop2-quad");
    app_press(&a, 'M');
    assert_string_equal(a.r->sc.name, list[at - 1].name);
    /* the picker: the run waits; j/k/arrows move; Enter opens */
    app_press(&a, 'p');
    assert_true(a.picker);
    assert_int_equal(a.pick, at - 1);
    assert_int_equal(app_tick(&a, 0), 0);
    char *t = frame_text(&a, 120, 40);
    assert_non_null(strstr(t, "An extra scene"));
    assert_non_null(strstr(t, "Enter opens"));
    free(t);
    app_press(&a, APP_KEY_UP);
    app_press(&a, 'k');
    app_press(&a, 'j');
    assert_int_equal(a.pick, at - 2);
    app_press(&a, APP_KEY_ESC);
    assert_false(a.picker);
    assert_string_equal(a.r->sc.name, list[at - 1].name);
    app_press(&a, 'p');
    app_press(&a, APP_KEY_END);
    app_press(&a, APP_KEY_ENTER);
    assert_false(a.picker);
    assert_string_equal(a.r->sc.name, "zz-extra");
    app_press(&a, 'm'); /* wraps around to the first */
    assert_string_equal(a.r->sc.name, list[0].name);
    app_close(&a);

    unsetenv("SGDSCOPE_SCENES");
    unlink(path);
    rmdir(dir);
}

/* A timeline may not open a picker or a prompt, nor change scenes. */
static void test_timeline_keys_need_no_user(void **st)
{
    (void)st;
    app a;
    open_text(&a, "model = quad1d\nsteps = 100\n"
                  "at 1: key p\nat 2: key :\nat 3: key M\n");
    app_run_to(&a, 10);
    assert_false(a.picker);
    assert_false(a.prompt);
    assert_int_equal(a.r->t, 10);
    app_close(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_table),
        cmocka_unit_test(test_frame_rate_independent),
        cmocka_unit_test(test_pause_and_step),
        cmocka_unit_test(test_eta_keys_and_interval),
        cmocka_unit_test(test_diverge_and_rewind),
        cmocka_unit_test(test_dynamics_cycle_and_batch),
        cmocka_unit_test(test_warmup_key),
        cmocka_unit_test(test_reset_and_scenes),
        cmocka_unit_test(test_help_keys_and_pause),
        cmocka_unit_test(test_help_text),
        cmocka_unit_test(test_online_dynamics_say_why),
        cmocka_unit_test(test_messages_fit_80),
        cmocka_unit_test(test_stop_at_run_length),
        cmocka_unit_test(test_fine_eta),
        cmocka_unit_test(test_prompt),
        cmocka_unit_test(test_map_command),
        cmocka_unit_test(test_goto),
        cmocka_unit_test(test_slow_speeds),
        cmocka_unit_test(test_message_seconds),
        cmocka_unit_test(test_caption_seconds_and_end),
        cmocka_unit_test(test_caption_steps),
        cmocka_unit_test(test_caption_key),
        cmocka_unit_test(test_caption_placement),
        cmocka_unit_test(test_timed_pause),
        cmocka_unit_test(test_scene_list),
        cmocka_unit_test(test_timeline_keys_need_no_user),
    };
    return cmocka_run_group_tests_name("app", tests, NULL, NULL);
}

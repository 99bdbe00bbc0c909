/* test_app.c — the interactive session without a terminal: the key table,
 * frame-rate independence, reproducible key-driven runs, rewind, warmup,
 * dynamics cycling. */
#include "testutil.h"

#include "app.h"

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
    a.spf = 2000;
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
    assert_true(a.r->t < at);
    assert_close(run_eta(a.r), eta / 2.0, 1e-12);
    assert_true(isfinite(a.r->theta[0]));
    /* the histories forget what came after the rewind point */
    const hist_bucket *last = history_at(&a.r->h_train,
                                         a.r->h_train.len - 1);
    assert_true(last->step_first <= a.r->t);
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
    open_scene(&a, "scenes/fig2-diag-small.scene", NULL);
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
    };
    return cmocka_run_group_tests_name("app", tests, NULL, NULL);
}

/* test_schedule.c — warmup shape, decays, manual events, the event log. */
#include "testutil.h"

#include "schedule.h"

static schedule_cfg base_cfg(double eta0, uint64_t N)
{
    schedule_cfg c;
    memset(&c, 0, sizeof c);
    c.eta0 = eta0;
    c.total_steps = N;
    c.decay_factor = 2.0;
    return c;
}

static void test_constant(void **st)
{
    (void)st;
    schedule s;
    char err[128];
    schedule_cfg c = base_cfg(0.25, 1000);
    assert_int_equal(schedule_init(&s, &c, err, sizeof err), 0);
    for (uint64_t t = 0; t < 5000; t += 7)
        assert_true(schedule_eta(&s, t) == 0.25);
    assert_int_equal(schedule_phase(&s, 10), PHASE_CONSTANT);
}

static void test_decays_fractions_and_steps(void **st)
{
    (void)st;
    schedule s;
    char err[128];
    schedule_cfg c = base_cfg(0.27, 100000);
    /* given out of order: the schedule sorts them */
    c.decays[0] = (decay_pt){0.5, 1, 1.5};
    c.decays[1] = (decay_pt){0.1, 1, 4.8};
    c.decays[2] = (decay_pt){30000, 0, 3.4};
    c.ndecays = 3;
    assert_int_equal(schedule_init(&s, &c, err, sizeof err), 0);
    assert_true(schedule_eta(&s, 9999) == 0.27);
    assert_close(schedule_eta(&s, 10000), 0.27 / 4.8, 1e-15);
    assert_close(schedule_eta(&s, 29999), 0.27 / 4.8, 1e-15);
    assert_close(schedule_eta(&s, 30000), 0.27 / 4.8 / 3.4, 1e-15);
    assert_close(schedule_eta(&s, 50000), 0.27 / 4.8 / 3.4 / 1.5, 1e-15);
    assert_close(schedule_eta(&s, 99999), 0.27 / 4.8 / 3.4 / 1.5, 1e-15);
    assert_int_equal(schedule_phase(&s, 9999), PHASE_PREDECAY);
    assert_int_equal(schedule_phase(&s, 10000), PHASE_DECAYED);
    assert_string_equal(schedule_phase_name(PHASE_DECAYED), "decayed");
}

static void test_linear_warmup(void **st)
{
    (void)st;
    schedule s;
    char err[128];
    schedule_cfg c = base_cfg(2e-4, 1000);
    c.has_warmup = 1;
    c.warm_f = 0.5;
    c.warm_k = 400; /* W = 400 f = 200 */
    c.warm_q = 1;
    c.warm_decay = 3.0;
    assert_int_equal(schedule_init(&s, &c, err, sizeof err), 0);
    assert_close(schedule_eta(&s, 0), 2e-4, 1e-15);
    assert_close(schedule_eta(&s, 250), 2e-4 * (1 + 199 * 0.25), 1e-12);
    assert_close(schedule_eta(&s, 499), 2e-4 * (1 + 199 * 0.499), 1e-12);
    /* at T_w the warmup peak is divided by the decay, then stays */
    assert_close(schedule_eta(&s, 500), 2e-4 * (1 + 199 * 0.5) / 3.0, 1e-12);
    assert_close(schedule_eta(&s, 999), 2e-4 * (1 + 199 * 0.5) / 3.0, 1e-12);
    assert_int_equal(schedule_phase(&s, 499), PHASE_WARMUP);
    assert_int_equal(schedule_phase(&s, 500), PHASE_DECAYED);
    /* linear: equal increments */
    double d1 = schedule_eta(&s, 101) - schedule_eta(&s, 100);
    double d2 = schedule_eta(&s, 401) - schedule_eta(&s, 400);
    assert_close(d1, d2, 1e-9);
}

static void test_power_warmup(void **st)
{
    (void)st;
    schedule s;
    char err[128];
    schedule_cfg c = base_cfg(0.04, 10000);
    c.has_warmup = 1;
    c.warm_f = 0.2;
    c.warm_k = 30; /* W = 6, the three-layer setting */
    c.warm_q = 0.5;
    c.warm_decay = 1.0;
    assert_int_equal(schedule_init(&s, &c, err, sizeof err), 0);
    assert_close(schedule_eta(&s, 1000), 0.04 * (1 + 5 * sqrt(0.1)), 1e-12);
    /* concave: the first half of the warmup gains more than the second */
    double a = schedule_eta(&s, 1000) - schedule_eta(&s, 0);
    double b = schedule_eta(&s, 1999) - schedule_eta(&s, 1000);
    assert_true(a > b);
    assert_int_equal(schedule_phase(&s, 2000), PHASE_CONSTANT);
}

static void test_exp_warmup(void **st)
{
    (void)st;
    schedule s;
    char err[128];
    schedule_cfg c = base_cfg(0.01, 1000);
    c.has_exp = 1;
    c.exp_factor = 1.05;
    c.exp_max = 0.0125;
    c.exp_epoch = 10;
    assert_int_equal(schedule_init(&s, &c, err, sizeof err), 0);
    assert_close(schedule_eta(&s, 9), 0.01, 1e-15);
    assert_close(schedule_eta(&s, 10), 0.0105, 1e-12);
    assert_close(schedule_eta(&s, 25), 0.01 * 1.05 * 1.05, 1e-12);
    assert_close(schedule_eta(&s, 900), 0.0125, 1e-15);
    assert_int_equal(schedule_phase(&s, 10), PHASE_WARMUP);
    assert_int_equal(schedule_phase(&s, 900), PHASE_CONSTANT);
}

static void test_manual_events(void **st)
{
    (void)st;
    schedule s;
    char err[128];
    schedule_cfg c = base_cfg(1.0, 1000);
    c.decays[0] = (decay_pt){500, 0, 4.0};
    c.ndecays = 1;
    c.decay_factor = 5.0;
    assert_int_equal(schedule_init(&s, &c, err, sizeof err), 0);
    schedule_set_eta(&s, 100, 0.5);
    assert_close(schedule_eta(&s, 100), 0.5, 1e-15);
    /* the scheduled decay still applies on top of the manual value */
    assert_close(schedule_eta(&s, 500), 0.125, 1e-15);
    schedule_scale_eta(&s, 200, 2.0);
    assert_close(schedule_eta(&s, 200), 1.0, 1e-15);
    assert_int_equal(schedule_phase(&s, 300), PHASE_PREDECAY);
    schedule_decay_now(&s, 300);
    assert_close(schedule_eta(&s, 300), 0.2, 1e-15);
    assert_int_equal(schedule_phase(&s, 300), PHASE_DECAYED);
    assert_int_equal(s.nlog, 3);
    assert_int_equal(s.log[0].step, 100);
    assert_int_equal(s.log[0].kind, EV_SET_ETA);
    assert_close(s.log[0].eta_after, 0.5, 1e-15);
    assert_int_equal(s.log[1].kind, EV_SCALE_ETA);
    assert_int_equal(s.log[2].step, 300);
    assert_int_equal(s.log[2].kind, EV_DECAY_NOW);
    assert_close(s.log[2].value, 5.0, 0);
    assert_close(s.log[2].eta_after, 0.2, 1e-15);
    /* invalid manual values are ignored and not logged */
    schedule_set_eta(&s, 400, -1.0);
    schedule_scale_eta(&s, 400, 0.0);
    assert_int_equal(s.nlog, 3);
}

/* η never becomes 0 or infinite (issue 8, item 10): a manual event that
 * would take it out of [SCHED_ETA_MIN, SCHED_ETA_MAX] holds it at the
 * bound and says so; the next event starts from there. */
static void test_eta_range_clamp(void **st)
{
    (void)st;
    static schedule s;
    char err[128];
    schedule_cfg c = base_cfg(1.0, 1000);
    c.decay_factor = 1e300;
    assert_int_equal(schedule_init(&s, &c, err, sizeof err), 0);
    assert_int_equal(schedule_set_eta(&s, 1, 5e-324), 1);
    assert_true(schedule_eta(&s, 1) == SCHED_ETA_MIN);
    assert_int_equal(schedule_scale_eta(&s, 2, 5e-324), 1);
    assert_true(schedule_eta(&s, 2) == SCHED_ETA_MIN); /* not 0 */
    assert_int_equal(schedule_scale_eta(&s, 3, 4.0), 0);
    assert_true(schedule_eta(&s, 3) == 4.0 * SCHED_ETA_MIN);
    assert_int_equal(schedule_set_eta(&s, 4, 1e308), 0);
    assert_int_equal(schedule_scale_eta(&s, 5, 1e308), 1);
    assert_true(schedule_eta(&s, 5) == SCHED_ETA_MAX); /* not inf */
    assert_true(isfinite(s.log[s.nlog - 1].eta_after));
    assert_int_equal(schedule_scale_eta(&s, 6, 0.5), 0);
    assert_true(schedule_eta(&s, 6) == SCHED_ETA_MAX * 0.5);
    assert_int_equal(schedule_set_eta(&s, 7, 1e-300), 0);
    assert_int_equal(schedule_decay_now(&s, 8), 1); /* ÷ 1e300 */
    assert_true(schedule_eta(&s, 8) == SCHED_ETA_MIN);
    /* in range, nothing is held */
    assert_int_equal(schedule_set_eta(&s, 9, 0.5), 0);
    assert_true(schedule_eta(&s, 9) == 0.5);
    /* the last guard: whatever the scale, η stays in range */
    s.scale = INFINITY;
    assert_true(schedule_eta(&s, 10) == SCHED_ETA_MAX);
    s.scale = 0.0;
    assert_true(schedule_eta(&s, 10) == SCHED_ETA_MIN);
}

static void test_log_cap(void **st)
{
    (void)st;
    static schedule s;
    char err[128];
    schedule_cfg c = base_cfg(1.0, 10);
    assert_int_equal(schedule_init(&s, &c, err, sizeof err), 0);
    for (int i = 0; i < SCHED_LOG_CAP + 10; i++)
        schedule_scale_eta(&s, (uint64_t)i, 1.0);
    assert_int_equal(s.nlog, SCHED_LOG_CAP);
    assert_int_equal(s.dropped, 10);
}

static void test_init_errors(void **st)
{
    (void)st;
    schedule s;
    char err[128];
    schedule_cfg c = base_cfg(0.0, 10);
    assert_int_equal(schedule_init(&s, &c, err, sizeof err), -1);
    c = base_cfg(1.0, 10);
    c.decays[0] = (decay_pt){1, 0, 0.0};
    c.ndecays = 1;
    assert_int_equal(schedule_init(&s, &c, err, sizeof err), -1);
    c = base_cfg(1.0, 10);
    c.has_warmup = 1;
    c.warm_f = 1.5;
    c.warm_k = c.warm_q = c.warm_decay = 1;
    assert_int_equal(schedule_init(&s, &c, err, sizeof err), -1);
}

/* The notebooks' step indexing (issue 10): N = 10^k + 1 steps, a decay or
 * the end of a warmup at fraction f takes effect at step ⌊f·N⌋ (0-based:
 * the step from θ_t to θ_{t+1} with t = ⌊f·N⌋ is the first with the new η),
 * and the warmup's step sizes are the notebook's expression to the bit.
 * The expected numbers are python's, from fc_nets.train_fc_net's formula:
 *   g = 0.0002; N = 31623; T = int(f*N); W = 400*f
 *   g + (W-1)*g*(i/N)**1.0 at i = T-1, then at i = T divided by decay. */
static void test_notebook_step_indexing(void **st)
{
    (void)st;
    schedule s;
    char err[128];
    /* Fig. 4: warmup to 2 % (decay 2.5) and to 50 % (decay 3) */
    schedule_cfg c = base_cfg(0.0002, 31623);
    c.has_warmup = 1;
    c.warm_f = 0.02;
    c.warm_k = 400;
    c.warm_q = 1;
    c.warm_decay = 2.5;
    assert_int_equal(schedule_init(&s, &c, err, sizeof err), 0);
    assert_int_equal(s.warm_end, 632);
    assert_true(schedule_eta(&s, 631) == 0.0002279353635012491);
    assert_true(schedule_eta(&s, 632) == 9.119185403029442e-05);
    assert_true(schedule_eta(&s, 20000) == 9.119185403029442e-05);
    c.warm_f = 0.5;
    c.warm_decay = 3.0;
    assert_int_equal(schedule_init(&s, &c, err, sizeof err), 0);
    /* 0.5 · 31623 = 15811.5: the notebook's int() is 15811, not 15812 */
    assert_int_equal(s.warm_end, 15811);
    assert_true(schedule_eta(&s, 15810) == 0.020098112133573664);
    assert_true(schedule_eta(&s, 15811) == 0.00669979023706374);
    /* Fig. 2: 10/30/50 % of N = 100001 are steps 10000, 30000, 50000 */
    schedule_cfg d = base_cfg(0.282, 100001);
    d.decays[0] = (decay_pt){0.1, 1, 4.8};
    d.decays[1] = (decay_pt){0.3, 1, 3.4};
    d.decays[2] = (decay_pt){0.5, 1, 1.5};
    d.ndecays = 3;
    assert_int_equal(schedule_init(&s, &d, err, sizeof err), 0);
    assert_true(schedule_eta(&s, 9999) == 0.282);
    assert_true(schedule_eta(&s, 10000) == 0.282 / 4.8);
    assert_true(schedule_eta(&s, 29999) == 0.282 / 4.8);
    assert_true(schedule_eta(&s, 30000) == 0.282 / 4.8 / 3.4);
    assert_true(schedule_eta(&s, 50000) == 0.282 / 4.8 / 3.4 / 1.5);
    /* 0.7 · 10 is 7.000000000000001 in doubles: still step 7 */
    schedule_cfg e = base_cfg(1.0, 10);
    e.decays[0] = (decay_pt){0.7, 1, 2.0};
    e.ndecays = 1;
    assert_int_equal(schedule_init(&s, &e, err, sizeof err), 0);
    assert_true(schedule_eta(&s, 6) == 1.0);
    assert_true(schedule_eta(&s, 7) == 0.5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constant),
        cmocka_unit_test(test_decays_fractions_and_steps),
        cmocka_unit_test(test_linear_warmup),
        cmocka_unit_test(test_power_warmup),
        cmocka_unit_test(test_exp_warmup),
        cmocka_unit_test(test_manual_events),
        cmocka_unit_test(test_eta_range_clamp),
        cmocka_unit_test(test_log_cap),
        cmocka_unit_test(test_init_errors),
        cmocka_unit_test(test_notebook_step_indexing),
    };
    return cmocka_run_group_tests_name("schedule", tests, NULL, NULL);
}

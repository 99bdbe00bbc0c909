/* schedule.c — step-size schedules and the manual event log; see
 * schedule.h for the formulas. */
#include "schedule.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static uint64_t resolve_step(const decay_pt *d, uint64_t total)
{
    if (!d->is_frac)
        return (uint64_t)d->at;
    /* ⌊f·N⌋, as the authors' notebooks compute it (int(f * num_iter)):
     * with their N = 10^k + 1 steps, 10% of 100001 is step 10000 and 50%
     * of 31623 is step 15811.  Saturate instead of overflowing for absurd
     * run lengths. */
    double x = floor(d->at * (double)total);
    return x >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)x;
}

int schedule_init(schedule *s, const schedule_cfg *cfg, char *err,
                  size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->cfg = *cfg;
    s->scale = 1.0;
    if (!(cfg->eta0 > 0.0) || !isfinite(cfg->eta0)) {
        snprintf(err, errlen, "eta must be a finite number > 0");
        return -1;
    }
    if (cfg->ndecays > SCHED_MAX_DECAYS) {
        snprintf(err, errlen, "at most %d decays", SCHED_MAX_DECAYS);
        return -1;
    }
    for (size_t i = 0; i < cfg->ndecays; i++) {
        if (!(cfg->decays[i].factor > 0.0)) {
            snprintf(err, errlen, "decay factor must be > 0");
            return -1;
        }
        s->decay_step[i] = resolve_step(&cfg->decays[i], cfg->total_steps);
    }
    /* Sort decays by step (insertion sort: at most 16), keeping factors
     * with their steps. */
    for (size_t i = 1; i < cfg->ndecays; i++) {
        for (size_t j = i; j > 0 && s->decay_step[j - 1] > s->decay_step[j];
             j--) {
            uint64_t t = s->decay_step[j];
            s->decay_step[j] = s->decay_step[j - 1];
            s->decay_step[j - 1] = t;
            decay_pt d = s->cfg.decays[j];
            s->cfg.decays[j] = s->cfg.decays[j - 1];
            s->cfg.decays[j - 1] = d;
        }
    }
    if (cfg->has_warmup) {
        if (!(cfg->warm_f > 0.0 && cfg->warm_f <= 1.0) ||
            !(cfg->warm_k > 0.0) || !(cfg->warm_q > 0.0) ||
            !(cfg->warm_decay > 0.0)) {
            snprintf(err, errlen, "warmup needs 0 < f <= 1, K > 0, q > 0 "
                                  "and warmup_decay > 0");
            return -1;
        }
        decay_pt wp = {cfg->warm_f, 1, 1.0};
        s->warm_end = resolve_step(&wp, cfg->total_steps);
    }
    if (cfg->has_exp) {
        if (!(cfg->exp_factor >= 1.0) || !(cfg->exp_max > 0.0) ||
            cfg->exp_epoch == 0) {
            snprintf(err, errlen, "expwarmup needs factor >= 1, max > 0, "
                                  "epoch >= 1");
            return -1;
        }
    }
    if (!(cfg->decay_factor > 0.0)) {
        snprintf(err, errlen, "decay must be > 0");
        return -1;
    }
    return 0;
}

static double warm(const schedule *s, uint64_t t)
{
    const schedule_cfg *c = &s->cfg;
    if (c->has_warmup) {
        double N = (double)(c->total_steps ? c->total_steps : 1);
        double W = c->warm_k * c->warm_f;
        uint64_t te = t < s->warm_end ? t : s->warm_end;
        /* the notebooks' expression, term for term, so that the step
         * sizes agree to the last bit: γ + (W − 1)·γ·(t/N)^q (at t = 0
         * just γ, even where (W − 1)·γ overflows) */
        double e = te == 0 ? c->eta0
                           : c->eta0 + (W - 1.0) * c->eta0 *
                                           pow((double)te / N, c->warm_q);
        return t < s->warm_end ? e : e / c->warm_decay;
    }
    if (c->has_exp) {
        double e = c->eta0 * pow(c->exp_factor, (double)(t / c->exp_epoch));
        return e < c->exp_max ? e : c->exp_max;
    }
    return c->eta0;
}

double schedule_base(const schedule *s, uint64_t t)
{
    double e = warm(s, t);
    for (size_t i = 0; i < s->cfg.ndecays && s->decay_step[i] <= t; i++)
        e /= s->cfg.decays[i].factor;
    return e;
}

static double manual_ramp(const schedule *s, uint64_t t)
{
    if (!s->mw_active || t < s->mw_start)
        return 1.0;
    double f = s->mw_len ? (double)(t - s->mw_start) / (double)s->mw_len : 1.0;
    if (f > 1.0)
        f = 1.0;
    return 1.0 + (s->mw_mult - 1.0) * f;
}

double schedule_eta(const schedule *s, uint64_t t)
{
    double e = schedule_base(s, t) * s->scale * manual_ramp(s, t);
    /* Manual events keep η in range, and scene_finalize refuses
     * schedules that leave it; this is the last guard (a warmup key
     * ramping past the top, say). */
    if (e > SCHED_ETA_MAX)
        return SCHED_ETA_MAX;
    if (!(e >= SCHED_ETA_MIN))
        return SCHED_ETA_MIN;
    return e;
}

/* Moves the manual scale so that η at step t lies within [SCHED_ETA_MIN,
 * SCHED_ETA_MAX] again, after a manual event.  Returns 1 if it had to. */
static int keep_in_range(schedule *s, uint64_t t)
{
    double b = schedule_base(s, t) * manual_ramp(s, t);
    double e = b * s->scale;
    if (e >= SCHED_ETA_MIN && e <= SCHED_ETA_MAX)
        return 0;
    /* a schedule out of range by itself is schedule_eta's to clamp */
    if (!(b >= SCHED_ETA_MIN && b <= SCHED_ETA_MAX))
        return 0;
    int high = e > SCHED_ETA_MAX;
    double sc = (high ? SCHED_ETA_MAX : SCHED_ETA_MIN) / b;
    /* the quotient is rounded: step it until b · sc is inside */
    while (high && b * sc > SCHED_ETA_MAX)
        sc = nextafter(sc, 0.0);
    while (!high && b * sc < SCHED_ETA_MIN)
        sc = nextafter(sc, INFINITY);
    s->scale = sc;
    return 1;
}

void schedule_warmup_start(schedule *s, uint64_t t, double mult,
                           uint64_t len)
{
    if (s->mw_active || !(mult > 0.0))
        return;
    s->mw_active = 1;
    s->mw_start = t;
    s->mw_len = len ? len : 1;
    s->mw_mult = mult;
    schedule_log(s, t, EV_WARMUP, 1.0);
}

void schedule_warmup_stop(schedule *s, uint64_t t)
{
    if (!s->mw_active)
        return;
    /* Fold the ramp reached so far into the manual scale: η stays put. */
    s->scale *= manual_ramp(s, t);
    s->mw_active = 0;
    schedule_log(s, t, EV_WARMUP, 0.0);
}

int schedule_is_smooth(const schedule *s, uint64_t t)
{
    if (s->mw_active && t < s->mw_start + s->mw_len)
        return 1;
    return (s->cfg.has_warmup && t < s->warm_end) || s->cfg.has_exp;
}

void schedule_log(schedule *s, uint64_t t, event_kind kind, double value)
{
    if (s->nlog >= SCHED_LOG_CAP) {
        s->dropped++;
        return;
    }
    sched_event *e = &s->log[s->nlog++];
    e->step = t;
    e->kind = kind;
    e->value = value;
    e->eta_after = schedule_eta(s, t);
}

int schedule_set_eta(schedule *s, uint64_t t, double eta)
{
    double b = schedule_base(s, t);
    if (!(eta > 0.0) || !isfinite(eta) || !(b > 0.0))
        return 0;
    s->scale = eta / b;
    int clamped = keep_in_range(s, t);
    schedule_log(s, t, EV_SET_ETA, eta);
    return clamped;
}

int schedule_scale_eta(schedule *s, uint64_t t, double factor)
{
    if (!(factor > 0.0) || !isfinite(factor))
        return 0;
    s->scale *= factor;
    int clamped = keep_in_range(s, t);
    schedule_log(s, t, EV_SCALE_ETA, factor);
    return clamped;
}

int schedule_decay_now(schedule *s, uint64_t t)
{
    s->scale /= s->cfg.decay_factor;
    int clamped = keep_in_range(s, t);
    schedule_log(s, t, EV_DECAY_NOW, s->cfg.decay_factor);
    return clamped;
}

sched_phase schedule_phase(const schedule *s, uint64_t t)
{
    if (s->mw_active && t < s->mw_start + s->mw_len)
        return PHASE_WARMUP;
    if (s->cfg.has_warmup && t < s->warm_end)
        return PHASE_WARMUP;
    if (s->cfg.has_exp &&
        s->cfg.eta0 * pow(s->cfg.exp_factor, (double)(t / s->cfg.exp_epoch)) <
            s->cfg.exp_max)
        return PHASE_WARMUP;
    int decayed = (s->cfg.has_warmup && s->cfg.warm_decay != 1.0 &&
                   t >= s->warm_end) ||
                  (s->cfg.ndecays > 0 && s->decay_step[0] <= t);
    for (size_t i = 0; i < s->nlog && !decayed; i++)
        if (s->log[i].kind == EV_DECAY_NOW && s->log[i].step <= t)
            decayed = 1;
    if (decayed)
        return PHASE_DECAYED;
    /* Nothing scheduled to change η: not "before" anything. */
    int pending = s->cfg.ndecays > 0 ||
                  (s->cfg.has_warmup && s->cfg.warm_decay != 1.0);
    return pending ? PHASE_PREDECAY : PHASE_CONSTANT;
}

const char *schedule_phase_name(sched_phase p)
{
    switch (p) {
    case PHASE_WARMUP: return "warmup";
    case PHASE_PREDECAY: return "pre-decay";
    case PHASE_DECAYED: return "decayed";
    case PHASE_CONSTANT: return "constant";
    }
    return "?";
}

/* schedule.h — step sizes as a deterministic function of the step count,
 * plus manual events applied at step boundaries and kept in a log.
 *
 *   η(t) = base(t) · scale
 *   base(t) = warm(t) / Π_{t_k ≤ t} factor_k
 * where warm(t) is η0 (constant), the paper's linear/power warmup
 *   warm(t) = η0 + (W − 1)·η0·(t/N)^q for t < T_w = ⌊f·N⌋, W = K·f,
 *   warm(t) = warm(T_w) / warm_decay for t ≥ T_w,
 * or the exponential warmup min(η0 · factor^⌊t/epoch⌋, η_max).
 * t counts steps from 0: η(t) takes θ_t to θ_{t+1}.  A decay at a
 * fraction f takes effect at step t_k = ⌊f·N⌋, as in the authors' ReLU
 * notebooks (train_fc_net divides before its step int(f·num_iter)), and
 * so does the end of the warmup.  Their diagonal-net notebook divides
 * AFTER its step int(f·num_iter), one step later: a scene that must
 * follow it step for step gives the steps (10001 for 10% of 100001).
 * Manual events change only `scale`, so they compose with any schedule. */
#ifndef SGDSCOPE_SCHEDULE_H
#define SGDSCOPE_SCHEDULE_H

#include <float.h>
#include <stddef.h>
#include <stdint.h>

#define SCHED_MAX_DECAYS 16

/* The step sizes a run takes: the positive normal doubles.  Below, η
 * underflows towards 0 (steps that do nothing, a stability line 2/η at
 * infinity); above, η is infinite and every number of the run with it.
 * A scene that leaves the range is refused (scene_finalize); a manual
 * event that would leave it is clamped to it and says so; and
 * schedule_eta never returns a value outside it. */
#define SCHED_ETA_MIN DBL_MIN
#define SCHED_ETA_MAX DBL_MAX

typedef struct decay_pt {
    double at;     /* a step (is_frac = 0) or a fraction of total_steps */
    int is_frac;
    double factor; /* η ← η / factor at that step */
} decay_pt;

typedef struct schedule_cfg {
    double eta0;
    size_t ndecays;
    decay_pt decays[SCHED_MAX_DECAYS];
    int has_warmup;   /* linear/power warmup */
    double warm_f, warm_k, warm_q, warm_decay;
    int has_exp;      /* exponential warmup */
    double exp_factor, exp_max;
    uint64_t exp_epoch;
    double decay_factor;  /* what "decay now" divides by */
    uint64_t total_steps; /* N: the run length fractions refer to */
} schedule_cfg;

typedef enum {
    EV_SET_ETA,   /* value = new η */
    EV_SCALE_ETA, /* value = multiplier */
    EV_DECAY_NOW, /* value = the factor divided by */
    EV_DYNAMICS,  /* value = dynamics kind (dynamics.h) */
    EV_BATCH,     /* value = batch size */
    EV_WARMUP,    /* value = 1 start a manual warmup, 0 stop it */
    EV_REWIND,    /* value = the step rewound to */
    EV_NOTE       /* anything else worth a marker; value free */
} event_kind;

/* One entry of the run's event log. */
typedef struct sched_event {
    uint64_t step;   /* applied before this step was taken */
    event_kind kind;
    double value;
    double eta_after;
} sched_event;

#define SCHED_LOG_CAP 4096

typedef struct schedule {
    schedule_cfg cfg;
    uint64_t decay_step[SCHED_MAX_DECAYS]; /* resolved, ascending */
    uint64_t warm_end;                      /* T_w in steps */
    double scale;
    /* Manual warmup (the `w` key): η ramps linearly by ×mw_mult over
     * mw_len steps from mw_start, until stopped. */
    int mw_active;
    uint64_t mw_start, mw_len;
    double mw_mult;
    size_t nlog;     /* events logged (the log keeps the first LOG_CAP) */
    size_t dropped;  /* events past the cap, counted but not kept */
    sched_event log[SCHED_LOG_CAP];
} schedule;

/* Resolves fractions against cfg->total_steps and sorts the decays.
 * Returns 0, or −1 if the configuration is unusable (η0 ≤ 0, a factor
 * ≤ 0, ...), with a message in err. */
int schedule_init(schedule *s, const schedule_cfg *cfg, char *err,
                  size_t errlen);

/* η at step t (the step size used to go from θ_t to θ_{t+1}), within
 * [SCHED_ETA_MIN, SCHED_ETA_MAX]. */
double schedule_eta(const schedule *s, uint64_t t);

/* The scheduled part base(t) alone, without manual scaling. */
double schedule_base(const schedule *s, uint64_t t);

/* Manual events at step boundary t; each is logged with its step.  An
 * event that would take η out of [SCHED_ETA_MIN, SCHED_ETA_MAX] leaves
 * it at the bound instead: they return 1 then, 0 otherwise (a value
 * that is not a number > 0 is ignored, and returns 0). */
int schedule_set_eta(schedule *s, uint64_t t, double eta);
int schedule_scale_eta(schedule *s, uint64_t t, double factor);
int schedule_decay_now(schedule *s, uint64_t t);
/* Starts a manual warmup at step t: η ramps linearly to mult × its value
 * over len steps, then holds.  Logged. */
void schedule_warmup_start(schedule *s, uint64_t t, double mult,
                           uint64_t len);
/* Stops it at step t, keeping η where the ramp had brought it.  Logged. */
void schedule_warmup_stop(schedule *s, uint64_t t);
/* Whether η may change at every step from t on (a warmup is ramping), so
 * callers must not cache it. */
int schedule_is_smooth(const schedule *s, uint64_t t);
/* Logs an event that is not about η (dynamics switch, batch change). */
void schedule_log(schedule *s, uint64_t t, event_kind kind, double value);

typedef enum {
    PHASE_WARMUP, PHASE_PREDECAY, PHASE_DECAYED, PHASE_CONSTANT
} sched_phase;

/* Phase at step t: warming up, before a scheduled decay, after a decay,
 * or constant (no decay scheduled and none made). */
sched_phase schedule_phase(const schedule *s, uint64_t t);
/* "warmup", "pre-decay", "decayed", "constant": the schedule's phase only (whether
 * the loss is stabilized is the verdict's business, verdict.h). */
const char *schedule_phase_name(sched_phase p);

#endif

/* run.c — advancing, checkpointing and measuring one run; see run.h. */
#include "run.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels.h"
#include "metrics.h"

#define CK_EVERY 1024u   /* steps between divergence checkpoints */
#define HIST_CAP 2048u   /* buckets per history series */

/* concave_ring entries: the sign of λmax at a spectrum evaluation. */
enum { CURV_UNKNOWN, CURV_CONVEX, CURV_CONCAVE };

enum { STREAM_DATA = 1, STREAM_PROBE = 2, STREAM_INIT = 3, STREAM_STEP = 4 };

static void checkpoint(run *r)
{
    if (r->ck_t != r->t || !r->have_ck_prev) {
        memcpy(r->ck_prev_theta, r->ck_theta, r->m.p * sizeof *r->theta);
        r->ck_prev_rng = r->ck_rng;
        r->ck_prev_t = r->ck_t;
        r->have_ck_prev = 1;
    }
    memcpy(r->ck_theta, r->theta, r->m.p * sizeof *r->theta);
    r->ck_rng = r->step_rng;
    r->ck_t = r->t;
}

static void eta_invalidate(run *r)
{
    r->eta_until = 0;
    r->eta_from = 1;
}

/* η is piecewise constant between decays unless a warmup is running, so
 * cache it with the step range it holds for. */
static double eta_at(run *r, uint64_t t)
{
    if (t >= r->eta_from && t < r->eta_until)
        return r->eta_cached;
    const schedule *s = &r->sched;
    double e = schedule_eta(s, t);
    uint64_t until = t + 1;
    if (!schedule_is_smooth(s, t)) {
        until = UINT64_MAX;
        for (size_t i = 0; i < s->cfg.ndecays; i++)
            if (s->decay_step[i] > t) {
                until = s->decay_step[i];
                break;
            }
        if (s->cfg.has_warmup && s->warm_end > t && s->warm_end < until)
            until = s->warm_end;
        if (s->mw_active && s->mw_start + s->mw_len > t &&
            s->mw_start + s->mw_len < until)
            until = s->mw_start + s->mw_len;
    }
    r->eta_cached = e;
    r->eta_from = t;
    r->eta_until = until;
    return e;
}

double run_eta(const run *r)
{
    return schedule_eta(&r->sched, r->t);
}

const char *run_extra_name(const run *r)
{
    const char *n = r->m.ops->name;
    if (strcmp(n, "diagnet") == 0)
        return "l0";
    if (strcmp(n, "relu1d") == 0)
        return "kinks";
    if (strcmp(n, "ts2") == 0 || strcmp(n, "ts3") == 0)
        return "teacher_angle";
    return NULL;
}

static int theta_finite(const double *th, size_t p)
{
    double s = 0.0;
    for (size_t j = 0; j < p; j++)
        s += th[j] * 0.0; /* NaN iff some entry is NaN or ±Inf */
    return s == 0.0;
}

/* What run_create allocated, from the sizes it allocated with (run.h,
 * bytes); kept next to run_create so the two change together. */
static size_t run_bytes(const run *r)
{
    size_t p = r->m.p, d = sizeof(double);
    size_t bw = r->sc.band_window ? r->sc.band_window : 1;
    size_t fr = r->m.ntk_rows, fc = r->m.ntk_cols;
    size_t b = sizeof *r + r->m.bytes;
    /* θ, two checkpoints, top_dir, line, top_now, row; the trail */
    b += d * (7 * p + RUN_TRAIL * p);
    /* F and its singular values; the SVD's copy, work and iwork */
    b += d * (fr * fc + (fr < fc ? fr : fc));
    b += d * (r->la.max_rows * r->la.max_cols + (size_t)r->la.lwork) +
         sizeof(int) * 8 * (fr < fc ? fr : fc);
    /* band window: band, scratch, order, cross ring and order; 2 rings */
    b += d * 5 * bw + 2 * bw;
    /* Lanczos basis and its small matrices; the dense path */
    size_t k = r->hess.kmax;
    b += d * (k * p + p + 6 * k + k * k);
    if (r->hess.H)
        b += d * (p * p + p + (size_t)r->hess.syev_lwork);
    /* dynamics scratch: g, row, g0; r, xi, r0; one input; the used rows */
    size_t n = r->m.n ? r->m.n : 1, dim = r->m.dim ? r->m.dim : 1;
    b += d * (3 * p + 3 * n + dim + DYN_USED_MAX * dim);
    b += 7 * r->h_train.cap * sizeof(hist_bucket);
    b += r->path.cap * (2 * d + sizeof(uint64_t));
    return b;
}

run *run_create(const scene *sc, char *err, size_t errlen)
{
    run *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    r->sc = *sc;
    r->spectrum_on = 1;
    const model_ops *ops = model_find(sc->model);
    if (!ops) {
        snprintf(err, errlen, "unknown model '%s'", sc->model);
        free(r);
        return NULL;
    }
    if (sc->rng == RNG_NUMPY &&
        (sc->seed > 0xffffffffu || sc->data_seed > 0xffffffffu)) {
        snprintf(err, errlen, "rng = numpy takes seeds up to 4294967295 "
                 "(seed %llu, data_seed %llu)", (unsigned long long)sc->seed,
                 (unsigned long long)sc->data_seed);
        free(r);
        return NULL;
    }
    /* The data (training and test sets, β*) and the NTK's probe inputs
     * follow data_seed; the initialization and the sampling follow seed,
     * so another seed is another run of the same experiment. */
    rng data, probe, init;
    rng_seed(&probe, sc->data_seed, STREAM_PROBE);
    if (sc->rng == RNG_NUMPY) {
        /* as the notebooks: np.random.seed(data_seed) before the data,
         * np.random.seed(seed) before the run, whose random
         * initialization (if any) and samples then share that stream */
        rng_seed_numpy(&data, (uint32_t)sc->data_seed);
        rng_seed_numpy(&r->step_rng, (uint32_t)sc->seed);
    } else {
        rng_seed(&data, sc->data_seed, STREAM_DATA);
        rng_seed(&init, sc->seed, STREAM_INIT);
        rng_seed(&r->step_rng, sc->seed, STREAM_STEP);
    }
    if (model_create(&r->m, ops, &sc->mp, &data, &probe, err, errlen) != 0) {
        free(r);
        return NULL;
    }
    size_t p = r->m.p;
    r->dyn = sc->dyn;
    r->dyn.kind = sc->dynamics;
    if (dyn_check(r->dyn.kind, &r->m, err, errlen) != 0)
        goto fail_quiet;
    if (schedule_init(&r->sched, &sc->sched, err, errlen) != 0)
        goto fail_quiet;
    size_t bw = sc->band_window ? sc->band_window : 1;
    r->theta = kernels_alloc(p);
    r->ck_theta = calloc(p, sizeof *r->ck_theta);
    r->trail = calloc(RUN_TRAIL * p, sizeof *r->trail);
    r->ck_prev_theta = calloc(p, sizeof *r->ck_prev_theta);
    /* the NTK factor at the model's shape (never p × p: see model.h) */
    size_t fr = r->m.ntk_rows, fc = r->m.ntk_cols;
    r->F = calloc(fr * fc, sizeof *r->F);
    r->sv = calloc(fr < fc ? fr : fc, sizeof *r->sv);
    r->band = calloc(bw, sizeof *r->band);
    r->band_scratch = calloc(bw, sizeof *r->band_scratch);
    r->bounce_ring = calloc(bw, 1);
    r->cross_ring = calloc(bw, sizeof *r->cross_ring);
    r->cross_ord = calloc(bw, sizeof *r->cross_ord);
    r->band_ord = calloc(bw, sizeof *r->band_ord);
    r->concave_ring = calloc(bw, 1);
    r->top_dir = calloc(p, sizeof *r->top_dir);
    r->line = calloc(p, sizeof *r->line);
    r->top_now = calloc(p, sizeof *r->top_now);
    r->row = calloc(p, sizeof *r->row);
    if (!r->theta || !r->ck_theta || !r->trail || !r->ck_prev_theta || !r->F ||
        !r->sv || !r->band || !r->band_scratch || !r->band_ord ||
        !r->concave_ring ||
        !r->bounce_ring || !r->cross_ring || !r->cross_ord || !r->top_dir || !r->line || !r->row || !r->top_now ||
        hessian_ws_init(&r->hess, p) != 0 ||
        dyn_ws_init(&r->ws, &r->m) != 0 || la_ws_init(&r->la, fr, fc) != 0 ||
        history_init(&r->h_train, HIST_CAP) != 0 ||
        history_init(&r->h_test, HIST_CAP) != 0 ||
        history_init(&r->h_eta, HIST_CAP) != 0 ||
        history_init(&r->h_rank, HIST_CAP) != 0 ||
        history_init(&r->h_extra, HIST_CAP) != 0 ||
        history_init(&r->h_sharp, HIST_CAP) != 0 ||
        history_init(&r->h_verdict, HIST_CAP) != 0 ||
        (sc->surface != SURF_NONE &&
         surface_path_init(&r->path, SURFACE_PATH_CAP, sc->every) != 0)) {
        snprintf(err, errlen, "out of memory");
        goto fail_quiet;
    }
    r->bytes = run_bytes(r);
    ops->init_theta(&r->m, r->theta,
                    sc->rng == RNG_NUMPY ? &r->step_rng : &init);
    r->loss0 = model_train_loss(&r->m, r->theta);
    /* Every freeze returns to a checkpoint, the first being θ0: a run
     * must start where it may stand. */
    if (!(isfinite(r->loss0) && r->loss0 <= r->dyn.max_loss)) {
        snprintf(err, errlen,
                 "the initial training loss %.4g is beyond diverge_loss "
                 "%.4g: raise diverge_loss or change the initialization",
                 r->loss0, r->dyn.max_loss);
        goto fail_quiet;
    }
    {
        uint64_t ev = sc->every ? sc->every : 1;
        /* The whole Hessian of a tiny model costs p products: its
         * curvature keeps up with every fed evaluation (up to
         * RUN_CURV_DENSE of them per run), so a quad1d iterate thrown
         * past θ*∕√3 is seen whenever it is there. */
        uint64_t per = r->m.p <= HESSIAN_DENSE_MAX ? RUN_CURV_DENSE
                                                   : RUN_CURV_EVALS;
        uint64_t k = (sc->steps / ev + per - 1) / per;
        r->curv_every = ev * (k ? k : 1);
    }
    r->last.sharpness = NAN;
    r->last.cross_share = NAN;
    r->last.sharpness_now = NAN;
    r->last.cross_mean = NAN;
    r->fed_verdict = VERDICT_COUNT;
    eta_invalidate(r);
    checkpoint(r);
    r->have_ck_prev = 0;
    return r;
fail_quiet:
    run_destroy(r);
    return NULL;
}

void run_destroy(run *r)
{
    if (!r)
        return;
    model_destroy(&r->m);
    dyn_ws_free(&r->ws);
    la_ws_free(&r->la);
    hessian_ws_free(&r->hess);
    history_free(&r->h_train);
    history_free(&r->h_test);
    history_free(&r->h_eta);
    history_free(&r->h_rank);
    history_free(&r->h_extra);
    history_free(&r->h_sharp);
    history_free(&r->h_verdict);
    surface_path_free(&r->path);
    free(r->theta);
    free(r->ck_theta);
    free(r->trail);
    free(r->ck_prev_theta);
    free(r->F);
    free(r->sv);
    free(r->band);
    free(r->band_scratch);
    free(r->bounce_ring);
    free(r->cross_ring);
    free(r->cross_ord);
    free(r->band_ord);
    free(r->concave_ring);
    free(r->top_dir);
    free(r->line);
    free(r->top_now);
    free(r->row);
    free(r);
}

/* Appends θ (the state at step r->t) to the trail; a gap since the last
 * entry restarts it, so the trail only ever holds consecutive steps. */
static void trail_push(run *r, int flip)
{
    size_t p = r->m.p;
    if (r->trail_len > 0 && r->trail_t + 1 != r->t)
        r->trail_len = 0;
    r->trail_head = (r->trail_head + 1) % RUN_TRAIL;
    memcpy(r->trail + r->trail_head * p, r->theta, p * sizeof *r->theta);
    r->trail_flip[r->trail_head] = (signed char)flip;
    if (r->trail_len < RUN_TRAIL)
        r->trail_len++;
    r->trail_t = r->t;
}

const double *run_trail_at(const run *r, size_t k)
{
    if (k >= r->trail_len)
        return NULL;
    size_t i = (r->trail_head + RUN_TRAIL - k) % RUN_TRAIL;
    return r->trail + i * r->m.p;
}

static void after_event(run *r);

/* One step from state t that reads or writes the companion taps (see
 * run.h): the companion's loss is recorded before its step, and the SDE
 * takes step t's δ from it.  Only wired runs come here. */
static int step_tapped(run *r, double eta)
{
    size_t k = (size_t)(r->t % r->tap_cap);
    if (r->tap_out)
        r->tap_out[k] = model_train_loss(&r->m, r->theta);
    if (r->tap_in)
        r->dyn.sde_ext_loss = r->tap_in[k];
    return dyn_step(&r->m, r->theta, eta, &r->dyn, &r->step_rng, &r->ws);
}

/* One step of the dynamics from state t. */
static int step_once(run *r, double eta)
{
    if (r->tap_out || r->tap_in)
        return step_tapped(r, eta);
    return dyn_step(&r->m, r->theta, eta, &r->dyn, &r->step_rng, &r->ws);
}

/* Whether θ is a state the run may stand at: its training loss finite and
 * within diverge_loss.  O(n·p), like one evaluation of the loss. */
static int in_bound(const run *r, const double *th)
{
    double L = model_train_loss(&r->m, th);
    return isfinite(L) && L <= r->dyn.max_loss;
}

/* Steps the replay state from the checkpoint to step `to` (at most),
 * pushing every state onto the trail; stops early at a step that blows
 * up again (it cannot: the replay repeats steps that went through).
 * With `good` it also finds the newest state within the bound. */
static void replay(run *r, uint64_t to, uint64_t *good)
{
    size_t p = r->m.p;
    memcpy(r->theta, r->ck_theta, p * sizeof *r->theta);
    r->step_rng = r->ck_rng;
    r->t = r->ck_t;
    r->trail_len = 0;
    trail_push(r, -1);
    while (r->t < to) {
        rng saved = r->step_rng;
        int bad = step_once(r, eta_at(r, r->t));
        if (bad || !theta_finite(r->theta, p)) {
            /* the trail's newest entry is the state before this step */
            memcpy(r->theta, run_trail_at(r, 0), p * sizeof *r->theta);
            r->step_rng = saved;
            break;
        }
        r->t++;
        trail_push(r, dyn_overshoot(&r->m, r->theta, &r->ws));
        if (good && in_bound(r, r->theta))
            *good = r->t;
    }
}

/* The run blew up at step t_bad: the step from state t_bad failed its
 * check, or state t_bad itself is beyond the bound (found at a
 * checkpoint, an event or the end of the run).  It freezes at the newest
 * state from the checkpoint to t_bad whose training loss is within
 * diverge_loss.  Only the trajectory and t_bad decide that state, and
 * t_bad is found by the stepping alone (per-step checks, checkpoints at
 * fixed steps, events), so the frozen step and θ are the same whoever
 * evaluates how often; and as no evaluation of a state beyond the bound
 * is ever recorded (run_eval_losses), every recorded step is at or
 * before the frozen one.  The checkpoint is always within the bound
 * (checked when it is taken), so such a state exists.  The generator is
 * not meaningful in a frozen run (u and r restore from checkpoints,
 * which carry theirs). */
static void freeze(run *r, uint64_t t_bad)
{
    uint64_t good = r->ck_t;
    replay(r, t_bad, &good);
    if (good != r->t) {
        uint64_t back = r->t - good;
        if (back < r->trail_len) {
            memcpy(r->theta, run_trail_at(r, (size_t)back),
                   r->m.p * sizeof *r->theta);
            r->t = good;
            /* the trail keeps what led up to the frozen state */
            r->trail_head = (r->trail_head + RUN_TRAIL - back) % RUN_TRAIL;
            r->trail_len -= back;
            r->trail_t = good;
        } else {
            replay(r, good, NULL);
        }
    }
    /* Evaluations made past the frozen step describe states the run no
     * longer has; the plots end where the run stands. */
    history *hs[] = {&r->h_train, &r->h_test, &r->h_eta, &r->h_rank,
                     &r->h_extra, &r->h_sharp, &r->h_verdict};
    for (size_t i = 0; i < sizeof hs / sizeof hs[0]; i++)
        history_truncate(hs[i], r->t + 1);
    r->diverged = 1;
    r->diverged_at = r->t;
}

/* Called where the stepping loop alone would not look (a checkpoint, an
 * event, the end of the run): freezes the run if its state is beyond the
 * bound.  Returns 1 if the run is (now) frozen. */
static int guard(run *r)
{
    if (r->diverged)
        return 1;
    if (in_bound(r, r->theta))
        return 0;
    freeze(r, r->t);
    return 1;
}

int run_check(run *r)
{
    return guard(r);
}

uint64_t run_advance(run *r, uint64_t n)
{
    uint64_t done = 0;
    if (r->trail_len == 0 && !r->diverged)
        trail_push(r, -1);
    while (done < n && !r->diverged) {
        if (r->t % CK_EVERY == 0 && r->ck_t != r->t) {
            /* a checkpoint is a state a freeze may return to */
            if (guard(r))
                return done;
            checkpoint(r);
        }
        /* The last RUN_TRAIL steps keep copies of θ for the trail and the
         * bounce indicator; the others run without any extra work. */
        uint64_t left = n - done;
        int keep = left <= RUN_TRAIL;
        double eta = eta_at(r, r->t);
        uint64_t stretch = keep ? 1 : left - RUN_TRAIL;
        uint64_t to_ck = CK_EVERY - r->t % CK_EVERY;
        if (stretch > to_ck)
            stretch = to_ck;
        if (stretch > r->eta_until - r->t)
            stretch = r->eta_until - r->t;
        /* the end of the run length is checked like a checkpoint */
        uint64_t end = r->sc.steps;
        if (r->t < end && stretch > end - r->t)
            stretch = end - r->t;
        int tapped = r->tap_out || r->tap_in;
        for (uint64_t k = 0; k < stretch; k++) {
            if (tapped ? step_tapped(r, eta)
                       : dyn_step(&r->m, r->theta, eta, &r->dyn,
                                  &r->step_rng, &r->ws)) {
                freeze(r, r->t);
                return done;
            }
            r->t++;
            done++;
        }
        if (keep)
            trail_push(r, dyn_overshoot(&r->m, r->theta, &r->ws));
        if (r->t == end && stretch > 0 && guard(r))
            return done;
    }
    return done;
}

int run_rewind(run *r, double factor)
{
    if (!r->diverged)
        return -1;
    size_t p = r->m.p;
    /* The nearest checkpoint may sit just before the blow-up, already in
     * trouble; the one before it is at least CK_EVERY steps earlier. */
    if (r->have_ck_prev && r->ck_prev_t < r->ck_t) {
        memcpy(r->theta, r->ck_prev_theta, p * sizeof *r->theta);
        r->step_rng = r->ck_prev_rng;
        r->t = r->ck_prev_t;
    } else {
        memcpy(r->theta, r->ck_theta, p * sizeof *r->theta);
        r->step_rng = r->ck_rng;
        r->t = r->ck_t;
    }
    r->diverged = 0;
    r->trail_len = 0;
    history_truncate(&r->h_train, r->t);
    history_truncate(&r->h_test, r->t);
    history_truncate(&r->h_eta, r->t);
    history_truncate(&r->h_rank, r->t);
    history_truncate(&r->h_extra, r->t);
    history_truncate(&r->h_sharp, r->t);
    history_truncate(&r->h_verdict, r->t);
    r->have_curv = 0;
    r->band_len = r->band_pos = 0;
    r->concave_len = r->concave_pos = 0;
    r->fed_verdict = VERDICT_COUNT;
    schedule_log(&r->sched, r->t, EV_REWIND, (double)r->t);
    schedule_scale_eta(&r->sched, r->t, 1.0 / factor);
    eta_invalidate(r);
    r->have_ck_prev = 0;
    memcpy(r->ck_theta, r->theta, p * sizeof *r->theta);
    r->ck_rng = r->step_rng;
    r->ck_t = r->t;
    return 0;
}

/* Before an event changes the run: a state beyond the bound freezes it
 * first (the event is dropped, and its checkpoint never holds such a
 * state).  Returns 1 if the run froze now. */
static int before_event(run *r)
{
    return !r->diverged && guard(r);
}

void run_toggle_warmup(run *r, double mult, uint64_t len)
{
    if (before_event(r))
        return;
    if (r->sched.mw_active)
        schedule_warmup_stop(&r->sched, r->t);
    else
        schedule_warmup_start(&r->sched, r->t, mult, len);
    after_event(r);
}

static void after_event(run *r)
{
    eta_invalidate(r);
    /* A frozen run keeps the checkpoints from before its blow-up, so `u`
     * lands there whatever is pressed meanwhile. */
    if (!r->diverged)
        checkpoint(r);
}

int run_set_eta(run *r, double eta)
{
    if (before_event(r))
        return 0;
    int clamped = schedule_set_eta(&r->sched, r->t, eta);
    after_event(r);
    return clamped;
}

int run_scale_eta(run *r, double factor)
{
    if (before_event(r))
        return 0;
    int clamped = schedule_scale_eta(&r->sched, r->t, factor);
    after_event(r);
    return clamped;
}

int run_decay_now(run *r)
{
    if (before_event(r))
        return 0;
    int clamped = schedule_decay_now(&r->sched, r->t);
    after_event(r);
    return clamped;
}

int run_set_dynamics(run *r, dyn_kind k, char *err, size_t errlen)
{
    if (dyn_check(k, &r->m, err, errlen) != 0)
        return -1;
    if (before_event(r))
        return 0;
    r->dyn.kind = k;
    schedule_log(&r->sched, r->t, EV_DYNAMICS, (double)k);
    after_event(r);
    return 0;
}

void run_set_batch(run *r, size_t batch)
{
    if (before_event(r))
        return;
    if (batch < 1)
        batch = 1;
    r->dyn.batch = batch;
    schedule_log(&r->sched, r->t, EV_BATCH, (double)batch);
    after_event(r);
}

/* L(θ + s·top_dir), the loss along the steep direction. */
static double line_loss(void *ctx, double s)
{
    run *r = ctx;
    for (size_t j = 0; j < r->m.p; j++)
        r->line[j] = r->theta[j] + s * r->top_dir[j];
    return model_train_loss(&r->m, r->line);
}

/* The eigenvector sign rule (run.h, run_eval_spectrum): the trail's
 * iterates' components along top_dir, measured from the valley floor on
 * the line through θ.  The floor is the loss's own minimum on that line,
 * not a quadratic model's: the toy valleys are far from quadratic at the
 * bounce's amplitude (quad1d at θ = 0.8: the quadratic model puts the
 * floor at 1.11, the line minimum is θ* = 1, so this is exactly
 * sign(θ − θ*)).  The search range is the trail's span widened by a
 * quarter each side, so a floor outside the span (all iterates on one
 * side) is found outside it and nothing counts as crossing. */
static double cross_share(run *r)
{
    size_t p = r->m.p, k = r->trail_len;
    if (k < 3 || r->trail_t != r->t || !isfinite(r->last.sharpness))
        return NAN;
    double c[RUN_TRAIL], lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < k; i++) {
        const double *th = run_trail_at(r, i);
        double s = 0.0;
        for (size_t j = 0; j < p; j++)
            s += (th[j] - r->theta[j]) * r->top_dir[j];
        c[i] = s;
        lo = s < lo ? s : lo;
        hi = s > hi ? s : hi;
    }
    double span = hi - lo;
    if (!(span > 0.0) || !isfinite(span))
        return NAN;
    double s0 = metrics_line_min(line_loss, r, lo - 0.25 * span,
                                 hi + 0.25 * span);
    for (size_t i = 0; i < k; i++)
        c[i] -= s0;
    return metrics_cross_share(c, k);
}

/* The rounding floor of the loss at θ: a parameter can only be set to
 * within half an ulp, which moves h(x) by up to ε·S(x) with
 * S(x) = Σ_k |θ_k ∂h/∂θ_k (x)|, so no float iterate near a minimizer does
 * much better than L = c·mean (ε S)².  ROUND_ULPS of headroom cover the
 * rounding of the sums themselves.  Over the training inputs, or the
 * probe inputs for an online model.  O(n·p), like the loss. */
#define ROUND_ULPS 64.0
static double round_floor(run *r)
{
    const model *m = &r->m;
    size_t cnt = m->n ? m->n : m->n_probe;
    const double *x = m->n ? m->x : m->probe;
    double acc = 0.0;
    for (size_t i = 0; i < cnt; i++) {
        m->ops->feature(m, r->theta, x + i * m->dim, r->row);
        double sx = 0.0;
        for (size_t k = 0; k < m->p; k++)
            sx += fabs(r->theta[k] * r->row[k]);
        double e = ROUND_ULPS * DBL_EPSILON * sx;
        acc += e * e;
    }
    return m->loss_coef * acc / (double)cnt;
}

/* The verdict's loss floor, max(ε·loss0, rounding floor) (verdict.h). */
static double loss_floor(const run *r)
{
    double rel = isfinite(r->loss0) ? DBL_EPSILON * r->loss0 : 0.0;
    double rf = isfinite(r->round_floor) ? r->round_floor : 0.0;
    return rel > rf ? rel : rf;
}

void run_eval_curvature(run *r)
{
    run_metrics *mt = &r->last;
    const model *m = &r->m;
    /* The valley's steep direction and its curvature, warm-started
     * from the last evaluation's direction. */
    mt->sharpness = hessian_top(&r->hess, m, r->theta, r->top_dir);
    /* Only the full-batch dynamics' verdict reads it (verdict_cross), and
     * its line search costs a dozen loss evaluations: SGD skips it on the
     * larger models (on tiny ones it is cheap, and shows the two sign
     * rules agree). */
    int sampled = r->dyn.kind == DYN_SGD || r->dyn.kind == DYN_LABELNOISE;
    /* The rounding floor moves with θ as slowly as the curvature and
     * costs O(n·p) feature rows: measured at the curvature's cadence. */
    r->round_floor = round_floor(r);
    /* At the floor the valley floor's position is rounding noise, and so
     * is which side of it an iterate is on: unknown, not crossing. */
    if (model_train_loss(m, r->theta) <= loss_floor(r))
        mt->cross_share = NAN;
    else
        mt->cross_share = sampled && m->p > 8 ? NAN : cross_share(r);
    size_t bw = r->sc.band_window ? r->sc.band_window : 1;
    r->concave_ring[r->concave_pos] = mt->sharpness > 0.0    ? CURV_CONVEX
                                      : mt->sharpness <= 0.0 ? CURV_CONCAVE
                                                             : CURV_UNKNOWN;
    r->concave_pos = (r->concave_pos + 1) % bw;
    if (r->concave_len < bw)
        r->concave_len++;
    mt->curv_step = r->t;
    r->have_curv = 1;
    history_push(&r->h_sharp, r->t, mt->sharpness);
}

int run_eval_spectrum(run *r)
{
    run_metrics *mt = &r->last;
    const model *m = &r->m;
    if (!r->spectrum_on)
        return 0;
    if (!in_bound(r, r->theta))
        return 1; /* never recorded (see freeze) */
    size_t rows = 0, cols = 0;
    m->ops->ntk_factor(m, r->theta, r->F, &rows, &cols);
    size_t k = rows < cols ? rows : cols;
    /* A factor narrower than the model's largest (relu1d's grouped one
     * when few neuron groups are alive) leaves out singular values that
     * are exactly 0: listed as such, so the count stays min(ntk_rows,
     * ntk_cols) from one evaluation to the next. */
    size_t want = m->ntk_rows < m->ntk_cols ? m->ntk_rows : m->ntk_cols;
    mt->nsv = 0;
    mt->rank = 0;
    mt->rank_nb = 0;
    if (k > 0 && la_singular_values(&r->la, r->F, rows, cols, r->sv) == 0) {
        for (size_t i = k; i < want; i++)
            r->sv[i] = 0.0;
        mt->nsv = k > want ? k : want;
        mt->rank = metrics_rank(r->sv, mt->nsv, r->sc.rank_tol);
        mt->rank_nb = metrics_rank(r->sv, mt->nsv, METRICS_RANK_TOL_NB);
    }
    extras_cfg ec = {r->sc.l0_tol, r->sc.corr};
    m->ops->extras(m, r->theta, &ec, &mt->ex);
    /* λmax at this θ for the readout: the last curvature evaluation may
     * be up to curv_every steps old (quad1d's λmax moves by a factor 4
     * within a bounce).  A copy of top_dir warm-starts it, so top_dir,
     * the crossing share and the curve stay on their fixed cadence. */
    memcpy(r->top_now, r->top_dir, m->p * sizeof *r->top_now);
    mt->sharpness_now = hessian_top(&r->hess, m, r->theta, r->top_now);
    mt->spectrum_step = r->t;
    history_push(&r->h_rank, r->t, (double)mt->rank);
    const char *xn = run_extra_name(r);
    history_push(&r->h_extra, r->t,
                 !xn ? NAN : xn[0] == 'l' ? mt->ex.l0
                 : xn[0] == 't' ? mt->ex.teacher_angle : mt->ex.kinks);
    return 0;
}


/* The crossing share of the loss the steps descend (see run.h): SGD and
 * label-noise GD (the same path, Prop. 1) step on one sample's loss
 * ℓ_i = c r_i², whose Hessian on its floor {h_i = y_i} is 2c ∇h_i ∇h_iᵀ:
 * its top eigenvector is ∇h_i and the iterate's offset from that floor
 * along it is r_i/‖∇h_i‖ to first order, so the sign rule is the sign of
 * the sampled residual — the step overshot its point (bounce_alt).  The
 * full-batch dynamics descend L itself: its Hessian's top eigenvector
 * (cross_share). */
static double verdict_cross(const run *r)
{
    if (r->dyn.kind == DYN_SGD || r->dyn.kind == DYN_LABELNOISE)
        return r->last.bounce_alt;
    return r->last.cross_share;
}

/* verdict_in.thrown: over the window's spectrum evaluations, oldest
 * first, a λmax ≤ 0 after a λmax > 0 (an iterate that starts where the
 * loss is concave, like quad1d from θ0 = 0.3 below θ* over √3, is not
 * thrown). */
static int thrown(const run *r)
{
    size_t bw = r->sc.band_window ? r->sc.band_window : 1;
    size_t first = r->concave_len < bw ? 0 : r->concave_pos;
    int convex = 0;
    for (size_t i = 0; i < r->concave_len; i++) {
        unsigned char f = r->concave_ring[(first + i) % bw];
        if (f == CURV_CONVEX)
            convex = 1;
        else if (f == CURV_CONCAVE && convex)
            return 1;
    }
    return 0;
}

/* Whether this evaluation feeds the band window, the bounce ring and
 * the verdict: once per step, at the scene's cadence (multiples of
 * `every`, every evaluation when it is 0) or at the start of the window
 * (a new run, a rewind, run_reset_band), never in a frozen run.  Rows,
 * manual steps and final steps at other steps only read them, so the
 * band and the verdict are the same whoever evaluates how often. */
static int feeds(const run *r)
{
    if (r->diverged)
        return 0;
    if (r->band_len == 0)
        return 1;
    if (r->fed_t >= r->t)
        return 0;
    return r->sc.every == 0 || r->t % r->sc.every == 0;
}

/* Appends to the loss histories unless they already hold this step (or
 * a later one): an evaluation repeated at a step adds nothing. */
static void push_losses(run *r)
{
    const run_metrics *mt = &r->last;
    if (r->h_train.len > 0 &&
        history_at(&r->h_train, r->h_train.len - 1)->step_last >= r->t)
        return;
    history_push(&r->h_train, r->t, mt->train_loss);
    history_push(&r->h_test, r->t, mt->test_loss);
    history_push(&r->h_eta, r->t, mt->eta);
    history_push(&r->h_verdict, r->t, (double)mt->verdict);
}

int run_eval_losses(run *r)
{
    run_metrics *mt = &r->last;
    const model *m = &r->m;
    size_t p = m->p;
    /* A state beyond the bound is never recorded (see freeze). */
    double L = model_train_loss(m, r->theta);
    if (!(isfinite(L) && L <= r->dyn.max_loss))
        return 1;
    int feed = feeds(r);
    if (feed && r->t % r->curv_every == 0 &&
        !(mt->curv_step == r->t && r->have_curv))
        run_eval_curvature(r);
    mt->step = r->t;
    mt->eta = run_eta(r);
    mt->train_loss = L;
    mt->test_loss = model_test_loss(m, r->theta);

    /* Secondary indicator: the trail's steps that overshot their points.
     * At the floor a residual's sign is rounding noise: unknown. */
    mt->bounce_alt = NAN;
    if (r->trail_len >= 3 && r->trail_t == r->t &&
        !(mt->train_loss <= loss_floor(r))) {
        size_t k = r->trail_len, known = 0, over = 0;
        for (size_t i = 0; i + 1 < k; i++) { /* the oldest has no step */
            size_t at = (r->trail_head + RUN_TRAIL - i) % RUN_TRAIL;
            if (r->trail_flip[at] >= 0) {
                known++;
                over += (size_t)r->trail_flip[at];
            }
        }
        if (known > 0)
            mt->bounce_alt = (double)over / (double)known;
    }
    mt->theta = p == 1 ? r->theta[0] : NAN;
    r->have_metrics = 1;
    if (r->surf) {
        double a, b;
        surface_project(r->surf, r->theta, &a, &b);
        surface_path_push(&r->path, r->t, a, b);
    }
    if (!feed) {
        /* band, trend and verdict as of fed_t; a frozen run says so */
        if (r->diverged)
            mt->verdict = VERDICT_DIVERGED;
        push_losses(r);
        return 0;
    }

    /* Loss band over a trailing window of evaluations. */
    size_t bw = r->sc.band_window ? r->sc.band_window : 1;
    r->band[r->band_pos] = mt->train_loss;
    r->cross_ring[r->band_pos] = verdict_cross(r);
    size_t slot = r->band_pos;
    r->band_pos = (r->band_pos + 1) % bw;
    if (r->band_len < bw)
        r->band_len++;
    r->fed_t = r->t;
    size_t n = r->band_len;
    metrics_quantile_pair(r->band, n, r->sc.band_lo, r->sc.band_hi,
                          r->band_scratch, &mt->band_lo, &mt->band_hi);
    /* The window oldest first, for the verdict's trend. */
    size_t first = n < bw ? 0 : r->band_pos;
    for (size_t i = 0; i < n; i++) {
        r->band_ord[i] = r->band[(first + i) % bw];
        r->cross_ord[i] = r->cross_ring[(first + i) % bw];
    }
    verdict_in vi = {
        .diverged = r->diverged,
        .loss0 = r->loss0,
        .round_floor = r->round_floor,
        .band_lo = mt->band_lo,
        .band_hi = mt->band_hi,
        .window = r->band_ord,
        .n = n,
        .cross = r->cross_ord,
        .thrown = thrown(r),
        .was_bouncing = r->fed_verdict == VERDICT_BOUNCING,
        .was_converging = r->fed_verdict == VERDICT_CONVERGING,
    };
    verdict_why why;
    mt->verdict = verdict_decide(&vi, &why);
    r->fed_verdict = mt->verdict;
    mt->floor = why.floor;
    mt->fall = why.fall;
    mt->fall_t = why.t;
    mt->crossing = why.crossing;
    mt->cross_mean = why.cross;
    mt->band_held = why.held;
    mt->bouncing = mt->verdict == VERDICT_BOUNCING;
    r->bounce_ring[slot] = (unsigned char)mt->bouncing;
    size_t nb = 0;
    for (size_t i = 0; i < n; i++)
        nb += r->bounce_ring[i];
    mt->bounce_frac = (double)nb / (double)n;
    push_losses(r);
    return 0;
}

void run_reset_band(run *r)
{
    r->band_len = 0;
    r->band_pos = 0;
    r->concave_len = 0;
    r->concave_pos = 0;
    r->fed_verdict = VERDICT_COUNT;
}

int run_evaluate(run *r)
{
    if (run_eval_spectrum(r))
        return 1;
    return run_eval_losses(r);
}

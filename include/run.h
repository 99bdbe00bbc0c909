/* run.h — one SGD run: a scene's model, parameters, dynamics, schedule,
 * metrics and bounded history.  The run advances only through run_advance
 * and changes only through the run_* event functions, each applied at a
 * step boundary and logged, so (scene, seed, events) reproduce it bit for
 * bit whatever the caller's cadence.
 *
 * Random streams (rng_seed(g, seed, stream)): 1 data and 2 probe inputs
 * from the scene's data_seed, 3 initial parameters and 4 stepping from its
 * seed.  With rng = numpy, the data is numpy's seed(data_seed) stream and
 * the initialization and stepping share numpy's seed(seed) stream, as in
 * the notebooks; the probes stay on stream 2.  Metrics never draw random numbers,
 * so evaluating them more or less often never changes the trajectory. */
#ifndef SGDSCOPE_RUN_H
#define SGDSCOPE_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "dynamics.h"
#include "hessian.h"
#include "history.h"
#include "la.h"
#include "model.h"
#include "rng.h"
#include "scene.h"
#include "schedule.h"
#include "surface.h"
#include "verdict.h"

#define RUN_TRAIL 32
/* Curvature evaluations over a scene's run length (see curv_every). */
#define RUN_CURV_EVALS 64
/* ...for models of at most HESSIAN_DENSE_MAX parameters (see curv_every). */
#define RUN_CURV_DENSE 4096

/* What one evaluation of the metrics found. */
typedef struct run_metrics {
    uint64_t step;
    double eta;
    double train_loss, test_loss; /* test NaN when the model has none */
    size_t rank;                  /* #{σ_k/σ_1 > rank_tol} */
    size_t rank_nb;               /* the same at the notebook's
                                     METRICS_RANK_TOL_NB (1e-15) */
    size_t nsv;                   /* singular values in run.sv */
    model_extras ex;              /* l0 / feature_sparsity / kinks */
    double band_lo, band_hi;      /* train-loss quantiles over the window */
    double bounce_alt;            /* share of the trail's steps that
                                     overshot the points they used (their
                                     residuals reversed, dyn_overshoot):
                                     the sign rule for the sampled loss,
                                     whose steep direction is ∇h_i; what
                                     the verdict reads for SGD and
                                     label-noise GD.  NaN if unknown */
    double cross_share;           /* share of consecutive trail iterates on
                                     opposite sides of the valley floor
                                     along top_dir (see run_eval_spectrum):
                                     the sign rule for L itself, what the
                                     verdict reads for GD, gradient flow
                                     and the SDE.  NaN if unknown.
                                     Curvature cadence (curv_every) */
    double cross_mean;            /* the verdict's crossing share (bounce_alt
                                     or cross_share, by dynamics) averaged
                                     over the band window's evaluations;
                                     NaN if unknown */
    int crossing;                 /* the verdict's "crossing" (verdict.h) */
    double floor;                 /* the loss floor of the verdict:
                                     max(ε·loss0, rounding floor at θ) */
    double fall;                  /* decades the band window's mean log
                                     loss fell from its older to its newer
                                     half (verdict_why.fall); NaN if
                                     unknown */
    double fall_t;                /* Welch's t of that fall */
    int band_held;                /* the verdict's "held" (verdict.h) */
    int bouncing;                 /* verdict == VERDICT_BOUNCING */
    double bounce_frac;           /* share of bouncing verdicts in the band
                                     window */
    double theta;                 /* θ[0] (quad1d's θ); NaN if p > 1 */
    verdict_kind verdict;         /* the run's state in one word */
    double sharpness;             /* λmax of the training-loss Hessian at
                                     curv_step (the curvature cadence:
                                     what h_sharp, top_dir and the verdict
                                     use); NaN if unknown */
    double sharpness_now;         /* λmax at spectrum_step, the state the
                                     readout shows (run_eval_spectrum,
                                     warm-started from a copy of top_dir,
                                     so computing it moves nothing on the
                                     curvature cadence); NaN if unknown */
    uint64_t curv_step;           /* when sharpness/top_dir/cross_share
                                     were computed */
    uint64_t spectrum_step;       /* when rank/nsv/ex were computed */
} run_metrics;

typedef struct run {
    scene sc;
    model m;
    double *theta;
    rng step_rng;
    schedule sched;
    dyn_cfg dyn;
    dyn_ws ws;
    uint64_t t;            /* steps taken */
    int diverged;
    uint64_t diverged_at;  /* the step the run froze at (see run.c freeze:
                              the newest state within diverge_loss since
                              the last checkpoint) */
    int spectrum_on;       /* evaluate the NTK spectrum (default 1) */

    /* Checkpoint, refreshed every CK_EVERY steps and at every event:
     * divergence replays from it to recover the last finite state. */
    double *ck_theta;
    rng ck_rng;
    uint64_t ck_t;

    /* The last RUN_TRAIL iterates (consecutive steps), oldest first in
     * ring order: the valley panel's trail, the overshoot share
     * (bounce_alt) and the crossing share along top_dir.
     * trail_t is the step of the newest; trail_len how many are valid. */
    double *trail;         /* RUN_TRAIL × p */
    signed char trail_flip[RUN_TRAIL]; /* did the step to that entry
                                          overshoot (1/0; −1 unknown) */
    size_t trail_head, trail_len;
    uint64_t trail_t;

    /* The checkpoint before ck, so a rewind lands well before a blow-up. */
    double *ck_prev_theta;
    rng ck_prev_rng;
    uint64_t ck_prev_t;
    int have_ck_prev;

    /* Step-size cache: eta_cached holds for t < eta_until. */
    double eta_cached;
    uint64_t eta_from, eta_until;

    /* Metric workspaces (allocated at creation). */
    la_ws la;
    double *F, *sv;
    double *top_dir;       /* p: the valley's steep direction, the unit
                              top eigenvector of ∇²L at the last curvature
                              evaluation (largest-magnitude entry > 0;
                              zero when unknown) */
    uint64_t curv_every;   /* steps between curvature evaluations in
                              run_eval_losses: a multiple of the scene's
                              `every` fixed at creation (about
                              RUN_CURV_EVALS per run, RUN_CURV_DENSE for
                              at most HESSIAN_DENSE_MAX parameters), so
                              the sharpness
                              curve, the valley's direction and the
                              verdict never depend on the frame rate or
                              on when the spectrum was drawn */
    hessian_ws hess;       /* for sharpness and top_dir */
    double *top_now;       /* p: scratch copy of top_dir that
                              run_eval_spectrum's sharpness_now iterates
                              on, so top_dir stays on its cadence */
    double *line;          /* p: θ + s·top_dir for the valley floor */
    double *row;           /* p: a feature row for the rounding floor */
    double loss0;          /* the training loss at t = 0 */
    double round_floor;    /* the loss's rounding floor at the last
                              curvature evaluation (run.c round_floor) */
    double *band, *band_scratch, *band_ord;
    unsigned char *concave_ring; /* sign of λmax per curvature evaluation
                                    (run.c CURV_*), over the last
                                    band_window of them */
    size_t concave_len, concave_pos;
    unsigned char *bounce_ring;
    double *cross_ring;    /* the verdict's crossing share per fed
                              evaluation (NaN unknown), over the band
                              window: one trail of 31 steps is a noisy
                              sample of the rate (a held relu1d loss
                              gives 0–32%), the verdict reads the
                              window's mean */
    double *cross_ord;     /* cross_ring oldest first, for the verdict */
    size_t band_len, band_pos;
    uint64_t fed_t;        /* the step of the band window's newest value
                              (valid when band_len > 0): the window, the
                              bounce ring and the verdict's trend are fed
                              once per step, only at the scene's cadence
                              (see run_eval_losses) */
    verdict_kind fed_verdict; /* the verdict at fed_t: the previous
                                 verdict the rule's hysteresis reads
                                 (VERDICT_COUNT: none in this window) */
    run_metrics last;
    int have_metrics;
    int have_curv;         /* last.curv_step holds a curvature evaluation
                              of this trajectory (cleared by a rewind) */

    /* The loss surface (surface.h): the plane the run's session built, or
     * NULL; the run's projected path on it, one point per evaluation
     * (run_eval_losses), allocated by run_create when the scene has a
     * surface. */
    const surface *surf;
    surface_path path;

    size_t bytes;          /* what run_create allocated, model included
                              (nothing allocates afterwards): the memory
                              the run needs, for the size tests and
                              `make bench` */

    /* Bounded histories of the evaluations. */
    history h_train, h_test, h_eta, h_rank, h_extra, h_sharp;
    history h_verdict; /* verdict_kind per loss evaluation, as a double */

    /* Companion taps, wired by a session (session.h) for Appendix C's
     * SDE: a run with tap_out (some SDE's companion) writes its training
     * loss L(θ_t) into tap_out[t % tap_cap] before each step t; a run
     * with tap_in (an SDE, dyn.sde_ext set) reads the L of step t's δ from
     * tap_in[t % tap_cap].  NULL when not wired: stepping is unchanged. */
    double *tap_out;
    const double *tap_in;
    size_t tap_cap;
} run;

/* Builds a run from a finalized scene.  Returns NULL with a message in err
 * on failure (bad model settings, allocation). */
run *run_create(const scene *sc, char *err, size_t errlen);
/* A deep copy of src at its current step (run_fork.c): θ, the generator,
 * the schedule with its event log, the dynamics settings, t, the
 * checkpoints, the band, bounce and verdict windows, the last metrics,
 * the histories and the trail.  Continued without changes it takes
 * exactly src's steps, bit for bit.  It reads the same companion tap as
 * src (tap_in) but writes none (tap_out NULL: a session wires that).
 * Returns NULL with a message in err on failure (allocation). */
run *run_clone(const run *src, char *err, size_t errlen);
/* Frees a run (NULL is fine). */
void run_destroy(run *r);

/* Takes up to n steps; stops early at divergence.  Returns steps taken.
 * Never allocates. */
uint64_t run_advance(run *r, uint64_t n);

/* Evaluates every metric at the current state into r->last: the spectrum
 * (with sharpness_now) and then the losses (run_eval_losses, which keeps
 * the band, the verdict's inputs and the curvature on their cadence).
 * What headless rows and tests use.  Returns 0, or 1 if the state's
 * training loss is beyond diverge_loss (or not finite): such a state is
 * never recorded — r->last and the histories keep the last state within
 * the bound — because a run that freezes later freezes at or after every
 * recorded state (see run_check). */
int run_evaluate(run *r);
/* The cheap part: train/test loss, η, θ and the overshoot share at the
 * current state.  At the scene's cadence — a multiple of the scene's
 * `every` (every evaluation if it is 0), or the first evaluation of a
 * run, after a rewind or run_reset_band — and once per step, it also
 * feeds the loss band window and the bounce ring and decides the verdict
 * (first evaluating the curvature at multiples of curv_every).  At any
 * other step (a caller's own row cadence, one manual step, a frozen
 * divergence, the final step) band, trend and verdict stay those of the
 * last fed step (the verdict says diverged once the run is frozen), so
 * none of them depends on how often the caller evaluates.  Appends to
 * h_train/h_test/h_eta/h_verdict when the step is newer than their
 * newest sample.  Returns 1 (and records nothing) for a state beyond the
 * bound, like run_evaluate. */
int run_eval_losses(run *r);
/* The curvature: the sharpness λmax and top_dir (hessian_top,
 * warm-started from the previous top_dir); the crossing share: with
 * v = top_dir and c_k = ⟨θ_k − θ, v⟩ for the trail's iterates θ_k, the
 * valley floor is s* = the minimizer of L(θ + s v) over the trail's span
 * of c widened by a quarter on each side (metrics_line_min), and
 * cross_share = metrics_cross_share(c_k − s*).  Appends to h_sharp. */
void run_eval_curvature(run *r);
/* The NTK spectrum, rank and model extras (one SVD), and sharpness_now
 * (λmax at this θ, Lanczos warm-started from a copy of top_dir; for
 * quad1d the closed form); appends to h_rank/h_extra.  Skipped (values
 * kept) when spectrum_on is 0.  Called
 * by the app at its own (frame) cadence, so it feeds nothing the
 * trajectory, the verdict or the drawn curves depend on.  Returns 1 (and
 * records nothing) for a state beyond the bound, like run_evaluate. */
int run_eval_spectrum(run *r);

/* Where a run stops (the end of its length, a snapshot's step), checks
 * what the stepping checks only per sample: if the state's training loss
 * is beyond diverge_loss or not finite, the run freezes — at the newest
 * state within the bound since its last checkpoint, exactly as if a step
 * had blown up here.  The stepping detects a blow-up by each step's
 * sampled loss (or the full loss for the full-batch dynamics), by the
 * full loss at every checkpoint (every CK_EVERY steps and at every
 * event) and by this call; none of them depends on how often anything
 * is evaluated, so neither does the frozen step.  Returns 1 if the run
 * is frozen. */
int run_check(run *r);

/* Forgets the loss-band and bounce windows (a headless run starts its
 * statistics at its first row, not at the app's opening evaluation). */
void run_reset_band(run *r);

/* Iterate k of the trail, 0 = newest, k < trail_len; NULL past it. */
const double *run_trail_at(const run *r, size_t k);

/* After a divergence: returns to the checkpoint before the one nearest
 * the blow-up, divides η by factor there, and un-freezes.  Logged.
 * Returns 0, or −1 if the run has not diverged. */
int run_rewind(run *r, double factor);

/* Starts or stops a manual warmup (η ×mult over len steps).  Logged. */
void run_toggle_warmup(run *r, double mult, uint64_t len);

/* η for the next step. */
double run_eta(const run *r);

/* Events, applied at the current step boundary and logged.  The η
 * events return 1 when η was held at a bound of [SCHED_ETA_MIN,
 * SCHED_ETA_MAX] instead of leaving it (schedule.h), 0 otherwise. */
int run_set_eta(run *r, double eta);
int run_scale_eta(run *r, double factor);
int run_decay_now(run *r);
/* Returns 0, or −1 with a reason if the dynamics can't run on the model. */
int run_set_dynamics(run *r, dyn_kind k, char *err, size_t errlen);
void run_set_batch(run *r, size_t batch);

/* Extra-metric column name for the model ("l0", "feature_sparsity") or
 * NULL: what h_extra holds. */
const char *run_extra_name(const run *r);

#endif

/* dynamics.h — one step interface for every update rule (spec §2):
 *   sgd         θ ← θ − η/B Σ_{b<B} ∇ℓ_{i_b}, i_b uniform with replacement
 *   gd          θ ← θ − η ∇L(θ)
 *   labelnoise  GD on labels y + ξ, [ξ]_i = r_i (1 − n 1{i = i_t})
 *               (Proposition 1: the same trajectory as SGD with B = 1)
 *   sde         Eq. (8) by Euler–Maruyama, K substeps of γ = η/K:
 *               θ ← θ − γ∇L + sqrt(γ η δ / n) ϕ_θ(X)ᵀ z, z ~ N(0, I_n),
 *               δ = sde_scale · 4c·L (the SGD noise level; 2L for ½-MSE)
 *               with L the training loss of a companion SGD run at this
 *               step (sde_ext, Appendix C) or else the SDE's own L(θ),
 *               or sde_scale · sde_delta when sde_delta > 0 (constant label
 *               noise, as for the 2-D valley of Fig. 7)
 *   flow        gradient flow: K substeps of GD with γ = η/K
 * One call advances one step of "time η", so step counts compare. */
#ifndef SGDSCOPE_DYNAMICS_H
#define SGDSCOPE_DYNAMICS_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "rng.h"

typedef enum { DYN_SGD, DYN_GD, DYN_LABELNOISE, DYN_SDE, DYN_FLOW,
               DYN_COUNT } dyn_kind;

typedef struct dyn_cfg {
    dyn_kind kind;
    size_t batch;       /* SGD batch size B ≥ 1 */
    int sde_substeps;   /* K for sde */
    double sde_scale;   /* multiplies δ */
    double sde_delta;   /* > 0: a fixed δ instead of 4cL */
    int sde_ext;        /* 1: L in δ = sde_scale·4cL is sde_ext_loss, the
                           training loss of a companion SGD run at this
                           step (Appendix C; run.c sets it every step from
                           the session's tap), not the SDE's own */
    double sde_ext_loss;
    int flow_substeps;  /* K for flow */
    double max_loss;    /* a step whose loss (or one sample's share of it)
                           exceeds this, or is not finite, diverges */
} dyn_cfg;

/* Scratch for one model; allocated once, reused every step. */
#define DYN_USED_MAX 64 /* samples of a step kept for the overshoot test */

/* Scratch for one model; allocated once, reused every step.  Each step
 * also leaves behind which points it used and their residuals before the
 * step (the `used` fields), so the caller can tell whether the step
 * overshot them (dyn_overshoot). */
typedef struct dyn_ws {
    size_t p, n, dim;
    double *g;    /* p */
    double *r;    /* n residuals */
    double *r0;   /* n residuals at the start of a full-batch step */
    double *g0;   /* p: the population gradient there (online models) */
    double *xi;   /* n label noise */
    double *row;  /* p */
    double *xs;   /* one drawn input (online models) */
    /* points of the last step: all n (used_all), or used_n samples */
    int used_all;
    size_t used_n;
    const double *used_xp[DYN_USED_MAX];
    double used_y[DYN_USED_MAX], used_r[DYN_USED_MAX];
    double *used_xbuf; /* DYN_USED_MAX × dim copies of online draws */
} dyn_ws;

/* "sgd", "gd", "labelnoise", "sde", "flow". */
const char *dyn_name(dyn_kind k);
/* Parses a name; returns −1 if unknown. */
int dyn_parse(const char *name);
/* Human label for status lines: "SGD", "GD", "label-noise GD", ... */
const char *dyn_label(dyn_kind k);

/* Allocates scratch for m.  Returns 0 or −1. */
int dyn_ws_init(dyn_ws *ws, const model *m);
void dyn_ws_free(dyn_ws *ws);

/* Whether dynamics k can run on m (labelnoise and sde need a finite
 * training set).  Returns 0 or −1 with a reason in err. */
int dyn_check(dyn_kind k, const model *m, char *err, size_t errlen);

/* One step at step size eta.  Returns 0, or 1 if the step diverged: a
 * residual or loss at the old θ was not finite or beyond cfg->max_loss.
 * On divergence θ may already have been updated: the caller restores the
 * pre-step state (run.c replays from a checkpoint). */
int dyn_step(const model *m, double *theta, double eta, const dyn_cfg *cfg,
             rng *g, dyn_ws *ws);

/* Whether the last step (θ now holds its result) overshot the points it
 * used: their residual vector reversed, ⟨r_before, r_after⟩ < 0 — the
 * iterate jumped across the valley where those points are fit (online
 * full-batch steps: the population gradient reversed).  For quad1d this is
 * exactly "θ crossed θ*".  Uses ws->row as scratch.  Returns 1, 0, or −1
 * if unknown. */
int dyn_overshoot(const model *m, const double *theta, dyn_ws *ws);

/* Proposition 1's label noise at θ for sample index it:
 * xi[i] = r_i (1 − n 1{i = it}).  Exposed for the Monte Carlo test. */
void dyn_label_noise(const model *m, const double *theta, size_t it,
                     double *xi, dyn_ws *ws);

#endif

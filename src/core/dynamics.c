/* dynamics.c — the update rules of spec §2 behind one step function.
 * Everything random comes from the caller's generator, in a fixed order
 * per step, so a trajectory depends only on (seed, events). */
#include "dynamics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[DYN_COUNT] = {"sgd", "gd", "labelnoise",
                                             "sde", "flow"};
static const char *const labels[DYN_COUNT] = {"SGD", "GD", "label-noise GD",
                                              "SDE", "gradient flow"};

const char *dyn_name(dyn_kind k)
{
    return (unsigned)k < DYN_COUNT ? names[k] : "?";
}

const char *dyn_label(dyn_kind k)
{
    return (unsigned)k < DYN_COUNT ? labels[k] : "?";
}

int dyn_parse(const char *name)
{
    for (int i = 0; i < DYN_COUNT; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

int dyn_ws_init(dyn_ws *ws, const model *m)
{
    memset(ws, 0, sizeof *ws);
    ws->p = m->p;
    ws->n = m->n;
    size_t n = m->n ? m->n : 1;
    ws->g = calloc(m->p, sizeof *ws->g);
    ws->row = calloc(m->p, sizeof *ws->row);
    ws->r = calloc(n, sizeof *ws->r);
    ws->xi = calloc(n, sizeof *ws->xi);
    ws->xs = calloc(m->dim ? m->dim : 1, sizeof *ws->xs);
    ws->r0 = calloc(n, sizeof *ws->r0);
    ws->g0 = calloc(m->p, sizeof *ws->g0);
    ws->dim = m->dim ? m->dim : 1;
    ws->used_xbuf = calloc(DYN_USED_MAX * ws->dim, sizeof *ws->used_xbuf);
    if (!ws->g || !ws->row || !ws->r || !ws->xi || !ws->xs || !ws->r0 ||
        !ws->g0 || !ws->used_xbuf) {
        dyn_ws_free(ws);
        return -1;
    }
    return 0;
}

void dyn_ws_free(dyn_ws *ws)
{
    free(ws->g);
    free(ws->row);
    free(ws->r);
    free(ws->xi);
    free(ws->xs);
    free(ws->r0);
    free(ws->g0);
    free(ws->used_xbuf);
    memset(ws, 0, sizeof *ws);
}

int dyn_check(dyn_kind k, const model *m, char *err, size_t errlen)
{
    if ((unsigned)k >= DYN_COUNT) {
        snprintf(err, errlen, "unknown dynamics");
        return -1;
    }
    if ((k == DYN_LABELNOISE || k == DYN_SDE) && m->n == 0) {
        snprintf(err, errlen, "%s needs a finite training set (n > 0)",
                 dyn_label(k));
        return -1;
    }
    return 0;
}

/* One sample's loss c r² beyond the bound: a blow-up grows by orders of
 * magnitude per step, so waiting for the sample's share of the mean
 * (c r²/n) would freeze the run far past the bound. */
static int sample_bad(const model *m, double r, double max_loss)
{
    return !isfinite(r) || m->loss_coef * r * r > max_loss;
}

static void draw_sample(const model *m, rng *g, dyn_ws *ws, const double **x,
                        double *y)
{
    if (m->n == 0) {
        m->ops->sample(m, g, ws->xs, y);
        *x = ws->xs;
    } else {
        size_t i = (size_t)rng_below(g, m->n);
        *x = m->x + i * m->dim;
        *y = m->y[i];
    }
}

/* g = ∇L(θ); returns L(θ).  Uses the population for online models. */
static double full_grad_loss(const model *m, const double *theta, dyn_ws *ws)
{
    if (m->n == 0) {
        m->ops->pop_grad(m, theta, ws->g);
        return m->ops->pop_loss(m, theta);
    }
    memset(ws->g, 0, m->p * sizeof *ws->g);
    double inv = 1.0 / (double)m->n, ss = 0.0;
    for (size_t i = 0; i < m->n; i++) {
        double r = m->ops->grad_add(m, theta, m->x + i * m->dim, m->y[i], inv,
                                    ws->g);
        ws->r[i] = r;
        ss += r * r;
    }
    return m->loss_coef * ss * inv;
}

static int loss_bad(double L, double max_loss)
{
    return !isfinite(L) || L > max_loss;
}

static void axpy(size_t p, double a, const double *x, double *y)
{
    for (size_t j = 0; j < p; j++)
        y[j] += a * x[j];
}

/* Remembers sample b of this step for dyn_overshoot: a pointer into the
 * training set, or a copy of an online draw (which the next draw
 * overwrites).  Only the first DYN_USED_MAX samples of a batch. */
static void note_used(dyn_ws *ws, size_t b, const double *x, double y,
                      double r)
{
    if (b >= DYN_USED_MAX)
        return;
    if (x == ws->xs) {
        memcpy(ws->used_xbuf + b * ws->dim, x, ws->dim * sizeof *x);
        x = ws->used_xbuf + b * ws->dim;
    }
    ws->used_xp[b] = x;
    ws->used_y[b] = y;
    ws->used_r[b] = r;
    ws->used_n = b + 1;
}

static int step_sgd(const model *m, double *theta, double eta,
                    const dyn_cfg *cfg, rng *g, dyn_ws *ws)
{
    const double *x;
    double y;
    size_t B = cfg->batch ? cfg->batch : 1;
    ws->used_all = 0;
    if (B == 1 && m->ops->sgd1) {
        draw_sample(m, g, ws, &x, &y);
        /* The fused step has already moved θ when r shows the blow-up;
         * the run restores θ_t from its checkpoint (see run.c). */
        double r = m->ops->sgd1(m, theta, x, y, eta);
        note_used(ws, 0, x, y, r);
        return sample_bad(m, r, cfg->max_loss);
    }
    memset(ws->g, 0, m->p * sizeof *ws->g);
    double inv = 1.0 / (double)B;
    for (size_t b = 0; b < B; b++) {
        draw_sample(m, g, ws, &x, &y);
        double r = m->ops->grad_add(m, theta, x, y, inv, ws->g);
        note_used(ws, b, x, y, r);
        if (sample_bad(m, r, cfg->max_loss))
            return 1;
    }
    axpy(m->p, -eta, ws->g, theta);
    return 0;
}

void dyn_label_noise(const model *m, const double *theta, size_t it,
                     double *xi, dyn_ws *ws)
{
    double n = (double)m->n;
    for (size_t i = 0; i < m->n; i++) {
        double r = m->ops->predict(m, theta, m->x + i * m->dim) - m->y[i];
        xi[i] = r * (1.0 - (i == it ? n : 0.0));
    }
    (void)ws;
}

static int step_labelnoise(const model *m, double *theta, double eta,
                           const dyn_cfg *cfg, rng *g, dyn_ws *ws)
{
    size_t it = (size_t)rng_below(g, m->n);
    dyn_label_noise(m, theta, it, ws->xi, ws);
    memset(ws->g, 0, m->p * sizeof *ws->g);
    double inv = 1.0 / (double)m->n, ss = 0.0;
    for (size_t i = 0; i < m->n; i++) {
        /* GD on the noisy labels y + ξ: residual h − y − ξ. */
        double r = m->ops->grad_add(m, theta, m->x + i * m->dim,
                                    m->y[i] + ws->xi[i], inv, ws->g);
        double r0 = r + ws->xi[i];
        ss += r0 * r0;
        /* Proposition 1: only the drawn point moves the iterate, so the
         * step is judged on it, exactly as the SGD step it equals. */
        if (i == it) {
            ws->used_all = 0;
            note_used(ws, 0, m->x + i * m->dim, m->y[i], r0);
        }
    }
    if (loss_bad(m->loss_coef * ss * inv, cfg->max_loss))
        return 1;
    axpy(m->p, -eta, ws->g, theta);
    return 0;
}

/* Full-batch steps are judged on every training point: keep the
 * residuals before the step (full_grad_loss just filled ws->r). */
static void note_all(const model *m, dyn_ws *ws)
{
    ws->used_all = 1;
    ws->used_n = 0;
    if (m->n > 0)
        memcpy(ws->r0, ws->r, m->n * sizeof *ws->r0);
    else /* online: the population gradient (full_grad_loss's ws->g) */
        memcpy(ws->g0, ws->g, m->p * sizeof *ws->g0);
}

static int step_gd(const model *m, double *theta, double eta,
                   const dyn_cfg *cfg, dyn_ws *ws)
{
    double L = full_grad_loss(m, theta, ws);
    note_all(m, ws);
    if (loss_bad(L, cfg->max_loss))
        return 1;
    axpy(m->p, -eta, ws->g, theta);
    return 0;
}

static int step_sde(const model *m, double *theta, double eta,
                    const dyn_cfg *cfg, rng *g, dyn_ws *ws)
{
    int K = cfg->sde_substeps > 0 ? cfg->sde_substeps : 1;
    double gamma = eta / K, n = (double)m->n;
    for (int k = 0; k < K; k++) {
        double L = full_grad_loss(m, theta, ws);
        if (k == 0)
            note_all(m, ws);
        if (loss_bad(L, cfg->max_loss))
            return 1;
        /* δ matches SGD's noise level: its step noise has covariance
         * ≈ η² (4cL/n) ϕᵀϕ, i.e. η² (2L/n) ϕᵀϕ for the ½-MSE.  Appendix
         * C reads L from the SGD run the SDE models (sde_ext): the SDE's
         * own loss dies as it converges, and the noise with it. */
        double Ld = cfg->sde_ext ? cfg->sde_ext_loss : L;
        double delta = cfg->sde_scale * (cfg->sde_delta > 0.0
                                             ? cfg->sde_delta
                                             : 4.0 * m->loss_coef * Ld);
        double amp = sqrt(gamma * eta * delta / n);
        if (amp > 0.0) {
            /* Fold the noise into g so one axpy applies drift and noise,
             * both evaluated at the old θ (explicit Euler–Maruyama). */
            for (size_t i = 0; i < m->n; i++) {
                m->ops->feature(m, theta, m->x + i * m->dim, ws->row);
                axpy(m->p, -amp / gamma * rng_normal(g), ws->row, ws->g);
            }
        }
        axpy(m->p, -gamma, ws->g, theta);
    }
    return 0;
}

static int step_flow(const model *m, double *theta, double eta,
                     const dyn_cfg *cfg, dyn_ws *ws)
{
    int K = cfg->flow_substeps > 0 ? cfg->flow_substeps : 1;
    double gamma = eta / K;
    for (int k = 0; k < K; k++) {
        double L = full_grad_loss(m, theta, ws);
        if (k == 0)
            note_all(m, ws);
        if (loss_bad(L, cfg->max_loss))
            return 1;
        axpy(m->p, -gamma, ws->g, theta);
    }
    return 0;
}

int dyn_step(const model *m, double *theta, double eta, const dyn_cfg *cfg,
             rng *g, dyn_ws *ws)
{
    switch (cfg->kind) {
    case DYN_SGD: return step_sgd(m, theta, eta, cfg, g, ws);
    case DYN_GD: return step_gd(m, theta, eta, cfg, ws);
    case DYN_LABELNOISE: return step_labelnoise(m, theta, eta, cfg, g, ws);
    case DYN_SDE: return step_sde(m, theta, eta, cfg, g, ws);
    case DYN_FLOW: return step_flow(m, theta, eta, cfg, ws);
    default: return 1;
    }
}

int dyn_overshoot(const model *m, const double *theta, dyn_ws *ws)
{
    double s = 0.0;
    if (ws->used_all && m->n == 0) {
        /* online full batch: the population gradient reversed (for quad1d,
         * θ crossed θ*) */
        m->ops->pop_grad(m, theta, ws->row);
        for (size_t j = 0; j < m->p; j++)
            s += ws->g0[j] * ws->row[j];
    } else if (ws->used_all) {
        for (size_t i = 0; i < m->n; i++)
            s += ws->r0[i] *
                 (m->ops->predict(m, theta, m->x + i * m->dim) - m->y[i]);
    } else if (ws->used_n > 0) {
        for (size_t b = 0; b < ws->used_n; b++)
            s += ws->used_r[b] *
                 (m->ops->predict(m, theta, ws->used_xp[b]) - ws->used_y[b]);
    } else {
        return -1;
    }
    return s < 0.0 ? 1 : 0;
}

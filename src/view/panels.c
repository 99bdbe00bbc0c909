/* panels.c — valley, loss, predictor and spectrum; see panels.h. */
#include "panels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "model_registry.h"
#include "plot.h"

#define MAX_PTS 512 /* samples per drawn curve */

/* Scratch shared by the panels: a parameter vector and curve buffers.
 * Grown once to the largest model, never freed (one per process). */
static double *scratch_theta;
static size_t scratch_p;
static double xs[MAX_PTS], ys[MAX_PTS], zs[MAX_PTS];

static double *theta_buf(size_t p)
{
    if (p > scratch_p) {
        double *n = realloc(scratch_theta, p * sizeof *n);
        if (!n)
            return NULL;
        scratch_theta = n;
        scratch_p = p;
    }
    return scratch_theta;
}

static int is_model(const run *r, const char *name)
{
    return strcmp(r->m.ops->name, name) == 0;
}

static size_t npts(const plot *p, const canvas *c)
{
    size_t n = (size_t)(p->area.w * canvas_dots_x(c));
    return n < 2 ? 2 : n > MAX_PTS ? MAX_PTS : n;
}

/* ---- valley -------------------------------------------------------- */

/* What the metrics say about bouncing, in the words the panel uses. */
static const char *bounce_word(const run_metrics *mt)
{
    return mt->bouncing   ? "bouncing, loss held"
           : mt->crossing ? "crossing, converging"
                          : "not bouncing";
}

#define TRAIL_FRESH 8 /* iterates drawn bright; older ones fade */

/* The trail in xs/ys (index 0 = newest): older iterates as dim dots, the
 * newest as bright ones, the last few jumps as lines — the zig-zag across
 * the valley, fading with age, without a solid mass of lines. */
static void trail(plot *p, size_t n)
{
    if (n > TRAIL_FRESH)
        plot_points(p, xs + TRAIL_FRESH, ys + TRAIL_FRESH, n - TRAIL_FRESH,
                    ROLE_DIM);
    plot_points(p, xs, ys, n < TRAIL_FRESH ? n : TRAIL_FRESH, ROLE_TRAIL);
    plot_line(p, xs, ys, n < 5 ? n : 5, ROLE_TRAIL);
}

static void valley_quad(canvas *c, rect r, const app *a)
{
    const run *R = a->r;
    const model *m = &R->m;
    double ts = m->prm.theta_star, th = R->theta[0];
    double hi = 1.3 * ts, lo = 0.0;
    for (size_t k = 0; k < R->trail_len; k++) {
        double v = run_trail_at(R, k)[0];
        if (v > hi)
            hi = v * 1.05;
        if (v < lo)
            lo = v * 1.05;
    }
    char title[160], b1[16];
    const char *side = th < ts ? "left of" : th > ts ? "right of" : "at";
    snprintf(title, sizeof title, "Valley F(θ)  θ=%s %s θ*  %s",
             plot_fmt(th, b1, sizeof b1), side, bounce_word(&R->last));
    double fmax = 0.0;
    for (int i = 0; i <= 8; i++) {
        double t = lo + (hi - lo) * i / 8.0;
        double f = m->ops->pop_loss(m, &t);
        if (f > fmax)
            fmax = f;
    }
    plot p;
    plot_begin(&p, c, r, title, (axis){lo, hi, 0}, (axis){0.0, fmax, 0}, 0);
    if (!p.ok)
        return;
    size_t n = npts(&p, c);
    for (size_t i = 0; i < n; i++) {
        xs[i] = lo + (hi - lo) * (double)i / (double)(n - 1);
        ys[i] = m->ops->pop_loss(m, &xs[i]);
    }
    plot_line(&p, xs, ys, n, ROLE_TRAIN);
    plot_vline(&p, ts, ROLE_TEST);
    size_t k = 0;
    for (; k < R->trail_len && k < MAX_PTS; k++) {
        xs[k] = run_trail_at(R, k)[0];
        ys[k] = m->ops->pop_loss(m, &xs[k]);
    }
    trail(&p, k);
    double f = m->ops->pop_loss(m, &th);
    plot_glyph(&p, th, f, c->tier == GLYPH_ASCII ? '@' : 0x25CF,
               ROLE_ITERATE, ATTR_BOLD);
}

/* Other models: the loss along the bouncing direction measured from the
 * recent steps (the dominant direction of the trail's updates, computed
 * with the metrics; the last step's direction until there is one),
 * through the current iterate. */
static void valley_line(canvas *c, rect r, const app *a)
{
    const run *R = a->r;
    const model *m = &R->m;
    size_t pdim = m->p;
    const double *t0 = run_trail_at(R, 0), *t1 = run_trail_at(R, 1);
    double *buf = theta_buf(2 * pdim);
    if (!buf)
        return;
    double *th = buf, *dir = buf + pdim;
    /* the unit direction: measured if the metrics have one, else the last
     * step's */
    double nd = 0.0;
    for (size_t j = 0; j < pdim; j++)
        nd += R->top_dir[j] * R->top_dir[j];
    int measured = nd > 0.5 && isfinite(nd);
    nd = 0.0;
    for (size_t j = 0; j < pdim; j++) {
        dir[j] = measured ? R->top_dir[j]
                 : t0 && t1 ? t0[j] - t1[j] : 0.0;
        nd += dir[j] * dir[j];
    }
    nd = sqrt(nd);
    char title[160], b1[16];
    if (!(nd > 0.0) || !isfinite(nd)) {
        plot p;
        plot_begin(&p, c, r, "Valley  (the direction appears after a step)",
                   (axis){-1, 1, 0}, (axis){0, 1, 0}, 0);
        return;
    }
    for (size_t j = 0; j < pdim; j++)
        dir[j] /= nd;
    /* Coordinates s_k of the trail along the direction. */
    double smax = 0.0;
    size_t nt = R->trail_len < MAX_PTS ? R->trail_len : MAX_PTS;
    for (size_t k = 0; k < nt; k++) {
        const double *tk = run_trail_at(R, k);
        double s = 0.0;
        for (size_t j = 0; j < pdim; j++)
            s += (tk[j] - R->theta[j]) * dir[j];
        zs[k] = s;
        if (fabs(s) > smax)
            smax = fabs(s);
    }
    double S = smax > 0.0 ? 1.4 * smax : 1e-3;
    /* bouncing: the share of recent steps that jumped across the valley
     * of the points they used (their residuals changed sign) */
    if (isfinite(R->last.bounce_alt))
        snprintf(title, sizeof title, "Valley: %s, %.0f%% of steps cross "
                 "(along the %s)", bounce_word(&R->last),
                 100.0 * R->last.bounce_alt,
                 measured ? "recent steps' main direction" : "last step");
    else
        snprintf(title, sizeof title, "Valley (along the %s)",
                 measured ? "recent steps' main direction" : "last step");
    (void)b1;
    plot p;
    /* First pass for the range, second to draw. */
    size_t n = 16;
    double ymin = INFINITY, ymax = 0.0;
    for (size_t i = 0; i < n; i++) {
        double s = -S + 2.0 * S * (double)i / (double)(n - 1);
        for (size_t j = 0; j < pdim; j++)
            th[j] = R->theta[j] + s * dir[j];
        double L = model_train_loss(m, th);
        if (isfinite(L)) {
            ymin = fmin(ymin, L);
            ymax = fmax(ymax, L);
        }
    }
    int logy = ymin > 0.0 && ymax / ymin > 100.0;
    if (!isfinite(ymin))
        ymin = 0.0, ymax = 1.0;
    plot_begin(&p, c, r, title, (axis){-S, S, 0},
               (axis){logy ? ymin : 0.0, ymax, logy}, 0);
    if (!p.ok)
        return;
    /* Each sample is a full training-loss evaluation: 96 are plenty for a
     * smooth curve and keep a frame cheap. */
    n = npts(&p, c);
    if (n > 96)
        n = 96;
    for (size_t i = 0; i < n; i++) {
        xs[i] = -S + 2.0 * S * (double)i / (double)(n - 1);
        for (size_t j = 0; j < pdim; j++)
            th[j] = R->theta[j] + xs[i] * dir[j];
        ys[i] = model_train_loss(m, th);
    }
    plot_line(&p, xs, ys, n, ROLE_TRAIN);
    for (size_t k = 0; k < nt; k++) {
        xs[k] = zs[k];
        ys[k] = model_train_loss(m, run_trail_at(R, k));
    }
    trail(&p, nt);
    plot_glyph(&p, 0.0, model_train_loss(m, R->theta),
               c->tier == GLYPH_ASCII ? '@' : 0x25CF, ROLE_ITERATE, ATTR_BOLD);
}

void panel_valley(canvas *c, rect r, const app *a)
{
    if (is_model(a->r, "quad1d") && a->r->m.ops->pop_loss)
        valley_quad(c, r, a);
    else
        valley_line(c, r, a);
}

/* ---- loss ---------------------------------------------------------- */

static double xval(const app *a, uint64_t step)
{
    return a->xlog ? (double)step + 1.0 : (double)step;
}

/* Fills xs/ys (and zs with bucket minima) from a history; returns count. */
static size_t from_history(const app *a, const history *h, double *x,
                           double *ymax, double *ymin)
{
    size_t n = h->len < MAX_PTS ? h->len : MAX_PTS;
    size_t off = h->len - n;
    for (size_t i = 0; i < n; i++) {
        const hist_bucket *b = history_at(h, off + i);
        x[i] = xval(a, b->step_last);
        ymax[i] = b->max;
        ymin[i] = b->min;
    }
    return n;
}

void panel_loss(canvas *c, rect r, const app *a)
{
    const run *R = a->r;
    const run_metrics *mt = &R->last;
    char title[200], b1[16], b2[16], b3[16], b4[16];
    if (isfinite(mt->test_loss))
        snprintf(title, sizeof title, "Loss  train %s  test %s  band [%s, %s]",
                 plot_fmt(mt->train_loss, b1, sizeof b1),
                 plot_fmt(mt->test_loss, b2, sizeof b2),
                 plot_fmt(mt->band_lo, b3, sizeof b3),
                 plot_fmt(mt->band_hi, b4, sizeof b4));
    else
        snprintf(title, sizeof title, "Loss  train %s  band [%s, %s]",
                 plot_fmt(mt->train_loss, b1, sizeof b1),
                 plot_fmt(mt->band_lo, b3, sizeof b3),
                 plot_fmt(mt->band_hi, b4, sizeof b4));
    double lo, hi, tlo, thi;
    history_range(&R->h_train, &lo, &hi);
    history_range(&R->h_test, &tlo, &thi);
    if (isfinite(tlo) && (!isfinite(lo) || tlo < lo))
        lo = tlo;
    if (isfinite(thi) && (!isfinite(hi) || thi > hi))
        hi = thi;
    if (!(lo > 0.0))
        lo = hi > 0.0 ? hi * 1e-6 : 1e-3;
    if (!(hi > lo))
        hi = lo * 10.0;
    lo = pow(10.0, floor(log10(lo)));
    hi = pow(10.0, ceil(log10(hi)));
    if (lo < hi * 1e-30)
        lo = hi * 1e-30;
    double x1 = xval(a, R->t > 0 ? R->t : 1);
    plot p;
    plot_begin(&p, c, r, title, (axis){a->xlog ? 1.0 : 0.0, x1, a->xlog},
               (axis){lo, hi, 1}, 0);
    if (!p.ok)
        return;
    /* the band: quantiles over the trailing window, drawn across it */
    uint64_t every = R->sc.every ? R->sc.every : 1;
    uint64_t wsteps = (uint64_t)R->band_len * every;
    uint64_t w0 = R->t > wsteps ? R->t - wsteps : 0;
    if (isfinite(mt->band_lo) && isfinite(mt->band_hi)) {
        double bx[2] = {xval(a, w0), xval(a, R->t)};
        double blo[2] = {mt->band_lo, mt->band_lo};
        double bhi[2] = {mt->band_hi, mt->band_hi};
        plot_band(&p, bx, blo, bhi, 2, ROLE_BAND);
    }
    /* η changes: scheduled decays, the warmup's end, logged events */
    const schedule *s = &R->sched;
    for (size_t i = 0; i < s->cfg.ndecays; i++)
        if (s->decay_step[i] <= R->t)
            plot_vline(&p, xval(a, s->decay_step[i]), ROLE_MARK);
    if (s->cfg.has_warmup && s->warm_end <= R->t)
        plot_vline(&p, xval(a, s->warm_end), ROLE_MARK);
    for (size_t i = 0; i < s->nlog; i++)
        if (s->log[i].step <= R->t)
            plot_vline(&p, xval(a, s->log[i].step), ROLE_MARK);
    size_t n = from_history(a, &R->h_test, xs, ys, zs);
    plot_line(&p, xs, ys, n, ROLE_TEST);
    n = from_history(a, &R->h_train, xs, ys, zs);
    plot_band(&p, xs, zs, ys, n, ROLE_TRAIN); /* min..max per bucket */
    plot_line(&p, xs, ys, n, ROLE_TRAIN);
}

/* ---- predictor ----------------------------------------------------- */

static void predictor_quad(canvas *c, rect r, const app *a)
{
    const run *R = a->r;
    double ts2 = R->m.prm.theta_star * R->m.prm.theta_star;
    double t2 = R->theta[0] * R->theta[0];
    char title[160], b1[16], b2[16];
    snprintf(title, sizeof title, "Predictor θ² = %s vs θ*² = %s (last steps)",
             plot_fmt(t2, b1, sizeof b1), plot_fmt(ts2, b2, sizeof b2));
    size_t n = R->trail_len < 32 ? R->trail_len : 32;
    double top = 1.5 * ts2;
    for (size_t k = 0; k < n; k++) {
        double v = run_trail_at(R, n - 1 - k)[0];
        ys[k] = v * v;
        if (ys[k] > top)
            top = ys[k] * 1.05;
    }
    plot p;
    plot_begin(&p, c, r, title, (axis){0, (double)(n ? n : 1), 0},
               (axis){0.0, top, 0}, PLOT_NO_XLABELS);
    if (!p.ok)
        return;
    plot_bars(&p, ys, n, 0.0, ROLE_TRAIN);
    plot_hline(&p, ts2, ROLE_TEST);
}

static void predictor_diag(canvas *c, rect r, const app *a)
{
    const run *R = a->r;
    size_t d = R->m.prm.d;
    const double *bs = diagnet_beta_star(&R->m);
    char title[160], b1[16];
    snprintf(title, sizeof title, "Predictor β = u⊙v vs β*  ‖β‖₀ = %.0f "
             "(|β_j| > %s)", R->last.ex.l0, plot_fmt(R->sc.l0_tol, b1,
                                                       sizeof b1));
    size_t n = d < MAX_PTS ? d : MAX_PTS;
    double lo = 0.0, hi = 0.0;
    for (size_t j = 0; j < n; j++) {
        ys[j] = R->theta[j] * R->theta[d + j];
        zs[j] = bs ? bs[j] : NAN;
        xs[j] = (double)j + 0.5;
        lo = fmin(lo, fmin(ys[j], zs[j]));
        hi = fmax(hi, fmax(ys[j], zs[j]));
    }
    if (!(hi > lo))
        hi = lo + 1.0;
    plot p;
    plot_begin(&p, c, r, title, (axis){0.0, (double)n, 0},
               (axis){lo, hi * 1.05, 0}, 0);
    if (!p.ok)
        return;
    plot_bars(&p, ys, n, 0.0, ROLE_TRAIN);
    plot_points(&p, xs, zs, n, ROLE_TEST);
}

static void predictor_relu(canvas *c, rect r, const app *a)
{
    const run *R = a->r;
    const model *m = &R->m;
    double x0 = m->x[0], x1 = m->x[0];
    double y0 = m->y[0], y1 = m->y[0];
    for (size_t i = 0; i < m->n; i++) {
        x0 = fmin(x0, m->x[i]);
        x1 = fmax(x1, m->x[i]);
        y0 = fmin(y0, m->y[i]);
        y1 = fmax(y1, m->y[i]);
    }
    double mx = 0.1 * (x1 - x0), my = 0.3 * (y1 - y0 + 1e-9);
    char title[160], b1[16];
    snprintf(title, sizeof title, "Predictor h(x)  kinks %.0f  feature "
             "sparsity %s", R->last.ex.kinks,
             plot_fmt(R->last.ex.feature_sparsity, b1, sizeof b1));
    plot p;
    plot_begin(&p, c, r, title, (axis){x0 - mx, x1 + mx, 0},
               (axis){y0 - my, y1 + my, 0}, 0);
    if (!p.ok)
        return;
    size_t n = npts(&p, c);
    for (size_t i = 0; i < n; i++) {
        xs[i] = x0 - mx + (x1 - x0 + 2 * mx) * (double)i / (double)(n - 1);
        ys[i] = m->ops->predict(m, R->theta, &xs[i]);
    }
    plot_line(&p, xs, ys, n, ROLE_TRAIN);
    /* the kinks the metric counts, marked on the bottom row */
    size_t M = m->prm.m;
    const double *w = R->theta, *b = R->theta + M, *av = R->theta + 2 * M;
    static double kink_buf[2 * 4096];
    if (M <= 4096) {
        size_t nk = metrics_kinks(w, b, av, M, x0, x1, kink_buf);
        for (size_t k = 0; k < nk; k++)
            plot_glyph(&p, kink_buf[k], y0 - my, '^', ROLE_MARK, 0);
    }
    for (size_t i = 0; i < m->n; i++)
        plot_glyph(&p, m->x[i], m->y[i], c->tier == GLYPH_ASCII ? 'o' : 0x25CB,
                   ROLE_TEST, ATTR_BOLD);
}

void panel_predictor(canvas *c, rect r, const app *a)
{
    if (is_model(a->r, "quad1d"))
        predictor_quad(c, r, a);
    else if (is_model(a->r, "diagnet"))
        predictor_diag(c, r, a);
    else if (is_model(a->r, "relu1d"))
        predictor_relu(c, r, a);
}

/* ---- spectrum ------------------------------------------------------ */

void panel_spectrum(canvas *c, rect r, const app *a)
{
    const run *R = a->r;
    const run_metrics *mt = &R->last;
    char title[160], b1[16];
    snprintf(title, sizeof title, "NTK spectrum σk/σ1  rank %zu/%zu "
             "(τ = %s)", mt->rank, mt->nsv,
             plot_fmt(R->sc.rank_tol, b1, sizeof b1));
    size_t n = mt->nsv < MAX_PTS ? mt->nsv : MAX_PTS;
    double lo = R->sc.rank_tol / 100.0;
    for (size_t k = 0; k < n; k++) {
        ys[k] = R->sv[0] > 0.0 ? R->sv[k] / R->sv[0] : NAN;
        if (ys[k] > 0.0 && ys[k] < lo)
            lo = ys[k];
    }
    if (lo < 1e-20)
        lo = 1e-20;
    lo = pow(10.0, floor(log10(lo)));
    plot p;
    plot_begin(&p, c, r, title, (axis){0.0, (double)(n ? n : 1), 0},
               (axis){lo, 1.0, 1}, PLOT_NO_XLABELS);
    if (!p.ok)
        return;
    for (size_t k = 0; k < n; k++)
        if (!(ys[k] > lo))
            ys[k] = lo;
    /* A one- or two-value spectrum (quad1d) should not fill the panel
     * with a wall: pad with empty bars so each keeps a modest width. */
    size_t nb = n;
    while (nb < 24 && nb < MAX_PTS)
        ys[nb++] = lo;
    plot_bars(&p, ys, nb, lo, ROLE_TRAIN);
    plot_hline(&p, R->sc.rank_tol, ROLE_MARK);
}

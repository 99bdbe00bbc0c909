/* panels.c — valley, loss (with its sharpness strip), predictor and
 * spectrum; see panels.h.
 *
 * Titles are lists of parts fitted by priority (fit.h): at 80×24 the less
 * important parts go, no word is cut.  Words that name a curve are drawn
 * in the curve's colour, so a title is also the panel's legend.
 *
 * Axes that must not pulse.  The valley's frame is a function of the run
 * alone, never of earlier frames: its height is the highest loss the run
 * recorded over a trailing window of W steps (valley_window), so a jump up
 * widens the axis at once and a fall narrows it only once the high values
 * have left the window, W steps later.  Being computed from the run's
 * state, a frame is the same whether it is the first one drawn (--snapshot)
 * or the last of a recording, at any frame rate: no view memory to carry,
 * reset or keep in step with rewinds. */
#include "panels.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fit.h"
#include "metrics.h"
#include "model_registry.h"
#include "plot.h"

#define MAX_PTS 512 /* samples per drawn curve */

/* Scratch shared by the panels: a parameter vector, curve buffers and
 * history buckets.  Grown once to the largest need, never freed (one per
 * process). */
static double *scratch_theta;
static size_t scratch_p;
static double xs[MAX_PTS], ys[MAX_PTS], zs[MAX_PTS];
static double *hb; /* 4 × hb_cap: bucket x0, x1, lo, hi */
static size_t hb_cap;

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

/* A panel title from parts, on the plot's title row. */
static void title_draw(canvas *c, rect r, const fit_part *parts, size_t n)
{
    if (r.h > 0)
        fit_draw(c, r.x, r.y, r.w - 1, parts, n, "  ");
}

/* The run's state in one word, from its verdict: a frozen run is
 * "diverged" whatever its last evaluation said. */
static const char *verdict_word(const run *R)
{
    return R->diverged ? verdict_name(VERDICT_DIVERGED)
                       : verdict_name(R->last.verdict);
}

static int verdict_role(const run *R)
{
    if (R->diverged)
        return ROLE_WARN;
    switch (R->last.verdict) {
    case VERDICT_BOUNCING: return ROLE_GOOD;
    case VERDICT_ERRATIC:
    case VERDICT_DIVERGED: return ROLE_WARN;
    default: return ROLE_TITLE;
    }
}

/* A loss for a title on a log plot: an exact 0 (or an underflow to it)
 * says what it means instead of a bare "0" the plot can't show. */
static char *fmt_loss(double v, char *buf, size_t cap)
{
    if (v == 0.0)
        snprintf(buf, cap, "<1e-300");
    else
        plot_fmt(v, buf, cap);
    return buf;
}

/* ---- history buckets --------------------------------------------------- */

static int hb_grow(size_t n)
{
    if (n <= hb_cap)
        return 0;
    double *b = realloc(hb, 4 * n * sizeof *b);
    if (!b)
        return -1;
    hb = b;
    hb_cap = n;
    return 0;
}

/* Step → x on the loss panel's axis (log: step + 1, so step 0 is x = 1,
 * the axis's left end). */
static double xval(int xlog, uint64_t step)
{
    return xlog ? (double)step + 1.0 : (double)step;
}

/* The whole history h as buckets in hb (x0 | x1 | lo | hi, each n long),
 * with f applied to the values (NULL: as stored).  Returns n (0 if no
 * memory). */
static size_t buckets(const history *h, int xlog, double (*f)(double))
{
    if (hb_grow(h->len) != 0)
        return 0;
    size_t n = h->len;
    double *x0 = hb, *x1 = hb + hb_cap, *lo = hb + 2 * hb_cap,
           *hi = hb + 3 * hb_cap;
    for (size_t i = 0; i < n; i++) {
        const hist_bucket *b = history_at(h, i);
        x0[i] = xval(xlog, b->step_first);
        x1[i] = xval(xlog, b->step_last);
        double a = f ? f(b->min) : b->min, z = f ? f(b->max) : b->max;
        lo[i] = fmin(a, z);
        hi[i] = fmax(a, z);
    }
    return n;
}

static void draw_buckets(plot *p, size_t n, int role)
{
    plot_envelope(p, hb, hb + hb_cap, hb + 2 * hb_cap, hb + 3 * hb_cap, n,
                  role);
}

/* Largest finite value of h among samples at steps ≥ from (NaN if none). */
static double window_max(const history *h, uint64_t from)
{
    double m = NAN;
    for (size_t i = h->len; i-- > 0;) {
        const hist_bucket *b = history_at(h, i);
        if (b->step_last < from)
            break;
        m = fmax(m, b->max);
    }
    return m;
}

/* Min positive, max finite and whether any value is ≤ 0, over h. */
static void pos_range(const history *h, double *minpos, double *max,
                      int *nonpos)
{
    for (size_t i = 0; i < h->len; i++) {
        const hist_bucket *b = history_at(h, i);
        if (isfinite(b->max))
            *max = fmax(*max, b->max);
        if (b->min > 0)
            *minpos = fmin(*minpos, b->min);
        else if (b->min <= 0)
            *nonpos = 1;
        if (b->max > 0 && !(b->min > 0))
            *minpos = fmin(*minpos, b->max);
    }
}

#define LOG_SPAN 16 /* decades a log axis shows below its top, at most */

/* A log axis for values with max `max`, smallest positive `minpos`, and
 * zeros (nonpos): decades outward, at most LOG_SPAN decades deep.  When
 * values lie at or below the bottom (zeros, or what the cap cut off) the
 * bottom is a floor: they are drawn on it, and it is marked. */
static axis log_axis(double minpos, double max, int nonpos)
{
    axis a = {0, 0, 1, 0};
    if (!(max > 0) || !isfinite(max))
        max = isfinite(minpos) && minpos > 0 ? minpos : 1.0;
    a.hi = pow(10.0, ceil(log10(max) - 1e-9));
    if (!isfinite(a.hi))
        a.hi = DBL_MAX;
    double cap = a.hi * pow(10.0, -LOG_SPAN);
    a.lo = minpos > 0 && isfinite(minpos)
               ? pow(10.0, floor(log10(minpos) + 1e-9))
               : cap;
    if (a.lo < cap || nonpos) {
        a.lo = fmax(a.lo, cap);
        a.floor = 1;
    }
    if (!(a.lo > 0))
        a.lo = 1e-300, a.floor = 1;
    if (!(a.lo < a.hi))
        a.lo = a.hi / 10.0;
    return a;
}

/* ---- valley -------------------------------------------------------- */

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

/* The valley's memory, in run steps: an axis narrows only once higher
 * losses are this many steps old.  A tenth of the run is about 1.5 s at
 * the default speed (a run plays in ~15 s), long enough not to pulse
 * from one frame to the next, short enough to follow a decay; never
 * shorter than the trail or a few evaluations, or the window would hold
 * no sample. */
static uint64_t valley_window(const run *R)
{
    uint64_t every = R->sc.every ? R->sc.every : 1;
    uint64_t w = R->sc.steps / 10;
    if (w < 4 * every)
        w = 4 * every;
    if (w < RUN_TRAIL)
        w = RUN_TRAIL;
    return w;
}

static uint64_t window_start(const run *R)
{
    uint64_t w = valley_window(R);
    return R->t > w ? R->t - w : 0;
}

/* The smallest of 1, 1.5, 2, 3, 5, 7 × 10^k at or above v (v > 0): the
 * valley's extents move in these steps, so the small wobble of a bounce
 * from one frame to the next leaves the axes alone, and a frame is still
 * at least two thirds full. */
static double nice_ceil(double v)
{
    static const double m[] = {1, 1.5, 2, 3, 5, 7, 10};
    if (!(v > 0) || !isfinite(v))
        return v;
    double e = pow(10.0, floor(log10(v)));
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (m[i] * e >= v * (1 - 1e-12))
            return m[i] * e;
    return 10 * e;
}

/* θ's position against θ*, in words that agree with the digits shown:
 * within rounding it is "at θ*"; close to it, the distance is printed so
 * "θ=1 left of θ*" can't happen. */
static void theta_side(double th, double ts, char *buf, size_t cap)
{
    char b[24];
    double d = th - ts;
    if (fabs(d) <= 8 * DBL_EPSILON * fmax(fabs(ts), 1.0))
        snprintf(buf, cap, "θ at θ*");
    else if (fabs(d) < 5e-3 * fmax(fabs(ts), 1e-300))
        snprintf(buf, cap, "θ=θ*%s%s", d < 0 ? "−" : "+",
                 plot_fmt(fabs(d), b, sizeof b));
    else
        snprintf(buf, cap, "θ=%s %s θ*", plot_fmt(th, b, sizeof b),
                 d < 0 ? "left of" : "right of");
}

/* The θ > 0 where F crosses level f, searching from the valley floor ts
 * towards `toward` (0 or a point beyond); bisection, F monotone there. */
static double quad_cross(const model *m, double ts, double toward, double f)
{
    double a = ts, b = toward;
    if (m->ops->pop_loss(m, &b) <= f)
        return b;
    for (int i = 0; i < 60; i++) {
        double mid = 0.5 * (a + b);
        if (m->ops->pop_loss(m, &mid) <= f)
            a = mid;
        else
            b = mid;
    }
    return 0.5 * (a + b);
}

static void valley_quad(canvas *c, rect r, const app *a)
{
    const run *R = a->r;
    const model *m = &R->m;
    double ts = m->prm.theta_star, th = R->theta[0];
    /* The frame: the θ where F stays below the highest loss of the
     * window, which is the band the iterate lives in. */
    double ftop = window_max(&R->h_test, window_start(R));
    double tlo = th, thi = th;
    for (size_t k = 0; k < R->trail_len; k++) {
        double v = run_trail_at(R, k)[0];
        ftop = fmax(ftop, m->ops->pop_loss(m, &v));
        tlo = fmin(tlo, v);
        thi = fmax(thi, v);
    }
    ftop = fmax(ftop, m->ops->pop_loss(m, &th));
    if (!(ftop > 0) || !isfinite(ftop)) /* at the floor: a small frame */
        ftop = 1e-6 * m->ops->pop_loss(m, &(double){0.0});
    double lo = quad_cross(m, ts, 0.0, ftop);
    double hi = quad_cross(m, ts, 2.0 * ts + 1.0, ftop);
    lo = fmin(lo, tlo);
    hi = fmax(hi, thi);
    double pad = 0.08 * (hi - lo);
    lo -= pad;
    hi += pad;

    char side[48];
    theta_side(th, ts, side, sizeof side);
    fit_part parts[] = {
        {{"Valley F(θ)", "Valley", NULL}, 3, ROLE_TITLE, ATTR_BOLD},
        {{side, NULL}, 6, ROLE_ITERATE, ATTR_BOLD},
        {{verdict_word(R), NULL}, FIT_KEEP, verdict_role(R), ATTR_BOLD},
        {{"● now", NULL}, 1, ROLE_ITERATE, 0},
        {{"∙ last steps", NULL}, 0, ROLE_TRAIL, 0},
    };
    plot p;
    plot_begin(&p, c, r, NULL, (axis){lo, hi, 0, 0},
               (axis){0.0, 1.15 * ftop, 0, 0}, PLOT_TITLE_ROW);
    title_draw(c, r, parts, sizeof parts / sizeof parts[0]);
    if (!p.ok)
        return;
    size_t n = npts(&p, c);
    for (size_t i = 0; i < n; i++) {
        xs[i] = lo + (hi - lo) * (double)i / (double)(n - 1);
        ys[i] = m->ops->pop_loss(m, &xs[i]);
    }
    plot_line(&p, xs, ys, n, ROLE_TRAIN);
    plot_vline(&p, ts, ROLE_TEST);
    /* θ* named on the line's top row */
    double cx = plot_px(&p, ts);
    if (isfinite(cx) && cx >= 0) {
        int col = p.area.x + (int)(cx + 0.5) / canvas_dots_x(c) + 1;
        if (col + canvas_text_cells(c, "θ*") <= p.area.x + p.area.w)
            canvas_text(c, col, p.area.y, "θ*", ROLE_TEST, ATTR_BOLD, -1);
    }
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

/* Training loss at θ + s·dir on the line begun in l (model_line: a few
 * hundred points a frame, each O(n) for diagnet instead of O(n·d)). */
static double slice(const model_line *l, double s)
{
    return model_line_loss(l, s);
}

/* How far along ±dir the loss stays ≤ top: doubling from s0, then
 * bisection.  sign is +1 or −1; capped at smax. */
static double slice_reach(const model_line *l, double sign, double s0,
                          double smax, double top)
{
    double a = 0.0, b = s0;
    while (b < smax) {
        double L = slice(l, sign * b);
        if (!(L <= top))
            break;
        a = b;
        b *= 2.0;
    }
    if (b >= smax)
        return smax;
    for (int i = 0; i < 24; i++) {
        double mid = 0.5 * (a + b), L = slice(l, sign * mid);
        if (L <= top)
            a = mid;
        else
            b = mid;
    }
    return 0.5 * (a + b);
}

/* Other models: the training loss along r->top_dir (the steep direction:
 * the top Hessian eigenvector), through the iterate.  x is the distance
 * along it from the slice's lowest point, so the frame stays on the valley
 * while the iterate jumps from wall to wall. */
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
    double nd = 0.0;
    for (size_t j = 0; j < pdim; j++)
        nd += R->top_dir[j] * R->top_dir[j];
    int measured = nd > 0.5 && isfinite(nd);
    nd = 0.0;
    for (size_t j = 0; j < pdim; j++) {
        dir[j] = measured ? R->top_dir[j] : t0 && t1 ? t0[j] - t1[j] : 0.0;
        nd += dir[j] * dir[j];
    }
    nd = sqrt(nd);
    const char *along = measured ? "along top Hessian eigenvector"
                                 : "along the last step";
    const char *along_s = measured ? "top eigvec" : "last step";
    fit_part parts[] = {
        {{"Valley", NULL}, 6, ROLE_TITLE, ATTR_BOLD},
        {{along, along_s, NULL}, 2, ROLE_TITLE, 0},
        {{verdict_word(R), NULL}, FIT_KEEP, verdict_role(R), ATTR_BOLD},
        {{NULL}, 5, ROLE_TEXT, 0}, /* share of crossing steps */
        {{"● now", NULL}, 1, ROLE_ITERATE, 0},
        {{"∙ last steps", NULL}, 0, ROLE_TRAIL, 0},
    };
    size_t np = sizeof parts / sizeof parts[0];
    /* The crossing share the verdict read, named for what it measures:
     * SGD steps on one sample's loss, whose floor is that sample's
     * residual = 0 (the step overshot it); the full-batch dynamics cross
     * the floor of L along the eigenvector drawn here.  Not shown at
     * convergence, where a residual's sign is rounding noise. */
    char cross[48], cross_s[24];
    int sampled = R->dyn.kind == DYN_SGD || R->dyn.kind == DYN_LABELNOISE;
    double share = sampled ? R->last.bounce_alt : R->last.cross_share;
    if (isfinite(share) && !R->diverged &&
        R->last.verdict != VERDICT_CONVERGED) {
        snprintf(cross, sizeof cross, sampled
                 ? "%.0f%% of steps overshoot their sample"
                 : "%.0f%% of steps cross the floor", 100.0 * share);
        snprintf(cross_s, sizeof cross_s, sampled ? "%.0f%% overshoot"
                                                  : "%.0f%% cross",
                 100.0 * share);
        parts[3].v[0] = cross;
        parts[3].v[1] = cross_s;
    }
    plot p;
    if (!(nd > 0.0) || !isfinite(nd)) {
        parts[1].v[0] = "(the direction appears after a step)";
        parts[1].v[1] = "(after a step)";
        plot_begin(&p, c, r, NULL, (axis){-1, 1, 0, 0}, (axis){0, 1, 0, 0},
                   PLOT_TITLE_ROW);
        title_draw(c, r, parts, np);
        return;
    }
    for (size_t j = 0; j < pdim; j++)
        dir[j] /= nd;
    /* The trail along the direction, and the losses the frame must hold:
     * the window's highest (expands at once, shrinks after W steps), the
     * iterate's and the trail's. */
    size_t nt = R->trail_len < MAX_PTS ? R->trail_len : MAX_PTS;
    double smax_tr = 0.0, seen = 0.0;
    double L0 = model_train_loss(m, R->theta);
    seen = fmax(seen, L0);
    for (size_t k = 0; k < nt; k++) {
        const double *tk = run_trail_at(R, k);
        double s = 0.0;
        for (size_t j = 0; j < pdim; j++)
            s += (tk[j] - R->theta[j]) * dir[j];
        zs[k] = s;
        ys[k] = model_train_loss(m, tk);
        smax_tr = fmax(smax_tr, fabs(s));
        seen = fmax(seen, ys[k]);
    }
    /* The top is the window's (from the history: it holds for W steps).
     * The iterate and its trail lie between evaluations and have no
     * memory: letting them widen the frame would make it breathe with
     * every bounce.  Above the top they are drawn on it, the iterate as
     * an arrow.  Without history yet, they set it. */
    double top = nice_ceil(1.2 * window_max(&R->h_train, window_start(R)));
    if (!(top > 0) || !isfinite(top))
        top = nice_ceil(1.2 * seen);
    if (!(top > 0) || !isfinite(top))
        top = 1.0;
    double tn = 0.0;
    for (size_t j = 0; j < pdim; j++)
        tn += R->theta[j] * R->theta[j];
    double smax = 10.0 * sqrt(tn) + 10.0;
    double s0 = smax_tr > 0 ? smax_tr : 1e-3 * (1.0 + sqrt(tn));
    /* The walls are found at twice the band's top (the loss's upper
     * quantile over the band window) rather than at the window's
     * highest loss: one SGD spike would otherwise widen the frame for W
     * steps (the width goes as the square root of the level). */
    double bh = R->last.band_hi, level = top;
    if (bh > 0 && isfinite(bh) && 2.0 * bh < top)
        level = 2.0 * bh;
    model_line line;
    model_line_begin(&line, m, R->theta, dir, th);
    double sl = slice_reach(&line, -1.0, s0, smax, level);
    double sr = slice_reach(&line, +1.0, s0, smax, level);
    /* the floor of the slice, on a grid between the two walls */
    double smin = 0.0, lmin = L0;
    for (int i = 0; i <= 64; i++) {
        double s = -sl + (sl + sr) * i / 64.0, L = slice(&line, s);
        if (L < lmin)
            lmin = L, smin = s;
    }
    /* The width is the valley's at the window's top loss: like the
     * height it holds while the loss does.  The trail does not widen it
     * (SGD's iterates lie off this line, and their projections jump with
     * every sample): one beyond the frame is drawn on its edge. */
    double S = fmax(sr - smin, smin + sl);
    S = nice_ceil(1.05 * S);
    if (!(S > 0) || !isfinite(S))
        S = 1e-3;
    plot_begin(&p, c, r, NULL, (axis){-S, S, 0, 0}, (axis){0.0, top, 0, 0},
               PLOT_TITLE_ROW);
    title_draw(c, r, parts, np);
    if (!p.ok)
        return;
    /* Each sample is a full training-loss evaluation: 96 are plenty for a
     * smooth curve and keep a frame cheap. */
    size_t n = npts(&p, c);
    if (n > 96)
        n = 96;
    double tr_y[MAX_PTS];
    memcpy(tr_y, ys, nt * sizeof *ys);
    for (size_t i = 0; i < n; i++) {
        xs[i] = -S + 2.0 * S * (double)i / (double)(n - 1);
        ys[i] = slice(&line, xs[i] + smin);
    }
    plot_line(&p, xs, ys, n, ROLE_TRAIN);
    for (size_t k = 0; k < nt; k++) {
        xs[k] = fmax(-S, fmin(S, zs[k] - smin));
        ys[k] = fmin(tr_y[k], top);
    }
    trail(&p, nt);
    int ascii = c->tier == GLYPH_ASCII, over = L0 > top;
    plot_glyph(&p, -smin, fmin(L0, top),
               over ? (ascii ? '^' : 0x25B2) : ascii ? '@' : 0x25CF,
               ROLE_ITERATE, ATTR_BOLD);
}

void panel_valley(canvas *c, rect r, const app *a)
{
    if (is_model(a->r, "quad1d") && a->r->m.ops->pop_loss)
        valley_quad(c, r, a);
    else
        valley_line(c, r, a);
}

/* ---- loss and sharpness -------------------------------------------- */

static double two_over(double eta)
{
    return eta > 0 ? 2.0 / eta : NAN;
}

/* Rows of the sharpness strip under the loss plot in a panel h rows high
 * (0: no strip).  It takes a third, at least a title and two data rows,
 * and only when the loss keeps six data rows. */
static int strip_rows(int h)
{
    int s = h / 3;
    if (s < 3)
        s = 3;
    if (s > 10)
        s = 10;
    return h - s >= 8 ? s : 0;
}

/* λmax over the run against the stability line 2/η (from the η
 * history), on the loss plot's x axis (same gutter, so a column is the
 * same step in both). */
static void sharp_strip(canvas *c, rect r, const app *a, axis x, int gutter,
                        axis y)
{
    const run *R = a->r;
    char b1[16], b2[16], lam[40], line[40];
    /* the readout is λmax at the state drawn (the curve below is on the
     * curvature's fixed cadence) */
    snprintf(lam, sizeof lam, "λmax %s",
             plot_fmt(R->last.sharpness_now, b1, sizeof b1));
    snprintf(line, sizeof line, "2/η %s",
             plot_fmt(two_over(run_eta(R)), b2, sizeof b2));
    int gd = R->dyn.kind == DYN_GD || R->dyn.kind == DYN_FLOW;
    fit_part parts[] = {
        {{"Sharpness", NULL}, 2, ROLE_TITLE, ATTR_BOLD},
        {{lam, NULL}, FIT_KEEP, ROLE_TRAIN, ATTR_BOLD},
        {{"vs", NULL}, 1, ROLE_DIM, 0},
        {{line, NULL}, FIT_KEEP, ROLE_MARK, ATTR_BOLD},
        {{gd ? "(GD stability line)" : "(full-batch GD stability line)",
          gd ? "(stability line)" : "(full-batch line)",
          gd ? "(stability)" : "(full-batch)", NULL},
         3, ROLE_MARK, 0},
    };
    plot p;
    plot_begin_gutter(&p, c, r, NULL, x, y, PLOT_TITLE_ROW, gutter);
    title_draw(c, r, parts, sizeof parts / sizeof parts[0]);
    if (!p.ok)
        return;
    size_t n = buckets(&R->h_eta, a->xlog, two_over);
    if (c->tier == GLYPH_ASCII) {
        /* one dot per cell: ROLE_MARK's '|' would draw a fence, so the
         * level line is spelt with '-' as plot_hline does */
        for (size_t i = 0; i < n; i++) {
            plot_glyph(&p, hb[i], hb[3 * hb_cap + i], '-', ROLE_MARK, 0);
            plot_glyph(&p, hb[hb_cap + i], hb[3 * hb_cap + i], '-',
                       ROLE_MARK, 0);
        }
    } else {
        draw_buckets(&p, n, ROLE_MARK);
    }
    n = buckets(&R->h_sharp, a->xlog, NULL);
    draw_buckets(&p, n, ROLE_TRAIN);
}

/* The sharpness strip's y axis: 0 to the top of λmax and 2/η over the run
 * (log when they span more than a decade and a half, as 2/η does under a
 * warmup). */
static axis sharp_axis(const run *R)
{
    double lo = INFINITY, hi = 0.0;
    double slo, shi, elo, ehi;
    history_range(&R->h_sharp, &slo, &shi);
    history_range(&R->h_eta, &elo, &ehi);
    if (slo > 0)
        lo = fmin(lo, slo);
    if (shi > 0 && isfinite(shi))
        hi = fmax(hi, shi);
    if (ehi > 0)
        lo = fmin(lo, 2.0 / ehi), hi = fmax(hi, 2.0 / ehi);
    if (elo > 0)
        hi = fmax(hi, 2.0 / elo);
    if (!(hi > 0) || !isfinite(hi))
        return (axis){0.0, 1.0, 0, 0};
    if (isfinite(lo) && hi / lo > 30.0)
        return log_axis(lo, hi, 0);
    /* a round top, so a strip two rows high still gets a tick there */
    double top = nice_ceil(hi * 1.05);
    double e = pow(10.0, floor(log10(top)));
    return (axis){0.0, top / e > 7 ? 10 * e : top / e > 5 ? 7 * e
                     : top / e > 2 ? 5 * e : top / e > 1 ? 2 * e : top,
                  0, 0};
}

void panel_loss(canvas *c, rect r, const app *a)
{
    const run *R = a->r;
    const run_metrics *mt = &R->last;
    char tr[40], te[40], band[64], band_s[48], b1[16], b2[16];
    snprintf(tr, sizeof tr, "train %s", fmt_loss(mt->train_loss, b1,
                                                 sizeof b1));
    snprintf(te, sizeof te, "test %s", fmt_loss(mt->test_loss, b1,
                                                sizeof b1));
    fmt_loss(mt->band_lo, b1, sizeof b1);
    fmt_loss(mt->band_hi, b2, sizeof b2);
    if (strcmp(b1, b2) == 0) {
        snprintf(band, sizeof band, "band %s", b1);
        snprintf(band_s, sizeof band_s, "band %s", b1);
    } else {
        snprintf(band, sizeof band, "band [%s, %s]", b1, b2);
        snprintf(band_s, sizeof band_s, "band %s–%s", b1, b2);
    }
    int has_test = isfinite(mt->test_loss);
    fit_part parts[] = {
        {{"Loss", NULL}, 3, ROLE_TITLE, ATTR_BOLD},
        {{tr, NULL}, FIT_KEEP, ROLE_TRAIN, ATTR_BOLD},
        {{has_test ? te : NULL, NULL}, 6, ROLE_TEST, ATTR_BOLD},
        {{isfinite(mt->band_lo) ? band : NULL, band_s, "band", NULL}, 4,
         ROLE_BAND, ATTR_BOLD},
    };
    /* y: every value of both curves, with an honest floor */
    double minpos = INFINITY, max = -INFINITY;
    int nonpos = 0;
    pos_range(&R->h_train, &minpos, &max, &nonpos);
    pos_range(&R->h_test, &minpos, &max, &nonpos);
    axis y = log_axis(minpos, max, nonpos);
    axis x = {xval(a->xlog, 0), xval(a->xlog, R->t > 0 ? R->t : 1), a->xlog,
              0};
    /* the sharpness strip shares x: same gutter, labels below it */
    int srows = strip_rows(r.h);
    rect lr = r, sr = r;
    lr.h = r.h - srows;
    sr.y = r.y + lr.h;
    sr.h = srows;
    axis sy = srows ? sharp_axis(R) : y;
    int lflags = PLOT_TITLE_ROW | (srows ? PLOT_NO_XLABELS : 0);
    int gutter = plot_gutter(c, lr, y, lflags);
    if (srows) {
        int g2 = plot_gutter(c, sr, sy, PLOT_TITLE_ROW);
        gutter = g2 > gutter ? g2 : gutter;
    }
    plot p;
    plot_begin_gutter(&p, c, lr, NULL, x, y, lflags, gutter);
    title_draw(c, lr, parts, sizeof parts / sizeof parts[0]);
    if (srows)
        sharp_strip(c, sr, a, x, gutter, sy);
    if (!p.ok)
        return;
    /* the band: quantiles over the trailing window, half-toned so it reads
     * apart from the curve */
    uint64_t every = R->sc.every ? R->sc.every : 1;
    uint64_t wsteps = (uint64_t)R->band_len * every;
    uint64_t w0 = R->t > wsteps ? R->t - wsteps : 0;
    if (isfinite(mt->band_lo) && isfinite(mt->band_hi))
        plot_shade(&p, xval(a->xlog, w0), xval(a->xlog, R->t), mt->band_lo,
                   mt->band_hi, ROLE_BAND);
    /* η changes: scheduled decays, the warmup's end, logged events */
    const schedule *s = &R->sched;
    for (size_t i = 0; i < s->cfg.ndecays; i++)
        if (s->decay_step[i] <= R->t)
            plot_vline(&p, xval(a->xlog, s->decay_step[i]), ROLE_MARK);
    if (s->cfg.has_warmup && s->warm_end <= R->t)
        plot_vline(&p, xval(a->xlog, s->warm_end), ROLE_MARK);
    for (size_t i = 0; i < s->nlog; i++)
        if (s->log[i].step <= R->t)
            plot_vline(&p, xval(a->xlog, s->log[i].step), ROLE_MARK);
    size_t n = buckets(&R->h_test, a->xlog, NULL);
    draw_buckets(&p, n, ROLE_TEST);
    n = buckets(&R->h_train, a->xlog, NULL);
    draw_buckets(&p, n, ROLE_TRAIN);
}

/* ---- predictor ----------------------------------------------------- */

static void predictor_quad(canvas *c, rect r, const app *a)
{
    const run *R = a->r;
    double ts2 = R->m.prm.theta_star * R->m.prm.theta_star;
    double t2 = R->theta[0] * R->theta[0];
    char now[40], star[40], b1[16];
    snprintf(now, sizeof now, "θ² = %s", plot_fmt(t2, b1, sizeof b1));
    snprintf(star, sizeof star, "θ*² = %s", plot_fmt(ts2, b1, sizeof b1));
    fit_part parts[] = {
        {{"Predictor", NULL}, 3, ROLE_TITLE, ATTR_BOLD},
        {{now, NULL}, FIT_KEEP, ROLE_TRAIN, ATTR_BOLD},
        {{"vs", NULL}, 4, ROLE_DIM, 0},
        {{star, NULL}, 5, ROLE_TEST, ATTR_BOLD},
        {{"(last steps)", NULL}, 2, ROLE_DIM, 0},
    };
    size_t n = R->trail_len < 32 ? R->trail_len : 32;
    double top = 1.5 * ts2;
    for (size_t k = 0; k < n; k++) {
        double v = run_trail_at(R, n - 1 - k)[0];
        ys[k] = v * v;
        if (ys[k] > top)
            top = ys[k] * 1.05;
    }
    plot p;
    plot_begin(&p, c, r, NULL, (axis){0, (double)(n ? n : 1), 0, 0},
               (axis){0.0, top, 0, 0}, PLOT_NO_XLABELS | PLOT_TITLE_ROW);
    title_draw(c, r, parts, sizeof parts / sizeof parts[0]);
    if (!p.ok)
        return;
    plot_bars(&p, ys, n, 0.0, ROLE_TRAIN);
    plot_hline(&p, ts2, ROLE_TEST);
}

/* β = u⊙v as bars; β* as markers on a row of its own under them (one
 * mark under each column holding a non-zero β*_j), so the two never share
 * a cell and the support of β can be read against β*'s. */
static void predictor_diag(canvas *c, rect r, const app *a)
{
    const run *R = a->r;
    size_t d = R->m.prm.d;
    const double *bs = diagnet_beta_star(&R->m);
    char l0[40], tol[32], b1[16];
    snprintf(l0, sizeof l0, "‖β‖₀ %.0f", R->last.ex.l0);
    snprintf(tol, sizeof tol, "(|βj| > %s)",
             plot_fmt(R->sc.l0_tol, b1, sizeof b1));
    int ascii = c->tier == GLYPH_ASCII;
    fit_part parts[] = {
        {{"Predictor β = u⊙v", "β = u⊙v", NULL}, 6, ROLE_TRAIN, ATTR_BOLD},
        {{l0, NULL}, FIT_KEEP, ROLE_TITLE, ATTR_BOLD},
        {{tol, NULL}, 1, ROLE_DIM, 0},
        {{ascii ? "^ beta* != 0" : "▴ β* ≠ 0", NULL}, 5, ROLE_TEST,
         ATTR_BOLD},
    };
    size_t n = d < MAX_PTS ? d : MAX_PTS;
    double lo = 0.0, hi = 0.0;
    for (size_t j = 0; j < n; j++) {
        ys[j] = R->theta[j] * R->theta[d + j];
        zs[j] = bs ? bs[j] : NAN;
        lo = fmin(lo, ys[j]);
        hi = fmax(hi, fmax(ys[j], zs[j]));
    }
    if (!(hi > lo))
        hi = lo + 1.0;
    rect br = r;
    br.h = r.h - 1; /* the last row holds the β* marks */
    plot p;
    plot_begin(&p, c, br, NULL, (axis){0.0, (double)n, 0, 0},
               (axis){lo, hi * 1.05, 0, 0}, PLOT_NO_XLABELS | PLOT_TITLE_ROW);
    title_draw(c, r, parts, sizeof parts / sizeof parts[0]);
    if (!p.ok)
        return;
    plot_bars(&p, ys, n, 0.0, ROLE_TRAIN);
    int row = p.area.y + p.area.h;
    canvas_text(c, p.area.x - 1 - canvas_text_cells(c, "β*"), row, "β*",
                ROLE_TEST, 0, -1);
    for (int col = 0; col < p.area.w && n > 0; col++) {
        size_t j0 = (size_t)col * n / (size_t)p.area.w;
        size_t j1 = (size_t)(col + 1) * n / (size_t)p.area.w;
        if (j1 == j0)
            j1 = j0 + 1;
        int any = 0;
        for (size_t j = j0; j < j1 && j < n; j++)
            any |= zs[j] != 0.0 && isfinite(zs[j]);
        if (any)
            canvas_put(c, p.area.x + col, row, ascii ? '^' : 0x25B4,
                       ROLE_TEST, ATTR_BOLD);
    }
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
    char kinks[32], fs[48], fs_s[32], b1[16];
    int ascii = c->tier == GLYPH_ASCII;
    snprintf(kinks, sizeof kinks, "%s kinks %.0f", ascii ? "^" : "▴",
             R->last.ex.kinks);
    plot_fmt(R->last.ex.feature_sparsity, b1, sizeof b1);
    snprintf(fs, sizeof fs, "feature sparsity %s", b1);
    snprintf(fs_s, sizeof fs_s, "sparsity %s", b1);
    fit_part parts[] = {
        {{"Predictor h(x)", "h(x)", NULL}, 6, ROLE_TRAIN, ATTR_BOLD},
        {{ascii ? "o data" : "○ data", NULL}, 2, ROLE_TEST, ATTR_BOLD},
        {{kinks, NULL}, FIT_KEEP, ROLE_MARK, ATTR_BOLD},
        {{fs, fs_s, NULL}, 5, ROLE_TITLE, 0},
    };
    plot p;
    plot_begin(&p, c, r, NULL, (axis){x0 - mx, x1 + mx, 0, 0},
               (axis){y0 - my, y1 + my, 0, 0}, PLOT_TITLE_ROW);
    title_draw(c, r, parts, sizeof parts / sizeof parts[0]);
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
            plot_glyph(&p, kink_buf[k], y0 - my, ascii ? '^' : 0x25B4,
                       ROLE_MARK, 0);
    }
    for (size_t i = 0; i < m->n; i++)
        plot_glyph(&p, m->x[i], m->y[i], ascii ? 'o' : 0x25CB, ROLE_TEST,
                   ATTR_BOLD);
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

double panel_sv_floor(size_t nsv, size_t p)
{
    /* A computed singular value carries an error of about
     * max(rows, cols)·ε·σ1; below ten times that, σk/σ1 is rounding noise
     * (and differs between CPUs and BLAS kernels).  Rounded up to a
     * decade so the floor is a tick. */
    double n = (double)(nsv > p ? nsv : p);
    if (n < 1)
        n = 1;
    return pow(10.0, ceil(log10(10.0 * n * DBL_EPSILON) - 1e-9));
}

void panel_spectrum(canvas *c, rect r, const app *a)
{
    const run *R = a->r;
    const run_metrics *mt = &R->last;
    char rank[40], tau[32], b1[16], rank1[96], rank2[80], rank3[64];
    snprintf(rank, sizeof rank, "rank %zu/%zu", mt->rank, mt->nsv);
    snprintf(tau, sizeof tau, "(τ = %s)",
             plot_fmt(R->sc.rank_tol, b1, sizeof b1));
    fit_part parts[] = {
        {{"NTK spectrum σk/σ1", "NTK σk/σ1", "NTK", NULL}, 4, ROLE_TRAIN,
         ATTR_BOLD},
        {{rank, NULL}, FIT_KEEP, ROLE_TITLE, ATTR_BOLD},
        {{tau, NULL}, 3, ROLE_MARK, 0},
    };
    /* Above MODEL_PROBE_MAX the spectrum is that of fewer probes than
     * parameters (model.h): the rank says on how many, at every width. */
    if (R->m.n_probe < R->m.p) {
        snprintf(rank1, sizeof rank1, "%s on %zu of %zu probes", rank,
                 R->m.n_probe, R->m.p);
        snprintf(rank2, sizeof rank2, "%s on %zu/%zu probes", rank,
                 R->m.n_probe, R->m.p);
        snprintf(rank3, sizeof rank3, "%s, %zu probes", rank, R->m.n_probe);
        parts[1].v[0] = rank1;
        parts[1].v[1] = rank2;
        parts[1].v[2] = rank3;
        parts[1].v[3] = NULL;
    }
    size_t n = mt->nsv < MAX_PTS ? mt->nsv : MAX_PTS;
    double fl = panel_sv_floor(mt->nsv, R->m.p);
    double lo = R->sc.rank_tol / 100.0;
    for (size_t k = 0; k < n; k++) {
        ys[k] = R->sv[0] > 0.0 ? R->sv[k] / R->sv[0] : NAN;
        if (ys[k] > fl && ys[k] < lo)
            lo = ys[k];
    }
    lo = pow(10.0, floor(log10(lo) + 1e-9));
    if (!(lo > fl))
        lo = fl;
    int below = 0;
    for (size_t k = 0; k < n; k++)
        below |= !(ys[k] > lo) && !isnan(ys[k]);
    axis y = {lo, 1.0, 1, below};
    plot p;
    plot_begin(&p, c, r, NULL, (axis){0.0, (double)(n ? n : 1), 0, 0}, y,
               PLOT_NO_XLABELS | PLOT_TITLE_ROW);
    title_draw(c, r, parts, sizeof parts / sizeof parts[0]);
    if (!p.ok)
        return;
    /* below the floor is noise: every such value is drawn as the floor,
     * so what the frame shows never depends on it */
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

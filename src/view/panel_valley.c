/* panel_valley.c — the loss along the valley's steep direction through
 * the iterate, with a trail of the last iterates; see panel_valley.h.
 *
 * Axes that must not pulse.  The valley's frame is a function of the run
 * alone, never of earlier frames: its height is the highest loss the run
 * recorded over a trailing window of W steps (valley_window), so a jump up
 * widens the axis at once and a fall narrows it only once the high values
 * have left the window, W steps later.  Being computed from the run's
 * state, a frame is the same whether it is the first one drawn (--snapshot)
 * or the last of a recording, at any frame rate: no view memory to carry,
 * reset or keep in step with rewinds. */
#include "panel_valley.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "panel_kit.h"
#include "runstyle.h"

static double xs[PANEL_MAX_PTS], ys[PANEL_MAX_PTS], zs[PANEL_MAX_PTS];

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

static void valley_quad(canvas *c, rect r, const app *a, fit_part who)
{
    const run *R = a->r;
    const model *m = &R->m;
    double ts = m->prm.theta_star, th = R->theta[0];
    /* The frame: the θ where F stays below the highest loss of the
     * window, which is the band the iterate lives in. */
    double ftop = panel_window_max(&R->h_test, window_start(R));
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
        who,
        {{side, NULL}, 6, ROLE_ITERATE, ATTR_BOLD},
        {{panel_verdict_word(R), NULL}, FIT_KEEP, panel_verdict_role(R),
         ATTR_BOLD},
        {{"● now", NULL}, 1, ROLE_ITERATE, 0},
        {{"∙ last steps", NULL}, 0, ROLE_TRAIL, 0},
    };
    plot p;
    plot_begin(&p, c, r, NULL, (axis){lo, hi, 0, 0},
               (axis){0.0, 1.15 * ftop, 0, 0}, PLOT_TITLE_ROW);
    panel_title(c, r, parts, sizeof parts / sizeof parts[0]);
    if (!p.ok)
        return;
    size_t n = panel_npts(&p, c);
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
    for (; k < R->trail_len && k < PANEL_MAX_PTS; k++) {
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
static void valley_line(canvas *c, rect r, const app *a, fit_part who)
{
    const run *R = a->r;
    const model *m = &R->m;
    size_t pdim = m->p;
    const double *t0 = run_trail_at(R, 0), *t1 = run_trail_at(R, 1);
    double *buf = panel_theta_buf(2 * pdim);
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
        who,
        {{along, along_s, NULL}, 2, ROLE_TITLE, 0},
        {{panel_verdict_word(R), NULL}, FIT_KEEP, panel_verdict_role(R),
         ATTR_BOLD},
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
        parts[4].v[0] = cross;
        parts[4].v[1] = cross_s;
    }
    plot p;
    if (!(nd > 0.0) || !isfinite(nd)) {
        parts[2].v[0] = "(the direction appears after a step)";
        parts[2].v[1] = "(after a step)";
        plot_begin(&p, c, r, NULL, (axis){-1, 1, 0, 0}, (axis){0, 1, 0, 0},
                   PLOT_TITLE_ROW);
        panel_title(c, r, parts, np);
        return;
    }
    for (size_t j = 0; j < pdim; j++)
        dir[j] /= nd;
    /* The trail along the direction, and the losses the frame must hold:
     * the window's highest (expands at once, shrinks after W steps), the
     * iterate's and the trail's. */
    size_t nt = R->trail_len < PANEL_MAX_PTS ? R->trail_len : PANEL_MAX_PTS;
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
    double top = panel_nice_ceil(
        1.2 * panel_window_max(&R->h_train, window_start(R)));
    if (!(top > 0) || !isfinite(top))
        top = panel_nice_ceil(1.2 * seen);
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
    S = panel_nice_ceil(1.05 * S);
    if (!(S > 0) || !isfinite(S))
        S = 1e-3;
    plot_begin(&p, c, r, NULL, (axis){-S, S, 0, 0}, (axis){0.0, top, 0, 0},
               PLOT_TITLE_ROW);
    panel_title(c, r, parts, np);
    if (!p.ok)
        return;
    /* Each sample is a full training-loss evaluation: 96 are plenty for a
     * smooth curve and keep a frame cheap. */
    size_t n = panel_npts(&p, c);
    if (n > 96)
        n = 96;
    double tr_y[PANEL_MAX_PTS];
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
    /* of several runs, the focused one, named after "Valley" */
    runset s;
    runset_from_app(&s, a);
    char name[48], digit[8];
    fit_part who = {{NULL}, FIT_KEEP, ROLE_TITLE, ATTR_BOLD};
    if (s.multi) {
        snprintf(name, sizeof name, "%c %s", (char)runstyle_digit(s.focus),
                 s.name[s.focus]);
        snprintf(digit, sizeof digit, "%c", (char)runstyle_digit(s.focus));
        who = (fit_part){{name, digit, NULL}, FIT_KEEP,
                         runstyle_role(s.focus), ATTR_BOLD};
    }
    if (panel_is_model(a->r, "quad1d") && a->r->m.ops->pop_loss)
        valley_quad(c, r, a, who);
    else
        valley_line(c, r, a, who);
}


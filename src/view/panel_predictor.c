/* panel_predictor.c — the model's picture of its predictor against the
 * target; see panel_predictor.h.
 *
 * One run: θ² bars of the last steps against θ*² (quad1d), β = u⊙v bars
 * with β*'s support marked under them (diagnet), h(x) with its kinks
 * (relu1d).  Several runs of one model, up to PANEL_PREDICTOR_MAX_RUNS:
 * curves (h(x)) overlay in the runs' styles; bars do not (four runs' bars
 * in one column are one bar), so θ² and β get a strip per run, one above
 * the other, on one y scale and one x axis: coordinate j is the same
 * column in every strip, and supports compare column for column.  More
 * runs, or runs of different models: the focused run alone, the title
 * saying whose it is. */
#include "panel_predictor.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "metrics.h"
#include "model_registry.h"
#include "panel_kit.h"
#include "runstyle.h"
#include "sanitize.h"

static double xs[PANEL_MAX_PTS], ys[PANEL_MAX_PTS], zs[PANEL_MAX_PTS];

/* No part: what a single run's title gets where a comparison names the
 * run (a part without text takes no room, so single frames are as they
 * always were). */
static const fit_part no_part = {{NULL}, 0, ROLE_TITLE, 0};

static void predictor_quad(canvas *c, rect r, const run *R, fit_part who)
{
    double ts2 = R->m.prm.theta_star * R->m.prm.theta_star;
    double t2 = R->theta[0] * R->theta[0];
    char now[40], star[40], b1[16];
    snprintf(now, sizeof now, "θ² = %s", plot_fmt(t2, b1, sizeof b1));
    snprintf(star, sizeof star, "θ*² = %s", plot_fmt(ts2, b1, sizeof b1));
    fit_part parts[] = {
        {{"Predictor", NULL}, 3, ROLE_TITLE, ATTR_BOLD},
        who,
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
    if (who.v[0]) /* "of 2 sde" needs the word it qualifies */
        parts[0].prio = FIT_KEEP;
    panel_title(c, r, parts, sizeof parts / sizeof parts[0]);
    if (!p.ok)
        return;
    plot_bars(&p, ys, n, 0.0, ROLE_TRAIN);
    plot_hline(&p, ts2, ROLE_TEST);
}

/* One ▴ under each column of p holding a non-zero β*_j (zs, n values),
 * on row `row`; "β*" left of them when it fits whole. */
static void beta_star_row(canvas *c, const plot *p, rect r, int row,
                          size_t n)
{
    int ascii = c->tier == GLYPH_ASCII;
    int lw = canvas_text_cells(c, "β*");
    if (p->area.x - 1 - lw >= r.x)
        canvas_text(c, p->area.x - 1 - lw, row, "β*", ROLE_TEST, 0, -1);
    for (int col = 0; col < p->area.w && n > 0; col++) {
        size_t j0 = (size_t)col * n / (size_t)p->area.w;
        size_t j1 = (size_t)(col + 1) * n / (size_t)p->area.w;
        if (j1 == j0)
            j1 = j0 + 1;
        int any = 0;
        for (size_t j = j0; j < j1 && j < n; j++)
            any |= zs[j] != 0.0 && isfinite(zs[j]);
        if (any)
            canvas_put(c, p->area.x + col, row, ascii ? '^' : 0x25B4,
                       ROLE_TEST, ATTR_BOLD);
    }
}

/* Where β*'s marks go when there is none (diagnet trained on points from
 * a file, whose β* nobody planted): the words, never a row of made-up
 * marks.  The file's base name is user text: sanitized. */
static void beta_unknown_row(canvas *c, const plot *p, int row, const run *R)
{
    char name[96], text[160];
    const char *b = strrchr(R->sc.data, '/');
    sanitize_text(name, sizeof name, b && b[1] ? b + 1 : R->sc.data);
    /* shorter forms before a cut file name */
    snprintf(text, sizeof text, "β* unknown: data from %s", name);
    if (canvas_text_cells(c, text) > p->area.w)
        snprintf(text, sizeof text, "β* unknown: %s", name);
    if (canvas_text_cells(c, text) > p->area.w)
        snprintf(text, sizeof text, "β* unknown (data file)");
    canvas_text(c, p->area.x, row, text, ROLE_DIM, 0, p->area.w);
}

/* The title's word for β*: its marks, or that it is unknown. */
static fit_part beta_star_part(const double *bs, int ascii)
{
    if (!bs)
        return (fit_part){{"β* unknown", NULL}, 5, ROLE_DIM, 0};
    return (fit_part){{ascii ? "^ beta* != 0" : "▴ β* ≠ 0", NULL}, 5,
                      ROLE_TEST, ATTR_BOLD};
}

/* β = u⊙v as bars; β* as markers on a row of its own under them (one
 * mark under each column holding a non-zero β*_j), so the two never share
 * a cell and the support of β can be read against β*'s. */
static void predictor_diag(canvas *c, rect r, const run *R, fit_part who)
{
    size_t d = R->m.prm.d;
    const double *bs = diagnet_beta_star(&R->m);
    char l0[40], tol[32], tol_s[32], b1[16];
    snprintf(l0, sizeof l0, "‖β‖₀ %.0f", R->last.ex.l0);
    plot_fmt(R->sc.l0_tol, b1, sizeof b1);
    snprintf(tol, sizeof tol, "(|βj| > %s)", b1);
    snprintf(tol_s, sizeof tol_s, "|βj|>%s", b1);
    int ascii = c->tier == GLYPH_ASCII;
    fit_part parts[] = {
        {{"Predictor β = u⊙v", "β = u⊙v", NULL}, 6, ROLE_TRAIN, ATTR_BOLD},
        who,
        {{l0, NULL}, FIT_KEEP, ROLE_TITLE, ATTR_BOLD},
        {{tol, NULL}, FIT_KEEP, ROLE_DIM, 0}, /* ‖β‖₀ needs it */
        beta_star_part(bs, ascii),
    };
    size_t n = d < PANEL_MAX_PTS ? d : PANEL_MAX_PTS;
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
    if (who.v[0]) /* "of 2 sde" needs the word it qualifies */
        parts[0].prio = FIT_KEEP;
    /* A kept part only shortens once every other is gone: the short
     * threshold, when the long one would cost the title or the β* key. */
    size_t np = sizeof parts / sizeof parts[0];
    int pick[sizeof parts / sizeof parts[0]];
    fit_choose(c, parts, np, "  ", r.w - 1, pick);
    if (pick[0] < 0 || pick[np - 1] < 0)
        parts[3].v[0] = tol_s;
    panel_title(c, r, parts, np);
    if (!p.ok)
        return;
    plot_bars(&p, ys, n, 0.0, ROLE_TRAIN);
    if (bs)
        beta_star_row(c, &p, r, p.area.y + p.area.h, n);
    else
        beta_unknown_row(c, &p, p.area.y + p.area.h, R);
}

/* The x range of relu1d's data, widened by a tenth, and its y range by
 * three tenths: the frame of h(x). */
static void relu_frame(const model *m, double *x0, double *x1, double *y0,
                       double *y1, double *mx, double *my)
{
    *x0 = *x1 = m->x[0];
    *y0 = *y1 = m->y[0];
    for (size_t i = 0; i < m->n; i++) {
        *x0 = fmin(*x0, m->x[i]);
        *x1 = fmax(*x1, m->x[i]);
        *y0 = fmin(*y0, m->y[i]);
        *y1 = fmax(*y1, m->y[i]);
    }
    *mx = 0.1 * (*x1 - *x0);
    *my = 0.3 * (*y1 - *y0 + 1e-9);
}

/* The kinks relu1d's metric counts, marked on the plot's bottom row. */
static void relu_kinks(plot *p, const run *R, double x0, double x1,
                       double ybot, int role)
{
    static double kink_buf[2 * 4096];
    size_t M = R->m.prm.m;
    const double *w = R->theta, *b = R->theta + M, *av = R->theta + 2 * M;
    int ascii = p->c->tier == GLYPH_ASCII;
    if (M > 4096)
        return;
    size_t nk = metrics_kinks(w, b, av, M, x0, x1, kink_buf);
    for (size_t k = 0; k < nk; k++)
        plot_glyph(p, kink_buf[k], ybot, ascii ? '^' : 0x25B4, role, 0);
}

static void relu_data(plot *p, const model *m)
{
    int ascii = p->c->tier == GLYPH_ASCII;
    for (size_t i = 0; i < m->n; i++)
        plot_glyph(p, m->x[i], m->y[i], ascii ? 'o' : 0x25CB, ROLE_TEST,
                   ATTR_BOLD);
}

static void predictor_relu(canvas *c, rect r, const run *R, fit_part who)
{
    const model *m = &R->m;
    double x0, x1, y0, y1, mx, my;
    relu_frame(m, &x0, &x1, &y0, &y1, &mx, &my);
    char kinks[32], fs[64], fs_s[48], b1[16];
    int ascii = c->tier == GLYPH_ASCII;
    snprintf(kinks, sizeof kinks, "%s kinks %.0f", ascii ? "^" : "▴",
             R->last.ex.kinks);
    plot_fmt(R->last.ex.feature_sparsity, b1, sizeof b1);
    /* the value depends on the correlation threshold (0.999 in the
     * notebook, 0.95 in the paper's text): never one without the other */
    snprintf(fs, sizeof fs, "feature sparsity %s (c=%g)", b1, R->sc.corr);
    snprintf(fs_s, sizeof fs_s, "sparsity %s (c=%g)", b1, R->sc.corr);
    fit_part parts[] = {
        {{"Predictor h(x)", "h(x)", NULL}, 6, ROLE_TRAIN, ATTR_BOLD},
        who,
        {{ascii ? "o data" : "○ data", NULL}, 2, ROLE_TEST, ATTR_BOLD},
        {{kinks, NULL}, FIT_KEEP, ROLE_MARK, ATTR_BOLD},
        {{fs, fs_s, NULL}, FIT_KEEP, ROLE_TITLE, 0},
    };
    size_t np = sizeof parts / sizeof parts[0];
    int pick[sizeof parts / sizeof parts[0]];
    plot p;
    plot_begin(&p, c, r, NULL, (axis){x0 - mx, x1 + mx, 0, 0},
               (axis){y0 - my, y1 + my, 0, 0}, PLOT_TITLE_ROW);
    /* The sparsity with its threshold is worth more than the word
     * "Predictor" but less than the panel's name: the title shortens to
     * h(x) for it (both kept, the later part gives first), and when even
     * that leaves no room the sparsity goes and the title stays whole. */
    parts[0].prio = FIT_KEEP; /* "of 2 sde" needs the word it qualifies */
    if (who.v[0] || fit_choose(c, parts, np, "  ", r.w - 1, pick) > r.w - 1)
        parts[np - 1].prio = 5;
    if (!who.v[0] && parts[np - 1].prio == 5)
        parts[0].prio = 6;
    panel_title(c, r, parts, np);
    if (!p.ok)
        return;
    size_t n = panel_npts(&p, c);
    for (size_t i = 0; i < n; i++) {
        xs[i] = x0 - mx + (x1 - x0 + 2 * mx) * (double)i / (double)(n - 1);
        ys[i] = m->ops->predict(m, R->theta, &xs[i]);
    }
    plot_line(&p, xs, ys, n, ROLE_TRAIN);
    relu_kinks(&p, R, x0, x1, y0 - my, ROLE_MARK);
    relu_data(&p, m);
}

/* One run drawn the way it is drawn alone; `who` names it among several
 * (no_part for a single run). */
static void predictor_one(canvas *c, rect r, const run *R, fit_part who)
{
    if (panel_is_model(R, "quad1d"))
        predictor_quad(c, r, R, who);
    else if (panel_is_model(R, "diagnet"))
        predictor_diag(c, r, R, who);
    else if (panel_is_model(R, "relu1d"))
        predictor_relu(c, r, R, who);
}

/* ---- several runs ------------------------------------------------------- */

/* Per-run values for a title, "1:200 2:68 …", into parts (from *n) when
 * label and all of them fit in w cells (1 returned); else nothing (0). */
static int all_values(const canvas *c, const runset *s, const char *label,
                      char val[][32], int w, fit_part *parts, size_t *n)
{
    int need = canvas_text_cells(c, label);
    for (size_t i = 0; i < s->n; i++)
        need += 2 + canvas_text_cells(c, val[i]);
    if (need > w)
        return 0;
    parts[(*n)++] = (fit_part){{label, NULL}, FIT_KEEP, ROLE_TITLE,
                               ATTR_BOLD};
    for (size_t i = 0; i < s->n; i++)
        parts[(*n)++] = (fit_part){{val[i], NULL}, FIT_KEEP,
                                   runstyle_role(i),
                                   i == s->focus ? ATTR_BOLD : 0};
    return 1;
}

/* The strips of bars: rows of r below the title (and above `foot` rows
 * kept at the bottom) shared out, run order top down, each with its run's
 * digit (▸ for the focused run) left of it; vals(i) fills ys with run i's
 * n bars.  Returns the last strip's plot in *last (for what goes under
 * it), or 0 when a strip would get fewer than two rows. */
static int strips(canvas *c, rect r, const runset *s, int foot, axis y,
                  size_t n, void (*vals)(const run *, size_t), double level,
                  plot *last)
{
    int rows = r.h - 1 - foot, k = (int)s->n;
    if (rows < 2 * k)
        return 0;
    int lab = 3; /* "▸1 " */
    int y0 = r.y + 1;
    for (int i = 0; i < k; i++) {
        int h = rows / k + (i < rows % k ? 1 : 0);
        rect sr = {r.x + lab, y0, r.w - lab, h};
        plot p;
        plot_begin(&p, c, sr, NULL, (axis){0.0, (double)n, 0, 0}, y,
                   PLOT_NO_XLABELS | PLOT_NO_YLABELS);
        if (p.ok) {
            vals(s->r[i], n);
            plot_bars(&p, ys, n, 0.0, runstyle_role((size_t)i));
            if (isfinite(level))
                plot_hline(&p, level, ROLE_TEST);
        }
        int mid = y0 + (h - 1) / 2, focus = (size_t)i == s->focus;
        if (focus)
            canvas_text(c, r.x, mid, "▸", runstyle_role((size_t)i),
                        ATTR_BOLD, 1);
        canvas_put(c, r.x + 1, mid, runstyle_digit((size_t)i),
                   runstyle_role((size_t)i), focus ? ATTR_BOLD : 0);
        y0 += h;
        *last = p;
    }
    return 1;
}

/* Whether some run is live: the strips' shared scale is then the live
 * runs' (a frozen run's blown-up values would flatten the others; its
 * bars are cut at the top, and the legend marks it ✕). */
static int live_runs(const runset *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (!s->r[i]->diverged)
            return 1;
    return 0;
}

static void beta_of(const run *R, size_t n)
{
    size_t d = R->m.prm.d;
    for (size_t j = 0; j < n; j++)
        ys[j] = R->theta[j] * R->theta[d + j];
}

static void theta2_of(const run *R, size_t n)
{
    size_t have = R->trail_len < n ? R->trail_len : n;
    for (size_t k = 0; k < n; k++) {
        double v = k < have ? run_trail_at(R, have - 1 - k)[0] : NAN;
        ys[k] = v * v;
    }
}

/* diagnet: β of each run in its strip, β*'s support under the last. */
static int diag_multi(canvas *c, rect r, const runset *s)
{
    const run *F = s->r[s->focus];
    size_t d = F->m.prm.d, n = d < PANEL_MAX_PTS ? d : PANEL_MAX_PTS;
    const double *bs = diagnet_beta_star(&F->m);
    double lo = 0.0, hi = 0.0;
    int live = live_runs(s);
    for (size_t i = 0; i < s->n; i++) {
        if ((size_t)s->r[i]->m.prm.d != d)
            return 0; /* one x axis needs one d */
        if (live && s->r[i]->diverged)
            continue;
        beta_of(s->r[i], n);
        for (size_t j = 0; j < n; j++) {
            lo = fmin(lo, ys[j]);
            hi = fmax(hi, ys[j]);
        }
    }
    for (size_t j = 0; j < n; j++) {
        zs[j] = bs ? bs[j] : NAN;
        hi = fmax(hi, zs[j]);
    }
    if (!(hi > lo))
        hi = lo + 1.0;
    plot p;
    if (!strips(c, r, s, 1, (axis){lo, hi * 1.05, 0, 0}, n, beta_of, NAN,
                &p))
        return 0;
    char val[RUNSTYLE_MAX][32], one[64], tol_s[32], b1[16];
    for (size_t i = 0; i < s->n; i++)
        snprintf(val[i], sizeof val[i], "%c:%.0f", (char)runstyle_digit(i),
                 s->r[i]->last.ex.l0);
    /* the focused run's threshold, kept with the counts it made (short:
     * the panel's name should not give way to its spaces) */
    plot_fmt(F->sc.l0_tol, b1, sizeof b1);
    snprintf(tol_s, sizeof tol_s, "|βj|>%s", b1);
    int ascii = c->tier == GLYPH_ASCII;
    fit_part parts[RUNSTYLE_MAX + 5];
    size_t np = 0;
    parts[np++] = (fit_part){{"β = u⊙v per run", "β per run", NULL}, 6,
                             ROLE_TITLE, ATTR_BOLD};
    if (!all_values(c, s, "‖β‖₀", val,
                    r.w - 1 - 11 - 2 - canvas_text_cells(c, tol_s), parts,
                    &np)) {
        snprintf(one, sizeof one, "‖β‖₀ of %c %.0f",
                 (char)runstyle_digit(s->focus), F->last.ex.l0);
        parts[np++] = (fit_part){{one, NULL}, FIT_KEEP,
                                 runstyle_role(s->focus), ATTR_BOLD};
    }
    parts[np++] = (fit_part){{tol_s, NULL}, FIT_KEEP, ROLE_DIM, 0};
    parts[np++] = beta_star_part(bs, ascii);
    panel_title(c, r, parts, np);
    if (p.ok && bs)
        beta_star_row(c, &p, r, r.y + r.h - 1, n);
    else if (p.ok)
        beta_unknown_row(c, &p, r.y + r.h - 1, F);
    return 1;
}

/* quad1d: θ² of each run's last steps in its strip, θ*² across each. */
static int quad_multi(canvas *c, rect r, const runset *s)
{
    const run *F = s->r[s->focus];
    double ts2 = F->m.prm.theta_star * F->m.prm.theta_star;
    double top = 1.5 * ts2;
    int live = live_runs(s);
    for (size_t i = 0; i < s->n; i++) {
        if (s->r[i]->m.prm.theta_star != F->m.prm.theta_star)
            return 0; /* one θ*² line */
        if (live && s->r[i]->diverged)
            continue;
        theta2_of(s->r[i], 32);
        for (size_t k = 0; k < 32; k++)
            if (ys[k] > top)
                top = ys[k] * 1.05;
    }
    plot p;
    if (!strips(c, r, s, 0, (axis){0.0, top, 0, 0}, 32, theta2_of, ts2, &p))
        return 0;
    char star[40], b[16];
    snprintf(star, sizeof star, "θ*² = %s", plot_fmt(ts2, b, sizeof b));
    fit_part parts[] = {
        {{"Predictor θ² per run", "θ² per run", NULL}, FIT_KEEP,
         ROLE_TITLE, ATTR_BOLD},
        {{"vs", NULL}, 4, ROLE_DIM, 0},
        {{star, NULL}, FIT_KEEP, ROLE_TEST, ATTR_BOLD},
        {{"(last steps)", NULL}, 2, ROLE_DIM, 0},
    };
    panel_title(c, r, parts, sizeof parts / sizeof parts[0]);
    return 1;
}

/* relu1d: every run's h(x) overlaid in its style on the one data set,
 * the focused run on top with its kinks marked; each curve's digit right
 * of the plot at its value at the right edge, in their order. */
static int relu_multi(canvas *c, rect r, const runset *s)
{
    const run *F = s->r[s->focus];
    const model *m = &F->m;
    for (size_t i = 0; i < s->n; i++)
        if (s->r[i]->m.n != m->n ||
            memcmp(s->r[i]->m.x, m->x, m->n * sizeof *m->x) != 0 ||
            memcmp(s->r[i]->m.y, m->y, m->n * sizeof *m->y) != 0)
            return 0; /* one data set, or the circles would lie */
    double x0, x1, y0, y1, mx, my;
    relu_frame(m, &x0, &x1, &y0, &y1, &mx, &my);
    char val[RUNSTYLE_MAX][32], one[64], km[32];
    int ascii = c->tier == GLYPH_ASCII;
    for (size_t i = 0; i < s->n; i++)
        snprintf(val[i], sizeof val[i], "%c:%.0f", (char)runstyle_digit(i),
                 s->r[i]->last.ex.kinks);
    snprintf(km, sizeof km, "%s kinks of %c", ascii ? "^" : "▴",
             (char)runstyle_digit(s->focus));
    fit_part parts[RUNSTYLE_MAX + 4];
    size_t np = 0;
    parts[np++] = (fit_part){{"h(x) per run", "h(x)", NULL}, 6, ROLE_TITLE,
                             ATTR_BOLD};
    if (!all_values(c, s, "kinks", val, r.w - 1 - 14, parts, &np)) {
        snprintf(one, sizeof one, "kinks of %c %.0f",
                 (char)runstyle_digit(s->focus), F->last.ex.kinks);
        parts[np++] = (fit_part){{one, NULL}, FIT_KEEP,
                                 runstyle_role(s->focus), ATTR_BOLD};
    }
    parts[np++] = (fit_part){{km, NULL}, 3, runstyle_role(s->focus), 0};
    parts[np++] = (fit_part){{ascii ? "o data" : "○ data", NULL}, 2,
                             ROLE_TEST, ATTR_BOLD};
    rect pr = r;
    pr.w = r.w - 2; /* the end labels */
    plot p;
    plot_begin(&p, c, pr, NULL, (axis){x0 - mx, x1 + mx, 0, 0},
               (axis){y0 - my, y1 + my, 0, 0}, PLOT_TITLE_ROW);
    panel_title(c, r, parts, np);
    if (!p.ok)
        return 1;
    size_t n = panel_npts(&p, c);
    double want[RUNSTYLE_MAX];
    int row[RUNSTYLE_MAX], dy = canvas_dots_y(c);
    for (size_t k = 0; k < s->n; k++) {
        size_t i = runset_order(s, k);
        const run *R = s->r[i];
        for (size_t j = 0; j < n; j++) {
            xs[j] = x0 - mx + (x1 - x0 + 2 * mx) * (double)j / (double)(n - 1);
            ys[j] = R->m.ops->predict(&R->m, R->theta, &xs[j]);
        }
        plot_line_dash(&p, xs, ys, n, runstyle_role(i),
                       runstyle_dash(i, c->tier));
        double py = plot_py(&p, ys[n - 1]);
        want[i] = isfinite(py)
                      ? p.area.y + (double)((int)floor(py + 0.5) / dy)
                      : NAN;
    }
    relu_kinks(&p, F, x0, x1, y0 - my, runstyle_role(s->focus));
    relu_data(&p, m);
    runstyle_place(want, s->n, p.area.y, p.area.y + p.area.h - 1, row);
    for (size_t i = 0; i < s->n; i++)
        if (row[i] >= 0)
            canvas_put(c, r.x + r.w - 1, row[i], runstyle_digit(i),
                       runstyle_role(i), i == s->focus ? ATTR_BOLD : 0);
    return 1;
}

void panel_predictor(canvas *c, rect r, const app *a)
{
    runset s;
    runset_from_app(&s, a);
    if (!s.multi) {
        predictor_one(c, r, a->r, no_part);
        return;
    }
    const run *F = s.r[s.focus];
    if (s.n <= PANEL_PREDICTOR_MAX_RUNS && runset_one_model(&s)) {
        int done = panel_is_model(F, "quad1d")    ? quad_multi(c, r, &s)
                   : panel_is_model(F, "diagnet") ? diag_multi(c, r, &s)
                   : panel_is_model(F, "relu1d")  ? relu_multi(c, r, &s)
                                                  : 0;
        if (done)
            return;
    }
    /* the focused run alone, and the title says so */
    char who[64], who_m[48], who_s[24];
    snprintf(who, sizeof who, "of %c %s (focused; %zu runs)",
             (char)runstyle_digit(s.focus), s.name[s.focus], s.n);
    snprintf(who_m, sizeof who_m, "of %c (focused; %zu runs)",
             (char)runstyle_digit(s.focus), s.n);
    snprintf(who_s, sizeof who_s, "of %c",
             (char)runstyle_digit(s.focus));
    /* above FIT_KEEP: the panel's name shortens before this does */
    predictor_one(c, r, F,
                  (fit_part){{who, who_m, who_s, NULL}, FIT_KEEP + 1,
                             runstyle_role(s.focus), ATTR_BOLD});
}

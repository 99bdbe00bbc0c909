/* panel_loss.c — train and test loss over the whole run, the band, the
 * η-change markers and the sharpness strip; see panel_loss.h. */
#include "panel_loss.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "panel_kit.h"
#include "runstyle.h"

/* ---- the ghost: a saved run's losses ------------------------------------ */

/* The ghost's train (which 0) or test (1) values, NULL if none. */
static const double *ghost_vals(const ghost *g, int which)
{
    return g->n == 0 ? NULL : which ? g->test : g->train;
}

/* Widens a log axis's range by the ghost's values up to step `until`: it
 * is drawn alongside the live runs only as far as they have come (a
 * ghost racer), so the axis stays the live run's whole length. */
static void ghost_range(const ghost *g, int which, uint64_t until,
                        double *minpos, double *max, int *nonpos)
{
    const double *v = ghost_vals(g, which);
    for (size_t i = 0; v && i < g->n && g->step[i] <= until; i++) {
        if (isnan(v[i]))
            continue;
        if (isfinite(v[i]))
            *max = fmax(*max, v[i]);
        if (v[i] > 0)
            *minpos = fmin(*minpos, v[i]);
        else
            *nonpos = 1;
    }
}

/* The ghost's curve, grey and sparsely dashed, before any live run. */
static void ghost_draw(plot *p, const ghost *g, int which, uint64_t until,
                       int xlog)
{
    const double *v = ghost_vals(g, which);
    if (!v)
        return;
    panel_series s = panel_series_samples(g->step, v, g->n, until, xlog);
    panel_series_draw(p, &s, ROLE_DIM, p->c->tier == GLYPH_ASCII
                                           ? 0xFFu
                                           : RUNSTYLE_GHOST_DASH);
}

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
                        axis y, const char *label, const char *label_s,
                        int role)
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
        /* one run's λmax among several: its name stays */
        {{label, label_s, NULL}, label_s ? FIT_KEEP : 2,
         label_s ? role : ROLE_TITLE, ATTR_BOLD},
        {{lam, NULL}, FIT_KEEP, role, ATTR_BOLD},
        {{"vs", NULL}, 1, ROLE_DIM, 0},
        {{line, NULL}, FIT_KEEP, ROLE_MARK, ATTR_BOLD},
        {{gd ? "(GD stability line)" : "(full-batch GD stability line)",
          gd ? "(stability line)" : "(full-batch line)",
          gd ? "(stability)" : "(full-batch)", NULL},
         3, ROLE_MARK, 0},
    };
    plot p;
    plot_begin_gutter(&p, c, r, NULL, x, y, PLOT_TITLE_ROW, gutter);
    panel_title(c, r, parts, sizeof parts / sizeof parts[0]);
    if (!p.ok)
        return;
    panel_series s = panel_series_of(&R->h_eta, a->xlog, two_over);
    if (c->tier == GLYPH_ASCII) {
        /* one dot per cell: ROLE_MARK's '|' would draw a fence, so the
         * level line is spelt with '-' as plot_hline does */
        for (size_t i = 0; i < s.n; i++) {
            plot_glyph(&p, s.x0[i], s.hi[i], '-', ROLE_MARK, 0);
            plot_glyph(&p, s.x1[i], s.hi[i], '-', ROLE_MARK, 0);
        }
    } else {
        panel_series_draw(&p, &s, ROLE_MARK, 0xFF);
    }
    s = panel_series_of(&R->h_sharp, a->xlog, NULL);
    panel_series_draw(&p, &s, role, 0xFF);
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
        return panel_log_axis(lo, hi, 0);
    /* a round top, so a strip two rows high still gets a tick there */
    double top = panel_nice_ceil(hi * 1.05);
    double e = pow(10.0, floor(log10(top)));
    return (axis){0.0, top / e > 7 ? 10 * e : top / e > 5 ? 7 * e
                     : top / e > 2 ? 5 * e : top / e > 1 ? 2 * e : top,
                  0, 0};
}

static void loss_single(canvas *c, rect r, const app *a)
{
    const run *R = a->r;
    const run_metrics *mt = &R->last;
    char tr[40], te[40], band[64], band_s[48], b1[16], b2[16];
    char gname[GHOST_LABEL_MAX + 16];
    snprintf(gname, sizeof gname, "ghost %s", a->ghost.label);
    snprintf(tr, sizeof tr, "train %s", panel_fmt_loss(mt->train_loss, b1,
                                                 sizeof b1));
    snprintf(te, sizeof te, "test %s", panel_fmt_loss(mt->test_loss, b1,
                                                sizeof b1));
    panel_fmt_loss(mt->band_lo, b1, sizeof b1);
    panel_fmt_loss(mt->band_hi, b2, sizeof b2);
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
        {{a->ghost.n ? gname : NULL, "ghost", NULL}, 5, ROLE_DIM, 0},
    };
    uint64_t tmax = R->t > 0 ? R->t : 1;
    /* y: every value of both curves, with an honest floor */
    double minpos = INFINITY, max = -INFINITY;
    int nonpos = 0;
    panel_pos_range(&R->h_train, &minpos, &max, &nonpos);
    panel_pos_range(&R->h_test, &minpos, &max, &nonpos);
    ghost_range(&a->ghost, 0, tmax, &minpos, &max, &nonpos);
    ghost_range(&a->ghost, 1, tmax, &minpos, &max, &nonpos);
    axis y = panel_log_axis(minpos, max, nonpos);
    axis x = {panel_xval(a->xlog, 0), panel_xval(a->xlog, tmax), a->xlog, 0};
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
    panel_title(c, lr, parts, sizeof parts / sizeof parts[0]);
    if (srows)
        sharp_strip(c, sr, a, x, gutter, sy, "Sharpness", NULL, ROLE_TRAIN);
    if (!p.ok)
        return;
    /* the band: quantiles over the trailing window, half-toned so it reads
     * apart from the curve */
    uint64_t every = R->sc.every ? R->sc.every : 1;
    uint64_t wsteps = (uint64_t)R->band_len * every;
    uint64_t w0 = R->t > wsteps ? R->t - wsteps : 0;
    if (isfinite(mt->band_lo) && isfinite(mt->band_hi))
        plot_shade(&p, panel_xval(a->xlog, w0), panel_xval(a->xlog, R->t),
                   mt->band_lo, mt->band_hi, ROLE_BAND);
    /* η changes: scheduled decays, the warmup's end, logged events */
    const schedule *s = &R->sched;
    for (size_t i = 0; i < s->cfg.ndecays; i++)
        if (s->decay_step[i] <= R->t)
            plot_vline(&p, panel_xval(a->xlog, s->decay_step[i]), ROLE_MARK);
    if (s->cfg.has_warmup && s->warm_end <= R->t)
        plot_vline(&p, panel_xval(a->xlog, s->warm_end), ROLE_MARK);
    for (size_t i = 0; i < s->nlog; i++)
        if (s->log[i].step <= R->t)
            plot_vline(&p, panel_xval(a->xlog, s->log[i].step), ROLE_MARK);
    /* a saved run, faint, behind the live one */
    ghost_draw(&p, &a->ghost, 0, tmax, a->xlog);
    ghost_draw(&p, &a->ghost, 1, tmax, a->xlog);
    panel_series ser = panel_series_of(&R->h_test, a->xlog, NULL);
    panel_series_draw(&p, &ser, ROLE_TEST, 0xFF);
    ser = panel_series_of(&R->h_train, a->xlog, NULL);
    panel_series_draw(&p, &ser, ROLE_TRAIN, 0xFF);
}


/* ---- several runs ------------------------------------------------------- */

/* Columns kept right of a multi-run plot for the curves' end labels: a
 * blank and the digit. */
#define END_COLS 2

static const history *loss_hist(const run *R, int which)
{
    return which ? &R->h_test : &R->h_train;
}

/* The value a run's curve ends on: its newest sample (NaN if none). */
static double loss_end(const run *R, int which)
{
    const history *h = loss_hist(R, which);
    return h->len ? history_at(h, h->len - 1)->last : NAN;
}

/* Whether any run has a test loss of its own to draw: an online model
 * (quad1d, n = 0) trains on the population loss, so its test curve is
 * its train curve, and a second plot would repeat the first. */
static int any_test(const runset *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (isfinite(s->r[i]->last.test_loss) && s->r[i]->m.n > 0)
            return 1;
    return 0;
}

/* The y axis of one loss (which: 0 train, 1 test) over every run and the
 * ghost, with an honest floor. */
static axis multi_axis(const runset *s, const ghost *g, int which,
                       uint64_t tmax)
{
    double minpos = INFINITY, max = -INFINITY;
    int nonpos = 0;
    for (size_t i = 0; i < s->n; i++)
        panel_pos_range(loss_hist(s->r[i], which), &minpos, &max, &nonpos);
    ghost_range(g, which, tmax, &minpos, &max, &nonpos);
    return panel_log_axis(minpos, max, nonpos);
}

/* The title of an overlay plot: "Train loss" and every run's last value,
 * "1:3e-32  2:1e-12 …" in the runs' colours, when all fit; else only the
 * focused run's, named.  Never a subset: a reader would take the values
 * shown for all of them. */
static void multi_title(canvas *c, rect r, const runset *s, int which)
{
    static char val[RUNSTYLE_MAX][40];
    char b[16], one[64], one_s[40];
    fit_part parts[RUNSTYLE_MAX + 1];
    const char *label = which ? "Test loss" : "Train loss";
    const char *label_s = which ? "Test" : "Train";
    int w = canvas_text_cells(c, label_s);
    for (size_t i = 0; i < s->n; i++) {
        snprintf(val[i], sizeof val[i], "%c:%s",
                 (char)runstyle_digit(i),
                 panel_fmt_loss(which ? s->r[i]->last.test_loss
                                      : s->r[i]->last.train_loss,
                                b, sizeof b));
        w += 2 + canvas_text_cells(c, val[i]);
    }
    size_t n = 0;
    parts[n++] = (fit_part){{label, label_s, NULL}, FIT_KEEP, ROLE_TITLE,
                            ATTR_BOLD};
    if (w <= r.w - 1) {
        for (size_t i = 0; i < s->n; i++)
            parts[n++] = (fit_part){{val[i], NULL}, FIT_KEEP,
                                    runstyle_role(i),
                                    i == s->focus ? ATTR_BOLD : 0};
    } else {
        size_t f = s->focus;
        const run *R = s->r[f];
        panel_fmt_loss(which ? R->last.test_loss : R->last.train_loss, b,
                       sizeof b);
        snprintf(one, sizeof one, "%c %s %s", (char)runstyle_digit(f),
                 s->name[f], b);
        snprintf(one_s, sizeof one_s, "%c:%s", (char)runstyle_digit(f), b);
        parts[n++] = (fit_part){{one, one_s, NULL}, FIT_KEEP,
                                runstyle_role(f), ATTR_BOLD};
    }
    panel_title(c, r, parts, n);
}

/* The cell column of data x in p's area, or −1 outside it. */
static int cell_col(const plot *p, double x)
{
    double px = plot_px(p, x);
    int dx = canvas_dots_x(p->c), w = p->area.w * dx;
    if (!(isfinite(px) && px >= -0.5 && px < w - 0.5))
        return -1;
    return p->area.x + (int)floor(px + 0.5) / dx;
}

/* Run i's η changes (scheduled decays, the warmup's end, logged events)
 * as markers in its colour, dotted so they never read as curves; with
 * `digits` (after the curves, which would wipe them), its digit on the
 * marker's top row says whose it is. */
static void multi_marks(plot *p, const runset *s, int xlog, int digits)
{
    for (size_t k = 0; k < s->n; k++) {
        size_t i = runset_order(s, k);
        const run *R = s->r[i];
        const schedule *sc = &R->sched;
        int role = runstyle_role(i);
        uint64_t at[64];
        size_t n = 0;
        for (size_t j = 0; j < sc->cfg.ndecays && n < 64; j++)
            if (sc->decay_step[j] <= R->t)
                at[n++] = sc->decay_step[j];
        if (sc->cfg.has_warmup && sc->warm_end <= R->t && n < 64)
            at[n++] = sc->warm_end;
        for (size_t j = 0; j < sc->nlog && n < 64; j++)
            if (sc->log[j].step <= R->t)
                at[n++] = sc->log[j].step;
        for (size_t j = 0; j < n; j++) {
            double x = panel_xval(xlog, at[j]);
            int col = cell_col(p, x);
            if (col < 0)
                continue;
            if (digits)
                canvas_put(p->c, col, p->area.y, runstyle_digit(i), role,
                           ATTR_BOLD);
            else if (p->c->tier == GLYPH_ASCII)
                /* a run's dots are its digit in ASCII: a column of them
                 * would read as its curve, so the marker is ':' */
                for (int y = 0; y < p->area.h; y += 2)
                    canvas_put(p->c, col, p->area.y + y, ':', role, 0);
            else
                plot_vline_dash(p, x, role, RUNSTYLE_MARK_DASH);
        }
    }
}

/* Every run's curve of one loss in its style, the focused run on top; a
 * frozen run's curve ends in its ✕; then the end labels: each run's digit
 * right of the plot at its curve's last value, in the order of those
 * values (runstyle_place), so the ranking reads without numbers. */
static void multi_curves(plot *p, const runset *s, int which, int xlog,
                         int label_x)
{
    canvas *c = p->c;
    int ascii = c->tier == GLYPH_ASCII;
    for (size_t k = 0; k < s->n; k++) {
        size_t i = runset_order(s, k);
        panel_series ser = panel_series_of(loss_hist(s->r[i], which), xlog,
                                           NULL);
        panel_series_draw(p, &ser, runstyle_role(i),
                          runstyle_dash(i, c->tier));
    }
    double want[RUNSTYLE_MAX];
    int row[RUNSTYLE_MAX];
    int dy = canvas_dots_y(c);
    for (size_t i = 0; i < s->n; i++) {
        const run *R = s->r[i];
        double v = loss_end(R, which), py = plot_py(p, v);
        /* values in one cell (or on the floor) keep their order: the
         * runs with higher values come first */
        int above = 0;
        for (size_t j = 0; j < s->n; j++)
            above += loss_end(s->r[j], which) > v;
        want[i] = isfinite(py)
                      ? p->area.y + (double)((int)floor(py + 0.5) / dy) +
                            1e-6 * above
                      : NAN;
        if (R->diverged && isfinite(v))
            plot_glyph(p, panel_xval(xlog, R->diverged_at), v,
                       ascii ? 'X' : 0x2715, runstyle_role(i), ATTR_BOLD);
    }
    runstyle_place(want, s->n, p->area.y, p->area.y + p->area.h - 1, row);
    for (size_t i = 0; i < s->n; i++)
        if (row[i] >= 0)
            canvas_put(c, label_x, row[i], runstyle_digit(i),
                       runstyle_role(i), i == s->focus ? ATTR_BOLD : 0);
}

static void loss_multi(canvas *c, rect r, const app *a, const runset *s)
{
    uint64_t tmax = 1;
    for (size_t i = 0; i < s->n; i++)
        if (s->r[i]->t > tmax)
            tmax = s->r[i]->t;
    axis x = {panel_xval(a->xlog, 0), panel_xval(a->xlog, tmax), a->xlog, 0};
    /* Rows: the train plot, the test plot (the paper's Fig. 2 has both,
     * and a test loss is what the comparison is about) when there are
     * ten rows for the two, and the focused run's sharpness strip below
     * from twenty. */
    int H = r.h, sh = 0, te = 0;
    if (H >= 20) {
        sh = H / 4 < 5 ? 5 : H / 4 > 10 ? 10 : H / 4;
    }
    int rest = H - sh;
    if (any_test(s) && rest >= 10)
        te = rest / 2;
    int tr = rest - te;
    rect pr = r;
    pr.w = r.w - END_COLS; /* the end labels' columns */
    rect trr = pr, ter = pr, shr = r;
    trr.h = tr;
    ter.y = r.y + tr;
    ter.h = te;
    shr.y = r.y + tr + te;
    shr.h = sh;
    axis ytr = multi_axis(s, &a->ghost, 0, tmax);
    axis yte = te ? multi_axis(s, &a->ghost, 1, tmax) : ytr;
    axis ysh = sh ? sharp_axis(a->r) : ytr;
    int ftr = PLOT_TITLE_ROW | (te || sh ? PLOT_NO_XLABELS : 0);
    int fte = PLOT_TITLE_ROW | (sh ? PLOT_NO_XLABELS : 0);
    /* one gutter for all three, so a column is one step in each */
    int gutter = plot_gutter(c, trr, ytr, ftr), g;
    if (te && (g = plot_gutter(c, ter, yte, fte)) > gutter)
        gutter = g;
    if (sh && (g = plot_gutter(c, shr, ysh, PLOT_TITLE_ROW)) > gutter)
        gutter = g;
    int label_x = r.x + r.w - 1;
    plot p;
    plot_begin_gutter(&p, c, trr, NULL, x, ytr, ftr, gutter);
    multi_title(c, trr, s, 0);
    if (p.ok) {
        multi_marks(&p, s, a->xlog, 0);
        ghost_draw(&p, &a->ghost, 0, tmax, a->xlog);
        multi_curves(&p, s, 0, a->xlog, label_x);
        multi_marks(&p, s, a->xlog, 1);
    }
    if (te) {
        plot_begin_gutter(&p, c, ter, NULL, x, yte, fte, gutter);
        multi_title(c, ter, s, 1);
        if (p.ok) {
            multi_marks(&p, s, a->xlog, 0);
            ghost_draw(&p, &a->ghost, 1, tmax, a->xlog);
            multi_curves(&p, s, 1, a->xlog, label_x);
        }
    }
    if (sh) {
        /* the focused run's, named: λmax and 2/η are one run's */
        char who[48], who_s[24];
        snprintf(who, sizeof who, "Sharpness of %c %s",
                 (char)runstyle_digit(s->focus), s->name[s->focus]);
        snprintf(who_s, sizeof who_s, "Sharpness of %c",
                 (char)runstyle_digit(s->focus));
        shr.w = pr.w;
        sharp_strip(c, shr, a, x, gutter, ysh, who, who_s,
                    runstyle_role(s->focus));
    }
}

void panel_loss(canvas *c, rect r, const app *a)
{
    runset s;
    runset_from_app(&s, a);
    if (s.multi)
        loss_multi(c, r, a, &s);
    else
        loss_single(c, r, a);
}

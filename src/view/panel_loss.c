/* panel_loss.c — train and test loss over the whole run, the band, the
 * η-change markers and the sharpness strip; see panel_loss.h. */
#include "panel_loss.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "panel_kit.h"


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
    panel_series_draw(&p, &s, ROLE_TRAIN, 0xFF);
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

void panel_loss(canvas *c, rect r, const app *a)
{
    const run *R = a->r;
    const run_metrics *mt = &R->last;
    char tr[40], te[40], band[64], band_s[48], b1[16], b2[16];
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
    };
    /* y: every value of both curves, with an honest floor */
    double minpos = INFINITY, max = -INFINITY;
    int nonpos = 0;
    panel_pos_range(&R->h_train, &minpos, &max, &nonpos);
    panel_pos_range(&R->h_test, &minpos, &max, &nonpos);
    axis y = panel_log_axis(minpos, max, nonpos);
    axis x = {panel_xval(a->xlog, 0), panel_xval(a->xlog, R->t > 0 ? R->t : 1), a->xlog,
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
    panel_title(c, lr, parts, sizeof parts / sizeof parts[0]);
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
        plot_shade(&p, panel_xval(a->xlog, w0), panel_xval(a->xlog, R->t), mt->band_lo,
                   mt->band_hi, ROLE_BAND);
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
    panel_series ser = panel_series_of(&R->h_test, a->xlog, NULL);
    panel_series_draw(&p, &ser, ROLE_TEST, 0xFF);
    ser = panel_series_of(&R->h_train, a->xlog, NULL);
    panel_series_draw(&p, &ser, ROLE_TRAIN, 0xFF);
}


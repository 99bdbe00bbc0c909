/* pic_curve.c — relu1d's picture: h(x) over the 1-D inputs with the
 * data points and the kinks the metric counts; several runs' curves
 * overlay in their styles on the one data set.  See pic.h. */
#include "pic.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "metrics.h"
#include "panel_kit.h"

static double xs[PANEL_MAX_PTS], ys[PANEL_MAX_PTS];

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

void pic_curve_draw(canvas *c, rect r, const run *R, fit_part who)
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

/* relu1d: every run's h(x) overlaid in its style on the one data set,
 * the focused run on top with its kinks marked; each curve's digit right
 * of the plot at its value at the right edge, in their order. */
int pic_curve_compare(canvas *c, rect r, const runset *s)
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
    if (!pic_all_values(c, s, "kinks", val, r.w - 1 - 14, parts, &np)) {
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


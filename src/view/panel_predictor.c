/* panel_predictor.c — the model's picture of its predictor against the
 * target; see panel_predictor.h. */
#include "panel_predictor.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "metrics.h"
#include "model_registry.h"
#include "panel_kit.h"

static double xs[PANEL_MAX_PTS], ys[PANEL_MAX_PTS], zs[PANEL_MAX_PTS];


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
    panel_title(c, r, parts, sizeof parts / sizeof parts[0]);
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
    panel_title(c, r, parts, sizeof parts / sizeof parts[0]);
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
    panel_title(c, r, parts, sizeof parts / sizeof parts[0]);
    if (!p.ok)
        return;
    size_t n = panel_npts(&p, c);
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
    if (panel_is_model(a->r, "quad1d"))
        predictor_quad(c, r, a);
    else if (panel_is_model(a->r, "diagnet"))
        predictor_diag(c, r, a);
    else if (panel_is_model(a->r, "relu1d"))
        predictor_relu(c, r, a);
}


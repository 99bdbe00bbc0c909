/* panel_spectrum.c — the NTK spectrum σk/σ1 and the rank threshold; see
 * panel_spectrum.h. */
#include "panel_spectrum.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "panel_kit.h"
#include "runstyle.h"

static double xs[PANEL_MAX_PTS], ys[PANEL_MAX_PTS];


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

static void spectrum_single(canvas *c, rect r, const app *a)
{
    const run *R = a->r;
    const run_metrics *mt = &R->last;
    char rank[40], tau[32], tau_s[32], b1[16], rank1[96], rank2[80],
        rank3[64];
    snprintf(rank, sizeof rank, "rank %zu/%zu", mt->rank, mt->nsv);
    plot_fmt(R->sc.rank_tol, b1, sizeof b1);
    snprintf(tau, sizeof tau, "(τ = %s)", b1);
    snprintf(tau_s, sizeof tau_s, "τ=%s", b1);
    /* a rank means nothing without its threshold: both are kept */
    fit_part parts[] = {
        {{"NTK spectrum σk/σ1", "NTK σk/σ1", "NTK", NULL}, 4, ROLE_TRAIN,
         ATTR_BOLD},
        {{rank, NULL}, FIT_KEEP, ROLE_TITLE, ATTR_BOLD},
        {{tau, tau_s, NULL}, FIT_KEEP, ROLE_MARK, 0},
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
    size_t n = mt->nsv < PANEL_MAX_PTS ? mt->nsv : PANEL_MAX_PTS;
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
    panel_title(c, r, parts, sizeof parts / sizeof parts[0]);
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
    while (nb < 24 && nb < PANEL_MAX_PTS)
        ys[nb++] = lo;
    plot_bars(&p, ys, nb, lo, ROLE_TRAIN);
    plot_hline(&p, R->sc.rank_tol, ROLE_MARK);
}

/* ---- several runs ------------------------------------------------------- */

/* The title: every run's rank ("rank 1:116 2:109 3:200 of 200"), in the
 * runs' colours, when all fit; else the focused run's, named.  The
 * threshold τ (the focused run's: the line drawn), always. */
static void multi_title(canvas *c, rect r, const runset *s)
{
    static char rk[RUNSTYLE_MAX][40];
    char of[32], tau_s[32], b[16], one[96], one_s[48], probes[64];
    const run *F = s->r[s->focus];
    int same = 1, capped = 0;
    for (size_t i = 0; i < s->n; i++) {
        same &= s->r[i]->last.nsv == F->last.nsv;
        capped |= s->r[i]->m.n_probe < s->r[i]->m.p;
    }
    for (size_t i = 0; i < s->n; i++) {
        const run_metrics *mt = &s->r[i]->last;
        if (same)
            snprintf(rk[i], sizeof rk[i], "%c:%zu",
                     (char)runstyle_digit(i), mt->rank);
        else
            snprintf(rk[i], sizeof rk[i], "%c:%zu/%zu",
                     (char)runstyle_digit(i), mt->rank, mt->nsv);
    }
    snprintf(of, sizeof of, "of %zu", F->last.nsv);
    /* short: a kept part only shortens once the title is gone */
    snprintf(tau_s, sizeof tau_s, "τ=%s",
             plot_fmt(F->sc.rank_tol, b, sizeof b));
    snprintf(probes, sizeof probes, "on %zu of %zu probes", F->m.n_probe,
             F->m.p);
    fit_part parts[RUNSTYLE_MAX + 6];
    size_t n = 0;
    parts[n++] = (fit_part){{"NTK spectrum σk/σ1", "NTK σk/σ1", "NTK", NULL},
                            4, ROLE_TITLE, ATTR_BOLD};
    int w = canvas_text_cells(c, "NTK") + 2 + canvas_text_cells(c, "rank") +
            1 + canvas_text_cells(c, tau_s);
    for (size_t i = 0; i < s->n; i++)
        w += 1 + canvas_text_cells(c, rk[i]);
    if (same)
        w += 1 + canvas_text_cells(c, of);
    if (w <= r.w - 1) {
        parts[n++] = (fit_part){{"rank", NULL}, FIT_KEEP, ROLE_TITLE,
                                ATTR_BOLD};
        for (size_t i = 0; i < s->n; i++)
            parts[n++] = (fit_part){{rk[i], NULL}, FIT_KEEP,
                                    runstyle_role(i),
                                    i == s->focus ? ATTR_BOLD : 0};
        if (same)
            parts[n++] = (fit_part){{of, NULL}, FIT_KEEP, ROLE_TITLE, 0};
    } else {
        size_t f = s->focus;
        snprintf(one, sizeof one, "%c %s rank %zu/%zu",
                 (char)runstyle_digit(f), s->name[f], F->last.rank,
                 F->last.nsv);
        snprintf(one_s, sizeof one_s, "%c rank %zu/%zu",
                 (char)runstyle_digit(f), F->last.rank, F->last.nsv);
        parts[n++] = (fit_part){{one, one_s, NULL}, FIT_KEEP,
                                runstyle_role(f), ATTR_BOLD};
    }
    if (capped)
        parts[n++] = (fit_part){{probes, NULL}, 5, ROLE_TITLE, 0};
    parts[n++] = (fit_part){{tau_s, NULL}, FIT_KEEP, ROLE_MARK, 0};
    /* fit_draw's single spaces between the ranks read as one list */
    fit_draw(c, r.x, r.y, r.w - 1, parts, n, " ");
}

/* Every run's σk/σ1 as a line in its style, the focused run on top, on
 * one log axis whose floor is the highest of the runs' rounding floors
 * (below it, noise: drawn on it).  Under the plot, a row holds each
 * run's digit at its rank, the index where its line falls below τ, in
 * order: which run keeps more directions reads without numbers. */
static void spectrum_multi(canvas *c, rect r, const app *a, const runset *s)
{
    size_t nmax = 1;
    double fl = 0.0, lo = INFINITY;
    for (size_t i = 0; i < s->n; i++) {
        const run *R = s->r[i];
        size_t n = R->last.nsv < PANEL_MAX_PTS ? R->last.nsv : PANEL_MAX_PTS;
        nmax = n > nmax ? n : nmax;
        fl = fmax(fl, panel_sv_floor(R->last.nsv, R->m.p));
        lo = fmin(lo, R->sc.rank_tol / 100.0);
    }
    for (size_t i = 0; i < s->n; i++) {
        const run *R = s->r[i];
        size_t n = R->last.nsv < PANEL_MAX_PTS ? R->last.nsv : PANEL_MAX_PTS;
        for (size_t k = 0; k < n && R->sv[0] > 0.0; k++) {
            double v = R->sv[k] / R->sv[0];
            if (v > fl && v < lo)
                lo = v;
        }
    }
    lo = pow(10.0, floor(log10(lo) + 1e-9));
    if (!(lo > fl))
        lo = fl;
    int below = 0;
    for (size_t i = 0; i < s->n; i++) {
        const run *R = s->r[i];
        size_t n = R->last.nsv < PANEL_MAX_PTS ? R->last.nsv : PANEL_MAX_PTS;
        for (size_t k = 0; k < n; k++)
            below |= !(R->sv[k] > lo * R->sv[0]);
    }
    const run *F = s->r[s->focus];
    rect pr = r;
    pr.h = r.h - 1; /* the last row holds the ranks */
    plot p;
    /* as the single run's bars, a short spectrum keeps modest widths */
    plot_begin(&p, c, pr, NULL,
               (axis){0.0, (double)(nmax < 24 ? 24 : nmax), 0, 0},
               (axis){lo, 1.0, 1, below}, PLOT_NO_XLABELS | PLOT_TITLE_ROW);
    multi_title(c, r, s);
    if (!p.ok)
        return;
    plot_hline(&p, F->sc.rank_tol, ROLE_MARK);
    for (size_t k = 0; k < s->n; k++) {
        size_t i = runset_order(s, k);
        const run *R = s->r[i];
        size_t n = R->last.nsv < PANEL_MAX_PTS ? R->last.nsv : PANEL_MAX_PTS;
        for (size_t j = 0; j < n; j++) {
            xs[j] = (double)j + 0.5;
            ys[j] = R->sv[0] > 0.0 ? fmax(R->sv[j] / R->sv[0], lo) : NAN;
        }
        plot_line_dash(&p, xs, ys, n, runstyle_role(i),
                       runstyle_dash(i, c->tier));
    }
    int row = p.area.y + p.area.h, dx = canvas_dots_x(c);
    double want[RUNSTYLE_MAX];
    int col[RUNSTYLE_MAX];
    for (size_t i = 0; i < s->n; i++) {
        double px = plot_px(&p, (double)s->r[i]->last.rank);
        want[i] = isfinite(px)
                      ? p.area.x + (double)((int)floor(px + 0.5) / dx)
                      : NAN;
    }
    runstyle_place(want, s->n, p.area.x, p.area.x + p.area.w - 1, col);
    const char *lab = "rank";
    int lw = canvas_text_cells(c, lab);
    if (p.area.x - 1 - lw >= r.x)
        canvas_text(c, p.area.x - 1 - lw, row, lab, ROLE_DIM, 0, -1);
    for (size_t i = 0; i < s->n; i++)
        if (col[i] >= 0)
            canvas_put(c, col[i], row, runstyle_digit(i), runstyle_role(i),
                       i == s->focus ? ATTR_BOLD : 0);
}

void panel_spectrum(canvas *c, rect r, const app *a)
{
    runset s;
    runset_from_app(&s, a);
    if (s.multi)
        spectrum_multi(c, r, a, &s);
    else
        spectrum_single(c, r, a);
}

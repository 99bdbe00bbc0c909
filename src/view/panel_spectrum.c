/* panel_spectrum.c — the NTK spectrum σk/σ1 and the rank threshold; see
 * panel_spectrum.h. */
#include "panel_spectrum.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "panel_kit.h"

static double ys[PANEL_MAX_PTS];


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

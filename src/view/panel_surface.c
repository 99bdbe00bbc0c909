/* panel_surface.c — the loss surface with the runs' paths; see
 * panel_surface.h.
 *
 * The grid is the session's (computed once per plane, surface.h); a frame
 * only reads it: one interpolated loss per cell of the heat map, the
 * paths the runs recorded, one projection per run for its iterate.  So a
 * frame costs O(cells + path points + runs·p) and never evaluates the
 * model. */
#include "panel_surface.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "panel_kit.h"
#include "runstyle.h"
#include "surface.h"

static double xs[SURFACE_PATH_CAP + 1], ys[SURFACE_PATH_CAP + 1];

int panel_surface_shown(const app *a)
{
    return a->ses && a->ses->surf && !a->valley;
}

/* The colour scale: log10 of the loss from *lo to *hi (the grid's top, at
 * most PANEL_SURFACE_DECADES decades deep). */
static void scale(const surface *s, double *lo, double *hi)
{
    *hi = log10(s->lmax > 0 ? s->lmax : 1);
    *lo = log10(s->lmin > 0 ? s->lmin : s->lmax);
    if (*lo < *hi - PANEL_SURFACE_DECADES)
        *lo = *hi - PANEL_SURFACE_DECADES;
    if (!(*lo < *hi))
        *lo = *hi - 1;
}

static int level_of(double lg, double lo, double hi)
{
    if (!isfinite(lg))
        return 0;
    int k = (int)floor((lg - lo) / (hi - lo) * PANEL_SURFACE_LEVELS);
    return k < 0 ? 0 : k >= PANEL_SURFACE_LEVELS ? PANEL_SURFACE_LEVELS - 1
                                                 : k;
}

/* One shaded character per cell of the data area: the lowest loss of
 * HEAT_SUB × HEAT_SUB points across the cell, so a valley narrower than
 * a cell still draws its floor as a line of low shades. */
#define HEAT_SUB 3
static void heat(plot *p, const surface *s, double lo, double hi)
{
    rect ar = p->area;
    double dx = (p->x.hi - p->x.lo) / ar.w, dy = (p->y.hi - p->y.lo) / ar.h;
    for (int cy = 0; cy < ar.h; cy++) {
        for (int cx = 0; cx < ar.w; cx++) {
            double m = INFINITY;
            for (int sy = 0; sy < HEAT_SUB; sy++)
                for (int sx = 0; sx < HEAT_SUB; sx++) {
                    double a = p->x.lo + (cx + (sx + 0.5) / HEAT_SUB) * dx;
                    double b = p->y.hi - (cy + (sy + 0.5) / HEAT_SUB) * dy;
                    double v = surface_lg_at(s, a, b);
                    if (v < m)
                        m = v;
                }
            int k = level_of(m, lo, hi);
            if (k > 0)
                canvas_put(p->c, ar.x + cx, ar.y + cy,
                           (uint32_t)PANEL_SURFACE_RAMP[k], ROLE_HEAT1 + k - 1,
                           0);
        }
    }
}

/* The bottom row: the axes' names on the left, the colour scale with the
 * losses at its ends on the right. */
static void legend(canvas *c, rect r, const surface *s, double lo, double hi)
{
    char l[16], h[16], scale_txt[48];
    plot_fmt(pow(10.0, lo), l, sizeof l);
    plot_fmt(pow(10.0, hi), h, sizeof h);
    int ramp = PANEL_SURFACE_LEVELS;
    snprintf(scale_txt, sizeof scale_txt, "L %s", l);
    int w = canvas_text_cells(c, scale_txt) + 1 + ramp + 1 +
            canvas_text_cells(c, h);
    int x = r.x + r.w - 1 - w;
    if (x < r.x)
        return;
    int y = r.y + r.h - 1;
    x += canvas_text(c, x, y, scale_txt, ROLE_DIM, 0, -1) + 1;
    /* the ramp on a reversed cell where it is blank, so its low end
     * shows where it starts */
    for (int k = 0; k < ramp; k++)
        canvas_put(c, x + k, y, (uint32_t)PANEL_SURFACE_RAMP[k],
                   k ? ROLE_HEAT1 + k - 1 : ROLE_DIM, k ? 0 : ATTR_REVERSE);
    x += ramp + 1;
    canvas_text(c, x, y, h, ROLE_DIM, 0, -1);
    char ax[96], ax_s[48];
    snprintf(ax, sizeof ax, "x: %s  y: %s", s->xlabel, s->ylabel);
    snprintf(ax_s, sizeof ax_s, "x %.2s y %.2s", s->xlabel, s->ylabel);
    fit_part parts[] = {{{ax, ax_s, NULL}, 1, ROLE_DIM, 0}};
    fit_draw(c, r.x, y, r.x + r.w - 1 - w - 1 - r.x, parts, 1, "  ");
}

/* Run R's path and the point it stands at now, in xs/ys; returns the
 * count. */
static size_t path_of(const run *R, const surface *s)
{
    const surface_path *pa = &R->path;
    size_t n = 0;
    for (size_t i = 0; i < pa->n && n < SURFACE_PATH_CAP; i++, n++) {
        xs[n] = pa->xy[2 * i];
        ys[n] = pa->xy[2 * i + 1];
    }
    if (pa->n == 0 || pa->step[pa->n - 1] != R->t) {
        surface_project(s, R->theta, &xs[n], &ys[n]);
        n++;
    }
    return n;
}

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void panel_surface(canvas *c, rect r, const app *a)
{
    const surface *s = a->ses->surf;
    runset rs;
    runset_from_app(&rs, a);
    fit_part parts[] = {
        {{"Loss surface", "Surface", NULL}, FIT_KEEP, ROLE_TITLE, ATTR_BOLD},
        /* the plane, and (fig3) that the paths are of |θ|: the latter
         * stays longest */
        {{NULL}, 2, ROLE_DIM, 0},
    };
    static const char *const own[] = {"own plane u = v", "u = v", NULL};
    static const char *const absp[] = {
        "plane w0, w*, GF  runs drawn as (|u|, |v|)",
        "plane w0, w*, GF  (|u|,|v|)", "w0, w*, GF  (|u|,|v|)", "(|u|,|v|)",
        NULL};
    const char *const *v = s->abs_theta ? absp : own;
    for (int i = 0; v[i] && i < FIT_VARIANTS; i++)
        parts[1].v[i] = v[i];
    int legend_row = r.h >= 7;
    rect pr = {r.x, r.y, r.w, r.h - legend_row};
    plot p;
    plot_begin(&p, c, pr, NULL, (axis){s->lo, s->hi, 0, 0},
               (axis){s->lo, s->hi, 0, 0}, PLOT_TITLE_ROW);
    panel_title(c, r, parts, sizeof parts / sizeof parts[0]);
    double lo, hi;
    scale(s, &lo, &hi);
    if (legend_row)
        legend(c, r, s, lo, hi);
    if (!p.ok)
        return;
    heat(&p, s, lo, hi);
    int ascii = c->tier == GLYPH_ASCII;
    if (isfinite(s->star_a) && isfinite(s->star_b))
        plot_glyph(&p, s->star_a, s->star_b, ascii ? 'o' : 0x25CB, ROLE_TEST,
                   ATTR_BOLD);
    /* the paths, the focused run's last (on top) */
    for (size_t k = 0; k < rs.n; k++) {
        size_t i = runset_order(&rs, k);
        const run *R = rs.r[i];
        if (!R->surf)
            continue;
        size_t n = path_of(R, s);
        int role = rs.multi ? runstyle_role(i) : ROLE_TRAIN;
        plot_line_dash(&p, xs, ys, n, role,
                       rs.multi ? runstyle_dash(i, c->tier) : 0xFFu);
    }
    /* then every iterate, so no path hides one; one outside the range is
     * drawn on its edge */
    for (size_t k = 0; k < rs.n; k++) {
        size_t i = runset_order(&rs, k);
        const run *R = rs.r[i];
        if (!R->surf)
            continue;
        double x, y;
        surface_project(s, R->theta, &x, &y);
        if (!isfinite(x) || !isfinite(y))
            continue;
        x = clampd(x, s->lo, s->hi);
        y = clampd(y, s->lo, s->hi);
        if (rs.multi)
            plot_glyph(&p, x, y, runstyle_digit(i), runstyle_role(i),
                       ATTR_BOLD | (i == rs.focus ? ATTR_REVERSE : 0));
        else
            plot_glyph(&p, x, y, ascii ? '@' : 0x25CF, ROLE_ITERATE,
                       ATTR_BOLD);
    }
}

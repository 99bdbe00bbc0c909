/* pic_beta.c — diagnet's picture: β = u⊙v as bars, β*'s support marked
 * on a row of its own under them; several runs get a strip each, on one
 * scale and one x axis, so supports compare column for column.  See
 * pic.h. */
#include "pic.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model_registry.h"
#include "panel_kit.h"
#include "sanitize.h"

static double ys[PANEL_MAX_PTS], zs[PANEL_MAX_PTS];

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
void pic_beta_draw(canvas *c, rect r, const run *R, fit_part who)
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

/* β = u⊙v of R's first n coordinates. */
static void beta_of(const run *R, size_t n, double *out)
{
    size_t d = R->m.prm.d;
    for (size_t j = 0; j < n; j++)
        out[j] = R->theta[j] * R->theta[d + j];
}


/* diagnet: β of each run in its strip, β*'s support under the last. */
int pic_beta_compare(canvas *c, rect r, const runset *s)
{
    const run *F = s->r[s->focus];
    size_t d = F->m.prm.d, n = d < PANEL_MAX_PTS ? d : PANEL_MAX_PTS;
    const double *bs = diagnet_beta_star(&F->m);
    double lo = 0.0, hi = 0.0;
    int live = pic_live_runs(s);
    for (size_t i = 0; i < s->n; i++) {
        if ((size_t)s->r[i]->m.prm.d != d)
            return 0; /* one x axis needs one d */
        if (live && s->r[i]->diverged)
            continue;
        beta_of(s->r[i], n, ys);
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
    if (!pic_strips(c, r, s, 1, (axis){lo, hi * 1.05, 0, 0}, n, beta_of, NAN,
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
    if (!pic_all_values(c, s, "‖β‖₀", val,
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


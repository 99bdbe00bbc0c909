/* mapview.c — the stability map screen; see mapview.h. */
#include "mapview.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sanitize.h"
#include "sweepmap.h"
#include "verdict.h"

#define GUTTER 9   /* "*seed 12 " before the columns */
#define CELL_MAX 10 /* the widest column */

typedef struct layout {
    int x0, cw;    /* the first column's x, the columns' width */
    int fill;      /* characters a cell fills (cw, or cw − 1 and a gap) */
} layout;

static layout lay_out(const mapjob *m, rect r)
{
    layout L;
    int avail = r.w - GUTTER - 1;
    L.cw = m->neta ? avail / (int)m->neta : 1;
    if (L.cw > CELL_MAX)
        L.cw = CELL_MAX;
    if (L.cw < 1)
        L.cw = 1;
    L.fill = L.cw >= 3 ? L.cw - 1 : L.cw;
    L.x0 = r.x + GUTTER;
    return L;
}

/* The middle of column ie's cells. */
static double centre(const layout *L, size_t ie)
{
    return L->x0 + (double)ie * L->cw + (L->fill - 1) / 2.0;
}

/* The x where η = v falls, between the columns' centres (linear in η);
 * −1 left of the first, −2 right of the last. */
static int eta_x(const mapjob *m, const layout *L, double v)
{
    if (m->neta == 0 || !isfinite(v))
        return -1;
    if (v < m->eta[0] * (1 - 1e-9))
        return -1;
    if (v > m->eta[m->neta - 1] * (1 + 1e-9))
        return -2;
    if (m->neta == 1)
        return (int)lround(centre(L, 0));
    for (size_t i = 0; i + 1 < m->neta; i++)
        if (v <= m->eta[i + 1]) {
            double t = (v - m->eta[i]) / (m->eta[i + 1] - m->eta[i]);
            return (int)lround(centre(L, i) +
                               t * (centre(L, i + 1) - centre(L, i)));
        }
    return (int)lround(centre(L, m->neta - 1));
}

static const char *metric_label(int metric, int ascii)
{
    switch (metric) {
    case SWEEPLOG_TEST_LOSS: return "test loss";
    case SWEEPLOG_TRAIN_LOSS: return "train loss";
    case SWEEPLOG_L0: return ascii ? "|beta|_0" : "‖β‖₀";
    case SWEEPLOG_RANK: return "NTK rank";
    case SWEEPLOG_FEATURE_SPARSITY: return "feature sparsity";
    case SWEEPLOG_VERDICT: return "verdict";
    default: return sweeplog_metric_name(metric);
    }
}

/* Writes parts left to right, each only if it fits whole: a word is
 * never cut.  Returns the x after the last. */
static int parts(canvas *c, int x, int y, int xmax, const char *const *p,
                 size_t n, int role)
{
    for (size_t i = 0; i < n; i++) {
        if (!p[i] || !p[i][0])
            continue;
        int w = canvas_text_cells(c, p[i]);
        if (x + w > xmax)
            break;
        x += canvas_text(c, x, y, p[i], role, 0, w);
    }
    return x;
}

/* ---- the header --------------------------------------------------------------- */

static void header(canvas *c, rect r, const mapjob *m,
                   const mapview_state *s)
{
    char name[SCENE_NAME_MAX * 3], lo[24], hi[24], t1[SCENE_NAME_MAX * 3 + 200], t2[400];
    /* the run's name when the scene has several */
    char raw[SCENE_NAME_MAX + COMPARISON_NAME_MAX + 8];
    if (m->run[0] && strcmp(m->run, COMPARISON_MAIN) != 0)
        snprintf(raw, sizeof raw, "%s run %s", m->scene, m->run);
    else
        snprintf(raw, sizeof raw, "%s", m->scene);
    sanitize_text(name, sizeof name, raw);
    sweepmap_format(lo, sizeof lo, m->eta[0]);
    sweepmap_format(hi, sizeof hi, m->eta[m->neta - 1]);
    snprintf(t1, sizeof t1, "Stability map of %s: %zu values of η from %s "
             "to %s × seeds %llu-%llu, %llu steps each", name, m->neta, lo,
             hi, (unsigned long long)m->seed[0],
             (unsigned long long)m->seed[m->nseed - 1],
             (unsigned long long)m->steps);
    if (canvas_text_cells(c, t1) > r.w)
        snprintf(t1, sizeof t1, "Stability map of %s: η %s-%s × seeds "
                 "%llu-%llu", name, lo, hi, (unsigned long long)m->seed[0],
                 (unsigned long long)m->seed[m->nseed - 1]);
    canvas_text(c, r.x, r.y, t1, ROLE_TITLE, ATTR_BOLD, r.w);
    double el = m->t_end - m->t_start;
    int role = ROLE_DIM;
    switch (m->state) {
    case MAPJOB_RUNNING:
        if (m->done && el > 0) {
            double left = el / (double)m->done * (double)(m->total - m->done);
            snprintf(t2, sizeof t2, "running in the background: %zu of %zu "
                     "runs, about %.0f s left (%u process%s)", m->done,
                     m->total, ceil(left), m->workers,
                     m->workers == 1 ? "" : "es");
        } else {
            snprintf(t2, sizeof t2, "running in the background: %zu of %zu "
                     "runs (%u process%s)", m->done, m->total, m->workers,
                     m->workers == 1 ? "" : "es");
        }
        break;
    case MAPJOB_DONE:
        snprintf(t2, sizeof t2, "all %zu runs done in %.0f s", m->total,
                 ceil(el));
        role = ROLE_GOOD;
        break;
    case MAPJOB_STOPPED:
        snprintf(t2, sizeof t2, "stopped at %zu of %zu runs: r runs the rest "
                 "again", m->done, m->total);
        role = ROLE_MARK;
        break;
    case MAPJOB_FAILED: {
        char why[300];
        sanitize_text(why, sizeof why, m->err);
        snprintf(t2, sizeof t2, "the sweep failed: %s", why);
        role = ROLE_WARN;
        break;
    }
    default:
        t2[0] = 0;
    }
    if (s->msg && s->msg[0]) {
        snprintf(t2, sizeof t2, "%s", s->msg);
        role = ROLE_MARK;
    }
    canvas_text(c, r.x, r.y + 1, t2, role, 0, r.w);
}

/* ---- the divergence bars ------------------------------------------------------ */

static void bars(canvas *c, rect r, const layout *L, const mapjob *m, int y,
                 int bh)
{
    int ascii = c->tier == GLYPH_ASCII;
    char t[160];
    snprintf(t, sizeof t, "Diverged: the share of the %zu seeds, by η",
             m->nseed);
    canvas_text(c, r.x, y, t, ROLE_TEXT, ATTR_BOLD, r.w);
    y++;
    canvas_text(c, r.x + GUTTER - 5, y, "100%", ROLE_DIM, 0, 4);
    canvas_text(c, r.x + GUTTER - 3, y + bh - 1, "0%", ROLE_DIM, 0, 2);
    if (bh >= 3)
        canvas_text(c, r.x + GUTTER - 4, y + (bh - 1) / 2, "50%", ROLE_DIM,
                    0, 3);
    static const char *const eighth[] = {"", "▁", "▂", "▃", "▄", "▅", "▆",
                                         "▇", "█"};
    for (size_t ie = 0; ie < m->neta; ie++) {
        size_t nd;
        double p = mapjob_diverged_share(m, ie, &nd);
        int x = L->x0 + (int)ie * L->cw;
        if (!nd) {
            canvas_text(c, (int)lround(centre(L, ie)), y + bh - 1,
                        ascii ? "." : "·", ROLE_DIM, 0, 1);
            continue;
        }
        /* in eighths of a row (ASCII: whole rows), from the bottom */
        int units = ascii ? (int)lround(p * bh) : (int)lround(p * bh * 8);
        for (int k = 0; k < bh; k++) {
            int have = ascii ? units - k : units - 8 * k;
            if (have <= 0)
                break;
            const char *g = ascii ? "#" : eighth[have >= 8 ? 8 : have];
            for (int f = 0; f < L->fill; f++)
                canvas_text(c, x + f, y + bh - 1 - k, g, ROLE_WARN, 0, 1);
        }
        if (units == 0)
            for (int f = 0; f < L->fill; f++)
                canvas_text(c, x + f, y + bh - 1, ascii ? "_" : "▁", ROLE_DIM,
                            0, 1);
    }
}

/* The edge under the bars: a mark where the share reaches one half. */
static void edge_row(canvas *c, rect r, const layout *L, const mapjob *m,
                     int y)
{
    int ascii = c->tier == GLYPH_ASCII;
    double e = 0;
    int er = mapjob_edge(m, &e);
    char t[200], v[24];
    sweepmap_format(v, sizeof v, e);
    if (m->done == 0) {
        canvas_text(c, L->x0, y, "edge: waiting for the first runs", ROLE_DIM,
                    0, r.w - GUTTER);
        return;
    }
    if (er == 0) {
        snprintf(t, sizeof t, "no edge yet: fewer than half the seeds "
                 "diverge at every η done");
        canvas_text(c, L->x0, y, t, ROLE_DIM, 0, r.x + r.w - L->x0);
        return;
    }
    int x = er < 0 ? (int)lround(centre(L, 0)) : eta_x(m, L, e);
    if (x < 0)
        x = L->x0;
    if (er < 0)
        snprintf(t, sizeof t, "edge at or below η = %s: half the seeds "
                 "diverge already", v);
    else
        snprintf(t, sizeof t, "edge η ≈ %s: half the seeds diverge", v);
    canvas_text(c, x, y, ascii ? "^" : "▲", ROLE_WARN, ATTR_BOLD, 1);
    int w = canvas_text_cells(c, t);
    if (x + 2 + w <= r.x + r.w)
        canvas_text(c, x + 2, y, t, ROLE_WARN, 0, w);
    else if (x - 1 - w >= r.x)
        canvas_text(c, x - 1 - w, y, t, ROLE_WARN, 0, w);
    else
        canvas_text(c, r.x, y, t, ROLE_WARN, 0, r.w);
}

/* ---- the heat map ------------------------------------------------------------- */

typedef struct scale {
    int logs, ok;
    double lo, hi;  /* in the scale's units (log10 for losses) */
    int levels;
} scale;

static double scaled(const scale *sc, double v)
{
    return sc->logs ? log10(v) : v;
}

static scale make_scale(const mapjob *m, int metric, int ascii)
{
    scale sc = {metric == SWEEPLOG_TEST_LOSS || metric == SWEEPLOG_TRAIN_LOSS,
                0, INFINITY, -INFINITY, ascii ? 7 : 4};
    for (size_t j = 0; j < m->total; j++) {
        const mapjob_cell *ce = &m->cell[j];
        if (!ce->done || ce->rec.verdict == VERDICT_DIVERGED)
            continue;
        double v = ce->rec.metric[metric];
        if (!isfinite(v) || (sc.logs && v <= 0))
            continue;
        v = scaled(&sc, v);
        if (v < sc.lo)
            sc.lo = v;
        if (v > sc.hi)
            sc.hi = v;
        sc.ok = 1;
    }
    return sc;
}

static int level(const scale *sc, double v)
{
    if (sc->hi <= sc->lo)
        return sc->levels / 2;
    int l = (int)floor((scaled(sc, v) - sc->lo) / (sc->hi - sc->lo) *
                       sc->levels);
    return l < 0 ? 0 : l >= sc->levels ? sc->levels - 1 : l;
}

static const char *const shade_u[] = {"░", "▒", "▓", "█"};
static const char *const shade_a[] = {":", "-", "=", "+", "*", "#", "@"};
static const char verdict_glyph[VERDICT_COUNT] = {'b', 'c', 'C', 'e', 'X'};
static const int verdict_role[VERDICT_COUNT] = {ROLE_GOOD, ROLE_TRAIN,
                                                ROLE_TEST, ROLE_MARK,
                                                ROLE_WARN};

static void cell_draw(canvas *c, const layout *L, int x, int y,
                      const mapjob_cell *ce, int metric, const scale *sc,
                      int sel)
{
    int ascii = c->tier == GLYPH_ASCII;
    int attr = sel ? ATTR_REVERSE | ATTR_BOLD : 0;
    char g[8] = " ";
    int role = ROLE_DIM;
    if (!ce->done) {
        /* not back yet: a dim dot in the middle */
        for (int f = 0; f < L->fill; f++)
            canvas_text(c, x + f, y, f == (L->fill - 1) / 2
                                         ? (ascii ? "." : "·") : " ",
                        ROLE_DIM, attr, 1);
        return;
    }
    int v = ce->rec.verdict;
    if (v == VERDICT_DIVERGED) {
        snprintf(g, sizeof g, "X");
        role = ROLE_WARN;
    } else if (metric == SWEEPLOG_VERDICT) {
        if (v >= 0 && v < VERDICT_COUNT) {
            snprintf(g, sizeof g, "%c", verdict_glyph[v]);
            role = verdict_role[v];
        } else {
            snprintf(g, sizeof g, "?");
        }
    } else {
        double val = ce->rec.metric[metric];
        if (!isfinite(val) || (sc->logs && val <= 0) || !sc->ok) {
            snprintf(g, sizeof g, "-");
        } else {
            int l = level(sc, val);
            snprintf(g, sizeof g, "%s", ascii ? shade_a[l] : shade_u[l]);
            role = ROLE_HEAT1 + l * (ROLE_HEAT7 - ROLE_HEAT1) /
                                    (sc->levels - 1);
        }
    }
    for (int f = 0; f < L->fill; f++)
        canvas_text(c, x + f, y, g, role, attr, 1);
}

/* The η labels under the columns: each value as the grid holds it (the
 * number the run was given, never a rounded one), every k-th column
 * when they do not fit side by side. */
static void eta_labels(canvas *c, rect r, const layout *L, const mapjob *m,
                       int y)
{
    int w = 0;
    for (size_t i = 0; i < m->neta; i++) {
        int lw = (int)strlen(m->eta_text[i]);
        if (lw > w)
            w = lw;
    }
    int every = (w + 1 + L->cw - 1) / L->cw;
    if (every < 1)
        every = 1;
    if (c->tier == GLYPH_ASCII)
        canvas_text(c, r.x + GUTTER - 4, y, "eta", ROLE_DIM, 0, 3);
    else
        canvas_text(c, r.x + GUTTER - 2, y, "η", ROLE_DIM, 0, 1);
    int last_end = -1;
    for (size_t i = 0; i < m->neta; i += (size_t)every) {
        const char *lab = m->eta_text[i];
        int lw = (int)strlen(lab);
        int x = (int)lround(centre(L, i) - (lw - 1) / 2.0);
        if (x < L->x0) /* a space between the axis's name and a label */
            x = L->x0;
        if (x <= last_end || x + lw > r.x + r.w)
            continue;
        canvas_text(c, x, y, lab, ROLE_DIM, 0, lw);
        last_end = x + lw;
    }
}

/* This run's η under the labels. */
static void mark_row(canvas *c, rect r, const layout *L, const mapjob *m,
                     const mapview_state *s, int y)
{
    int ascii = c->tier == GLYPH_ASCII;
    if (!isfinite(s->mark_eta))
        return;
    char v[24], v0[24], t[200];
    sweepmap_format(v, sizeof v, s->mark_eta);
    sweepmap_format(v0, sizeof v0, s->start_eta);
    int changed = fabs(s->mark_eta - s->start_eta) >
                  1e-12 * fabs(s->start_eta);
    if (changed)
        snprintf(t, sizeof t, "this run: η %s now (its scene's %s), seed "
                 "%llu", v, v0, (unsigned long long)s->mark_seed);
    else
        snprintf(t, sizeof t, "this run: η %s, seed %llu", v,
                 (unsigned long long)s->mark_seed);
    int x = eta_x(m, L, s->mark_eta), w = canvas_text_cells(c, t);
    if (x == -1) {
        canvas_text(c, L->x0, y, ascii ? "<" : "◀", ROLE_ITERATE, ATTR_BOLD,
                    1);
        char t2[240];
        snprintf(t2, sizeof t2, "%s (left of the map)", t);
        canvas_text(c, L->x0 + 2, y, t2, ROLE_ITERATE, 0,
                    r.x + r.w - L->x0 - 2);
        return;
    }
    if (x == -2) {
        char t2[240];
        snprintf(t2, sizeof t2, "%s (right of the map) %s", t,
                 ascii ? ">" : "▶");
        int w2 = canvas_text_cells(c, t2);
        int xs = r.x + r.w - w2;
        canvas_text(c, xs < L->x0 ? L->x0 : xs, y, t2, ROLE_ITERATE, 0,
                    r.x + r.w - L->x0);
        return;
    }
    canvas_text(c, x, y, ascii ? "^" : "▲", ROLE_ITERATE, ATTR_BOLD, 1);
    /* the longest text that fits whole on either side of the mark */
    char t_short[120];
    snprintf(t_short, sizeof t_short, "this run: η %s, seed %llu", v,
             (unsigned long long)s->mark_seed);
    const char *cand[] = {t, t_short, "this run"};
    for (size_t i = 0; i < 3; i++) {
        w = canvas_text_cells(c, cand[i]);
        if (x + 2 + w <= r.x + r.w) {
            canvas_text(c, x + 2, y, cand[i], ROLE_ITERATE, 0, w);
            return;
        }
        if (x - 1 - w >= r.x) {
            canvas_text(c, x - 1 - w, y, cand[i], ROLE_ITERATE, 0, w);
            return;
        }
    }
}

static void legend(canvas *c, rect r, const mapjob *m, int metric,
                   const scale *sc, int y)
{
    int ascii = c->tier == GLYPH_ASCII;
    int x = r.x, xmax = r.x + r.w;
    const char *dot = ascii ? ". not back yet" : "· not back yet";
    if (metric == SWEEPLOG_VERDICT) {
        for (int v = 0; v < VERDICT_COUNT; v++) {
            char t[40];
            snprintf(t, sizeof t, "%c %s  ", verdict_glyph[v],
                     verdict_name((verdict_kind)v));
            int w = canvas_text_cells(c, t);
            if (x + w > xmax)
                return;
            canvas_text(c, x, y, t, verdict_role[v], 0, w);
            x += w;
        }
        parts(c, x, y, xmax, &dot, 1, ROLE_DIM);
        return;
    }
    char lo[24], hi[24], range[80];
    if (sc->ok) {
        sweepmap_format(lo, sizeof lo, sc->logs ? pow(10, sc->lo) : sc->lo);
        sweepmap_format(hi, sizeof hi, sc->logs ? pow(10, sc->hi) : sc->hi);
        snprintf(range, sizeof range, " %s %s to %s%s  ",
                 metric_label(metric, ascii), lo, hi,
                 sc->logs ? " (log)" : "");
    } else {
        snprintf(range, sizeof range, " no %s yet  ",
                 metric_label(metric, ascii));
    }
    for (int l = 0; l < sc->levels; l++)
        x += canvas_text(c, x, y, ascii ? shade_a[l] : shade_u[l],
                         ROLE_HEAT1 + l * (ROLE_HEAT7 - ROLE_HEAT1) /
                                          (sc->levels - 1), 0, 1);
    const char *p[] = {range, "X diverged  ", "- no value  ", dot};
    parts(c, x, y, xmax, p, 4, ROLE_TEXT);
    (void)m;
}

/* The cursor cell's numbers, each part whole or not at all. */
static void detail(canvas *c, rect r, const mapjob *m,
                   const mapview_state *s, int y)
{
    int ascii = c->tier == GLYPH_ASCII;
    const mapjob_cell *ce = mapjob_cell_at(m, s->cx, s->cy);
    if (!ce)
        return;
    char head[80], p1[48], p2[48], p3[48], p4[48], p5[48], v[24];
    snprintf(head, sizeof head, "η %s, seed %llu: ", m->eta_text[s->cx],
             (unsigned long long)m->seed[s->cy]);
    int x = canvas_text(c, r.x, y, head, ROLE_TEXT, ATTR_BOLD, r.w) + r.x;
    if (!ce->done) {
        const char *p[] = {"not back yet", "  (Enter opens it anyway)"};
        parts(c, x, y, r.x + r.w, p, 2, ROLE_DIM);
        return;
    }
    const sweep_rec *q = &ce->rec;
    int vk = q->verdict;
    snprintf(p1, sizeof p1, "%s", vk >= 0 && vk < VERDICT_COUNT
                                      ? verdict_name((verdict_kind)vk) : "?");
    p2[0] = p3[0] = p4[0] = p5[0] = 0;
    if (vk != VERDICT_DIVERGED) {
        sweepmap_format(v, sizeof v, q->metric[SWEEPLOG_TEST_LOSS]);
        if (isfinite(q->metric[SWEEPLOG_TEST_LOSS]))
            snprintf(p2, sizeof p2, ", test loss %s", v);
        sweepmap_format(v, sizeof v, q->metric[SWEEPLOG_TRAIN_LOSS]);
        if (isfinite(q->metric[SWEEPLOG_TRAIN_LOSS]))
            snprintf(p3, sizeof p3, ", train %s", v);
        if (isfinite(q->metric[SWEEPLOG_L0]))
            snprintf(p4, sizeof p4, ", %s %.0f", ascii ? "|beta|_0" : "‖β‖₀",
                     q->metric[SWEEPLOG_L0]);
        if (isfinite(q->metric[SWEEPLOG_RANK]))
            snprintf(p5, sizeof p5, ", rank %.0f", q->metric[SWEEPLOG_RANK]);
    }
    const char *p[] = {p1, p2, p3, p4, p5, "  Enter opens it"};
    parts(c, x, y, r.x + r.w, p, 6, vk == VERDICT_DIVERGED ? ROLE_WARN
                                                           : ROLE_TEXT);
}

static void keys(canvas *c, rect r, int y)
{
    int ascii = c->tier == GLYPH_ASCII;
    const char *p[] = {ascii ? "arrows move" : "←→↑↓ move", "  Enter opens",
                       "  Tab metric", "  z/Z zoom in/out", "  r reruns",
                       "  Esc back", "  ? help"};
    canvas_fill(c, (rect){r.x, y, r.w, 1}, ' ', ROLE_TEXT, ATTR_REVERSE);
    int x = r.x + 1;
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
        int w = canvas_text_cells(c, p[i]);
        if (x + w > r.x + r.w)
            break;
        x += canvas_text(c, x, y, p[i], ROLE_TEXT, ATTR_REVERSE, w);
    }
}

void mapview_draw(canvas *c, rect r, const mapjob *m, const mapview_state *s)
{
    canvas_fill(c, r, ' ', ROLE_TEXT, 0);
    if (m->neta == 0 || m->nseed == 0) {
        canvas_text(c, r.x, r.y, "No map yet: S starts one.", ROLE_DIM, 0,
                    r.w);
        keys(c, r, r.y + r.h - 1);
        return;
    }
    if (r.w < 60 || r.h < 16) {
        canvas_text(c, r.x, r.y, "The map needs 60x17 or more: a larger "
                    "window, or Esc.", ROLE_WARN, 0, r.w);
        return;
    }
    layout L = lay_out(m, r);
    int ascii = c->tier == GLYPH_ASCII;
    /* rows: 2 header, 1 bar title, bars, 1 edge, 1 heat title, seeds,
     * 1 labels, 1 this run, 1 legend, 1 detail, 1 keys */
    int fixed = 10;
    int seeds = (int)m->nseed;
    int bh = r.h - fixed - seeds;
    if (bh > 12) /* a tall window gets taller bars, not empty rows */
        bh = 12;
    if (bh < 2) {
        bh = 2;
        seeds = r.h - fixed - bh;
    }
    header(c, r, m, s);
    int y = r.y + 2;
    bars(c, r, &L, m, y, bh);
    y += 1 + bh;
    edge_row(c, r, &L, m, y);
    y++;
    scale sc = make_scale(m, s->metric, ascii);
    /* the rows shown: all of them, or a window that holds the cursor */
    size_t top = 0;
    if ((size_t)seeds < m->nseed && s->cy >= (size_t)seeds)
        top = s->cy - (size_t)seeds + 1;
    char t[200];
    if ((size_t)seeds < m->nseed) /* which rows, so none is missed */
        snprintf(t, sizeof t, "%s at the end%s: η across, seeds %llu-%llu "
                 "of %zu down", metric_label(s->metric, ascii),
                 sc.logs ? " (log scale)" : "",
                 (unsigned long long)m->seed[top],
                 (unsigned long long)m->seed[top + (size_t)seeds - 1],
                 m->nseed);
    else
        snprintf(t, sizeof t, "%s at the end%s, one run a cell: η across, "
                 "seed down", metric_label(s->metric, ascii),
                 sc.logs ? " (log scale)" : "");
    canvas_text(c, r.x, y, t, ROLE_TEXT, ATTR_BOLD, r.w);
    y++;
    /* rows left over make each seed's row taller, up to 2 lines (more
     * and neighbouring rows of one shade merge into a block) */
    int rh = 1;
    if (seeds == (int)m->nseed) {
        int spare = r.h - fixed - bh - seeds;
        rh = 1 + spare / seeds;
        if (rh > 2)
            rh = 2;
    }
    for (int k = 0; k < seeds && top + (size_t)k < m->nseed; k++) {
        size_t is = top + (size_t)k;
        char lab[24];
        int mine = m->seed[is] == s->mark_seed, yk = y + k * rh;
        snprintf(lab, sizeof lab, "%cseed %llu", mine ? '*' : ' ',
                 (unsigned long long)m->seed[is]);
        canvas_text(c, r.x, yk + (rh - 1) / 2, lab,
                    mine ? ROLE_ITERATE : ROLE_DIM, mine ? ATTR_BOLD : 0,
                    GUTTER - 1);
        for (int q = 0; q < rh; q++)
            for (size_t ie = 0; ie < m->neta; ie++)
                cell_draw(c, &L, L.x0 + (int)ie * L.cw, yk + q,
                          mapjob_cell_at(m, ie, is), s->metric, &sc,
                          ie == s->cx && is == s->cy);
    }
    seeds *= rh;
    y += seeds;
    eta_labels(c, r, &L, m, y);
    y++;
    mark_row(c, r, &L, m, s, y);
    y++;
    legend(c, r, m, s->metric, &sc, y);
    y++;
    detail(c, r, m, s, y);
    keys(c, r, r.y + r.h - 1);
}

int mapview_columns(const mapjob *m, int w, int *x0)
{
    layout L = lay_out(m, (rect){0, 0, w, 1});
    if (x0)
        *x0 = L.x0;
    return L.cw;
}

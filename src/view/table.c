/* table.c — the comparison table; see table.h. */
#include "table.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fit.h"
#include "panel_kit.h"
#include "plot.h"
#include "runstyle.h"

enum { COL_MAX = 16, CELL_MAX = 48 };

/* A column: its header, how much it matters (higher stays longer;
 * FIT_KEEP always), whether its cells are numbers (right-aligned), and
 * its cells, one per run. */
typedef struct column {
    const char *head;
    int prio;
    int right;
    char cell[RUNSTYLE_MAX][CELL_MAX];
} column;

static column cols[COL_MAX];

static int any_model(const runset *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (panel_is_model(s->r[i], name))
            return 1;
    return 0;
}

/* Models with a feature sparsity (of their first hidden layer). */
static int has_sparsity(const run *R)
{
    return panel_is_model(R, "relu1d") || panel_is_model(R, "ts2") ||
           panel_is_model(R, "ts3");
}

/* The teacher-student models: a teacher angle. */
static int has_teacher(const run *R)
{
    return panel_is_model(R, "ts2") || panel_is_model(R, "ts3");
}

static int is_diagnet(const run *R)
{
    return panel_is_model(R, "diagnet");
}

static int is_ts3(const run *R)
{
    return panel_is_model(R, "ts3");
}

static int any_of(const runset *s, int (*has)(const run *))
{
    for (size_t i = 0; i < s->n; i++)
        if (has(s->r[i]))
            return 1;
    return 0;
}

/* A number of run i's metrics, or "–" when its model has none. */
static void num(char *buf, const run *R, const char *mname, double v)
{
    if (mname && !panel_is_model(R, mname))
        snprintf(buf, CELL_MAX, "–");
    else
        plot_fmt(v, buf, CELL_MAX);
}

/* A count (‖β‖₀, kinks) of run i, or "–" when its model has none. */
static void count(char *buf, const run *R, const char *mname, double v)
{
    if (!panel_is_model(R, mname))
        snprintf(buf, CELL_MAX, "–");
    else
        snprintf(buf, CELL_MAX, "%.0f", v);
}

/* Fills cols from the runs; returns how many.  `wide`: the run's name
 * in full (else its digit alone); `long_verdict`: "diverged at step N"
 * (else "diverged N"). */
static size_t build(const runset *s, int wide, int long_verdict,
                    int with_test)
{
    size_t nc = 0;
    column *run_c = &cols[nc++], *dyn = &cols[nc++], *eta = &cols[nc++];
    column *tr = &cols[nc++], *te = with_test ? &cols[nc++] : NULL;
    column *rk = &cols[nc++];
    column *l0 = any_model(s, "diagnet") ? &cols[nc++] : NULL;
    column *kn = any_model(s, "relu1d") ? &cols[nc++] : NULL;
    column *fs = any_of(s, has_sparsity) ? &cols[nc++] : NULL;
    column *fs2 = any_of(s, is_ts3) ? &cols[nc++] : NULL;
    column *ang = any_of(s, has_teacher) ? &cols[nc++] : NULL;
    column *th = any_model(s, "quad1d") ? &cols[nc++] : NULL;
    column *lam = &cols[nc++], *band = &cols[nc++], *ver = &cols[nc++];
    *run_c = (column){"run", FIT_KEEP, 0, {{0}}};
    *dyn = (column){"dynamics", 1, 0, {{0}}};
    *eta = (column){"η", 7, 1, {{0}}};
    *tr = (column){"train", 8, 1, {{0}}};
    if (te)
        *te = (column){"test", 9, 1, {{0}}};
    *rk = (column){"rank", 6, 1, {{0}}};
    if (l0)
        *l0 = (column){"‖β‖₀", 5, 1, {{0}}};
    if (kn)
        *kn = (column){"kinks", 5, 1, {{0}}};
    if (fs)
        *fs = (column){"sparsity", 3, 1, {{0}}};
    /* ts3's second hidden layer, and the mean angle of the active
     * neurons to their nearest teacher direction (degrees) */
    if (fs2)
        *fs2 = (column){"sparsity₂", 3, 1, {{0}}};
    if (ang)
        *ang = (column){"∠teacher", 5, 1, {{0}}};
    if (th)
        *th = (column){"θ", 5, 1, {{0}}};
    *lam = (column){"λmax", 4, 1, {{0}}};
    *band = (column){"band", 2, 0, {{0}}};
    *ver = (column){"verdict", FIT_KEEP, 0, {{0}}};
    for (size_t i = 0; i < s->n; i++) {
        const run *R = s->r[i];
        const run_metrics *mt = &R->last;
        char b1[16], b2[16], n1[32];
        const char *mark = i == s->focus ? "▸" : " ";
        if (wide)
            snprintf(run_c->cell[i], CELL_MAX, "%s%c %s", mark,
                     (char)runstyle_digit(i), s->name[i]);
        else
            snprintf(run_c->cell[i], CELL_MAX, "%s%c", mark,
                     (char)runstyle_digit(i));
        if (R->dyn.kind == DYN_SGD)
            snprintf(dyn->cell[i], CELL_MAX, "SGD B=%zu", R->dyn.batch);
        else
            snprintf(dyn->cell[i], CELL_MAX, "%s", dyn_label(R->dyn.kind));
        plot_fmt_sig(run_eta(R), 4, eta->cell[i], CELL_MAX);
        panel_fmt_loss(mt->train_loss, tr->cell[i], CELL_MAX);
        if (te)
            panel_fmt_loss(mt->test_loss, te->cell[i], CELL_MAX);
        snprintf(rk->cell[i], CELL_MAX, "%zu/%zu", mt->rank, mt->nsv);
        if (l0)
            count(l0->cell[i], R, "diagnet", mt->ex.l0);
        if (kn)
            count(kn->cell[i], R, "relu1d", mt->ex.kinks);
        if (fs && has_sparsity(R))
            plot_fmt(mt->ex.feature_sparsity, fs->cell[i], CELL_MAX);
        else if (fs)
            snprintf(fs->cell[i], CELL_MAX, "–");
        if (fs2)
            num(fs2->cell[i], R, "ts3", mt->ex.feature_sparsity2);
        if (ang && has_teacher(R) && isfinite(mt->ex.teacher_angle))
            snprintf(ang->cell[i], CELL_MAX, "%.1f°", mt->ex.teacher_angle);
        else if (ang)
            snprintf(ang->cell[i], CELL_MAX, "–");
        if (th)
            num(th->cell[i], R, "quad1d", mt->theta);
        plot_fmt(mt->sharpness_now, lam->cell[i], CELL_MAX);
        panel_fmt_loss(mt->band_lo, b1, sizeof b1);
        panel_fmt_loss(mt->band_hi, b2, sizeof b2);
        if (isfinite(mt->band_lo) && isfinite(mt->band_hi))
            snprintf(band->cell[i], CELL_MAX, "[%s, %s]", b1, b2);
        else
            snprintf(band->cell[i], CELL_MAX, "–");
        if (R->diverged)
            snprintf(ver->cell[i], CELL_MAX,
                     long_verdict ? "diverged at step %s" : "diverged %s",
                     fit_count(R->diverged_at, n1, sizeof n1));
        else
            snprintf(ver->cell[i], CELL_MAX, "%s",
                     panel_verdict_word(R));
    }
    return nc;
}

/* The threshold of a column, `what` (a scene field of each run, for the
 * runs mname accepts, every run if NULL), into buf: "rank σk/σ1>1e-10"
 * when the runs share it, else each run's ("rank σk/σ1> 1:1e-10 2:1e-4").
 * Empty when no run has the metric. */
static void threshold(char *buf, size_t cap, const runset *s,
                      const char *label, int (*mname)(const run *),
                      double (*what)(const run *))
{
    char b[16];
    size_t first = s->n, differ = 0, len;
    buf[0] = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (mname && !mname(s->r[i]))
            continue;
        if (first == s->n)
            first = i;
        else
            differ |= what(s->r[i]) != what(s->r[first]);
    }
    if (first == s->n)
        return;
    if (!differ) {
        snprintf(buf, cap, "%s%s", label,
                 plot_fmt(what(s->r[first]), b, sizeof b));
        return;
    }
    snprintf(buf, cap, "%s", label);
    for (size_t i = 0; i < s->n && (len = strlen(buf)) < cap; i++)
        if (!mname || mname(s->r[i]))
            snprintf(buf + len, cap - len, " %c:%s",
                     (char)runstyle_digit(i),
                     plot_fmt(what(s->r[i]), b, sizeof b));
}

static double rank_tol_of(const run *R) { return R->sc.rank_tol; }
static double l0_tol_of(const run *R) { return R->sc.l0_tol; }
static double corr_of(const run *R) { return R->sc.corr; }

/* Column widths in cells (0: not shown). */
static int col_width(const canvas *c, const column *k, size_t n)
{
    int w = canvas_text_cells(c, k->head);
    for (size_t i = 0; i < n; i++) {
        int l = canvas_text_cells(c, k->cell[i]);
        w = l > w ? l : w;
    }
    return w;
}

#define GAP 2

/* Shows the columns, least important dropped first, until the table
 * fits `room` cells; returns its width (shown[k] 0 for dropped ones). */
static int choose(const canvas *c, size_t nc, size_t n, int room, int *w,
                  int *shown)
{
    int total = 0;
    for (size_t k = 0; k < nc; k++) {
        w[k] = col_width(c, &cols[k], n);
        shown[k] = 1;
        total += w[k] + (k ? GAP : 0);
    }
    while (total > room) {
        size_t drop = nc;
        for (size_t k = 0; k < nc; k++)
            if (shown[k] && cols[k].prio < FIT_KEEP &&
                (drop == nc || cols[k].prio < cols[drop].prio))
                drop = k;
        if (drop == nc)
            break;
        shown[drop] = 0;
        total -= w[drop] + GAP;
    }
    return total;
}

/* A box frame around r, cleared inside. */
static void frame(canvas *c, rect r)
{
    int ascii = c->tier == GLYPH_ASCII;
    canvas_fill(c, r, ' ', ROLE_TEXT, 0);
    for (int i = 1; i < r.w - 1; i++) {
        canvas_put(c, r.x + i, r.y, ascii ? '-' : 0x2500, ROLE_TITLE, 0);
        canvas_put(c, r.x + i, r.y + r.h - 1, ascii ? '-' : 0x2500,
                   ROLE_TITLE, 0);
    }
    for (int j = 1; j < r.h - 1; j++) {
        canvas_put(c, r.x, r.y + j, ascii ? '|' : 0x2502, ROLE_TITLE, 0);
        canvas_put(c, r.x + r.w - 1, r.y + j, ascii ? '|' : 0x2502,
                   ROLE_TITLE, 0);
    }
    canvas_put(c, r.x, r.y, ascii ? '+' : 0x250C, ROLE_TITLE, 0);
    canvas_put(c, r.x + r.w - 1, r.y, ascii ? '+' : 0x2510, ROLE_TITLE, 0);
    canvas_put(c, r.x, r.y + r.h - 1, ascii ? '+' : 0x2514, ROLE_TITLE, 0);
    canvas_put(c, r.x + r.w - 1, r.y + r.h - 1, ascii ? '+' : 0x2518,
               ROLE_TITLE, 0);
}

void table_draw(canvas *c, const app *a, rect area)
{
    runset s;
    runset_from_app(&s, a);
    int with_test = 0;
    for (size_t i = 0; i < s.n; i++)
        with_test |= isfinite(s.r[i]->last.test_loss);
    int room = c->w - 6; /* the frame, a blank each side, a margin */
    int w[COL_MAX], shown[COL_MAX], total = 0;
    size_t nc = 0;
    /* names, then the long verdict, give way before anything falls off
     * the screen: try the roomiest form first */
    for (int form = 0; form < 3; form++) {
        nc = build(&s, form < 2, form < 1, with_test);
        total = choose(c, nc, s.n, room, w, shown);
        int all_keep = 1;
        for (size_t k = 0; k < nc; k++)
            all_keep &= shown[k] || cols[k].prio < 5;
        if (total <= room && all_keep)
            break;
    }
    char title[96], n1[32];
    uint64_t t = a->ses ? a->ses->t : a->r->t;
    snprintf(title, sizeof title, "Runs at step %s",
             fit_count(t, n1, sizeof n1));
    /* A rank, a ‖β‖₀ or a sparsity means nothing without its threshold:
     * a last line gives those of the columns shown. */
    static char th[3][128];
    const char *label[3] = {"rank σk/σ1>", "‖β‖₀ |βj|>", "sparsity c="};
    double (*what[3])(const run *) = {rank_tol_of, l0_tol_of, corr_of};
    int (*mname[3])(const run *) = {NULL, is_diagnet, has_sparsity};
    const char *head[3] = {"rank", "‖β‖₀", "sparsity"};
    fit_part foot[3];
    size_t nf = 0;
    for (int k = 0; k < 3; k++) {
        int on = 0;
        for (size_t j = 0; j < nc; j++)
            on |= shown[j] && strcmp(cols[j].head, head[k]) == 0;
        if (!on)
            continue;
        threshold(th[k], sizeof th[k], &s, label[k], mname[k], what[k]);
        if (th[k][0])
            foot[nf++] = (fit_part){{th[k], NULL}, FIT_KEEP, ROLE_DIM, 0};
    }
    int fw = 0;
    for (size_t k = 0; k < nf; k++)
        fw += (k ? 2 : 0) + canvas_text_cells(c, foot[k].v[0]);
    int bw = total + 4, bh = (int)s.n + 4 + (nf > 0);
    if (bw < canvas_text_cells(c, title) + 4)
        bw = canvas_text_cells(c, title) + 4;
    if (bw < fw + 4)
        bw = fw + 4;
    if (bw > c->w)
        bw = c->w;
    if (bh > area.h)
        bh = area.h;
    rect box = {(c->w - bw) / 2, area.y + (area.h - bh) / 2, bw, bh};
    frame(c, box);
    int x0 = box.x + 2, y = box.y + 1, inner = box.w - 4;
    canvas_text(c, x0, y++, title, ROLE_TITLE, ATTR_BOLD, inner);
    for (int row = -1; row < (int)s.n && y < box.y + box.h - 1; row++, y++) {
        int x = x0;
        for (size_t k = 0; k < nc; k++) {
            if (!shown[k])
                continue;
            const char *t0 = row < 0 ? cols[k].head : cols[k].cell[row];
            int l = canvas_text_cells(c, t0);
            int at = cols[k].right ? x + w[k] - l : x;
            int role = row < 0 ? ROLE_DIM : runstyle_role((size_t)row);
            if (!s.multi && row >= 0)
                role = ROLE_TEXT;
            int attr = row >= 0 && (size_t)row == s.focus ? ATTR_BOLD : 0;
            if (row >= 0 && cols[k].prio == FIT_KEEP && k > 0)
                role = s.r[row]->diverged ? ROLE_WARN
                                          : panel_verdict_role(s.r[row]);
            canvas_text(c, at, y, t0, role, attr,
                        x0 + inner - at > 0 ? x0 + inner - at : 0);
            x += w[k] + GAP;
        }
    }
    if (nf > 0 && y < box.y + box.h - 1)
        fit_draw(c, x0, y, inner, foot, nf, "  ");
}

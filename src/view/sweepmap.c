/* sweepmap.c — a sweep's map as text; see sweepmap.h. */
#include "sweepmap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "verdict.h"

#define AX_MAX 512

/* One laid-out field: a swept parameter, the run name or the seed. */
typedef struct axis {
    const char *name;
    int kind;                /* 0 a parameter (k), 1 run, 2 seed */
    size_t k;
    size_t n;
    char (*lab)[GRID_VALUE_MAX];
    double num[AX_MAX];
    int numeric;
} axis;

static void rec_label(const sweep_rec *r, const axis *a, char *out)
{
    if (a->kind == 1)
        snprintf(out, GRID_VALUE_MAX, "%s", r->run);
    else if (a->kind == 2)
        snprintf(out, GRID_VALUE_MAX, "%llu", (unsigned long long)r->seed);
    else
        snprintf(out, GRID_VALUE_MAX, "%s", r->val[a->k]);
}

/* Sets up axis a for field name over the records.  Returns 0 or −1. */
static int axis_make(axis *a, const sweep_log *l, const char *name, char *err,
                     size_t errlen)
{
    memset(a, 0, sizeof *a);
    a->name = name;
    if (strcmp(name, SWEEPMAP_RUN) == 0) {
        a->kind = 1;
    } else if (strcmp(name, SWEEPMAP_SEED) == 0) {
        a->kind = 2;
    } else {
        size_t k = 0;
        while (k < l->nkeys && strcmp(l->key[k], name) != 0)
            k++;
        if (k == l->nkeys) {
            size_t m = (size_t)snprintf(err, errlen, "the sweep did not vary "
                                        "'%s'; its fields:", name);
            for (size_t i = 0; i < l->nkeys && m < errlen; i++)
                m += (size_t)snprintf(err + m, errlen - m, " %s", l->key[i]);
            if (m < errlen)
                snprintf(err + m, errlen - m, " (and run, seed)");
            return -1;
        }
        a->k = k;
    }
    a->lab = malloc(AX_MAX * sizeof *a->lab);
    if (!a->lab) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    a->numeric = 1;
    char v[GRID_VALUE_MAX];
    for (size_t i = 0; i < l->n; i++) {
        rec_label(&l->rec[i], a, v);
        size_t j = 0;
        while (j < a->n && strcmp(a->lab[j], v) != 0)
            j++;
        if (j < a->n)
            continue;
        if (a->n == AX_MAX) {
            snprintf(err, errlen, "'%s' takes more than %d values: too many "
                     "to lay out", name, AX_MAX);
            return -1;
        }
        memcpy(a->lab[a->n], v, GRID_VALUE_MAX);
        char *end;
        a->num[a->n] = strtod(v, &end);
        if (end == v || *end || !isfinite(a->num[a->n]))
            a->numeric = 0;
        a->n++;
    }
    /* numbers go up; other values keep the sweep's order */
    if (a->numeric)
        for (size_t i = 1; i < a->n; i++)
            for (size_t j = i; j > 0 && a->num[j - 1] > a->num[j]; j--) {
                double t = a->num[j];
                a->num[j] = a->num[j - 1];
                a->num[j - 1] = t;
                char tl[GRID_VALUE_MAX];
                memcpy(tl, a->lab[j], sizeof tl);
                memcpy(a->lab[j], a->lab[j - 1], sizeof tl);
                memcpy(a->lab[j - 1], tl, sizeof tl);
            }
    return 0;
}

static size_t axis_index(const axis *a, const sweep_rec *r)
{
    char v[GRID_VALUE_MAX];
    rec_label(r, a, v);
    for (size_t j = 0; j < a->n; j++)
        if (strcmp(a->lab[j], v) == 0)
            return j;
    return 0;
}

int sweepmap_edge(const double *x, const double *p, size_t n, double *edge)
{
    if (n == 0)
        return 0;
    if (p[0] >= 0.5) {
        *edge = x[0];
        return -1;
    }
    for (size_t i = 1; i < n; i++)
        if (p[i] >= 0.5) {
            double t = (0.5 - p[i - 1]) / (p[i] - p[i - 1]);
            *edge = x[i - 1] + t * (x[i] - x[i - 1]);
            return 1;
        }
    return 0;
}

/* ---- glyphs ------------------------------------------------------------------ */

static const char *const shade_u[] = {"·", "░", "▒", "▓", "█"};
static const char *const shade_a[] = {".", ":", "-", "=", "+", "*", "#", "@"};
static const int ramp[] = {61, 67, 73, 79, 114, 150, 186, 221};

static int levels(const sweepmap_opts *o)
{
    return o->ascii ? 8 : 5;
}

static void put_shade(FILE *f, const sweepmap_opts *o, int lv, int reps)
{
    int nl = levels(o);
    if (o->color)
        fprintf(f, "\033[38;5;%dm", ramp[lv * 7 / (nl - 1)]);
    for (int i = 0; i < reps; i++)
        fputs(o->ascii ? shade_a[lv] : shade_u[lv], f);
    if (o->color)
        fputs("\033[0m", f);
}

static const char verdict_glyph[VERDICT_COUNT] = {'b', 'c', 'C', 'e', 'X'};
static const int verdict_color[VERDICT_COUNT] = {214, 75, 34, 170, 196};

static void put_glyph(FILE *f, const sweepmap_opts *o, char g, int color,
                      int reps)
{
    if (o->color && color)
        fprintf(f, "\033[38;5;%dm", color);
    for (int i = 0; i < reps; i++)
        fputc(g, f);
    if (o->color && color)
        fputs("\033[0m", f);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void sweepmap_format(char *b, size_t n, double v)
{
    if (!isfinite(v))
        snprintf(b, n, "-");
    else if (v != 0 && (fabs(v) < 1e-3 || fabs(v) >= 1e5))
        snprintf(b, n, "%.2e", v);
    else
        snprintf(b, n, "%.4g", v);
}

/* ---- the divergence chart ---------------------------------------------------- */

static void divergence(const sweep_log *l, const axis *x, const axis *y,
                       const sweepmap_opts *o, FILE *f)
{
    size_t *dv = calloc(x->n, sizeof *dv), *tot = calloc(x->n, sizeof *tot);
    double *p = calloc(x->n, sizeof *p);
    if (!dv || !tot || !p)
        goto out;
    for (size_t i = 0; i < l->n; i++) {
        size_t j = axis_index(x, &l->rec[i]);
        tot[j]++;
        dv[j] += l->rec[i].verdict == VERDICT_DIVERGED;
    }
    for (size_t j = 0; j < x->n; j++)
        p[j] = tot[j] ? (double)dv[j] / (double)tot[j] : 0.0;
    double edge = 0;
    int er = sweepmap_edge(x->num, p, x->n, &edge);
    fprintf(f, "Divergence against %s: the share of runs that diverged\n",
            x->name);
    int lw = 0;
    for (size_t j = 0; j < x->n; j++)
        if ((int)strlen(x->lab[j]) > lw)
            lw = (int)strlen(x->lab[j]);
    int bw = o->width - lw - 28;
    if (bw > 40)
        bw = 40;
    if (bw < 10)
        bw = 10;
    for (size_t j = 0; j < x->n; j++) {
        int fill = (int)lround(p[j] * bw);
        fprintf(f, "  %*s ", lw, x->lab[j]);
        if (o->color && fill)
            fputs("\033[38;5;196m", f);
        for (int k = 0; k < fill; k++)
            fputs(o->ascii ? "#" : "█", f);
        if (o->color && fill)
            fputs("\033[0m", f);
        for (int k = fill; k < bw; k++)
            fputs(o->ascii ? "." : "·", f);
        fprintf(f, " %3zu/%-3zu %3.0f%%", dv[j], tot[j], 100.0 * p[j]);
        if (er == 1 && j > 0 && x->num[j - 1] < edge && edge <= x->num[j])
            fputs(o->ascii ? "  <- edge" : "  ◀ edge", f);
        if (er == -1 && j == 0)
            fputs(o->ascii ? "  <- edge (or below)" : "  ◀ edge (or below)",
                  f);
        fputc('\n', f);
    }
    char eb[32];
    sweepmap_format(eb, sizeof eb, edge);
    if (er == 1)
        fprintf(f, "  edge: %s = %s, where half the runs diverge (linear "
                   "between the two values around it)\n", x->name, eb);
    else if (er == -1)
        fprintf(f, "  edge: at or below %s = %s (half or more diverge "
                   "already there)\n", x->name, x->lab[0]);
    else
        fprintf(f, "  edge: above %s = %s (fewer than half diverge at every "
                   "value)\n", x->name, x->lab[x->n - 1]);
    /* the edge of each row of the heat map: where it moves */
    if (y) {
        size_t ny = y->n;
        int col = fprintf(f, "  edge by %s:", y->name);
        for (size_t r = 0; r < ny; r++) {
            memset(dv, 0, x->n * sizeof *dv);
            memset(tot, 0, x->n * sizeof *tot);
            for (size_t i = 0; i < l->n; i++)
                if (axis_index(y, &l->rec[i]) == r) {
                    size_t j = axis_index(x, &l->rec[i]);
                    tot[j]++;
                    dv[j] += l->rec[i].verdict == VERDICT_DIVERGED;
                }
            /* only the values this row has */
            double xs[AX_MAX], ps[AX_MAX];
            size_t m = 0;
            for (size_t j = 0; j < x->n; j++)
                if (tot[j]) {
                    xs[m] = x->num[j];
                    ps[m++] = (double)dv[j] / (double)tot[j];
                }
            double e = 0;
            int rr = sweepmap_edge(xs, ps, m, &e);
            char item[GRID_VALUE_MAX + 40], v[32];
            sweepmap_format(v, sizeof v, e);
            snprintf(item, sizeof item, " %s: %s%s", y->lab[r],
                     rr == 0 ? ">" : rr < 0 ? "<=" : "",
                     rr == 0 ? (m ? x->lab[x->n - 1] : "-") : v);
            if (col + (int)strlen(item) + 1 > o->width) {
                fputs("\n   ", f);
                col = 3;
            }
            col += fprintf(f, "%s", item);
        }
        fputc('\n', f);
    }
out:
    free(dv);
    free(tot);
    free(p);
}

/* ---- the heat map ------------------------------------------------------------ */

static void heatmap(const sweep_log *l, const axis *x, const axis *y,
                    const sweepmap_opts *o, FILE *f)
{
    size_t nx = x->n, ny = y->n, nc = nx * ny;
    double *cell = malloc(nc * sizeof *cell);
    int *ndiv = calloc(nc, sizeof *ndiv), *ntot = calloc(nc, sizeof *ntot);
    double *vals = malloc((l->n ? l->n : 1) * sizeof *vals);
    if (!cell || !ndiv || !ntot || !vals)
        goto out;
    int m = o->metric;
    int cat = m == SWEEPLOG_VERDICT;
    for (size_t c = 0; c < nc; c++) {
        size_t cx = c % nx, cy = c / nx, nv = 0;
        int vc[VERDICT_COUNT] = {0};
        for (size_t i = 0; i < l->n; i++) {
            const sweep_rec *r = &l->rec[i];
            if (axis_index(x, r) != cx || axis_index(y, r) != cy)
                continue;
            ntot[c]++;
            int d = r->verdict == VERDICT_DIVERGED;
            ndiv[c] += d;
            if (cat) {
                if (r->verdict >= 0)
                    vc[r->verdict]++;
            } else if (m == SWEEPLOG_DIVERGED) {
                vals[nv++] = d;
            } else if (!d && isfinite(r->metric[m])) {
                vals[nv++] = r->metric[m];
            }
        }
        if (cat) {
            int best = -1;
            for (int k = 0; k < VERDICT_COUNT; k++)
                if (vc[k] && (best < 0 || vc[k] > vc[best]))
                    best = k;
            cell[c] = best;
        } else if (m == SWEEPLOG_DIVERGED) {
            cell[c] = ntot[c] ? (double)ndiv[c] / ntot[c] : NAN;
        } else if (nv) {
            qsort(vals, nv, sizeof *vals, cmp_d);
            cell[c] = nv % 2 ? vals[nv / 2]
                             : 0.5 * (vals[nv / 2 - 1] + vals[nv / 2]);
        } else {
            cell[c] = NAN;
        }
    }
    /* the colour scale: log for losses that are all positive */
    double lo = INFINITY, hi = -INFINITY;
    int logs = m == SWEEPLOG_TEST_LOSS || m == SWEEPLOG_TRAIN_LOSS;
    for (size_t c = 0; c < nc; c++)
        if (isfinite(cell[c])) {
            if (cell[c] <= 0)
                logs = 0;
            if (cell[c] < lo)
                lo = cell[c];
            if (cell[c] > hi)
                hi = cell[c];
        }
    if (m == SWEEPLOG_DIVERGED) {
        lo = 0;
        hi = 1;
    }
    int nl = levels(o);
    const char *mname = sweeplog_metric_name(m);
    if (cat)
        fprintf(f, "\nThe most common verdict, %s across, %s down\n",
                x->name, y->name);
    else if (m == SWEEPLOG_DIVERGED)
        fprintf(f, "\nShare of runs that diverged, %s across, %s down\n",
                x->name, y->name);
    else
        fprintf(f, "\nMedian %s of the runs that did not diverge (%s scale), "
                   "%s across, %s down\n",
                mname, logs ? "log" : "linear", x->name, y->name);
    int lw = (int)strlen(y->name);
    for (size_t r = 0; r < ny; r++)
        if ((int)strlen(y->lab[r]) > lw)
            lw = (int)strlen(y->lab[r]);
    if (lw > 24)
        lw = 24;
    int avail = o->width - lw - 4;
    int cw = (int)(avail / (int)nx);
    if (cw > 4)
        cw = 4;
    if (cw < 1) {
        fprintf(f, "  (%zu columns do not fit in %d: a wider terminal, or "
                   "--x a field with fewer values)\n", nx, o->width);
        goto out;
    }
    int reps = cw >= 3 ? cw - 1 : cw;
    for (size_t r = ny; r-- > 0;) {
        fprintf(f, "  %*.*s ", lw, lw, y->lab[r]);
        for (size_t cx = 0; cx < nx; cx++) {
            size_t c = r * nx + cx;
            double v = cell[c];
            if (!ntot[c])
                put_glyph(f, o, ' ', 0, reps);
            else if (cat)
                put_glyph(f, o, v >= 0 ? verdict_glyph[(int)v] : '?',
                          v >= 0 ? verdict_color[(int)v] : 0, reps);
            else if (!isfinite(v))
                put_glyph(f, o, 'X', 196, reps);
            else {
                double t = hi > lo ? (logs ? (log10(v) - log10(lo)) /
                                                 (log10(hi) - log10(lo))
                                           : (v - lo) / (hi - lo))
                                   : 0.5;
                int lv = (int)floor(t * nl);
                put_shade(f, o, lv >= nl ? nl - 1 : lv < 0 ? 0 : lv, reps);
            }
            if (reps < cw)
                fputc(' ', f);
        }
        fputc('\n', f);
    }
    /* column labels, as many as fit without touching */
    char line[2048];
    int w = lw + 3 + (int)nx * cw;
    if (w > (int)sizeof line - 1)
        w = (int)sizeof line - 1;
    memset(line, ' ', (size_t)w);
    line[w] = 0;
    int next_free = 0;
    for (size_t cx = 0; cx < nx; cx++) {
        int at = lw + 3 + (int)cx * cw;
        int len = (int)strlen(x->lab[cx]);
        int last = cx == nx - 1;
        if (at >= next_free && at + len <= w + 12 &&
            (last || at + len + 1 <= lw + 3 + (int)(nx - 1) * cw ||
             nx == 1)) {
            if (at + len > w) {
                memset(line + w, ' ', (size_t)(at + len - w));
                w = at + len;
                line[w] = 0;
            }
            memcpy(line + at, x->lab[cx], (size_t)len);
            next_free = at + len + 1;
        }
    }
    fprintf(f, "%s\n", line);
    fprintf(f, "  %*s %s\n", lw, "", x->name);
    /* the legend */
    fputs("  legend:", f);
    if (cat) {
        for (int k = 0; k < VERDICT_COUNT; k++) {
            fputs("  ", f);
            put_glyph(f, o, verdict_glyph[k], verdict_color[k], 1);
            fprintf(f, " %s", verdict_name((verdict_kind)k));
        }
    } else if (!isfinite(lo)) {
        fputs("  every run diverged", f);
    } else {
        int col = 10;
        for (int k = 0; k < nl; k++) {
            double a = logs ? pow(10, log10(lo) + (log10(hi) - log10(lo)) *
                                                      k / nl)
                            : lo + (hi - lo) * k / nl;
            char ab[32];
            sweepmap_format(ab, sizeof ab, a);
            if (col + 14 > o->width) {
                fputs("\n         ", f);
                col = 9;
            }
            fputs("  ", f);
            put_shade(f, o, k, 1);
            col += 3 + fprintf(f, " %s%s", k ? ">=" : "", ab);
        }
        char hb[32];
        sweepmap_format(hb, sizeof hb, hi);
        fprintf(f, "  (max %s)", hb);
    }
    if (!cat && m != SWEEPLOG_DIVERGED)
        fputs("   X every run diverged", f);
    fputs("   blank: no run\n", f);
out:
    free(cell);
    free(ndiv);
    free(ntot);
    free(vals);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int sweepmap_print(const sweep_log *l, const sweepmap_opts *o, FILE *f,
                   char *err, size_t errlen)
{
    static axis xa, ya;
    int rc = -1, has_y = 0;
    const char *xk = o->xkey, *yk = o->ykey;
    if (!xk) {
        xk = l->nkeys ? l->key[0] : SWEEPMAP_RUN;
        for (size_t k = 0; k < l->nkeys; k++)
            if (strcmp(l->key[k], "eta") == 0)
                xk = "eta";
    }
    if (axis_make(&xa, l, xk, err, errlen) != 0)
        goto out;
    if (!yk) {
        for (size_t k = 0; k < l->nkeys && !yk; k++)
            if (strcmp(l->key[k], xk) != 0)
                yk = l->key[k];
        if (!yk && strcmp(xk, SWEEPMAP_RUN) != 0) {
            /* several runs per job: the runs are the rows */
            for (size_t i = 1; i < l->n && !yk; i++)
                if (strcmp(l->rec[i].run, l->rec[0].run) != 0)
                    yk = SWEEPMAP_RUN;
        }
    }
    if (yk && strcmp(yk, xk) == 0) {
        snprintf(err, errlen, "--x and --y name the same field '%s'", xk);
        goto out;
    }
    if (yk) {
        if (axis_make(&ya, l, yk, err, errlen) != 0)
            goto out;
        has_y = 1;
    }
    /* the sampling seeds: how many distinct ones, and their range */
    size_t nseeds = 0;
    uint64_t smin = 0, smax = 0;
    uint64_t *sd = malloc(l->n * sizeof *sd);
    if (sd) {
        for (size_t i = 0; i < l->n; i++)
            sd[i] = l->rec[i].seed;
        qsort(sd, l->n, sizeof *sd, cmp_u64);
        for (size_t i = 0; i < l->n; i++)
            nseeds += i == 0 || sd[i] != sd[i - 1];
        smin = sd[0];
        smax = sd[l->n - 1];
        free(sd);
    }
    fprintf(f, "Sweep of %s: %zu runs; %s: %zu values", l->scene[0] ? l->scene
                                                                     : "?",
            l->n, xa.name, xa.n);
    if (has_y)
        fprintf(f, ", %s: %zu values", ya.name, ya.n);
    if (nseeds > 1)
        fprintf(f, "; %zu sampling seeds (%llu-%llu)", nseeds,
                (unsigned long long)smin, (unsigned long long)smax);
    else if (nseeds == 1)
        fprintf(f, "; sampling seed %llu", (unsigned long long)smin);
    fputs("\n\n", f);
    if (xa.numeric)
        divergence(l, &xa, has_y ? &ya : NULL, o, f);
    else
        fprintf(f, "(%s is not numeric: no divergence curve; --x eta)\n",
                xa.name);
    if (has_y)
        heatmap(l, &xa, &ya, o, f);
    rc = 0;
out:
    free(xa.lab);
    free(ya.lab);
    xa.lab = ya.lab = NULL;
    return rc;
}

/* panel_kit.c — what the panels share; see panel_kit.h. */
#include "panel_kit.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double *scratch_theta;
static size_t scratch_p;
static double *hb; /* 4 × hb_cap: bucket x0, x1, lo, hi */
static size_t hb_cap;

double *panel_theta_buf(size_t p)
{
    if (p > scratch_p) {
        double *n = realloc(scratch_theta, p * sizeof *n);
        if (!n)
            return NULL;
        scratch_theta = n;
        scratch_p = p;
    }
    return scratch_theta;
}

int panel_is_model(const run *r, const char *name)
{
    return strcmp(r->m.ops->name, name) == 0;
}

size_t panel_npts(const plot *p, const canvas *c)
{
    size_t n = (size_t)(p->area.w * canvas_dots_x(c));
    return n < 2 ? 2 : n > PANEL_MAX_PTS ? PANEL_MAX_PTS : n;
}

void panel_title(canvas *c, rect r, const fit_part *parts, size_t n)
{
    if (r.h > 0)
        fit_draw(c, r.x, r.y, r.w - 1, parts, n, "  ");
}

const char *panel_verdict_word(const run *R)
{
    return R->diverged ? verdict_name(VERDICT_DIVERGED)
                       : verdict_name(R->last.verdict);
}

int panel_verdict_role(const run *R)
{
    if (R->diverged)
        return ROLE_WARN;
    switch (R->last.verdict) {
    case VERDICT_BOUNCING: return ROLE_GOOD;
    case VERDICT_ERRATIC:
    case VERDICT_DIVERGED: return ROLE_WARN;
    default: return ROLE_TITLE;
    }
}

char *panel_fmt_loss(double v, char *buf, size_t cap)
{
    if (v == 0.0)
        snprintf(buf, cap, "<1e-300");
    else
        plot_fmt(v, buf, cap);
    return buf;
}

/* ---- series ------------------------------------------------------------- */

static int hb_grow(size_t n)
{
    if (n <= hb_cap)
        return 0;
    double *b = realloc(hb, 4 * n * sizeof *b);
    if (!b)
        return -1;
    hb = b;
    hb_cap = n;
    return 0;
}

double panel_xval(int xlog, uint64_t step)
{
    return xlog ? (double)step + 1.0 : (double)step;
}

static panel_series series_at(size_t n)
{
    panel_series s = {hb, hb + hb_cap, hb + 2 * hb_cap, hb + 3 * hb_cap, n};
    return s;
}

panel_series panel_series_of(const history *h, int xlog,
                             double (*f)(double))
{
    if (hb_grow(h->len) != 0)
        return series_at(0);
    size_t n = h->len;
    double *x0 = hb, *x1 = hb + hb_cap, *lo = hb + 2 * hb_cap,
           *hi = hb + 3 * hb_cap;
    for (size_t i = 0; i < n; i++) {
        const hist_bucket *b = history_at(h, i);
        x0[i] = panel_xval(xlog, b->step_first);
        x1[i] = panel_xval(xlog, b->step_last);
        double a = f ? f(b->min) : b->min, z = f ? f(b->max) : b->max;
        lo[i] = fmin(a, z);
        hi[i] = fmax(a, z);
    }
    return series_at(n);
}

panel_series panel_series_samples(const uint64_t *step, const double *v,
                                  size_t n, uint64_t until, int xlog)
{
    size_t k = 0;
    while (k < n && step[k] <= until)
        k++;
    if (hb_grow(k) != 0)
        return series_at(0);
    for (size_t i = 0; i < k; i++) {
        hb[i] = hb[hb_cap + i] = panel_xval(xlog, step[i]);
        hb[2 * hb_cap + i] = hb[3 * hb_cap + i] = v[i];
    }
    return series_at(k);
}

void panel_series_draw(plot *p, const panel_series *s, int role,
                       unsigned dash)
{
    plot_envelope_dash(p, s->x0, s->x1, s->lo, s->hi, s->n, role, dash);
}

double panel_window_max(const history *h, uint64_t from)
{
    double m = NAN;
    for (size_t i = h->len; i-- > 0;) {
        const hist_bucket *b = history_at(h, i);
        if (b->step_last < from)
            break;
        m = fmax(m, b->max);
    }
    return m;
}

void panel_pos_range(const history *h, double *minpos, double *max,
                     int *nonpos)
{
    for (size_t i = 0; i < h->len; i++) {
        const hist_bucket *b = history_at(h, i);
        if (isfinite(b->max))
            *max = fmax(*max, b->max);
        if (b->min > 0)
            *minpos = fmin(*minpos, b->min);
        else if (b->min <= 0)
            *nonpos = 1;
        if (b->max > 0 && !(b->min > 0))
            *minpos = fmin(*minpos, b->max);
    }
}

axis panel_log_axis(double minpos, double max, int nonpos)
{
    axis a = {0, 0, 1, 0};
    if (!(max > 0) || !isfinite(max))
        max = isfinite(minpos) && minpos > 0 ? minpos : 1.0;
    a.hi = pow(10.0, ceil(log10(max) - 1e-9));
    if (!isfinite(a.hi))
        a.hi = DBL_MAX;
    double cap = a.hi * pow(10.0, -PANEL_LOG_SPAN);
    a.lo = minpos > 0 && isfinite(minpos)
               ? pow(10.0, floor(log10(minpos) + 1e-9))
               : cap;
    if (a.lo < cap || nonpos) {
        a.lo = fmax(a.lo, cap);
        a.floor = 1;
    }
    if (!(a.lo > 0))
        a.lo = 1e-300, a.floor = 1;
    if (!(a.lo < a.hi))
        a.lo = a.hi / 10.0;
    return a;
}

double panel_nice_ceil(double v)
{
    static const double m[] = {1, 1.5, 2, 3, 5, 7, 10};
    if (!(v > 0) || !isfinite(v))
        return v;
    double e = pow(10.0, floor(log10(v)));
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (m[i] * e >= v * (1 - 1e-12))
            return m[i] * e;
    return 10 * e;
}

/* plot.c — axes and data drawn into a canvas rectangle; see plot.h.
 *
 * Layout of the rectangle r (clipped to the canvas):
 *   - PLOT_FRAME: a box border on r's edge; the title sits in the top
 *     border and everything below is laid out inside the border.
 *   - otherwise row 0 is the title, left-aligned and truncated with '…'
 *     ('~' in the ASCII tier); a NULL or empty title takes no row.
 *   - the left gutter holds the y tick labels, right-aligned, at most
 *     PLOT_LABEL_W cells, then one column of axis line ('│', '┤' at tick
 *     rows; '|' and '+' in ASCII), all in ROLE_DIM.  PLOT_NO_YLABELS
 *     removes the gutter.
 *   - the bottom row holds the x tick labels, centred on their column
 *     (PLOT_NO_XLABELS removes the row).
 *   - the data area is what remains.  It needs at least 2×2 cells, and
 *     when any labels are on, r (inside the frame) must be at least
 *     PLOT_MIN_W × PLOT_MIN_H = 10 × 4; otherwise p->ok = 0 and only the
 *     title is drawn.
 * Ticks: a log axis is ticked at decades labelled "1e<k>" — always that
 * form, "1e0" included, so a column of labels reads alike — every decade
 * if the room allows, else every 2nd, 5th, 10th… decade.  A log range
 * holding fewer than two decades, and every linear axis, is ticked at
 * 1-2-5 steps labelled by plot_fmt.  Labels that would collide with the
 * previous one are skipped.
 * Mapping: y = hi is dot row 0 and y = lo the last dot row; x = lo is dot
 * column 0 and x = hi the last.  Dot i covers [i − ½, i + ½).
 * Nothing here allocates.
 */
#include "plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    PLOT_MIN_W = 10,
    PLOT_MIN_H = 4,
    PLOT_LABEL_W = 7,
    MAX_TICKS = 40,
};

/* Mapped positions are clamped to ±CLAMP_T ranges so that a value like
 * 1e308 stays finite and its segment still points the right way. */
#define CLAMP_T 1e6

typedef struct tick {
    double v;
    char label[16];
} tick;

/* Repairs a range as plot.h promises: NaN/Inf → [0, 1] (log: [1e-3, 1]),
 * lo > hi swapped, log lo ≤ 0 clamped to hi·1e-6, a flat (or
 * floating-point flat) range widened. */
static axis axis_repair(axis a)
{
    if (a.lo > a.hi) {
        double t = a.lo;
        a.lo = a.hi;
        a.hi = t;
    }
    if (a.log) {
        if (!(a.hi > 0) || !isfinite(a.hi)) {
            a.lo = 1e-3;
            a.hi = 1;
        } else if (!(a.lo > 0) || !isfinite(a.lo)) {
            a.lo = a.hi * 1e-6;
        }
        if (!(a.lo > 0)) /* hi was subnormal */
            a.lo = 1e-300, a.hi = 1e-299;
        if (!(log10(a.hi) - log10(a.lo) > 1e-9)) {
            a.lo /= 10;
            a.hi = a.hi <= 1e307 ? a.hi * 10 : a.hi;
        }
        return a;
    }
    if (!isfinite(a.lo) || !isfinite(a.hi)) {
        a.lo = 0;
        a.hi = 1;
    }
    double m = fmax(fabs(a.lo), fabs(a.hi));
    if (!(a.hi - a.lo > 1e-12 * m) || a.hi - a.lo < 1e-290) {
        double d = m * 0.1 > 1e-290 ? m * 0.1 : 1;
        a.lo -= d;
        a.hi += d;
    }
    return a;
}

/* Position of v along a as a fraction of [lo, hi]; NaN when v can't be
 * placed.  Differences on halves so ±1e308 cannot overflow. */
static double axis_frac(const axis *a, double v)
{
    double t;
    if (!isfinite(v))
        return NAN;
    if (a->log) {
        if (a->floor && v <= a->lo)
            return 0; /* on the floor, which says "≤" */
        if (!(v > 0))
            return NAN;
        double l0 = log10(a->lo);
        t = (log10(v) - l0) / (log10(a->hi) - l0);
    } else {
        t = (v / 2 - a->lo / 2) / (a->hi / 2 - a->lo / 2);
    }
    return t < -CLAMP_T ? -CLAMP_T : t > CLAMP_T ? CLAMP_T : t;
}

static int area_dots_w(const plot *p)
{
    return p->area.w * canvas_dots_x(p->c);
}

static int area_dots_h(const plot *p)
{
    return p->area.h * canvas_dots_y(p->c);
}

double plot_px(const plot *p, double x)
{
    int w = area_dots_w(p);
    return axis_frac(&p->x, x) * (w > 1 ? w - 1 : 0);
}

double plot_py(const plot *p, double y)
{
    int h = area_dots_h(p);
    return (1 - axis_frac(&p->y, y)) * (h > 1 ? h - 1 : 0);
}

/* Rounds a dot coordinate to an index if it falls inside [0, n); −1 if
 * not (or NaN). */
static int dot_index(double v, int n)
{
    if (!(v >= -0.5 && v < n - 0.5))
        return -1;
    return (int)floor(v + 0.5);
}

/* Smallest 1-2-5 × 10^k step ≥ raw (raw > 0, finite). */
static double nice_step(double raw)
{
    double e = floor(log10(raw)), b = pow(10, e), m = raw / b;
    double s = (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * b;
    return isfinite(s) ? s : 1e308;
}

/* 1-2-5 ticks inside [lo, hi], about `target` of them (≥ 2 wanted). */
static int ticks_linear(double lo, double hi, int target, tick *out, int cap)
{
    if (target < 2)
        target = 2;
    double step = nice_step((hi / 2 - lo / 2) / target * 2);
    double k0 = ceil(lo / step), k1 = floor(hi / step);
    int n = 0;
    /* The cap also ends the loop when k++ stops changing k (huge k). */
    for (double k = k0; k <= k1 && n < cap; k++) {
        out[n].v = k * step;
        plot_fmt(out[n].v, out[n].label, sizeof out[n].label);
        n++;
    }
    /* A narrow range far from 0 (θ within 1e-4 of 1) would read "1 1 1":
     * add digits until neighbours differ. */
    for (int sig = 4; sig <= 12; sig++) {
        int same = 0;
        for (int i = 1; i < n; i++)
            same |= strcmp(out[i].label, out[i - 1].label) == 0;
        if (!same)
            break;
        for (int i = 0; i < n; i++)
            plot_fmt_sig(out[i].v, sig, out[i].label, sizeof out[i].label);
    }
    return n;
}

/* Decade ticks inside a log axis, at most `maxn` of them (by striding);
 * falls back to 1-2-5 ticks when fewer than two decades are inside. */
static int ticks_make(const axis *a, int maxn, tick *out)
{
    if (maxn > MAX_TICKS)
        maxn = MAX_TICKS;
    if (maxn < 1)
        return 0;
    if (!a->log)
        return ticks_linear(a->lo, a->hi, maxn, out, MAX_TICKS);
    /* The slack accepts 1e-3 stored as 0.0010000000000000002. */
    int k0 = (int)ceil(log10(a->lo) - 1e-9);
    int k1 = (int)floor(log10(a->hi) + 1e-9);
    if (k1 - k0 + 1 < 2) {
        int n = ticks_linear(a->lo, a->hi, maxn, out, MAX_TICKS);
        int m = 0; /* a log axis can't place 0 or negatives */
        for (int i = 0; i < n; i++)
            if (out[i].v > 0 && (!a->floor || out[i].v > a->lo))
                out[m++] = out[i];
        if (a->floor && m < MAX_TICKS) { /* the floor first, marked */
            memmove(out + 1, out, (size_t)m * sizeof *out);
            out[0].v = a->lo;
            char b[12];
            snprintf(out[0].label, sizeof out[0].label, "\xE2\x89\xA4%s",
                     plot_fmt(a->lo, b, sizeof b));
            m++;
        }
        return m;
    }
    static const int mult[3] = {1, 2, 5};
    int stride = 1;
    for (int i = 0;; i++) {
        stride = mult[i % 3] * (int)pow(10, i / 3);
        /* multiples of stride in [k0, k1] */
        int first = (int)ceil((double)k0 / stride) * stride;
        int cnt = first > k1 ? 0 : (k1 - first) / stride + 1;
        if (cnt <= maxn || stride >= 1000)
            break;
    }
    int n = 0;
    /* A floor is always ticked (it carries the "≤"), so count from it. */
    int first = a->floor ? k0 : (int)ceil((double)k0 / stride) * stride;
    for (int k = first; k <= k1 && n < maxn; k += stride) {
        out[n].v = pow(10, k);
        snprintf(out[n].label, sizeof out[n].label, "%s1e%d",
                 a->floor && k == k0 ? "\xE2\x89\xA4" : "", k);
        n++;
    }
    return n;
}

/* Writes s into w cells at (x, y), ending with an ellipsis if it's cut. */
static void text_fit(canvas *c, int x, int y, const char *s, int w, int role,
                     int attr)
{
    if (w <= 0 || !s || !*s)
        return;
    if (canvas_text_width(s) <= w) {
        canvas_text(c, x, y, s, role, attr, w);
        return;
    }
    canvas_text(c, x, y, s, role, attr, w - 1);
    canvas_put(c, x + w - 1, y, c->tier == GLYPH_ASCII ? '~' : 0x2026, role,
               attr);
}

static rect rect_clip(const canvas *c, rect r)
{
    long long x0 = r.x < 0 ? 0 : r.x, y0 = r.y < 0 ? 0 : r.y;
    long long x1 = (long long)r.x + r.w, y1 = (long long)r.y + r.h;
    if (x1 > c->w)
        x1 = c->w;
    if (y1 > c->h)
        y1 = c->h;
    rect o = {(int)x0, (int)y0, 0, 0};
    if (r.w > 0 && x1 > x0)
        o.w = (int)(x1 - x0);
    if (r.h > 0 && y1 > y0)
        o.h = (int)(y1 - y0);
    return o;
}

static void frame_draw(canvas *c, rect r)
{
    int a = c->tier == GLYPH_ASCII;
    uint32_t hz = a ? '-' : 0x2500, vt = a ? '|' : 0x2502;
    int x1 = r.x + r.w - 1, y1 = r.y + r.h - 1;
    for (int x = r.x + 1; x < x1; x++) {
        canvas_put(c, x, r.y, hz, ROLE_DIM, 0);
        canvas_put(c, x, y1, hz, ROLE_DIM, 0);
    }
    for (int y = r.y + 1; y < y1; y++) {
        canvas_put(c, r.x, y, vt, ROLE_DIM, 0);
        canvas_put(c, x1, y, vt, ROLE_DIM, 0);
    }
    canvas_put(c, r.x, r.y, a ? '+' : 0x250C, ROLE_DIM, 0);
    canvas_put(c, x1, r.y, a ? '+' : 0x2510, ROLE_DIM, 0);
    canvas_put(c, r.x, y1, a ? '+' : 0x2514, ROLE_DIM, 0);
    canvas_put(c, x1, y1, a ? '+' : 0x2518, ROLE_DIM, 0);
}

/* The y labels and the axis line, in the gutter left of the area. */
static void ylabels_draw(plot *p, const tick *t, int n, int gw)
{
    canvas *c = p->c;
    int a = c->tier == GLYPH_ASCII, dy = canvas_dots_y(c);
    int ax = p->area.x - 1, h = area_dots_h(p);
    for (int y = p->area.y; y < p->area.y + p->area.h; y++)
        canvas_put(c, ax, y, a ? '|' : 0x2502, ROLE_DIM, 0);
    int last = -1;
    for (int i = 0; i < n; i++) {
        int d = dot_index(plot_py(p, t[i].v), h);
        if (d < 0)
            continue;
        int row = p->area.y + d / dy;
        if (row == last)
            continue; /* two ticks in one row: keep the first */
        last = row;
        int lw = canvas_text_cells(c, t[i].label);
        if (lw > gw - 1)
            lw = gw - 1;
        canvas_text(c, ax - lw, row, t[i].label, ROLE_DIM, 0, lw);
        canvas_put(c, ax, row, a ? '+' : 0x2524, ROLE_DIM, 0);
    }
}

/* The x labels on row y, centred on their column, inside [x0, x1). */
static void xlabels_draw(plot *p, const tick *t, int n, int y, int x0, int x1)
{
    int dx = canvas_dots_x(p->c), w = area_dots_w(p);
    int next_free = x0; /* first column a label may start at */
    for (int i = 0; i < n; i++) {
        int d = dot_index(plot_px(p, t[i].v), w);
        if (d < 0)
            continue;
        int lw = canvas_text_width(t[i].label);
        if (lw > x1 - x0)
            continue;
        int s = p->area.x + d / dx - lw / 2;
        if (s + lw > x1)
            s = x1 - lw;
        if (s < next_free)
            continue;
        canvas_text(p->c, s, y, t[i].label, ROLE_DIM, 0, lw);
        next_free = s + lw + 1; /* keep a blank between labels */
    }
}

/* The y ticks for an area of height h rows. */
static int yticks(const axis *y, int h, tick *out)
{
    return ticks_make(y, y->log ? h : h / 2, out);
}

/* The gutter the y labels of yt need: widest label + the axis column. */
static int gutter_for(const canvas *c, const tick *yt, int ny)
{
    int gw = 0;
    for (int i = 0; i < ny; i++) {
        int lw = canvas_text_cells(c, yt[i].label);
        gw = lw > gw ? lw : gw;
    }
    return (gw > PLOT_LABEL_W ? PLOT_LABEL_W : gw) + 1;
}

/* The rectangle left for the axes and data once the frame and the title
 * are placed; 0 if labels can't fit (see the layout at the top). */
static int inner_rect(const canvas *c, rect r, const char *title, int flags,
                      rect *in_out, int *xl_out)
{
    rect in = rect_clip(c, r);
    if (in.w <= 0 || in.h <= 0)
        return 0;
    int has_title = (title && *title) || (flags & PLOT_TITLE_ROW);
    if ((flags & PLOT_FRAME) && in.w >= 2 && in.h >= 2)
        in.x++, in.y++, in.w -= 2, in.h -= 2;
    else if (has_title)
        in.y++, in.h--;
    int xl = !(flags & PLOT_NO_XLABELS), yl = !(flags & PLOT_NO_YLABELS);
    int full_h = in.h + (has_title && !(flags & PLOT_FRAME));
    if ((xl || yl) && (in.w < PLOT_MIN_W || full_h < PLOT_MIN_H))
        return 0;
    *in_out = in;
    *xl_out = xl;
    return 1;
}

int plot_gutter(const canvas *c, rect r, axis y, int flags)
{
    rect in;
    int xl;
    if ((flags & PLOT_NO_YLABELS) || !inner_rect(c, r, NULL, flags, &in, &xl))
        return 0;
    int h = in.h - (xl ? 1 : 0);
    if (h < 2)
        return 0;
    tick yt[MAX_TICKS];
    axis ya = axis_repair(y);
    return gutter_for(c, yt, yticks(&ya, h, yt));
}

void plot_begin(plot *p, canvas *c, rect r, const char *title, axis x,
                axis y, int flags)
{
    plot_begin_gutter(p, c, r, title, x, y, flags, 0);
}

void plot_begin_gutter(plot *p, canvas *c, rect r, const char *title,
                       axis x, axis y, int flags, int gutter)
{
    memset(p, 0, sizeof *p);
    p->c = c;
    p->outer = rect_clip(c, r);
    p->x = axis_repair(x);
    p->y = axis_repair(y);
    rect in = p->outer;
    if (in.w <= 0 || in.h <= 0)
        return;
    int has_title = (title && *title) || (flags & PLOT_TITLE_ROW);
    if (!title)
        title = "";
    if ((flags & PLOT_FRAME) && in.w >= 2 && in.h >= 2) {
        frame_draw(c, in);
        if (has_title)
            text_fit(c, in.x + 1, in.y, title, in.w - 2, ROLE_TITLE,
                     ATTR_BOLD);
        in.x++, in.y++, in.w -= 2, in.h -= 2;
    } else if (has_title) {
        text_fit(c, in.x, in.y, title, in.w, ROLE_TITLE, ATTR_BOLD);
        in.y++, in.h--;
    }
    int xl = !(flags & PLOT_NO_XLABELS), yl = !(flags & PLOT_NO_YLABELS);
    int full_h = in.h + (has_title && !(flags & PLOT_FRAME));
    if ((xl || yl) && (in.w < PLOT_MIN_W || full_h < PLOT_MIN_H))
        return;
    p->area = in;
    if (xl)
        p->area.h--;
    if (p->area.h < 2) {
        p->area.w = p->area.h = 0;
        return;
    }
    /* y ticks first: they depend only on the height, and their widest
     * label fixes the gutter and so the area's width. */
    tick yt[MAX_TICKS], xt[MAX_TICKS];
    int ny = 0, gw = 0;
    if (yl) {
        ny = yticks(&p->y, p->area.h, yt);
        gw = gutter > 0 ? gutter : gutter_for(c, yt, ny);
        p->area.x += gw;
        p->area.w -= gw;
    }
    if (p->area.w < 2) {
        p->area.w = p->area.h = 0;
        return;
    }
    p->ok = 1;
    if (yl)
        ylabels_draw(p, yt, ny, gw);
    if (xl) {
        char lo[16], hi[16];
        int lw = p->x.log ? 5 : 0; /* "1e-3"; linear: the wider end */
        if (!p->x.log) {
            int a = canvas_text_width(plot_fmt(p->x.lo, lo, sizeof lo));
            int b = canvas_text_width(plot_fmt(p->x.hi, hi, sizeof hi));
            lw = a > b ? a : b;
        }
        int nx = ticks_make(&p->x, p->area.w / (lw + 2), xt);
        xlabels_draw(p, xt, nx, in.y + in.h - 1, in.x, in.x + in.w);
    }
}

void plot_line(plot *p, const double *xs, const double *ys, size_t n,
               int role)
{
    plot_line_dash(p, xs, ys, n, role, 0xFF);
}

void plot_line_dash(plot *p, const double *xs, const double *ys, size_t n,
                    int role, unsigned dash)
{
    if (!p->ok || !xs || !ys)
        return;
    double px = NAN, py = NAN; /* the previous point */
    int prev_ok = 0;
    for (size_t i = 0; i < n; i++) {
        double x = plot_px(p, xs[i]), y = plot_py(p, ys[i]);
        int ok = isfinite(x) && isfinite(y);
        if (ok && prev_ok) {
            canvas_line_dash(p->c, p->area, px, py, x, y, role, dash);
        } else if (ok) {
            /* an isolated point (no valid neighbour) still shows */
            int next_ok = i + 1 < n && isfinite(plot_px(p, xs[i + 1])) &&
                          isfinite(plot_py(p, ys[i + 1]));
            if (!next_ok)
                canvas_line_dash(p->c, p->area, x, y, x, y, role, dash);
        }
        px = x, py = y, prev_ok = ok;
    }
}

void plot_points(plot *p, const double *xs, const double *ys, size_t n,
                 int role)
{
    if (!p->ok || !xs || !ys)
        return;
    int w = area_dots_w(p), h = area_dots_h(p);
    for (size_t i = 0; i < n; i++) {
        int cx = dot_index(plot_px(p, xs[i]), w);
        int cy = dot_index(plot_py(p, ys[i]), h);
        if (cx >= 0 && cy >= 0)
            canvas_dot(p->c, p->area, cx, cy, role);
    }
}

/* Sets the dots of column col between dot rows ya and yb (either order,
 * clipped to the area). */
static void column_fill(plot *p, int col, double ya, double yb, int role)
{
    int h = area_dots_h(p);
    if (isnan(ya) || isnan(yb) || col < 0 || col >= area_dots_w(p))
        return;
    double top = fmin(ya, yb), bot = fmax(ya, yb);
    if (bot < -0.5 || top >= h - 0.5)
        return;
    int r0 = top < 0 ? 0 : (int)floor(top + 0.5);
    int r1 = bot > h - 1 ? h - 1 : (int)floor(bot + 0.5);
    for (int r = r0; r <= r1; r++)
        canvas_dot(p->c, p->area, col, r, role);
}

void plot_band(plot *p, const double *xs, const double *lo, const double *hi,
               size_t n, int role)
{
    if (!p->ok || !xs || !lo || !hi)
        return;
    int w = area_dots_w(p);
    int have = 0;
    double pc = 0, pl = 0, ph = 0; /* previous column, its lo/hi rows */
    for (size_t i = 0; i < n; i++) {
        double x = plot_px(p, xs[i]);
        double yl = plot_py(p, lo[i]), yh = plot_py(p, hi[i]);
        if (!isfinite(x) || !isfinite(yl) || !isfinite(yh))
            continue; /* and the gap to the next valid point is filled */
        double cx = floor(x + 0.5);
        if (cx >= 0 && cx < w)
            column_fill(p, (int)cx, yl, yh, role);
        if (have && fabs(cx - pc) > 1) {
            /* Interpolate the columns in between, visiting only those
             * inside the area (cx may be far outside). */
            double a = fmin(pc, cx), b = fmax(pc, cx);
            int c0 = a + 1 < 0 ? 0 : (int)(a + 1);
            int c1 = b - 1 > w - 1 ? w - 1 : (int)(b - 1);
            for (int c = c0; c <= c1; c++) {
                double t = (c - pc) / (cx - pc);
                column_fill(p, c, pl + t * (yl - pl), ph + t * (yh - ph),
                            role);
            }
        }
        have = 1, pc = cx, pl = yl, ph = yh;
    }
}

/* Dot columns plot_envelope can bin (a 4000-column terminal). */
#define ENV_MAX 8192

void plot_envelope(plot *p, const double *x0, const double *x1,
                   const double *lo, const double *hi, size_t n, int role)
{
    plot_envelope_dash(p, x0, x1, lo, hi, n, role, 0xFF);
}

void plot_envelope_dash(plot *p, const double *x0, const double *x1,
                        const double *lo, const double *hi, size_t n,
                        int role, unsigned dash)
{
    static double top[ENV_MAX], bot[ENV_MAX]; /* dot rows per column */
    if (!p->ok || !x0 || !x1 || !lo || !hi)
        return;
    int w = area_dots_w(p);
    if (w > ENV_MAX)
        w = ENV_MAX;
    for (int i = 0; i < w; i++)
        top[i] = bot[i] = NAN;
    for (size_t i = 0; i < n; i++) {
        double a = plot_px(p, x0[i]), b = plot_px(p, x1[i]);
        double yt = plot_py(p, hi[i]), yb = plot_py(p, lo[i]);
        if (!isfinite(a) || !isfinite(b) || !isfinite(yt) || !isfinite(yb))
            continue;
        if (a > b) {
            double t = a;
            a = b;
            b = t;
        }
        if (b < -0.5 || a >= w - 0.5)
            continue;
        int c0 = a < 0 ? 0 : (int)floor(a + 0.5);
        int c1 = b > w - 1 ? w - 1 : (int)floor(b + 0.5);
        for (int col = c0; col <= c1; col++) {
            top[col] = isnan(top[col]) ? yt : fmin(top[col], yt);
            bot[col] = isnan(bot[col]) ? yb : fmax(bot[col], yb);
        }
    }
    int prev = -1;
    for (int col = 0; col < w; col++) {
        if (isnan(top[col]))
            continue;
        double t = top[col], b = bot[col];
        if (prev >= 0) {
            /* Join: a column entirely below (above) the previous one
             * reaches up (down) to it; columns skipped in between are
             * interpolated. */
            for (int k = prev + 1; k < col; k++) {
                double f = (double)(k - prev) / (col - prev);
                if ((dash >> (k & 7)) & 1)
                    column_fill(p, k, top[prev] + f * (t - top[prev]),
                                bot[prev] + f * (b - bot[prev]), role);
            }
            if (t > bot[prev])
                t = bot[prev];
            if (b < top[prev])
                b = top[prev];
        }
        if ((dash >> (col & 7)) & 1)
            column_fill(p, col, t, b, role);
        prev = col;
    }
}

void plot_shade(plot *p, double x0, double x1, double lo, double hi,
                int role)
{
    if (!p->ok)
        return;
    int w = area_dots_w(p), h = area_dots_h(p);
    double a = plot_px(p, x0), b = plot_px(p, x1);
    double t = plot_py(p, hi), u = plot_py(p, lo);
    if (!isfinite(a) || !isfinite(b) || !isfinite(t) || !isfinite(u))
        return;
    int c0 = (int)floor(fmin(a, b) + 0.5), c1 = (int)floor(fmax(a, b) + 0.5);
    int r0 = (int)floor(fmin(t, u) + 0.5), r1 = (int)floor(fmax(t, u) + 0.5);
    c0 = c0 < 0 ? 0 : c0;
    r0 = r0 < 0 ? 0 : r0;
    c1 = c1 > w - 1 ? w - 1 : c1;
    r1 = r1 > h - 1 ? h - 1 : r1;
    /* One dot per cell row pair in the ASCII tier would be every cell;
     * there the shade is the role's glyph in every cell, as before. */
    int ascii = p->c->tier == GLYPH_ASCII;
    for (int y = r0; y <= r1; y++)
        for (int x = c0; x <= c1; x++)
            if (ascii || (x + y) % 2 == 0)
                canvas_dot(p->c, p->area, x, y, role);
}

void plot_vline(plot *p, double x, int role)
{
    if (!p->ok)
        return;
    int cx = dot_index(plot_px(p, x), area_dots_w(p));
    if (cx >= 0)
        column_fill(p, cx, 0, area_dots_h(p) - 1, role);
}

int plot_vline_dash(plot *p, double x, int role, unsigned dash)
{
    if (!p->ok)
        return -1;
    int cx = dot_index(plot_px(p, x), area_dots_w(p));
    if (cx < 0)
        return -1;
    for (int y = 0, h = area_dots_h(p); y < h; y++)
        if ((dash >> (y & 7)) & 1)
            canvas_dot(p->c, p->area, cx, y, role);
    return p->area.x + cx / canvas_dots_x(p->c);
}

void plot_hline(plot *p, double y, int role)
{
    if (!p->ok)
        return;
    int cy = dot_index(plot_py(p, y), area_dots_h(p));
    if (cy >= 0 && p->c->tier == GLYPH_ASCII) {
        /* one dot per cell: a row of '-' reads as a level, '|' would not */
        for (int x = 0; x < p->area.w; x++)
            canvas_put(p->c, p->area.x + x, p->area.y + cy, '-', role, 0);
        return;
    }
    for (int x = 0, w = area_dots_w(p); cy >= 0 && x < w; x++)
        canvas_dot(p->c, p->area, x, cy, role);
}

/* Of vals[i0..i1), the finite value farthest from base (NaN if none): a
 * merged bar shows its most extreme member, as "max" does for base 0. */
static double bars_merge(const double *vals, size_t i0, size_t i1,
                         double base)
{
    double best = NAN;
    for (size_t i = i0; i < i1; i++)
        if (isfinite(vals[i]) &&
            (isnan(best) || fabs(vals[i] - base) > fabs(best - base)))
            best = vals[i];
    return best;
}

void plot_bars(plot *p, const double *vals, size_t n, double base, int role)
{
    if (!p->ok || !vals || n == 0)
        return;
    int w = area_dots_w(p), h = area_dots_h(p);
    double yb = plot_py(p, base);
    if (isnan(yb))
        yb = h - 1; /* e.g. base 0 on a log axis: bars rise from the floor */
    if (n <= (size_t)w) {
        int bw = w / (int)n; /* ≥ 1 */
        for (size_t i = 0; i < n; i++) {
            if (!isfinite(vals[i]))
                continue;
            double yv = plot_py(p, vals[i]);
            for (int k = 0; k < bw; k++)
                column_fill(p, (int)i * bw + k, yb, yv, role);
        }
        return;
    }
    /* Column j holds the bars with floor(i·w/n) = j, i.e. i from
     * ceil(j·n/w) up to ceil((j+1)·n/w); n > w, so none is empty. */
    for (int col = 0; col < w; col++) {
        size_t i0 = ((size_t)col * n + (size_t)w - 1) / (size_t)w;
        size_t i1 = ((size_t)(col + 1) * n + (size_t)w - 1) / (size_t)w;
        double v = bars_merge(vals, i0, i1, base);
        if (!isnan(v))
            column_fill(p, col, yb, plot_py(p, v), role);
    }
}

void plot_glyph(plot *p, double x, double y, uint32_t ch, int role, int attr)
{
    if (!p->ok)
        return;
    int cx = dot_index(plot_px(p, x), area_dots_w(p));
    int cy = dot_index(plot_py(p, y), area_dots_h(p));
    if (cx < 0 || cy < 0)
        return;
    canvas_put(p->c, p->area.x + cx / canvas_dots_x(p->c),
               p->area.y + cy / canvas_dots_y(p->c), ch, role, attr);
}

char *plot_fmt(double v, char *buf, size_t cap)
{
    if (!buf || cap == 0)
        return buf;
    if (!isfinite(v)) {
        snprintf(buf, cap, "\xE2\x80\x93"); /* "–" */
        return buf;
    }
    if (v == 0) { /* also −0 */
        snprintf(buf, cap, "0");
        return buf;
    }
    char t[40];
    double a = fabs(v);
    if (a >= 1e-2 && a < 1e4) {
        int dec = 2 - (int)floor(log10(a)); /* 3 significant digits */
        snprintf(t, sizeof t, "%.*f", dec < 0 ? 0 : dec, v);
        if (strchr(t, '.')) { /* drop trailing zeros, then a bare '.' */
            size_t n = strlen(t);
            while (t[n - 1] == '0')
                t[--n] = '\0';
            if (t[n - 1] == '.')
                t[--n] = '\0';
        }
    } else {
        char m[32];
        snprintf(m, sizeof m, "%.1e", v); /* "-1.5e-03" */
        char *e = strchr(m, 'e');
        int ex = e ? (int)strtol(e + 1, NULL, 10) : 0;
        if (e)
            *e = '\0';
        size_t n = strlen(m);
        if (n >= 2 && m[n - 1] == '0' && m[n - 2] == '.')
            m[n - 2] = '\0'; /* "3.0" → "3" */
        snprintf(t, sizeof t, "%se%d", m, ex);
    }
    snprintf(buf, cap, "%s", t);
    return buf;
}

char *plot_fmt_sig(double v, int sig, char *buf, size_t cap)
{
    if (!buf || cap == 0)
        return buf;
    if (!isfinite(v)) {
        snprintf(buf, cap, "\xE2\x80\x93");
        return buf;
    }
    if (sig < 1)
        sig = 1;
    if (sig > 17)
        sig = 17;
    double a = fabs(v);
    char t[40];
    if (v == 0 || (a >= 1e-3 && a < 1e6))
        snprintf(t, sizeof t, "%.*g", sig, v);
    else
        plot_fmt(v, t, sizeof t);
    snprintf(buf, cap, "%s", t);
    return buf;
}

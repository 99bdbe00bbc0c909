/* plot.h — axes and data drawn into a canvas rectangle.
 *
 * A plot owns a rectangle: a title row on top, tick labels on the left
 * (y) and bottom (x), and the data area in between, addressed in dots.
 * Log axes are ticked at decades ("1e-3"); linear axes at 1-2-5 steps.
 * Every function skips NaN/Inf data and clips to the data area, so extreme
 * values never draw outside it or print "nan". */
#ifndef SGDSCOPE_PLOT_H
#define SGDSCOPE_PLOT_H

#include "canvas.h"

typedef struct axis {
    double lo, hi; /* data range; lo < hi (plot_begin widens a flat one) */
    int log;       /* log10 axis; lo, hi > 0 */
    int floor;     /* log axes: lo is an honest floor, not the data's
                      minimum.  Values ≤ lo (0 included) are drawn ON it
                      rather than dropped, and its tick reads "≤1e-16" so
                      the reader knows they lie somewhere below. */
} axis;

typedef struct plot {
    canvas *c;
    rect outer;    /* the whole panel */
    rect area;     /* the data area, in cells */
    axis x, y;
    int ok;        /* 0 if the rectangle is too small to draw data */
} plot;

enum {
    PLOT_NO_XLABELS = 1,
    PLOT_NO_YLABELS = 2,
    PLOT_FRAME = 4,
    PLOT_TITLE_ROW = 8, /* keep the title row even with no title text: the
                           panel writes a coloured title (fit_draw) there */
};

/* Sets up a plot in r: draws the title (truncated to fit, in ROLE_TITLE),
 * the y tick labels, the x tick labels and the axis lines per flags.
 * Invalid ranges are repaired (NaN → [0, 1], lo == hi widened, log with
 * lo ≤ 0 clamped).  p->ok is 0 when r is too small for any data. */
void plot_begin(plot *p, canvas *c, rect r, const char *title, axis x,
                axis y, int flags);

/* plot_begin with the y gutter (labels + axis line) exactly gutter cells
 * wide (0: as wide as the labels need).  Stacked plots sharing an x axis
 * pass the same gutter so their columns line up step for step. */
void plot_begin_gutter(plot *p, canvas *c, rect r, const char *title,
                       axis x, axis y, int flags, int gutter);
/* The gutter plot_begin would choose for y in r with these flags (pass
 * PLOT_TITLE_ROW when the plot will have a title); 0 with PLOT_NO_YLABELS
 * or when r is too small. */
int plot_gutter(const canvas *c, rect r, axis y, int flags);

/* Data → dot coordinates in p->area (may lie outside; NaN if the value
 * can't be placed, e.g. ≤ 0 on a log axis). */
double plot_px(const plot *p, double x);
double plot_py(const plot *p, double y);

/* A polyline through (xs[i], ys[i]); breaks at NaN points. */
void plot_line(plot *p, const double *xs, const double *ys, size_t n,
               int role);
/* The same, dashed: only dot columns x with bit x % 8 of dash set are
 * drawn (0xFF: solid).  Dashes of one curve line up across plots. */
void plot_line_dash(plot *p, const double *xs, const double *ys, size_t n,
                    int role, unsigned dash);
/* One dot per point. */
void plot_points(plot *p, const double *xs, const double *ys, size_t n,
                 int role);
/* Shades every dot between lo[i] and hi[i] at xs[i] (a band). */
void plot_band(plot *p, const double *xs, const double *lo, const double *hi,
               size_t n, int role);
/* Vertical / horizontal line across the data area at data x / y. */
void plot_vline(plot *p, double x, int role);
/* A vertical line at data x drawn only on dot rows y with bit y % 8 of
 * dash set; returns the cell column it is in (−1: outside the area). */
int plot_vline_dash(plot *p, double x, int role, unsigned dash);
void plot_hline(plot *p, double y, int role);
/* A time series stored as n buckets, bucket i covering x from x0[i] to
 * x1[i] with values in [lo[i], hi[i]] (history buckets), drawn as an
 * oscilloscope trace: every dot column gets the min..max of the buckets
 * that fall in it (so one spike survives any decimation), a bucket wider
 * than a column covers all its columns, and neighbouring columns are
 * joined.  Buckets must come in increasing x.  NaN ranges are skipped. */
void plot_envelope(plot *p, const double *x0, const double *x1,
                   const double *lo, const double *hi, size_t n, int role);
/* The same, dashed: dot columns x with bit x % 8 of dash clear are left
 * empty (0xFF: plot_envelope), so overlaid traces read apart without
 * colour. */
void plot_envelope_dash(plot *p, const double *x0, const double *x1,
                        const double *lo, const double *hi, size_t n,
                        int role, unsigned dash);
/* A rectangle [x0, x1] × [lo, hi] shaded with every other dot (a
 * half-tone), so a band reads apart from a solid curve even without
 * colour. */
void plot_shade(plot *p, double x0, double x1, double lo, double hi,
                int role);
/* n bars, equally spaced across the area, from `base` to vals[i]. */
void plot_bars(plot *p, const double *vals, size_t n, double base, int role);
/* A text glyph (one code point) at the cell containing data (x, y). */
void plot_glyph(plot *p, double x, double y, uint32_t ch, int role, int attr);

/* Formats v compactly for tick labels and titles ("1e-3", "0.25", "3.1e4")
 * into buf (≥ 12 bytes); "–" for NaN/Inf.  Returns buf. */
char *plot_fmt(double v, char *buf, size_t cap);
/* v with sig significant digits ("%.*g" without a trailing-zero mantissa
 * dance), for numbers that must be told apart from a nearby one. */
char *plot_fmt_sig(double v, int sig, char *buf, size_t cap);

#endif

/* test_plot.c — plot layout, ticks, mapping, data primitives, extremes. */
#include "testutil.h"

#include "fit.h"
#include "plot.h"

static const char *as_text(const canvas *c)
{
    static char buf[16384];
    size_t n = canvas_to_text(c, buf, sizeof buf);
    assert_true(n < sizeof buf);
    return buf;
}

/* Row y of the canvas's text (without its '\n'). */
static const char *row_of(const canvas *c, int y)
{
    static char line[1024];
    const char *s = as_text(c);
    for (int i = 0; i < y; i++) {
        s = strchr(s, '\n');
        assert_non_null(s);
        s++;
    }
    size_t n = strcspn(s, "\n");
    assert_true(n < sizeof line);
    memcpy(line, s, n);
    line[n] = '\0';
    return line;
}

/* Whether s contains "nan" or "inf" in any letter case. */
static int has_nan_inf(const char *s)
{
    for (; *s; s++) {
        char t[4] = {0};
        for (int i = 0; i < 3 && s[i]; i++)
            t[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
        if (!strcmp(t, "nan") || !strcmp(t, "inf"))
            return 1;
    }
    return 0;
}

/* Reads dot (px, py) of a braille plot area from the cell bits, with the
 * Unicode layout written out independently of canvas.c. */
static int area_dot(const plot *p, int px, int py)
{
    static const uint8_t bit[4][2] = {
        {0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};
    const canvas *c = p->c;
    const cell *k =
        &c->cells[(p->area.y + py / 4) * c->w + p->area.x + px / 2];
    return k->ch == 0 && (k->dots & bit[py % 4][px % 2]) != 0;
}

/* Dots set in column px of the area, and the topmost one (−1 if none). */
static int column_count(const plot *p, int px, int *top)
{
    int n = 0;
    *top = -1;
    for (int py = 0; py < p->area.h * 4; py++)
        if (area_dot(p, px, py)) {
            if (*top < 0)
                *top = py;
            n++;
        }
    return n;
}

static void test_fmt(void **state)
{
    static const struct {
        double v;
        const char *s;
    } cases[] = {
        {0, "0"},         {-0.0, "0"},       {0.25, "0.25"},
        {1.1, "1.1"},     {150, "150"},      {1, "1"},
        {0.01, "0.01"},   {0.125, "0.125"},  {2.0 / 3, "0.667"},
        {9999, "9999"},   {-2.5, "-2.5"},    {0.30000000000000004, "0.3"},
        {1e-3, "1e-3"},   {1.5e-3, "1.5e-3"}, {3e4, "3e4"},
        {31000, "3.1e4"}, {-4.2e-7, "-4.2e-7"}, {1e308, "1e308"},
        {-1e308, "-1e308"}, {1e-320, "1e-320"}, {9.96e5, "1e6"},
        {NAN, "–"},       {INFINITY, "–"},   {-INFINITY, "–"},
    };
    char buf[16];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_ptr_equal(plot_fmt(cases[i].v, buf, sizeof buf), buf);
        assert_string_equal(buf, cases[i].s);
    }
    /* Short labels for ordinary magnitudes. */
    for (double v = 1.234567e-9; v < 1e9; v *= 3.7) {
        assert_true(strlen(plot_fmt(v, buf, sizeof buf)) <= 7);
        assert_true(strlen(plot_fmt(-v, buf, sizeof buf)) <= 7);
    }
    /* A short buffer is truncated, not overrun. */
    char small[4] = "zzz";
    plot_fmt(1.5e-3, small, 3);
    assert_string_equal(small, "1.");
}

/* [1e-3, 1e1] over 10 rows (40 dots): decade k sits at dot row
 * (1 − (k + 3)/4)·39 → rows 0, 9.75, 19.5, 29.25, 39 → cells 0, 2, 5, 7, 9. */
static void test_log_ticks(void **state)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 30, 12, GLYPH_BRAILLE), 0);
    plot p;
    plot_begin(&p, &c, (rect){0, 0, 30, 12}, "t", (axis){0, 1, 0, 0},
               (axis){1e-3, 1e1, 1, 0}, 0);
    assert_true(p.ok);
    /* title row, gutter "1e-3" + axis, x labels row */
    assert_int_equal(p.area.x, 5);
    assert_int_equal(p.area.y, 1);
    assert_int_equal(p.area.w, 25);
    assert_int_equal(p.area.h, 10);
    static const char *want[10] = {
        " 1e1┤", "    │", " 1e0┤", "    │", "    │",
        "1e-1┤", "    │", "1e-2┤", "    │", "1e-3┤",
    };
    for (int i = 0; i < 10; i++) {
        const char *row = row_of(&c, 1 + i);
        assert_memory_equal(row, want[i], strlen(want[i]));
    }
    /* Too many decades for the rows: every 2nd, 5th… decade. */
    canvas_clear(&c);
    plot_begin(&p, &c, (rect){0, 0, 30, 6}, NULL, (axis){0, 1, 0, 0},
               (axis){1e-12, 1e12, 1, 0}, PLOT_NO_XLABELS);
    assert_true(p.ok);
    assert_int_equal(p.area.h, 6);
    const char *s = as_text(&c);
    assert_non_null(strstr(s, "1e0"));
    assert_non_null(strstr(s, "1e-10"));
    assert_non_null(strstr(s, "1e10"));
    assert_non_null(strstr(s, "  1e5┤"));
    assert_null(strstr(s, "1e-1┤"));
    assert_null(strstr(s, "1e2"));
    canvas_free(&c);
}

static void test_linear_ticks(void **state)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 30, 12, GLYPH_BRAILLE), 0);
    plot p;
    plot_begin(&p, &c, (rect){0, 0, 30, 12}, "t", (axis){0, 100, 0, 0},
               (axis){0, 10, 0, 0}, 0);
    assert_true(p.ok);
    assert_int_equal(p.area.x, 3); /* "10" + axis */
    /* target 5 y ticks → step 2; rows (1 − v/10)·39 / 4 */
    static const char *want[10] = {"10┤", "  │", " 8┤", "  │", " 6┤",
                                   " 4┤", "  │", " 2┤", "  │", " 0┤"};
    for (int i = 0; i < 10; i++)
        assert_memory_equal(row_of(&c, 1 + i), want[i], strlen(want[i]));
    /* x: 27 cells for labels ≤ 3 wide → 5 wanted → step 20 */
    const char *xrow = row_of(&c, 11);
    char tok[64];
    strcpy(tok, xrow);
    static const char *xs[] = {"0", "20", "40", "60", "80", "100"};
    char *save = NULL, *t = strtok_r(tok, " ", &save);
    for (size_t i = 0; i < 6; i++, t = strtok_r(NULL, " ", &save)) {
        assert_non_null(t);
        assert_string_equal(t, xs[i]);
    }
    assert_null(t);
    /* Labels sit under their tick: "0" under dot column 0, "100" ends at
     * the right edge. */
    assert_int_equal(xrow[3], '0');
    assert_string_equal(xrow + 27, "100");
    /* Small decimals and negative ranges use 1-2-5 steps too. */
    canvas_clear(&c);
    plot_begin(&p, &c, (rect){0, 0, 30, 12}, NULL, (axis){-1, 1, 0, 0},
               (axis){-0.5, 0.5, 0, 0}, 0);
    const char *s = as_text(&c);
    assert_non_null(strstr(s, "-0.4┤"));
    assert_non_null(strstr(s, " 0.2┤"));
    assert_non_null(strstr(s, "   0┤"));
    assert_null(strstr(s, "0.1┤"));
    assert_non_null(strstr(s, "-0.5"));
    canvas_free(&c);
}

static void test_mapping(void **state)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 40, 12, GLYPH_BRAILLE), 0);
    plot p;
    for (int lg = 0; lg < 2; lg++) {
        axis x = {lg ? 1e-2 : -3, 1e3, lg, 0}, y = {lg ? 1e-5 : -1, 7, lg, 0};
        plot_begin(&p, &c, (rect){2, 1, 36, 11}, "m", x, y, 0);
        assert_true(p.ok);
        double W = p.area.w * 2 - 1, H = p.area.h * 4 - 1;
        assert_close(plot_px(&p, x.lo), 0, 1e-12);
        assert_close(plot_px(&p, x.hi), W, 1e-12);
        assert_close(plot_py(&p, y.hi), 0, 1e-12);
        assert_close(plot_py(&p, y.lo), H, 1e-12);
        assert_true(isnan(plot_px(&p, NAN)));
        assert_true(isnan(plot_py(&p, INFINITY)));
        assert_true(lg == !!isnan(plot_py(&p, -1)));
        assert_true(lg == !!isnan(plot_px(&p, 0)));
        assert_true(isfinite(plot_px(&p, 1e308)));
        assert_true(plot_px(&p, 1e308) > W);
    }
    /* Log midpoint in decades: 1e-1 is halfway along [1e-3, 1e1]. */
    plot_begin(&p, &c, (rect){0, 0, 40, 12}, NULL, (axis){1e-3, 1e1, 1, 0},
               (axis){1e-3, 1e1, 1, 0}, 0);
    assert_close(plot_px(&p, 1e-1), (p.area.w * 2 - 1) / 2.0, 1e-12);
    /* Invalid ranges are repaired into usable ones. */
    axis bad[] = {{NAN, NAN, 0, 0}, {5, 5, 0, 0}, {3, -3, 0, 0}, {-1, 10, 1, 0},
                  {0, 0, 1, 0},     {2, 2, 1, 0}, {1, INFINITY, 0, 0},
                  {-1e308, 1e308, 0, 0}, {1e-320, 1e-320, 0, 0}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        plot_begin(&p, &c, (rect){0, 0, 40, 12}, NULL, bad[i], bad[i], 0);
        assert_true(p.ok);
        assert_true(p.x.lo < p.x.hi && isfinite(p.x.lo) && isfinite(p.x.hi));
        assert_true(!p.x.log || p.x.lo > 0);
        assert_true(isfinite(plot_px(&p, p.x.lo)));
        assert_true(isfinite(plot_py(&p, p.y.hi)));
    }
    canvas_free(&c);
}

/* Every primitive fed the worst values, in every tier: no "nan"/"inf" in
 * the text and not a cell changed outside the rectangle. */
static void test_extremes(void **state)
{
    static const double ev[] = {1e308, -1e308, 1e-320, NAN, INFINITY,
                                -INFINITY, 0, 1, -1e-320, 0.5};
    enum { N = sizeof ev / sizeof ev[0] };
    double xs[N * N], ys[N * N];
    for (int i = 0; i < N * N; i++)
        xs[i] = ev[i % N], ys[i] = ev[(i / N + i) % N];
    axis axes[] = {{0, 1, 0, 0},       {1e-3, 1, 1, 0},   {NAN, 1, 0, 0},
                   {-1e308, 1e308, 0, 0}, {1e-320, 1e308, 1, 0}, {0, 0, 1, 0},
                   {1e-320, 2e-320, 0, 0}};
    size_t na = sizeof axes / sizeof axes[0];
    rect r = {3, 2, 30, 10};
    for (int tier = 0; tier < 3; tier++) {
        canvas c;
        assert_int_equal(canvas_init(&c, 40, 14, (glyph_tier)tier), 0);
        for (size_t ax = 0; ax < na; ax++)
            for (size_t ay = 0; ay < na; ay++) {
                canvas_fill(&c, (rect){0, 0, 40, 14}, 'x', ROLE_TEXT, 0);
                canvas_fill(&c, r, ' ', ROLE_TEXT, 0);
                plot p;
                plot_begin(&p, &c, r, "extreme", axes[ax], axes[ay],
                           ax % 2 ? PLOT_FRAME : 0);
                assert_true(p.ok);
                plot_line(&p, xs, ys, N * N, ROLE_TRAIN);
                plot_points(&p, xs, ys, N * N, ROLE_TEST);
                plot_band(&p, xs, ys, xs, N * N, ROLE_BAND);
                plot_bars(&p, ys, N * N, ev[ay % N], ROLE_TRAIN);
                plot_bars(&p, ys, 3, ev[ax % N], ROLE_TRAIN);
                for (int i = 0; i < N; i++) {
                    plot_vline(&p, ev[i], ROLE_MARK);
                    plot_hline(&p, ev[i], ROLE_MARK);
                    plot_glyph(&p, ev[i], ev[(i + 3) % N], '@', ROLE_ITERATE,
                               0);
                }
                const char *s = as_text(&c);
                assert_false(has_nan_inf(s));
                for (int y = 0; y < 14; y++)
                    for (int x = 0; x < 40; x++)
                        if (x < r.x || x >= r.x + r.w || y < r.y ||
                            y >= r.y + r.h)
                            assert_int_equal(c.cells[y * 40 + x].ch, 'x');
            }
        canvas_free(&c);
    }
}

static void test_bars(void **state)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 10, 4, GLYPH_BRAILLE), 0);
    plot p;
    int flags = PLOT_NO_XLABELS | PLOT_NO_YLABELS;
    plot_begin(&p, &c, (rect){0, 0, 10, 4}, NULL, (axis){0, 1, 0, 0},
               (axis){0, 3, 0, 0}, flags);
    assert_true(p.ok);
    assert_int_equal(p.area.w, 10); /* 20 × 16 dots */
    assert_int_equal(p.area.h, 4);
    /* 3 bars → 6 columns each, 2 columns left empty. py(v) = (1 − v/3)·15 */
    const double v[3] = {1, 3, 2};
    const int top[3] = {10, 0, 5};
    plot_bars(&p, v, 3, 0, ROLE_TRAIN);
    for (int col = 0; col < 20; col++) {
        int t, n = column_count(&p, col, &t);
        if (col >= 18) {
            assert_int_equal(n, 0);
            continue;
        }
        assert_int_equal(t, top[col / 6]);
        assert_int_equal(n, 16 - top[col / 6]); /* solid down to base */
    }
    /* More bars than dot columns: merged by max, here 50 into 20. */
    canvas_clear(&c);
    double many[50];
    for (int i = 0; i < 50; i++)
        many[i] = i == 37 ? 3 : 0.6; /* 0.6 → dot row 12 */
    many[3] = NAN;
    plot_bars(&p, many, 50, 0, ROLE_TRAIN);
    for (int col = 0; col < 20; col++) {
        int t, n = column_count(&p, col, &t);
        int want = col == 37 * 20 / 50 ? 0 : 12;
        assert_int_equal(t, want);
        assert_int_equal(n, 16 - want);
    }
    /* Bars below the base hang down from it. */
    canvas_clear(&c);
    plot_begin(&p, &c, (rect){0, 0, 10, 4}, NULL, (axis){0, 1, 0, 0},
               (axis){-3, 3, 0, 0}, flags);
    const double neg[2] = {-3, 3};
    plot_bars(&p, neg, 2, 0, ROLE_TRAIN);
    int t;
    assert_int_equal(column_count(&p, 0, &t), 8); /* rows 7.5→8 .. 15 */
    assert_int_equal(t, 8);
    assert_int_equal(column_count(&p, 19, &t), 9); /* rows 0 .. 8 */
    assert_int_equal(t, 0);
    canvas_free(&c);
}

static void test_band(void **state)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 10, 4, GLYPH_BRAILLE), 0);
    plot p;
    plot_begin(&p, &c, (rect){0, 0, 10, 4}, NULL, (axis){0, 10, 0, 0},
               (axis){0, 15, 0, 0}, PLOT_NO_XLABELS | PLOT_NO_YLABELS);
    /* Two samples at the edges: every column between is filled by
     * interpolation, lo 3 → 12 (dot rows 12..3) to lo 6 → 9 (9..0). */
    const double xs[2] = {0, 10}, lo[2] = {3, 6}, hi[2] = {12, 15};
    plot_band(&p, xs, lo, hi, 2, ROLE_BAND);
    for (int col = 0; col < 20; col++) {
        int t, n = column_count(&p, col, &t);
        double shift = 3.0 * col / 19; /* in data units = dot rows */
        assert_int_equal(t, (int)floor(3 - shift + 0.5));
        assert_int_equal(n, 10);
    }
    /* A NaN sample is skipped; its neighbours still join up. */
    canvas_clear(&c);
    const double xs3[3] = {0, 5, 10}, lo3[3] = {5, NAN, 5},
                 hi3[3] = {10, 10, 10};
    plot_band(&p, xs3, lo3, hi3, 3, ROLE_BAND);
    for (int col = 0; col < 20; col++) {
        int t;
        assert_int_equal(column_count(&p, col, &t), 6);
        assert_int_equal(t, 5);
    }
    canvas_free(&c);
}

static void test_tiny(void **state)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 20, 8, GLYPH_BRAILLE), 0);
    plot p;
    const double xs[2] = {0, 1}, ys[2] = {0, 1};
    rect tiny[] = {{0, 0, 9, 4}, {0, 0, 10, 3}, {0, 0, 0, 0},
                   {0, 0, -4, 5}, {25, 0, 10, 5}, {0, 0, 1, 1}};
    for (size_t i = 0; i < sizeof tiny / sizeof tiny[0]; i++) {
        canvas_clear(&c);
        plot_begin(&p, &c, tiny[i], "title here", (axis){0, 1, 0, 0},
                   (axis){0, 1, 0, 0}, 0);
        assert_false(p.ok);
        plot_line(&p, xs, ys, 2, ROLE_TRAIN);
        plot_hline(&p, 0.5, ROLE_MARK);
        plot_bars(&p, ys, 2, 0, ROLE_TRAIN);
        /* Only the title, truncated, may appear, on the rect's first row. */
        char want[256] = "";
        for (int y = 0; y < 8; y++) {
            const char *row = "                    ";
            if (y == 0 && i == 0)
                row = "title he…           ";
            else if (y == 0 && i == 1)
                row = "title here          ";
            else if (y == 0 && i == 5)
                row = "…                   ";
            strcat(want, row);
            strcat(want, "\n");
        }
        assert_string_equal(as_text(&c), want);
    }
    /* Without labels a 2 × 2 area is enough (a sparkline). */
    plot_begin(&p, &c, (rect){0, 0, 2, 2}, NULL, (axis){0, 1, 0, 0},
               (axis){0, 1, 0, 0}, PLOT_NO_XLABELS | PLOT_NO_YLABELS);
    assert_true(p.ok);
    /* The smallest labelled plot: 10 × 4. */
    plot_begin(&p, &c, (rect){0, 0, 10, 4}, "x", (axis){0, 1, 0, 0},
               (axis){0, 1, 0, 0}, 0);
    assert_true(p.ok);
    canvas_free(&c);
}

static void test_line_and_glyph(void **state)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 10, 4, GLYPH_BRAILLE), 0);
    plot p;
    plot_begin(&p, &c, (rect){0, 0, 10, 4}, NULL, (axis){0, 19, 0, 0},
               (axis){0, 15, 0, 0}, PLOT_NO_XLABELS | PLOT_NO_YLABELS);
    /* A break at NaN; the isolated point after it still shows. */
    const double xs[5] = {0, 19, 5, 10, NAN}, ys[5] = {15, 15, NAN, 0, 3};
    plot_line(&p, xs, ys, 5, ROLE_TRAIN);
    for (int col = 0; col < 20; col++) {
        int t, n = column_count(&p, col, &t);
        assert_int_equal(t, 0);
        assert_int_equal(n, col == 10 ? 2 : 1);
    }
    assert_true(area_dot(&p, 10, 15));
    /* A point absurdly far off a tiny range still gives its segment a
     * direction instead of vanishing (t would overflow to Inf). */
    canvas_clear(&c);
    plot_begin(&p, &c, (rect){0, 0, 10, 4}, NULL, (axis){0, 1e-200, 0, 0},
               (axis){0, 15, 0, 0}, PLOT_NO_XLABELS | PLOT_NO_YLABELS);
    const double fx[2] = {0, 1e308}, fy[2] = {0, 0};
    plot_line(&p, fx, fy, 2, ROLE_TRAIN);
    for (int col = 0; col < 20; col++)
        assert_true(area_dot(&p, col, 15));
    plot_begin(&p, &c, (rect){0, 0, 10, 4}, NULL, (axis){0, 19, 0, 0},
               (axis){0, 15, 0, 0}, PLOT_NO_XLABELS | PLOT_NO_YLABELS);
    /* A glyph lands in the cell holding its point, and nowhere else. */
    canvas_clear(&c);
    plot_glyph(&p, 19, 0, 'X', ROLE_ITERATE, ATTR_BOLD);
    plot_glyph(&p, 20, 0, 'Y', ROLE_ITERATE, 0); /* outside: dropped */
    assert_string_equal(as_text(&c), "          \n          \n          \n"
                                     "         X\n");
    canvas_free(&c);
}

/* A small plot frozen after inspection: a band y/2..2y around a decaying
 * loss, and a threshold line at 2e-3. */
static void test_golden(void **state)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 30, 10, GLYPH_BRAILLE), 0);
    plot p;
    plot_begin(&p, &c, (rect){0, 0, 30, 10}, "loss (eta 0.1)",
               (axis){0, 100, 0, 0}, (axis){1e-3, 1e1, 1, 0}, 0);
    double xs[21], ys[21], lo[21], hi[21];
    for (int i = 0; i <= 20; i++) {
        xs[i] = 5 * i;
        ys[i] = 4 * pow(10, -i / 8.0);
        lo[i] = ys[i] * 0.5;
        hi[i] = ys[i] * 2;
    }
    plot_band(&p, xs, lo, hi, 21, ROLE_BAND);
    plot_line(&p, xs, ys, 21, ROLE_TRAIN);
    plot_hline(&p, 2e-3, ROLE_MARK);
    assert_string_equal(as_text(&c),
                        "loss (eta 0.1)                \n"
                        " 1e1┤⣶⣤⣄⡀                     \n"
                        "    │⠻⢿⣿⣿⣿⣶⣤⣄⡀                \n"
                        " 1e0┤   ⠉⠛⠻⢿⣿⣿⣿⣶⣦⣤⣀           \n"
                        "    │        ⠉⠛⠻⠿⣿⣿⣿⣶⣦⣄⣀      \n"
                        "1e-1┤             ⠉⠛⠻⠿⣿⣿⣿⣶⣦⣄⣀ \n"
                        "1e-2┤                  ⠉⠙⠻⠿⣿⣿⣿\n"
                        "    │                       ⠉⠙\n"
                        "1e-3┤⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒\n"
                        "     0   20   40  60   80  100\n");
    canvas_free(&c);
}

/* The ASCII tier uses ASCII decorations so the frame reads anywhere. */
static void test_ascii_frame(void **state)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 16, 7, GLYPH_ASCII), 0);
    plot p;
    plot_begin(&p, &c, (rect){0, 0, 16, 7}, "a long title", (axis){0, 1, 0, 0},
               (axis){0, 1, 0, 0}, PLOT_FRAME);
    assert_true(p.ok);
    const double xs[2] = {0, 1}, ys[2] = {0, 1};
    plot_line(&p, xs, ys, 2, ROLE_TRAIN);
    const char *s = as_text(&c);
    for (const char *q = s; *q; q++)
        assert_true((unsigned char)*q < 0x80);
    assert_string_equal(row_of(&c, 0), "+a long title--+");
    assert_string_equal(row_of(&c, 6), "+--------------+");
    assert_string_equal(row_of(&c, 1), "|  1+        **|");
    assert_string_equal(row_of(&c, 3), "|0.5+  ***     |");
    assert_string_equal(row_of(&c, 4), "|  0+**        |");
    assert_string_equal(row_of(&c, 5), "|    0   0.5  1|");
    /* A title too long for the border ends in '~'. */
    canvas_clear(&c);
    plot_begin(&p, &c, (rect){0, 0, 16, 7}, "a much longer title",
               (axis){0, 1, 0, 0}, (axis){0, 1, 0, 0}, PLOT_FRAME);
    assert_string_equal(row_of(&c, 0), "+a much longer~+");
    canvas_free(&c);
}

/* A floor: 0 and anything below lo are drawn on the bottom row, not
 * dropped, and the bottom tick says "≤". */
static void test_log_floor(void **state)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 30, 12, GLYPH_BRAILLE), 0);
    plot p;
    plot_begin(&p, &c, (rect){0, 0, 30, 12}, NULL, (axis){0, 10, 0, 0},
               (axis){1e-16, 1, 1, 1}, 0);
    assert_true(p.ok);
    double H = p.area.h * 4 - 1;
    assert_close(plot_py(&p, 0.0), H, 1e-12);
    assert_close(plot_py(&p, 1e-300), H, 1e-12);
    assert_close(plot_py(&p, 1e-16), H, 1e-12);
    assert_true(plot_py(&p, 1e-15) < H);
    int found = 0;
    for (int y = 0; y < c.h; y++)
        found |= strstr(row_of(&c, y), "\xE2\x89\xA4" "1e-16") != NULL;
    assert_true(found);
    /* without the flag, 0 can't be placed and lo has no mark */
    canvas_clear(&c);
    plot_begin(&p, &c, (rect){0, 0, 30, 12}, NULL, (axis){0, 10, 0, 0},
               (axis){1e-16, 1, 1, 0}, 0);
    assert_true(isnan(plot_py(&p, 0.0)));
    assert_null(strstr(as_text(&c), "\xE2\x89\xA4"));
    canvas_free(&c);
}

/* plot_envelope: a spike in one of 2000 buckets survives, the first
 * bucket lands on column 0, a bucket wider than a column covers it all,
 * and columns are joined. */
static void test_envelope(void **state)
{
    static double x0[2000], x1[2000], lo[2000], hi[2000];
    canvas c;
    assert_int_equal(canvas_init(&c, 40, 10, GLYPH_BRAILLE), 0);
    plot p;
    plot_begin(&p, &c, (rect){0, 0, 40, 10}, NULL, (axis){0, 2000, 0, 0},
               (axis){0, 10, 0, 0}, PLOT_NO_XLABELS | PLOT_NO_YLABELS);
    assert_true(p.ok);
    for (int i = 0; i < 2000; i++) {
        x0[i] = x1[i] = i;
        lo[i] = hi[i] = 1;
    }
    hi[1234] = 9; /* one spike */
    plot_envelope(&p, x0, x1, lo, hi, 2000, ROLE_TRAIN);
    int W = p.area.w * 2, top;
    for (int x = 0; x < W; x++)
        assert_true(column_count(&p, x, &top) >= 1);
    int spike = (int)floor(plot_px(&p, 1234) + 0.5);
    column_count(&p, spike, &top);
    assert_true(top <= (int)floor(plot_py(&p, 9) + 0.5));
    /* one wide bucket: all its columns */
    canvas_clear(&c);
    plot_begin(&p, &c, (rect){0, 0, 40, 10}, NULL, (axis){1, 1e6, 1, 0},
               (axis){0, 10, 0, 0}, PLOT_NO_XLABELS | PLOT_NO_YLABELS);
    double a0 = 1, a1 = 1000, l = 5, h = 6;
    plot_envelope(&p, &a0, &a1, &l, &h, 1, ROLE_TRAIN);
    int last = (int)floor(plot_px(&p, 1000) + 0.5);
    for (int x = 0; x <= last; x++)
        assert_true(column_count(&p, x, &top) >= 1);
    assert_int_equal(column_count(&p, last + 2, &top), 0);
    /* two far apart values in neighbouring columns are joined */
    canvas_clear(&c);
    plot_begin(&p, &c, (rect){0, 0, 40, 10}, NULL, (axis){0, 1, 0, 0},
               (axis){0, 10, 0, 0}, PLOT_NO_XLABELS | PLOT_NO_YLABELS);
    double bx[2] = {0, 1.0 / 79}, bl[2] = {1, 9};
    plot_envelope(&p, bx, bx, bl, bl, 2, ROLE_TRAIN);
    int n = column_count(&p, 1, &top);
    assert_true(n > 10);
    canvas_free(&c);
}

/* plot_shade half-tones: about half the dots of the rectangle. */
static void test_shade(void **state)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 20, 6, GLYPH_BRAILLE), 0);
    plot p;
    plot_begin(&p, &c, (rect){0, 0, 20, 6}, NULL, (axis){0, 1, 0, 0},
               (axis){0, 1, 0, 0}, PLOT_NO_XLABELS | PLOT_NO_YLABELS);
    plot_shade(&p, 0, 1, 0, 1, ROLE_BAND);
    int set = 0, all = p.area.w * 2 * p.area.h * 4;
    for (int y = 0; y < p.area.h * 4; y++)
        for (int x = 0; x < p.area.w * 2; x++)
            set += area_dot(&p, x, y);
    assert_int_equal(set * 2, all);
    canvas_free(&c);
}

/* Two plots given the same gutter put their data in the same columns,
 * whatever their labels. */
static void test_gutter(void **state)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 40, 20, GLYPH_BRAILLE), 0);
    axis y1 = {1e-12, 1, 1, 0}, y2 = {0, 5, 0, 0};
    rect r1 = {0, 0, 40, 10}, r2 = {0, 10, 40, 10};
    int g1 = plot_gutter(&c, r1, y1, PLOT_TITLE_ROW);
    int g2 = plot_gutter(&c, r2, y2, PLOT_TITLE_ROW);
    assert_true(g1 > g2 && g2 > 0);
    plot p1, p2;
    plot_begin(&p1, &c, r1, NULL, (axis){0, 1, 0, 0}, y1, PLOT_TITLE_ROW);
    assert_int_equal(p1.area.x, g1); /* plot_gutter predicts plot_begin */
    plot_begin_gutter(&p2, &c, r2, NULL, (axis){0, 1, 0, 0}, y2,
                      PLOT_TITLE_ROW, g1);
    assert_int_equal(p1.area.x, p2.area.x);
    assert_int_equal(p1.area.w, p2.area.w);
    canvas_free(&c);
}

/* Linear ticks on a narrow range far from 0 get the digits to differ;
 * plot_fmt_sig gives the digits asked for. */
static void test_tick_digits(void **state)
{
    char b[24];
    assert_string_equal(plot_fmt_sig(1.1330, 5, b, sizeof b), "1.133");
    assert_string_equal(plot_fmt_sig(1.13378684807, 4, b, sizeof b),
                        "1.134");
    assert_string_equal(plot_fmt_sig(NAN, 4, b, sizeof b), "\xE2\x80\x93");
    canvas c;
    assert_int_equal(canvas_init(&c, 40, 8, GLYPH_BRAILLE), 0);
    plot p;
    plot_begin(&p, &c, (rect){0, 0, 40, 8}, NULL,
               (axis){0.9995, 1.0005, 0, 0}, (axis){0, 1, 0, 0}, 0);
    const char *xl = row_of(&c, 7);
    assert_non_null(strstr(xl, "0.9995"));
    assert_non_null(strstr(xl, "1.0002"));
    canvas_free(&c);
}

/* fit: the least important part goes first, keepers stay, variants are
 * used before dropping, and the result never exceeds the width. */
static void test_fit(void **state)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 80, 1, GLYPH_BRAILLE), 0);
    fit_part parts[] = {
        {{"Valley F(θ)", "Valley", NULL}, 3, ROLE_TITLE, 0},
        {{"bouncing", NULL}, FIT_KEEP, ROLE_GOOD, 0},
        {{"along the top Hessian eigenvector", "top eigvec", NULL}, 2,
         ROLE_TEXT, 0},
        {{"seed 3", NULL}, 1, ROLE_DIM, 0},
    };
    int pick[4];
    int w = fit_choose(&c, parts, 4, "  ", 80, pick);
    assert_int_equal(pick[0], 0);
    assert_int_equal(pick[3], 0);
    assert_true(w <= 80);
    fit_choose(&c, parts, 4, "  ", 40, pick);
    assert_int_equal(pick[3], -1); /* seed first */
    assert_int_equal(pick[2], 1);  /* then the short variant */
    assert_int_equal(pick[1], 0);
    w = fit_choose(&c, parts, 4, "  ", 8, pick);
    assert_int_equal(pick[1], 0); /* the keeper stays */
    assert_int_equal(pick[0], -1);
    assert_int_equal(w, 8);
    fit_draw(&c, 0, 0, 40, parts, 4, "  ");
    assert_null(strstr(as_text(&c), "\xE2\x80\xA6"));
    assert_true(strncmp(as_text(&c), "Valley F(θ)  bouncing  top eigvec",
                        strlen("Valley F(θ)  bouncing  top eigvec")) == 0);
    char b[32];
    assert_string_equal(fit_count(12000, b, sizeof b), "12,000");
    assert_string_equal(fit_count(999, b, sizeof b), "999");
    assert_string_equal(fit_count(1000000, b, sizeof b), "1,000,000");
    canvas_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fmt),
        cmocka_unit_test(test_log_ticks),
        cmocka_unit_test(test_linear_ticks),
        cmocka_unit_test(test_mapping),
        cmocka_unit_test(test_extremes),
        cmocka_unit_test(test_bars),
        cmocka_unit_test(test_band),
        cmocka_unit_test(test_tiny),
        cmocka_unit_test(test_line_and_glyph),
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_ascii_frame),
        cmocka_unit_test(test_log_floor),
        cmocka_unit_test(test_envelope),
        cmocka_unit_test(test_shade),
        cmocka_unit_test(test_gutter),
        cmocka_unit_test(test_tick_digits),
        cmocka_unit_test(test_fit),
    };
    return cmocka_run_group_tests_name("plot", tests, NULL, NULL);
}

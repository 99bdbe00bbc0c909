/* pic.c — what the predictor's pictures share; see pic.h. */
#include "pic.h"

#include <math.h>

#include "panel_kit.h"

int pic_all_values(const canvas *c, const runset *s, const char *label,
                   char val[][32], int w, fit_part *parts, size_t *n)
{
    int need = canvas_text_cells(c, label);
    for (size_t i = 0; i < s->n; i++)
        need += 2 + canvas_text_cells(c, val[i]);
    if (need > w)
        return 0;
    parts[(*n)++] = (fit_part){{label, NULL}, FIT_KEEP, ROLE_TITLE,
                               ATTR_BOLD};
    for (size_t i = 0; i < s->n; i++)
        parts[(*n)++] = (fit_part){{val[i], NULL}, FIT_KEEP,
                                   runstyle_role(i),
                                   i == s->focus ? ATTR_BOLD : 0};
    return 1;
}

int pic_strips(canvas *c, rect r, const runset *s, int foot, axis y,
               size_t n, pic_bars_fn vals, double level, plot *last)
{
    static double ys[PANEL_MAX_PTS];
    int rows = r.h - 1 - foot, k = (int)s->n;
    if (rows < 2 * k)
        return 0;
    if (n > PANEL_MAX_PTS)
        n = PANEL_MAX_PTS;
    int lab = 3; /* "▸1 " */
    int y0 = r.y + 1;
    for (int i = 0; i < k; i++) {
        int h = rows / k + (i < rows % k ? 1 : 0);
        rect sr = {r.x + lab, y0, r.w - lab, h};
        plot p;
        plot_begin(&p, c, sr, NULL, (axis){0.0, (double)n, 0, 0}, y,
                   PLOT_NO_XLABELS | PLOT_NO_YLABELS);
        if (p.ok) {
            vals(s->r[i], n, ys);
            plot_bars(&p, ys, n, 0.0, runstyle_role((size_t)i));
            if (isfinite(level))
                plot_hline(&p, level, ROLE_TEST);
        }
        int mid = y0 + (h - 1) / 2, focus = (size_t)i == s->focus;
        if (focus)
            canvas_text(c, r.x, mid, "▸", runstyle_role((size_t)i),
                        ATTR_BOLD, 1);
        canvas_put(c, r.x + 1, mid, runstyle_digit((size_t)i),
                   runstyle_role((size_t)i), focus ? ATTR_BOLD : 0);
        y0 += h;
        *last = p;
    }
    return 1;
}

int pic_live_runs(const runset *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (!s->r[i]->diverged)
            return 1;
    return 0;
}

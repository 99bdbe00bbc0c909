/* legend.c — the comparison's legend row; see legend.h. */
#include "legend.h"

#include <stdio.h>
#include <string.h>

#include "fit.h"
#include "plot.h"
#include "runstyle.h"

#define LEGEND_LEVELS 5

/* Run k's entry at a level of detail: 0 with sample, name and verdict, 1
 * without the verdict, 2 without the sample, 3 the digit alone (a frozen
 * run keeps its ✕ at every level). */
static void entry(const canvas *c, const runset *s, size_t k, int level,
                  char *buf, size_t cap)
{
    const run *R = s->r[k];
    int ascii = c->tier == GLYPH_ASCII, focus = k == s->focus;
    char sample[32], verdict[64], n1[24];
    runstyle_sample(k, c->tier, sample, sizeof sample);
    const char *mark = focus ? (ascii ? ">" : "▸") : "";
    const char *x = ascii ? "X" : "✕";
    if (R->diverged)
        snprintf(verdict, sizeof verdict, "%s diverged at step %s", x,
                 fit_count(R->diverged_at, n1, sizeof n1));
    else
        snprintf(verdict, sizeof verdict, "%s",
                 verdict_name(R->last.verdict));
    char d = (char)runstyle_digit(k);
    switch (level) {
    case 0:
        snprintf(buf, cap, "%s%c %s %s %s", mark, d, sample, s->name[k],
                 verdict);
        break;
    case 1:
        snprintf(buf, cap, "%s%c %s %s%s%s", mark, d, sample, s->name[k],
                 R->diverged ? " " : "", R->diverged ? x : "");
        break;
    case 2:
        snprintf(buf, cap, "%s%c %s%s%s", mark, d, s->name[k],
                 R->diverged ? " " : "", R->diverged ? x : "");
        break;
    default:
        snprintf(buf, cap, "%s%c%s", mark, d, R->diverged ? x : "");
        break;
    }
}

void legend_draw(canvas *c, int y, const app *a)
{
    runset s;
    runset_from_app(&s, a);
    static char text[RUNSTYLE_MAX + 1][160];
    fit_part parts[RUNSTYLE_MAX + 1];
    const char *sep = "  ";
    int room = c->w - 2;
    size_t np = 0;
    for (int level = 0; level < LEGEND_LEVELS; level++) {
        np = 0;
        int w = 0;
        for (size_t k = 0; k < s.n; k++) {
            /* the focused run keeps its name while the others shrink */
            int lv = k == s.focus && level < 4 ? (level < 2 ? level : 2)
                                               : (level < 4 ? level : 3);
            entry(c, &s, k, lv, text[np], sizeof text[np]);
            parts[np] = (fit_part){{text[np], NULL}, FIT_KEEP,
                                   runstyle_role(k),
                                   k == s.focus ? ATTR_BOLD : 0};
            w += canvas_text_cells(c, text[np]) + (np ? 2 : 0);
            np++;
        }
        if (a->ghost.n > 0) {
            char sample[32];
            runstyle_sample_dash(RUNSTYLE_GHOST_DASH, c->tier, sample,
                                 sizeof sample);
            if (level == 0)
                snprintf(text[np], sizeof text[np], "%s ghost %s", sample,
                         a->ghost.label);
            else if (level < 3)
                snprintf(text[np], sizeof text[np], "ghost %s",
                         a->ghost.label);
            else
                snprintf(text[np], sizeof text[np], "ghost");
            parts[np] = (fit_part){{text[np], NULL}, 1, ROLE_DIM, 0};
            w += canvas_text_cells(c, text[np]) + 2;
            np++;
        }
        if (w <= room)
            break;
    }
    fit_draw(c, 1, y, room, parts, np, sep);
}

/* fit.c — lines that fit by priority; see fit.h. */
#include "fit.h"

#include <stdio.h>
#include <string.h>

static const char *variant(const fit_part *p, int k)
{
    return k >= 0 && k < FIT_VARIANTS ? p->v[k] : NULL;
}

/* Variants of part p (the non-NULL prefix of v, empty strings excluded). */
static int nvariants(const fit_part *p)
{
    int k = 0;
    while (k < FIT_VARIANTS && p->v[k] && p->v[k][0])
        k++;
    return k;
}

static int line_width(const canvas *c, const fit_part *parts, size_t n,
                      const char *sep, const int *pick)
{
    int w = 0, shown = 0, sw = canvas_text_cells(c, sep);
    for (size_t i = 0; i < n; i++) {
        const char *t = variant(&parts[i], pick[i]);
        if (!t)
            continue;
        w += canvas_text_cells(c, t) + (shown ? sw : 0);
        shown++;
    }
    return w;
}

int fit_choose(const canvas *c, const fit_part *parts, size_t n,
               const char *sep, int w, int *pick)
{
    for (size_t i = 0; i < n; i++)
        pick[i] = nvariants(&parts[i]) > 0 ? 0 : -1;
    int cur = line_width(c, parts, n, sep, pick);
    while (cur > w) {
        /* the least important part that can still give something */
        size_t best = n;
        for (size_t i = 0; i < n; i++) {
            if (pick[i] < 0)
                continue;
            int can = pick[i] + 1 < nvariants(&parts[i]) ||
                      parts[i].prio < FIT_KEEP;
            if (can && (best == n || parts[i].prio <= parts[best].prio))
                best = i;
        }
        if (best == n)
            break;
        pick[best] = pick[best] + 1 < nvariants(&parts[best])
                         ? pick[best] + 1
                         : -1;
        cur = line_width(c, parts, n, sep, pick);
    }
    return cur;
}

int fit_draw(canvas *c, int x, int y, int w, const fit_part *parts,
             size_t n, const char *sep)
{
    int pick[64];
    if (n > 64)
        n = 64;
    fit_choose(c, parts, n, sep, w, pick);
    int col = 0, shown = 0;
    for (size_t i = 0; i < n && col < w; i++) {
        const char *t = variant(&parts[i], pick[i]);
        if (!t)
            continue;
        if (shown++)
            col += canvas_text(c, x + col, y, sep, ROLE_DIM, parts[i].attr &
                               ATTR_REVERSE, w - col);
        col += canvas_text(c, x + col, y, t, parts[i].role, parts[i].attr,
                           w - col);
    }
    return col;
}

char *fit_count(uint64_t n, char *buf, size_t cap)
{
    char d[32];
    int len = snprintf(d, sizeof d, "%llu", (unsigned long long)n);
    char out[48];
    int o = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = d[i];
    }
    out[o] = 0;
    snprintf(buf, cap, "%s", out);
    return buf;
}

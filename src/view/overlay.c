/* overlay.c — what is drawn over the panels: the scene's caption, the
 * divergence notice and the help; see overlay.h. */
#include "overlay.h"

#include <stdio.h>
#include <string.h>

/* A bordered box with lines of text, centred. */
static void box(canvas *c, const char *const *lines, size_t n, int role)
{
    int w = 0;
    for (size_t i = 0; i < n; i++) {
        int l = canvas_text_cells(c, lines[i]);
        if (l > w)
            w = l;
    }
    w += 4;
    int h = (int)n + 2;
    if (w > c->w)
        w = c->w;
    if (h > c->h)
        h = c->h;
    int x = (c->w - w) / 2, y = (c->h - h) / 2;
    int ascii = c->tier == GLYPH_ASCII;
    canvas_fill(c, (rect){x, y, w, h}, ' ', ROLE_TEXT, 0);
    for (int i = 1; i < w - 1; i++) {
        canvas_put(c, x + i, y, ascii ? '-' : 0x2500, role, 0);
        canvas_put(c, x + i, y + h - 1, ascii ? '-' : 0x2500, role, 0);
    }
    for (int j = 1; j < h - 1; j++) {
        canvas_put(c, x, y + j, ascii ? '|' : 0x2502, role, 0);
        canvas_put(c, x + w - 1, y + j, ascii ? '|' : 0x2502, role, 0);
    }
    canvas_put(c, x, y, ascii ? '+' : 0x250C, role, 0);
    canvas_put(c, x + w - 1, y, ascii ? '+' : 0x2510, role, 0);
    canvas_put(c, x, y + h - 1, ascii ? '+' : 0x2514, role, 0);
    canvas_put(c, x + w - 1, y + h - 1, ascii ? '+' : 0x2518, role, 0);
    for (size_t i = 0; i < n && (int)i < h - 2; i++)
        canvas_text(c, x + 2, y + 1 + (int)i, lines[i],
                    i == 0 ? ROLE_TITLE : ROLE_TEXT, i == 0 ? ATTR_BOLD : 0,
                    w - 4);
}

static void help_overlay(canvas *c)
{
    static char rows[64][96];
    const char *lines[64];
    size_t n = 0;
    snprintf(rows[n], sizeof rows[n], "sgdscope keys");
    lines[n] = rows[n];
    n++;
    for (size_t i = 0; i < app_nkeys && n < 62; i++, n++) {
        snprintf(rows[n], sizeof rows[n], "%-6s %s", app_keys[i].label,
                 app_keys[i].help);
        lines[n] = rows[n];
    }
    snprintf(rows[n], sizeof rows[n], "Every change applies at a step "
             "boundary and is logged.");
    lines[n] = rows[n];
    n++;
    box(c, lines, n, ROLE_TITLE);
}

static void diverged_overlay(canvas *c, const app *a)
{
    char l1[96], l2[128], l3[96];
    snprintf(l1, sizeof l1, "Diverged at step %llu",
             (unsigned long long)a->r->diverged_at);
    snprintf(l2, sizeof l2, "The loss passed diverge_loss; the run is frozen at "
             "its last state within it.");
    snprintf(l3, sizeof l3, "u: rewind with η/2    r: reset    R: new seed");
    const char *lines[] = {l1, l2, l3};
    box(c, lines, 3, ROLE_WARN);
}

/* A scene's caption: one bold line in a box across the middle of the top
 * row of panels, where a lecture audience looks. */
static void caption_bar(canvas *c, const char *text)
{
    int w = canvas_text_cells(c, text) + 4;
    if (w > c->w)
        w = c->w;
    int x = (c->w - w) / 2, y = 1;
    int ascii = c->tier == GLYPH_ASCII;
    canvas_fill(c, (rect){x, y, w, 3}, ' ', ROLE_TEXT, 0);
    for (int i = 1; i < w - 1; i++) {
        canvas_put(c, x + i, y, ascii ? '-' : 0x2500, ROLE_GOOD, 0);
        canvas_put(c, x + i, y + 2, ascii ? '-' : 0x2500, ROLE_GOOD, 0);
    }
    canvas_put(c, x, y + 1, ascii ? '|' : 0x2502, ROLE_GOOD, 0);
    canvas_put(c, x + w - 1, y + 1, ascii ? '|' : 0x2502, ROLE_GOOD, 0);
    canvas_put(c, x, y, ascii ? '+' : 0x256D, ROLE_GOOD, 0);
    canvas_put(c, x + w - 1, y, ascii ? '+' : 0x256E, ROLE_GOOD, 0);
    canvas_put(c, x, y + 2, ascii ? '+' : 0x2570, ROLE_GOOD, 0);
    canvas_put(c, x + w - 1, y + 2, ascii ? '+' : 0x256F, ROLE_GOOD, 0);
    canvas_text(c, x + 2, y + 1, text, ROLE_TEXT, ATTR_BOLD, w - 4);
}

void overlay_draw(canvas *c, const app *a)
{
    if (a->caption[0] && a->r->t >= a->caption_from &&
        a->r->t < a->caption_until)
        caption_bar(c, a->caption);
    if (a->r->diverged && !a->help)
        diverged_overlay(c, a);
    if (a->help)
        help_overlay(c);
}

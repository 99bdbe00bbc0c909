/* view.c — screen layout, status and hint lines, overlays; see view.h. */
#include "view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "panels.h"
#include "plot.h"

/* Proposition 2's interval ((θ* a)^−2, 1.25 (θ* b)^−2), for quad1d. */
static int prop2_interval(const run *r, double *lo, double *hi)
{
    if (strcmp(r->m.ops->name, "quad1d") != 0)
        return 0;
    const model_params *mp = &r->m.prm;
    *lo = 1.0 / (mp->theta_star * mp->a * mp->theta_star * mp->a);
    *hi = 1.25 / (mp->theta_star * mp->b * mp->theta_star * mp->b);
    return 1;
}

static void fmt_rate(double sps, char *buf, size_t cap)
{
    if (sps >= 1e6)
        snprintf(buf, cap, "%.1fM", sps / 1e6);
    else if (sps >= 1e3)
        snprintf(buf, cap, "%.1fk", sps / 1e3);
    else
        snprintf(buf, cap, "%.0f", sps);
}

static void status_line(canvas *c, int y, const app *a)
{
    const run *r = a->r;
    char line[512], eta[16], b1[16], b2[16], rate[40];
    double eta_now = run_eta(r), lo, hi;
    plot_fmt(eta_now, eta, sizeof eta);
    char theory[96] = "";
    if (prop2_interval(r, &lo, &hi)) {
        if (!(lo < hi))
            snprintf(theory, sizeof theory, " (no stabilization interval: "
                     "b ≥ 1.118a)");
        else
            snprintf(theory, sizeof theory, " (%s (%s, %s))",
                     eta_now > lo && eta_now < hi ? "inside" : "outside",
                     plot_fmt(lo, b1, sizeof b1), plot_fmt(hi, b2, sizeof b2));
    }
    /* the rate only when measured (the snapshot has no clock) */
    rate[0] = 0;
    if (a->sps > 0.0 && !a->paused) {
        fmt_rate(a->sps, b1, sizeof b1);
        snprintf(rate, sizeof rate, " · %s steps/s", b1);
    }
    /* the state that matters most first: a narrow terminal cuts the end */
    snprintf(line, sizeof line,
             " %s%s · %s B=%zu · η=%s%s · %s · step %llu%s · seed %llu",
             r->diverged ? "DIVERGED · " : a->paused ? "paused · " : "",
             r->m.ops->name, dyn_label(r->dyn.kind), r->dyn.batch, eta,
             theory, schedule_phase_name(schedule_phase(&r->sched, r->t)),
             (unsigned long long)r->t, rate,
             (unsigned long long)r->sc.seed);
    canvas_fill(c, (rect){0, y, c->w, 1}, ' ', ROLE_TEXT, ATTR_REVERSE);
    canvas_text(c, 0, y, line, r->diverged ? ROLE_WARN : ROLE_TEXT,
                ATTR_REVERSE | (r->diverged ? ATTR_BOLD : 0), c->w);
}

static void hint_line(canvas *c, int y, const app *a)
{
    char line[512];
    size_t len = 0;
    if (a->msg[0]) {
        snprintf(line, sizeof line, " %s", a->msg);
        canvas_text(c, 0, y, line, ROLE_GOOD, ATTR_BOLD, c->w);
        return;
    }
    line[0] = 0;
    for (size_t i = 0; i < app_nkeys; i++) {
        const app_key *k = &app_keys[i];
        if (!k->hint || len + 32 > sizeof line)
            continue;
        len += (size_t)snprintf(line + len, sizeof line - len, "%s%s %s",
                                len ? "  " : " ", k->label, k->hint);
    }
    canvas_text(c, 0, y, line, ROLE_DIM, 0, c->w);
}

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

void view_draw(canvas *c, const app *a)
{
    canvas_clear(c);
    if (c->w < VIEW_MIN_W || c->h < VIEW_MIN_H) {
        /* Three short centred lines, so even a 20-column pane shows the
         * size it needs and how to leave. */
        char need[48], size[24], now[48];
        snprintf(size, sizeof size, "%dx%d", VIEW_MIN_W, VIEW_MIN_H);
        snprintf(need, sizeof need, "needs %s", size);
        snprintf(now, sizeof now, "now %dx%d", c->w, c->h);
        /* too narrow even for "needs 60x18": put the size on its own line */
        int narrow = (int)strlen(need) > c->w;
        const char *wide_lines[3] = {need, now, "q quit"};
        const char *narrow_lines[4] = {"needs", size, now, "q quit"};
        const char *const *lines = narrow ? narrow_lines : wide_lines;
        int nl = narrow ? 4 : 3;
        int y0 = c->h / 2 - nl / 2;
        for (int i = 0; i < nl; i++) {
            int len = (int)strlen(lines[i]);
            int x = (c->w - len) / 2;
            canvas_text(c, x < 0 ? 0 : x, y0 + i < 0 ? 0 : y0 + i, lines[i],
                        i < nl - 2 ? ROLE_WARN : ROLE_DIM,
                        i < nl - 2 ? ATTR_BOLD : 0, c->w);
        }
        return;
    }
    int ph = c->h - 2; /* two lines for status and hints */
    int lw = c->w / 2, rw = c->w - lw;
    int th = ph / 2, bh = ph - th;
    panel_valley(c, (rect){0, 0, lw - 1, th}, a);
    panel_loss(c, (rect){lw, 0, rw, th}, a);
    panel_predictor(c, (rect){0, th, lw - 1, bh}, a);
    panel_spectrum(c, (rect){lw, th, rw, bh}, a);
    status_line(c, c->h - 2, a);
    hint_line(c, c->h - 1, a);
    if (a->caption[0] && a->r->t >= a->caption_from &&
        a->r->t < a->caption_until)
        caption_bar(c, a->caption);
    if (a->r->diverged && !a->help)
        diverged_overlay(c, a);
    if (a->help)
        help_overlay(c);
}

/* view.c — screen layout, status and hint lines, overlays; see view.h. */
#include "view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "overlay.h"
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
    overlay_draw(c, a);
}

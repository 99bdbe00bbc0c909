/* view.c — screen layout, status and hint lines, overlays; see view.h. */
#include "view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fit.h"
#include "legend.h"
#include "mapview.h"
#include "overlay.h"
#include "panels.h"
#include "plot.h"
#include "sanitize.h"
#include "runstyle.h"

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

/* η and the interval's ends with as many digits as it takes to tell η
 * from the nearer end, so "η=1.13 inside (1, 1.13)" can't be printed:
 * rounding keeps order, so digits that differ show the true side. */
static void fmt_eta_interval(double eta, double lo, double hi, char *e,
                             char *l, char *h, size_t cap)
{
    for (int sig = 3; sig <= 12; sig++) {
        plot_fmt_sig(eta, sig, e, cap);
        plot_fmt_sig(lo, sig, l, cap);
        plot_fmt_sig(hi, sig, h, cap);
        if (strcmp(e, l) != 0 && strcmp(e, h) != 0)
            return;
    }
}

/* The scene and the progress, on the top row: the title on the left; a
 * bar, the share done and the speed on the right (the step count itself
 * is on the status line, beside η, where scripts read both).  The speed
 * stays longest; the bar goes first, then the title gives way to the
 * scene's short name. */
static void title_bar(canvas *c, int y, const app *a)
{
    const run *r = a->r;
    char bar[64], speed[32], pct[16];
    /* the session's progress: a frozen focused run stands still */
    uint64_t total = a->ses ? a->ses->steps : r->sc.steps;
    uint64_t now = a->ses ? a->ses->t : r->t;
    double frac = total ? (double)now / (double)total : 1.0;
    if (frac > 1)
        frac = 1;
    snprintf(pct, sizeof pct, "%3.0f%%", 100.0 * frac);
    /* a ten-cell bar: █ done, ░ to go ('#' and '-' in ASCII) */
    int ascii = c->tier == GLYPH_ASCII, done = (int)(frac * 10 + 1e-9);
    size_t k = 0;
    for (int i = 0; i < 10 && k + 4 < sizeof bar; i++) {
        const char *g = i < done ? (ascii ? "#" : "\xE2\x96\x88")
                                 : (ascii ? "-" : "\xE2\x96\x91");
        k += (size_t)snprintf(bar + k, sizeof bar - k, "%s", g);
    }
    app_speed_text(a, speed, sizeof speed);
    fit_part right[] = {
        {{bar, NULL}, 2, ROLE_DIM, ATTR_REVERSE},
        {{pct, NULL}, 3, ROLE_TEXT, ATTR_REVERSE | ATTR_BOLD},
        {{speed, NULL}, FIT_KEEP, ROLE_TEXT, ATTR_REVERSE},
    };
    canvas_fill(c, (rect){0, y, c->w, 1}, ' ', ROLE_TEXT, ATTR_REVERSE);
    /* the scene's title and file name are its author's text: shown
     * sanitized */
    char title[SCENE_NAME_MAX * 2], name[SCENE_NAME_MAX * 2];
    sanitize_text(title, sizeof title,
                  a->base.title[0] ? a->base.title : a->base.name);
    sanitize_text(name, sizeof name, a->base.name);
    fit_part left[] = {
        {{title, name, NULL}, 1, ROLE_TITLE, ATTR_REVERSE | ATTR_BOLD},
    };
    /* The title before the bar: drop the bar, then the percentage, while
     * the full title does not fit beside the rest. */
    const size_t nr = sizeof right / sizeof right[0];
    int pick[3], lpick[1], rw = 0;
    for (int drop = 0; drop <= 2; drop++) {
        for (int i = 0; i < drop; i++)
            right[i].v[0] = NULL;
        rw = fit_choose(c, right, nr, "  ", c->w - 2, pick);
        fit_choose(c, left, 1, "  ", c->w - rw - 4, lpick);
        if (lpick[0] == 0)
            break;
    }
    fit_draw(c, c->w - 1 - rw, y, rw, right, nr, "  ");
    fit_draw(c, 1, y, c->w - rw - 4, left, 1, "  ");
}

static void status_line(canvas *c, int y, const app *a)
{
    const run *r = a->r;
    char eta[64], eta_s[32], b1[24], b2[24], b3[24], rate[40], seed[32],
         seed_l[80];
    char theory[96], theory_s[64], dyn[48];
    double eta_now = run_eta(r), lo, hi;
    theory[0] = theory_s[0] = 0;
    plot_fmt_sig(eta_now, 4, b1, sizeof b1);
    if (prop2_interval(r, &lo, &hi)) {
        if (!(lo < hi)) {
            snprintf(theory, sizeof theory, "no stabilization interval: "
                     "b ≥ 1.118a");
            snprintf(theory_s, sizeof theory_s, "no interval");
        } else {
            int in = eta_now > lo && eta_now < hi;
            fmt_eta_interval(eta_now, lo, hi, b1, b2, b3, sizeof b1);
            snprintf(theory, sizeof theory, "%s (%s, %s)",
                     in ? "inside" : "outside", b2, b3);
            snprintf(theory_s, sizeof theory_s, "%s (%s, %s)",
                     in ? "in" : "out", b2, b3);
        }
    }
    snprintf(eta, sizeof eta, "η=%s", b1);
    snprintf(eta_s, sizeof eta_s, "η=%s", b1);
    /* batch size means something only for SGD */
    if (r->dyn.kind == DYN_SGD)
        snprintf(dyn, sizeof dyn, "SGD B=%zu", r->dyn.batch);
    else
        snprintf(dyn, sizeof dyn, "%s", dyn_label(r->dyn.kind));
    /* the rate only when measured (the snapshot has no clock) */
    rate[0] = 0;
    if (a->sps > 0.0 && !a->paused) {
        fmt_rate(a->sps, b2, sizeof b2);
        snprintf(rate, sizeof rate, "%s steps/s", b2);
    }
    snprintf(seed, sizeof seed, "seed %llu", (unsigned long long)r->sc.seed);
    /* where the room is, which data the run is on: the data seed and,
     * for numpy's generator, the fact that the draws are the notebooks' */
    if (r->sc.data[0]) /* the data is a file's, not a seed's */
        snprintf(seed_l, sizeof seed_l, "seed %llu, data from a file",
                 (unsigned long long)r->sc.seed);
    else
        snprintf(seed_l, sizeof seed_l, "seed %llu, data seed %llu%s",
                 (unsigned long long)r->sc.seed,
                 (unsigned long long)r->sc.data_seed,
                 r->sc.rng == RNG_NUMPY ? " (numpy)" : "");
    /* plain digits: "step 12000/60000" is read by scripts (tests/e2e.sh)
     * as well as by people */
    char steps[64];
    snprintf(steps, sizeof steps, "step %llu/%llu",
             (unsigned long long)r->t, (unsigned long long)r->sc.steps);
    const char *state = r->diverged ? "DIVERGED" : a->paused ? "paused" : NULL;
    const char *verdict = r->diverged ? NULL : verdict_name(r->last.verdict);
    int vrole = r->last.verdict == VERDICT_BOUNCING ? ROLE_GOOD
                : r->last.verdict == VERDICT_ERRATIC ? ROLE_WARN
                                                     : ROLE_TEXT;
    const int rv = ATTR_REVERSE;
    /* With several runs, which one the line (and the keys) are about:
     * "run 2/4 decay30", in the run's colour */
    runset rs;
    runset_from_app(&rs, a);
    char who[64], who_s[16];
    who[0] = who_s[0] = 0;
    if (rs.multi) {
        snprintf(who, sizeof who, "run %zu/%zu %s", rs.focus + 1, rs.n,
                 rs.name[rs.focus]);
        snprintf(who_s, sizeof who_s, "run %zu/%zu", rs.focus + 1, rs.n);
    }
    /* a stability map sweeping in the background, its screen closed:
     * how far it is, so nobody waits on it blind (S shows it) */
    char map_l[48], map_s[24];
    map_l[0] = map_s[0] = 0;
    if (!a->map && a->mj && a->mj->state == MAPJOB_RUNNING) {
        snprintf(map_l, sizeof map_l, "map %zu/%zu runs", a->mj->done,
                 a->mj->total);
        snprintf(map_s, sizeof map_s, "map %zu/%zu", a->mj->done,
                 a->mj->total);
    }
    fit_part parts[] = {
        {{a->all_prefix ? "* all runs:" : NULL, "*", NULL}, FIT_KEEP,
         ROLE_WARN, rv | ATTR_BOLD},
        {{who[0] ? who : NULL, who_s, NULL}, FIT_KEEP,
         rs.multi ? runstyle_role(rs.focus) : ROLE_TEXT, rv | ATTR_BOLD},
        {{state, NULL}, FIT_KEEP, r->diverged ? ROLE_WARN : ROLE_TEXT,
         rv | ATTR_BOLD},
        {{verdict, NULL}, FIT_KEEP, vrole, rv | ATTR_BOLD},
        {{r->m.ops->name, NULL}, 2, ROLE_TEXT, rv},
        {{dyn, NULL}, 8, ROLE_TEXT, rv},
        {{eta, eta_s, NULL}, FIT_KEEP, ROLE_TEXT, rv | ATTR_BOLD},
        {{theory[0] ? theory : NULL, theory_s, NULL}, 7, ROLE_TEXT, rv},
        {{schedule_phase_name(schedule_phase(&r->sched, r->t)), NULL}, 4,
         ROLE_TEXT, rv},
        {{steps, NULL}, FIT_KEEP, ROLE_TEXT, rv | ATTR_BOLD},
        {{rate[0] ? rate : NULL, NULL}, 3, ROLE_TEXT, rv},
        {{map_l[0] ? map_l : NULL, map_s, NULL}, 5, ROLE_TEXT, rv},
        {{seed_l, seed, NULL}, 1, ROLE_TEXT, rv},
    };
    canvas_fill(c, (rect){0, y, c->w, 1}, ' ', ROLE_TEXT, rv);
    fit_draw(c, 1, y, c->w - 2, parts, sizeof parts / sizeof parts[0],
             " · ");
}

/* The keys, most useful first as the key table orders them; "? help" and
 * "q quit" always end the line, the others go from the end when it is
 * narrow.  A transient message takes the left part instead. */
static void hint_line(canvas *c, int y, const app *a)
{
    static char hints[64][48];
    fit_part parts[64];
    size_t n = 0, nlast = 0;
    fit_part last[2] = {{{NULL}, 0, 0, 0}, {{NULL}, 0, 0, 0}};
    for (size_t i = 0; i < app_nkeys && n < 64; i++) {
        const app_key *k = &app_keys[i];
        if (!k->hint)
            continue;
        snprintf(hints[i], sizeof hints[i], "%s %s", k->label, k->hint);
        fit_part fp = {{hints[i], NULL}, 500 - (int)i, ROLE_DIM, 0};
        if ((k->act == ACT_HELP || k->act == ACT_QUIT) && nlast < 2) {
            fp.prio = FIT_KEEP;
            fp.role = ROLE_TEXT;
            last[nlast++] = fp;
        } else {
            parts[n++] = fp;
        }
    }
    int pick[2];
    int rw = fit_choose(c, last, nlast, "  ", c->w, pick);
    if (a->msg[0]) {
        /* the message, cut at a word if it must be */
        char msg[APP_MSG_MAX + 2];
        snprintf(msg, sizeof msg, "%s", a->msg);
        int room = c->w - rw - 3;
        while (canvas_text_cells(c, msg) > room) {
            char *sp = strrchr(msg, ' ');
            if (!sp)
                break;
            *sp = 0;
        }
        canvas_text(c, 1, y, msg, ROLE_GOOD, ATTR_BOLD, room > 0 ? room : 0);
        fit_draw(c, c->w - rw, y, rw, last, nlast, "  ");
        return;
    }
    for (size_t i = 0; i < nlast && n < 64; i++)
        parts[n++] = last[i];
    fit_draw(c, 1, y, c->w - 1, parts, n, "  ");
}

/* A lesson (a scene whose timeline says something) gets rows of its own
 * for its captions, between the panels and the status line, so a caption
 * never hides a panel nor the key hints.  The layout depends on the scene
 * only, so it does not jump when a caption comes or goes. */
static int view_caption_rows(const app *a, int h)
{
    const timeline *tl = &a->base.tl;
    for (size_t i = 0; i < tl->n; i++)
        if (tl->ev[i].kind == TL_CAPTION || tl->ev[i].kind == TL_END)
            /* one row below 30 lines, where every panel row counts (a
             * longer caption rises into the bottom panels) */
            return h < 30 ? 1 : VIEW_CAPTION_ROWS;
    return 0;
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
    /* Rows: the title bar, the panels, the status and the hint line.
     * The left column holds the valley over the predictor; the right one
     * the loss (with its sharpness strip, sharing its x axis) over the
     * spectrum, the loss getting the larger share: it carries two plots
     * and is what a lecture points at. */
    if (a->map && a->mj) {
        /* the map is a screen of its own, under the title bar */
        title_bar(c, 0, a);
        const run *r = a->r;
        mapview_state st = {a->map_x, a->map_y, a->map_metric,
                            r->sched.cfg.eta0 * r->sched.scale, r->sc.sched.eta0,
                            r->sc.seed, a->now,
                            a->msg[0] && a->now < a->msg_until ? a->msg
                                                               : NULL};
        mapview_draw(c, (rect){0, 1, c->w, c->h - 1}, a->mj, &st);
        if (a->help)
            overlay_draw(c, a, (rect){0, c->h - 1, c->w, 0});
        return;
    }
    int cap = view_caption_rows(a, c->h);
    /* a comparison's legend takes the row under the title bar */
    int multi = a->ses && a->ses->n > 1, top = 1 + multi;
    int ph = c->h - 3 - cap - multi;
    int lw = c->w / 2, rw = c->w - lw;
    int th = (ph + 1) / 2, bh = ph - th;
    int lth = ph * 3 / 5, lbh = ph - lth;
    title_bar(c, 0, a);
    if (multi)
        legend_draw(c, 1, a);
    if (panel_surface_shown(a)) /* the valley's slot; v toggles */
        panel_surface(c, (rect){0, top, lw - 1, th}, a);
    else
        panel_valley(c, (rect){0, top, lw - 1, th}, a);
    panel_predictor(c, (rect){0, top + th, lw - 1, bh}, a);
    panel_loss(c, (rect){lw, top, rw, lth}, a);
    panel_spectrum(c, (rect){lw, top + lth, rw, lbh}, a);
    status_line(c, c->h - 2, a);
    hint_line(c, c->h - 1, a);
    overlay_draw(c, a, (rect){0, c->h - 2 - cap, c->w, cap});
}

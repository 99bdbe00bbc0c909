/* pic_theta2.c — quad1d's picture: θ² of the last steps as bars against
 * θ*²; several runs get a strip each, on one scale (bars of four runs in
 * one column would read as one bar).  See pic.h. */
#include "pic.h"

#include <math.h>
#include <stdio.h>

#include "panel_kit.h"

static double ys[PANEL_MAX_PTS];

void pic_theta2_draw(canvas *c, rect r, const run *R, fit_part who)
{
    double ts2 = R->m.prm.theta_star * R->m.prm.theta_star;
    char now[40], star[40], b1[16];
    double t2 = R->theta[0] * R->theta[0];
    snprintf(now, sizeof now, "θ² = %s", plot_fmt(t2, b1, sizeof b1));
    snprintf(star, sizeof star, "θ*² = %s", plot_fmt(ts2, b1, sizeof b1));
    fit_part parts[] = {
        {{"Predictor", NULL}, 3, ROLE_TITLE, ATTR_BOLD},
        who,
        {{now, NULL}, FIT_KEEP, ROLE_TRAIN, ATTR_BOLD},
        {{"vs", NULL}, 4, ROLE_DIM, 0},
        {{star, NULL}, 5, ROLE_TEST, ATTR_BOLD},
        {{"(last steps)", NULL}, 2, ROLE_DIM, 0},
    };
    size_t n = R->trail_len < 32 ? R->trail_len : 32;
    double top = 1.5 * ts2;
    for (size_t k = 0; k < n; k++) {
        double v = run_trail_at(R, n - 1 - k)[0];
        ys[k] = v * v;
        if (ys[k] > top)
            top = ys[k] * 1.05;
    }
    plot p;
    plot_begin(&p, c, r, NULL, (axis){0, (double)(n ? n : 1), 0, 0},
               (axis){0.0, top, 0, 0}, PLOT_NO_XLABELS | PLOT_TITLE_ROW);
    if (who.v[0]) /* "of 2 sde" needs the word it qualifies */
        parts[0].prio = FIT_KEEP;
    panel_title(c, r, parts, sizeof parts / sizeof parts[0]);
    if (!p.ok)
        return;
    plot_bars(&p, ys, n, 0.0, ROLE_TRAIN);
    plot_hline(&p, ts2, ROLE_TEST);
}

/* θ² of the last n steps, oldest first; NaN where the trail is short. */
static void theta2_of(const run *R, size_t n, double *out)
{
    size_t have = R->trail_len < n ? R->trail_len : n;
    for (size_t k = 0; k < n; k++) {
        double v = k < have ? run_trail_at(R, have - 1 - k)[0] : NAN;
        out[k] = v * v;
    }
}

int pic_theta2_compare(canvas *c, rect r, const runset *s)
{
    const run *F = s->r[s->focus];
    double ts2 = F->m.prm.theta_star * F->m.prm.theta_star;
    double top = 1.5 * ts2;
    int live = pic_live_runs(s);
    for (size_t i = 0; i < s->n; i++) {
        if (s->r[i]->m.prm.theta_star != F->m.prm.theta_star)
            return 0; /* one θ*² line */
        if (live && s->r[i]->diverged)
            continue;
        theta2_of(s->r[i], 32, ys);
        for (size_t k = 0; k < 32; k++)
            if (ys[k] > top)
                top = ys[k] * 1.05;
    }
    plot p;
    if (!pic_strips(c, r, s, 0, (axis){0.0, top, 0, 0}, 32, theta2_of, ts2,
                    &p))
        return 0;
    char star[40], b[16];
    snprintf(star, sizeof star, "θ*² = %s", plot_fmt(ts2, b, sizeof b));
    fit_part parts[] = {
        {{"Predictor θ² per run", "θ² per run", NULL}, FIT_KEEP,
         ROLE_TITLE, ATTR_BOLD},
        {{"vs", NULL}, 4, ROLE_DIM, 0},
        {{star, NULL}, FIT_KEEP, ROLE_TEST, ATTR_BOLD},
        {{"(last steps)", NULL}, 2, ROLE_DIM, 0},
    };
    panel_title(c, r, parts, sizeof parts / sizeof parts[0]);
    return 1;
}

/* panel_predictor.c — the model's picture of its predictor against the
 * target; see panel_predictor.h.
 *
 * The model says which picture it has (model_ops.picture); one table
 * here maps the picture to the functions that draw it, each in its own
 * pic_*.c file (pic.h).  One run: the picture of that run.  Several runs
 * of one model, up to PANEL_PREDICTOR_MAX_RUNS: the picture's comparison
 * when it has one and the runs can share it (one data set, one target);
 * otherwise, or with more runs or runs of different models, the focused
 * run alone, the title saying whose it is. */
#include "panel_predictor.h"

#include <stdio.h>

#include "panel_kit.h"
#include "pic.h"
#include "runstyle.h"

/* Picture → how it is drawn; indexed by model_picture. */
static const pic_entry pictures[] = {
    [MODEL_PICTURE_THETA2] = {MODEL_PICTURE_THETA2, pic_theta2_draw,
                              pic_theta2_compare},
    [MODEL_PICTURE_BETA] = {MODEL_PICTURE_BETA, pic_beta_draw,
                            pic_beta_compare},
    [MODEL_PICTURE_CURVE] = {MODEL_PICTURE_CURVE, pic_curve_draw,
                             pic_curve_compare},
    [MODEL_PICTURE_NEURONS] = {MODEL_PICTURE_NEURONS, pic_neurons_draw,
                               pic_neurons_compare},
};

/* The table's line for R's model; NULL for a picture it lacks (a model
 * declaring a picture nobody draws: the panel stays empty rather than
 * drawing another model's picture). */
static const pic_entry *picture_of(const run *R)
{
    size_t k = (size_t)R->m.ops->picture;
    if (k >= sizeof pictures / sizeof pictures[0] || !pictures[k].draw ||
        pictures[k].picture != R->m.ops->picture)
        return NULL;
    return &pictures[k];
}

/* No part: what a single run's title gets where a comparison names the
 * run (a part without text takes no room, so single frames are as they
 * always were). */
static const fit_part no_part = {{NULL}, 0, ROLE_TITLE, 0};

void panel_predictor(canvas *c, rect r, const app *a)
{
    runset s;
    runset_from_app(&s, a);
    if (!s.multi) {
        const pic_entry *e = picture_of(a->r);
        if (e)
            e->draw(c, r, a->r, no_part);
        return;
    }
    const run *F = s.r[s.focus];
    const pic_entry *e = picture_of(F);
    if (!e)
        return;
    if (s.n <= PANEL_PREDICTOR_MAX_RUNS && runset_one_model(&s) &&
        e->compare && e->compare(c, r, &s))
        return;
    /* the focused run alone, and the title says so */
    char who[64], who_m[48], who_s[24];
    snprintf(who, sizeof who, "of %c %s (focused; %zu runs)",
             (char)runstyle_digit(s.focus), s.name[s.focus], s.n);
    snprintf(who_m, sizeof who_m, "of %c (focused; %zu runs)",
             (char)runstyle_digit(s.focus), s.n);
    snprintf(who_s, sizeof who_s, "of %c",
             (char)runstyle_digit(s.focus));
    /* above FIT_KEEP: the panel's name shortens before this does */
    e->draw(c, r, F,
            (fit_part){{who, who_m, who_s, NULL}, FIT_KEEP + 1,
                       runstyle_role(s.focus), ATTR_BOLD});
}

/* run_fork.c — a run's deep copy at its current step (run_clone, run.h):
 * what a session's fork starts from.  The copy is built by run_create
 * from the same scene (the same data draw and the same workspaces, so it
 * follows any change to what a run allocates), and then takes over every
 * piece of state the trajectory, the verdict and the drawn history
 * depend on.  Workspaces (dyn_ws, la_ws, hessian_ws, F, scratch rows)
 * hold nothing between calls and are not copied. */
#include "run.h"

#include <stdio.h>
#include <string.h>

/* Copies n doubles (n may be 0). */
static void copy_d(double *dst, const double *src, size_t n)
{
    if (n)
        memcpy(dst, src, n * sizeof *dst);
}

run *run_clone(const run *src, char *err, size_t errlen)
{
    run *r = run_create(&src->sc, err, errlen);
    if (!r)
        return NULL;
    size_t p = r->m.p;
    size_t bw = src->sc.band_window ? src->sc.band_window : 1;

    /* the trajectory: θ, the generator, η, the dynamics, the step */
    copy_d(r->theta, src->theta, p);
    r->step_rng = src->step_rng;
    r->sched = src->sched;
    r->dyn = src->dyn;
    r->t = src->t;
    r->diverged = src->diverged;
    r->diverged_at = src->diverged_at;
    r->spectrum_on = src->spectrum_on;
    r->eta_cached = src->eta_cached;
    r->eta_from = src->eta_from;
    r->eta_until = src->eta_until;

    /* the checkpoints a freeze or a rewind returns to */
    copy_d(r->ck_theta, src->ck_theta, p);
    r->ck_rng = src->ck_rng;
    r->ck_t = src->ck_t;
    copy_d(r->ck_prev_theta, src->ck_prev_theta, p);
    r->ck_prev_rng = src->ck_prev_rng;
    r->ck_prev_t = src->ck_prev_t;
    r->have_ck_prev = src->have_ck_prev;

    /* the trail */
    copy_d(r->trail, src->trail, RUN_TRAIL * p);
    memcpy(r->trail_flip, src->trail_flip, sizeof r->trail_flip);
    r->trail_head = src->trail_head;
    r->trail_len = src->trail_len;
    r->trail_t = src->trail_t;

    /* the metrics' state: the last spectrum, the valley's direction, the
     * band, bounce and verdict windows */
    copy_d(r->sv, src->sv, src->last.nsv);
    copy_d(r->top_dir, src->top_dir, p);
    r->curv_every = src->curv_every;
    r->loss0 = src->loss0;
    r->round_floor = src->round_floor;
    copy_d(r->band, src->band, bw);
    memcpy(r->concave_ring, src->concave_ring, bw);
    r->concave_len = src->concave_len;
    r->concave_pos = src->concave_pos;
    memcpy(r->bounce_ring, src->bounce_ring, bw);
    copy_d(r->cross_ring, src->cross_ring, bw);
    r->band_len = src->band_len;
    r->band_pos = src->band_pos;
    r->fed_t = src->fed_t;
    r->fed_verdict = src->fed_verdict;
    r->last = src->last;
    r->have_metrics = src->have_metrics;
    r->have_curv = src->have_curv;

    /* the histories the plots draw */
    const history *hs[] = {&src->h_train, &src->h_test, &src->h_eta,
                           &src->h_rank, &src->h_extra, &src->h_sharp,
                           &src->h_verdict};
    history *hd[] = {&r->h_train, &r->h_test, &r->h_eta, &r->h_rank,
                     &r->h_extra, &r->h_sharp, &r->h_verdict};
    for (size_t i = 0; i < sizeof hs / sizeof hs[0]; i++)
        if (history_copy(hd[i], hs[i]) != 0) {
            snprintf(err, errlen, "internal: history sizes differ");
            run_destroy(r);
            return NULL;
        }

    /* the path on the loss surface, on the same plane */
    r->surf = src->surf;
    if (src->path.cap)
        surface_path_copy(&r->path, &src->path);

    /* the same companion, read; a session decides who writes a tap */
    r->tap_in = src->tap_in;
    r->tap_cap = src->tap_cap;
    r->tap_out = NULL;
    return r;
}

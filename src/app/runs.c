/* runs.c — what keys do to the runs of a session; see runs.h.  Every
 * change goes through the run_* event functions (logged in the run's
 * schedule) or the session's fork and focus (logged in the session), at a
 * step boundary, so keys replay bit for bit. */
#include "runs.h"

#include <stdio.h>
#include <string.h>

/* ---- one run ------------------------------------------------------------ */

static void cycle_dynamics(run *r, char *msg, size_t cap)
{
    static const dyn_kind order[] = {DYN_SGD, DYN_GD, DYN_LABELNOISE, DYN_SDE};
    const size_t n = sizeof order / sizeof order[0];
    size_t cur = 0;
    for (size_t i = 0; i < n; i++)
        if (order[i] == r->dyn.kind)
            cur = i;
    char err[128], skipped[96] = "";
    for (size_t k = 1; k <= n; k++) {
        dyn_kind next = order[(cur + k) % n];
        if (run_set_dynamics(r, next, err, sizeof err) == 0) {
            /* short enough for the hint line at 80 columns; the help
             * says why (an online model has no finite training set) */
            if (skipped[0])
                snprintf(msg, cap, "dynamics: %s (skipped %s: see ?)",
                         dyn_label(next), skipped);
            else
                snprintf(msg, cap, "dynamics: %s", dyn_label(next));
            return;
        }
        const char *label = dyn_label(next);
        size_t used = strlen(skipped);
        snprintf(skipped + used, sizeof skipped - used, "%s%s",
                 used ? ", " : "", label);
    }
}

void runs_set_batch(run *r, size_t b, char *msg, size_t cap)
{
    if (b < 1)
        b = 1;
    if (r->m.n > 0 && b > r->m.n)
        b = r->m.n;
    if (b > 4096)
        b = 4096;
    if (b != r->dyn.batch)
        run_set_batch(r, b);
    snprintf(msg, cap, "batch size %zu", r->dyn.batch);
}

/* Actions that change the run's settings: refused on a frozen
 * (diverged) run, whose η and dynamics must stay those it blew up with
 * until u rewinds it or r resets it. */
static int changes_settings(app_action act)
{
    return act == ACT_ETA_UP || act == ACT_ETA_DOWN ||
           act == ACT_ETA_FINE_UP || act == ACT_ETA_FINE_DOWN ||
           act == ACT_DECAY || act == ACT_WARMUP || act == ACT_DYNAMICS ||
           act == ACT_BATCH_DOWN || act == ACT_BATCH_UP;
}

void app_held_text(const run *r, char *msg, size_t cap)
{
    double eta = run_eta(r);
    snprintf(msg, cap, "η held at %g, the %s step size", eta,
             eta >= SCHED_ETA_MAX ? "largest" : "smallest");
}

int app_run_act(run *r, app_action act, char *msg, size_t cap)
{
    if (!changes_settings(act))
        return 0;
    if (cap)
        msg[0] = 0;
    if (r->diverged) {
        snprintf(msg, cap, "the run is frozen: u rewinds (η/2), r resets");
        return 1;
    }
    switch (act) {
    case ACT_ETA_UP:
    case ACT_ETA_DOWN:
    case ACT_ETA_FINE_UP:
    case ACT_ETA_FINE_DOWN: {
        double f = act == ACT_ETA_UP     ? APP_ETA_FACTOR
                 : act == ACT_ETA_DOWN   ? 1.0 / APP_ETA_FACTOR
                 : act == ACT_ETA_FINE_UP ? APP_ETA_FINE
                                          : 1.0 / APP_ETA_FINE;
        if (run_scale_eta(r, f))
            app_held_text(r, msg, cap);
        else
            snprintf(msg, cap, "η = %.6g", run_eta(r));
        break;
    }
    case ACT_DECAY:
        if (run_decay_now(r))
            app_held_text(r, msg, cap);
        else
            snprintf(msg, cap, "decay: η ÷ %g", r->sched.cfg.decay_factor);
        break;
    case ACT_WARMUP: {
        uint64_t len = r->sc.steps / 10 ? r->sc.steps / 10 : 1;
        run_toggle_warmup(r, 2.0, len);
        if (r->sched.mw_active)
            snprintf(msg, cap, "warmup: η ×2 over %llu steps",
                     (unsigned long long)len);
        else
            snprintf(msg, cap, "warmup stopped");
        break;
    }
    case ACT_DYNAMICS:
        cycle_dynamics(r, msg, cap);
        break;
    case ACT_BATCH_DOWN:
        runs_set_batch(r, r->dyn.batch / 2, msg, cap);
        break;
    case ACT_BATCH_UP:
        runs_set_batch(r, r->dyn.batch * 2, msg, cap);
        break;
    default:
        break;
    }
    return 1;
}

int app_is_run_key(int key)
{
    int act = app_key_action(key);
    return act >= 0 && changes_settings((app_action)act);
}

int app_run_key(run *r, int key, char *msg, size_t cap)
{
    int act = app_key_action(key);
    return act >= 0 && app_run_act(r, (app_action)act, msg, cap);
}

/* ---- the runs of a session -------------------------------------------- */

void runs_sync(app *a)
{
    a->r = session_focused(a->ses);
    snprintf(a->run_name, sizeof a->run_name, "%s",
             session_name(a->ses, a->ses->focus));
}

/* What a one-run action did, said once for every run it acted on (each
 * run's own figures differ: its η, its decay factor). */
static const char *all_label(app_action act)
{
    switch (act) {
    case ACT_ETA_UP: return "η ×1.1";
    case ACT_ETA_DOWN: return "η ÷1.1";
    case ACT_ETA_FINE_UP: return "η ×1.01";
    case ACT_ETA_FINE_DOWN: return "η ÷1.01";
    case ACT_DECAY: return "decay now";
    case ACT_WARMUP: return "warmup on/off";
    case ACT_DYNAMICS: return "next dynamics";
    case ACT_BATCH_DOWN: return "batch ÷2";
    case ACT_BATCH_UP: return "batch ×2";
    default: return "";
    }
}

/* The name of run i when the session has several ("decay50: "), else "":
 * a single run's messages read as they always have. */
static void who(const session *s, size_t i, char *buf, size_t cap)
{
    if (s->n > 1)
        snprintf(buf, cap, "%s: ", session_name(s, i));
    else if (cap)
        buf[0] = 0;
}

/* Rewinds run i and measures it where it lands.  Returns 0, or −1 with
 * the session's reason in msg. */
static int rewind_one(session *s, size_t i, char *msg, size_t cap)
{
    if (session_rewind(s, i, 2.0, msg, cap) != 0)
        return -1;
    run *r = session_run(s, i);
    run_eval_losses(r);
    run_eval_spectrum(r);
    return 0;
}

static void act_rewind(session *s, int all, char *msg, size_t cap)
{
    char pre[COMPARISON_NAME_MAX + 4], err[160];
    if (!all) {
        size_t i = s->focus;
        run *r = session_run(s, i);
        who(s, i, pre, sizeof pre);
        if (!r->diverged) {
            snprintf(msg, cap, "%snothing to rewind: the run has not "
                     "diverged", pre);
        } else if (rewind_one(s, i, err, sizeof err) != 0) {
            snprintf(msg, cap, "%s%s", pre, err);
        } else if (r->diverged) {
            snprintf(msg, cap, "%srewound, η %.4g: diverged again at step "
                     "%llu", pre, run_eta(r),
                     (unsigned long long)r->diverged_at);
        } else {
            snprintf(msg, cap, "%srewound: η %.4g, back at step %llu", pre,
                     run_eta(r), (unsigned long long)r->t);
        }
        return;
    }
    size_t done = 0, failed = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (!session_run(s, i)->diverged)
            continue;
        if (rewind_one(s, i, err, sizeof err) == 0)
            done++;
        else
            failed++;
    }
    if (done + failed == 0)
        snprintf(msg, cap, "nothing to rewind: no run has diverged");
    else if (failed)
        snprintf(msg, cap, "rewound %zu of %zu frozen runs: %s", done,
                 done + failed, err);
    else
        snprintf(msg, cap, "rewound %zu frozen run%s (η ÷2)", done,
                 done == 1 ? "" : "s");
}

static void act_focus(session *s, int dir, char *msg, size_t cap)
{
    if (s->n < 2) {
        snprintf(msg, cap, "one run: f forks it to compare");
        return;
    }
    session_set_focus(s, (s->focus + (dir > 0 ? 1 : s->n - 1)) % s->n);
    snprintf(msg, cap, "focus: %s (%zu/%zu)", session_name(s, s->focus),
             s->focus + 1, s->n);
}

static void act_fork(session *s, char *msg, size_t cap)
{
    char err[160];
    size_t from = s->focus;
    int k = session_fork(s, from, NULL, err, sizeof err);
    if (k < 0) {
        snprintf(msg, cap, "cannot fork: %s", err);
        return;
    }
    session_set_focus(s, (size_t)k);
    snprintf(msg, cap, "forked %s at step %llu: %s has the focus",
             session_name(s, from), (unsigned long long)s->t,
             session_name(s, (size_t)k));
}

/* A one-run action on every live run. */
static void act_all(session *s, app_action act, char *msg, size_t cap)
{
    char one[APP_MSG_MAX];
    size_t done = 0, frozen = 0;
    for (size_t i = 0; i < s->n; i++) {
        run *r = session_run(s, i);
        if (r->diverged) {
            frozen++;
            continue;
        }
        app_run_act(r, act, one, sizeof one);
        done++;
    }
    if (done == 0)
        snprintf(msg, cap, "every run is frozen: u rewinds (η/2), r resets");
    else if (frozen)
        snprintf(msg, cap, "%s on %zu live runs (%zu frozen)",
                 all_label(act), done, frozen);
    else
        snprintf(msg, cap, "%s on all %zu runs", all_label(act), done);
}

int runs_act(session *s, int *all, app_action act, char *msg, size_t cap)
{
    int prefix = *all;
    if (act != ACT_ALL && act != ACT_REWIND && act != ACT_FOCUS_NEXT &&
        act != ACT_FOCUS_PREV && act != ACT_FORK && !changes_settings(act)) {
        *all = 0;
        return 0;
    }
    if (cap)
        msg[0] = 0;
    *all = 0;
    switch (act) {
    case ACT_ALL:
        *all = !prefix;
        snprintf(msg, cap, *all ? "* all runs: now an η key, d, w, o, b, B "
                                  "or u (Esc cancels)"
                                : "* cancelled");
        break;
    case ACT_REWIND:
        act_rewind(s, prefix, msg, cap);
        break;
    case ACT_FOCUS_NEXT:
    case ACT_FOCUS_PREV:
        act_focus(s, act == ACT_FOCUS_NEXT ? 1 : -1, msg, cap);
        break;
    case ACT_FORK:
        act_fork(s, msg, cap);
        break;
    default:
        if (prefix) {
            act_all(s, act, msg, cap);
        } else {
            char pre[COMPARISON_NAME_MAX + 4], one[APP_MSG_MAX];
            app_run_act(session_focused(s), act, one, sizeof one);
            who(s, s->focus, pre, sizeof pre);
            if (one[0])
                snprintf(msg, cap, "%s%s", pre, one);
        }
        break;
    }
    return 1;
}

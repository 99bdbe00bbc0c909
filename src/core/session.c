/* session.c — runs in lockstep, their events, forks and companions; see
 * session.h. */
#include "session.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void log_add(session *s, session_log_kind kind, int idx, int from)
{
    if (s->nlog == SESSION_LOG_CAP) {
        s->log_dropped++;
        return;
    }
    session_log_entry *l = &s->log[s->nlog++];
    l->step = s->t;
    l->kind = kind;
    l->run = idx;
    l->from = from;
    snprintf(l->name, sizeof l->name, "%s",
             idx >= 0 && (size_t)idx < s->n ? s->run[idx].name : "");
}

/* Companions step first, so an SDE's chunk finds its δ in the tap. */
static void set_order(session *s)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->run[i].tap)
            s->order[k++] = i;
    for (size_t i = 0; i < s->n; i++)
        if (!s->run[i].tap)
            s->order[k++] = i;
}

/* Gives slot j a tap ring if it has none.  Returns 0 or −1. */
static int tap_for(session *s, size_t j)
{
    session_slot *o = &s->run[j];
    if (!o->tap) {
        o->tap = calloc(SESSION_TAP_CAP, sizeof *o->tap);
        if (!o->tap)
            return -1;
    }
    o->r->tap_out = o->tap;
    o->r->tap_cap = SESSION_TAP_CAP;
    return 0;
}

/* Run k's SDE reads run j's loss. */
static void link_companion(session *s, size_t k, size_t j)
{
    run *r = s->run[k].r;
    s->run[k].companion = (int)j;
    r->tap_in = s->run[j].tap;
    r->tap_cap = SESSION_TAP_CAP;
    r->dyn.sde_ext = 1;
}

/* Wires the companions the scenes name (comparison_finalize checked
 * them).  Returns 0 or −1 (allocation). */
static int wire(session *s)
{
    for (size_t k = 0; k < s->n; k++) {
        const char *cn = s->run[k].r->sc.sde_companion;
        int j = cn[0] ? comparison_find(s->c, cn) : -1;
        if (j < 0 || (size_t)j == k)
            continue;
        if (tap_for(s, (size_t)j))
            return -1;
        link_companion(s, k, (size_t)j);
    }
    set_order(s);
    return 0;
}

/* Builds the comparison's runs into slots (nothing else changes).
 * Returns 0, or −1 with err (the slots built so far are freed). */
static int build_runs(const comparison *c, session_slot *slot, char *err,
                      size_t errlen)
{
    for (size_t i = 0; i < c->n; i++) {
        memset(&slot[i], 0, sizeof slot[i]);
        slot[i].r = run_create(&c->run[i], err, errlen);
        if (!slot[i].r) {
            for (size_t k = 0; k < i; k++)
                run_destroy(slot[k].r);
            return -1;
        }
        snprintf(slot[i].name, sizeof slot[i].name, "%s", c->name[i]);
        slot[i].companion = -1;
        slot[i].parent = -1;
    }
    return 0;
}

/* Points every run at the session's surface and starts its path at its
 * current iterate. */
static void attach_surface(session *s)
{
    for (size_t i = 0; s->surf && i < s->n; i++) {
        run *r = s->run[i].r;
        if (!r->path.cap)
            continue;
        double a, b;
        r->surf = s->surf;
        surface_path_clear(&r->path);
        surface_project(s->surf, r->theta, &a, &b);
        surface_path_push(&r->path, r->t, a, b);
    }
}

/* Builds the surface of run 0's scene, if it names one.  Returns 0, or
 * −1 with err. */
static int build_surface(session *s, char *err, size_t errlen)
{
    const run *r0 = s->run[0].r;
    const scene *sc = &r0->sc;
    if (sc->surface == SURF_NONE)
        return 0;
    s->surf = calloc(1, sizeof *s->surf);
    if (!s->surf) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (surface_create(s->surf, sc->surface, &r0->m, r0->theta,
                       sc->surface_lo, sc->surface_hi, sc->surface_clip,
                       sc->surface_grid, sc->steps, err, errlen)) {
        free(s->surf);
        s->surf = NULL;
        return -1;
    }
    attach_surface(s);
    return 0;
}

static void free_slots(session *s)
{
    for (size_t i = 0; i < s->n; i++) {
        run_destroy(s->run[i].r);
        free(s->run[i].tap);
        s->run[i].r = NULL;
        s->run[i].tap = NULL;
    }
    s->n = 0;
}

session *session_create(const comparison *c, session_key_fn key, char *err,
                        size_t errlen)
{
    session *s = calloc(1, sizeof *s);
    if (s)
        s->c = malloc(sizeof *s->c);
    if (!s || !s->c) {
        free(s);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    *s->c = *c;
    s->run_key = key;
    s->steps = c->run[0].steps;
    if (build_runs(s->c, s->run, err, errlen)) {
        free(s->c);
        free(s);
        return NULL;
    }
    s->n = s->c->n;
    if (wire(s)) {
        snprintf(err, errlen, "out of memory");
        session_destroy(s);
        return NULL;
    }
    if (build_surface(s, err, errlen)) {
        session_destroy(s);
        return NULL;
    }
    return s;
}

void session_destroy(session *s)
{
    if (!s)
        return;
    free_slots(s);
    if (s->surf)
        surface_free(s->surf);
    free(s->surf);
    free(s->c);
    free(s);
}

size_t session_live(const session *s)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++)
        k += !s->run[i].r->diverged;
    return k;
}

run *session_run(const session *s, size_t i)
{
    return i < s->n ? s->run[i].r : NULL;
}

const char *session_name(const session *s, size_t i)
{
    return i < s->n ? s->run[i].name : NULL;
}

run *session_focused(const session *s)
{
    return s->run[s->focus].r;
}

void session_set_focus(session *s, size_t i)
{
    if (i >= s->n || i == s->focus)
        return;
    s->focus = i;
    log_add(s, SESSION_LOG_FOCUS, (int)i, -1);
}

void session_focus_next(session *s)
{
    session_set_focus(s, (s->focus + 1) % s->n);
}

int session_find(const session *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->run[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* ---- events ------------------------------------------------------------ */

/* The firing order of events of one step: file lines in order, then
 * --script's keys (line 0) in script order. */
static long order_key(const tl_event *ev)
{
    return ev->line > 0 ? ev->line : LONG_MAX;
}

/* Whether a (src a) fires before b (src b). */
static int fires_before(const tl_event *a, int sa, const tl_event *b, int sb)
{
    if (a->step != b->step)
        return a->step < b->step;
    if (order_key(a) != order_key(b))
        return order_key(a) < order_key(b);
    return sa < sb;
}

/* Run i's next event, or NULL. */
static const tl_event *run_next(const session *s, size_t i)
{
    const session_slot *sl = &s->run[i];
    const timeline *tl = &sl->r->sc.tl;
    return sl->tl_next < tl->n ? &tl->ev[sl->tl_next] : NULL;
}

uint64_t session_next_event(const session *s)
{
    uint64_t t = UINT64_MAX;
    if (s->tl_next < s->c->tl.n)
        t = s->c->tl.ev[s->tl_next].step;
    for (size_t i = 0; i < s->n; i++) {
        const tl_event *ev = run_next(s, i);
        if (ev && !s->run[i].r->diverged && ev->step < t)
            t = ev->step;
    }
    return t;
}

int session_peek(const session *s, session_due *d)
{
    const tl_event *best = NULL;
    int src = 0;
    if (s->tl_next < s->c->tl.n && s->c->tl.ev[s->tl_next].step <= s->t) {
        best = &s->c->tl.ev[s->tl_next];
        src = -1;
    }
    for (size_t i = 0; i < s->n; i++) {
        const run *r = s->run[i].r;
        const tl_event *ev = run_next(s, i);
        if (!ev || r->diverged || ev->step > r->t)
            continue;
        if (!best || fires_before(ev, (int)i, best, src)) {
            best = ev;
            src = (int)i;
        }
    }
    if (!best)
        return 0;
    d->ev = best;
    d->src = src;
    if (src >= 0)
        d->run = src;
    else
        d->run = best->kind == TL_KEY ? (int)s->focus : -1;
    return 1;
}

/* Applies a run's own event to it (the event functions of run.h, each
 * logged in its schedule). */
static void apply(session *s, run *r, const tl_event *ev, char *msg,
                  size_t cap)
{
    int held = 0;
    switch (ev->kind) {
    case TL_DECAY: held = run_decay_now(r); break;
    case TL_ETA: held = run_set_eta(r, ev->value); break;
    case TL_SCALE: held = run_scale_eta(r, ev->value); break;
    case TL_DYNAMICS:
        run_set_dynamics(r, (dyn_kind)ev->value, msg, cap);
        break;
    case TL_BATCH: run_set_batch(r, (size_t)ev->value); break;
    case TL_KEY:
        if (s->run_key)
            s->run_key(r, (int)ev->value, msg, cap);
        break;
    default: /* a block holds no captions, pauses or ends */
        break;
    }
    /* scene_finalize refuses timelines that leave the range; a key
     * pressed before may still have moved η to a bound */
    if (held)
        snprintf(msg, cap, "η held at %g, the %s step size", run_eta(r),
                 run_eta(r) >= SCHED_ETA_MAX ? "largest" : "smallest");
}

int session_fire(session *s, const session_due *d, char *msg, size_t cap)
{
    if (cap)
        msg[0] = 0;
    if (d->src < 0) {
        s->tl_next++;
        if (d->ev->kind == TL_KEY && s->run_key &&
            s->run_key(s->run[s->focus].r, (int)d->ev->value, msg, cap))
            return SESSION_APPLIED;
        return SESSION_YOURS;
    }
    session_slot *sl = &s->run[d->src];
    sl->tl_next++;
    apply(s, sl->r, d->ev, msg, cap);
    return SESSION_APPLIED;
}

/* ---- stepping ------------------------------------------------------------ */

/* A companion that has diverged holds δ at its frozen state's loss: the
 * tap gets that loss for the steps [from, to) its SDEs will take. */
static void tap_hold(session_slot *sl, uint64_t from, uint64_t to)
{
    run *r = sl->r;
    double L = model_train_loss(&r->m, r->theta);
    for (uint64_t j = from; j < to; j++)
        sl->tap[j % SESSION_TAP_CAP] = L;
}

uint64_t session_advance(session *s, uint64_t n)
{
    if (session_live(s) == 0)
        return 0;
    uint64_t ev = session_next_event(s);
    if (ev <= s->t)
        return 0; /* due events fire first */
    if (ev - s->t < n)
        n = ev - s->t;
    int tapped = 0;
    for (size_t i = 0; i < s->n; i++)
        tapped |= s->run[i].tap != NULL;
    uint64_t done = 0;
    while (done < n) {
        uint64_t c = n - done;
        if (tapped && c > SESSION_TAP_CHUNK)
            c = SESSION_TAP_CHUNK;
        uint64_t to = s->t + c;
        for (size_t k = 0; k < s->n; k++) {
            session_slot *sl = &s->run[s->order[k]];
            run *r = sl->r;
            if (!r->diverged && r->t == s->t)
                run_advance(r, c);
            if (sl->tap && r->diverged)
                tap_hold(sl, r->t > s->t ? r->t : s->t, to);
        }
        s->t = to;
        done += c;
    }
    return done;
}

/* ---- forks, rewinds, restarts ----------------------------------------- */

/* "<parent>-f<k>" for the smallest k not taken, cut to fit. */
static void fork_name(const session *s, const char *parent, char *out,
                      size_t cap)
{
    for (int k = 1; k < 100; k++) {
        char suf[8];
        int sl = snprintf(suf, sizeof suf, "-f%d", k);
        int keep = (int)(COMPARISON_NAME_MAX - 1) - sl;
        snprintf(out, cap, "%.*s%s", keep, parent, suf);
        if (session_find(s, out) < 0)
            return;
    }
}

int session_fork(session *s, size_t i, const char *name, char *err,
                 size_t errlen)
{
    char nm[COMPARISON_NAME_MAX];
    if (i >= s->n) {
        snprintf(err, errlen, "no run %zu to fork", i);
        return -1;
    }
    if (s->n == SESSION_MAX_RUNS) {
        snprintf(err, errlen, "a session holds at most %d runs",
                 SESSION_MAX_RUNS);
        return -1;
    }
    if (name && name[0]) {
        if (!comparison_name_ok(name)) {
            snprintf(err, errlen, "a run name is 1 to 24 letters, digits, "
                     "'_' and '-'");
            return -1;
        }
        if (session_find(s, name) >= 0) {
            snprintf(err, errlen, "a run is already called '%s'", name);
            return -1;
        }
        snprintf(nm, sizeof nm, "%s", name);
    } else {
        fork_name(s, s->run[i].name, nm, sizeof nm);
    }
    run *r = run_clone(s->run[i].r, err, errlen);
    if (!r)
        return -1;
    size_t k = s->n++;
    session_slot *sl = &s->run[k];
    memset(sl, 0, sizeof *sl);
    sl->r = r;
    memcpy(sl->name, nm, sizeof nm);
    sl->tl_next = s->run[i].tl_next;
    sl->companion = s->run[i].companion;
    sl->parent = (int)i;
    sl->born = s->t;
    set_order(s);
    log_add(s, SESSION_LOG_FORK, (int)k, (int)i);
    return (int)k;
}

/* Steps run k, alone, from its step to the session's, firing its own
 * events and evaluating its losses at its `every` (as the session's
 * callers do for the others); a companion writes no tap on the way, its
 * SDEs having taken those steps already. */
static void catch_up(session *s, size_t k)
{
    session_slot *sl = &s->run[k];
    run *r = sl->r;
    double *tap = r->tap_out;
    uint64_t every = r->sc.every;
    char msg[128];
    r->tap_out = NULL;
    while (!r->diverged && r->t < s->t) {
        const tl_event *ev;
        while ((ev = run_next(s, k)) != NULL && ev->step <= r->t) {
            sl->tl_next++;
            apply(s, r, ev, msg, sizeof msg);
        }
        uint64_t chunk = s->t - r->t;
        if (ev && ev->step - r->t < chunk)
            chunk = ev->step - r->t;
        if (every > 0 && every - r->t % every < chunk)
            chunk = every - r->t % every;
        run_advance(r, chunk);
        if (r->diverged || (every > 0 && r->t % every == 0))
            run_eval_losses(r);
    }
    r->tap_out = tap;
}

int session_rewind(session *s, size_t i, double factor, char *err,
                   size_t errlen)
{
    if (i >= s->n) {
        snprintf(err, errlen, "no run %zu", i);
        return -1;
    }
    run *r = s->run[i].r;
    if (!r->diverged) {
        snprintf(err, errlen, "nothing to rewind: the run has not diverged");
        return -1;
    }
    uint64_t to = r->have_ck_prev && r->ck_prev_t < r->ck_t ? r->ck_prev_t
                                                            : r->ck_t;
    if (r->tap_in && s->t - to >= SESSION_TAP_CAP) {
        snprintf(err, errlen, "cannot rewind: the companion's loss is kept "
                 "for the last %u steps only", SESSION_TAP_CAP);
        return -1;
    }
    run_rewind(r, factor);
    catch_up(s, i);
    log_add(s, SESSION_LOG_REWIND, (int)i, -1);
    return 0;
}

int session_restart(session *s, uint64_t seed_add, int keep_place,
                    char *err, size_t errlen)
{
    comparison *c = s->c;
    session_slot fresh[SESSION_MAX_RUNS];
    size_t place[SESSION_MAX_RUNS];
    for (size_t i = 0; i < c->n; i++)
        c->run[i].seed += seed_add;
    if (build_runs(c, fresh, err, errlen)) {
        for (size_t i = 0; i < c->n; i++)
            c->run[i].seed -= seed_add;
        return -1;
    }
    for (size_t i = 0; i < c->n; i++)
        place[i] = keep_place && i < s->n ? s->run[i].tl_next : 0;
    free_slots(s);
    memcpy(s->run, fresh, c->n * sizeof fresh[0]);
    s->n = c->n;
    for (size_t i = 0; i < s->n; i++)
        s->run[i].tl_next = place[i];
    s->t = 0;
    if (!keep_place)
        s->tl_next = 0;
    if (s->focus >= s->n)
        s->focus = 0;
    if (wire(s)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    attach_surface(s);
    log_add(s, SESSION_LOG_RESTART, -1, (int)seed_add);
    return 0;
}

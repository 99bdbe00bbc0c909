/* app.c — the interactive session's state machine; see app.h.  Every
 * change to the run goes through run_* event functions at a step
 * boundary, so a session driven by keys is as reproducible as a scene. */
#include "app.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The one key table: input handling and the help overlay both read it. */
const app_key app_keys[] = {
    {' ', ACT_PAUSE, "space", "pause / resume", "pause"},
    {'.', ACT_STEP, ".", "one step while paused", "step"},
    {'>', ACT_FASTER, ">", "more steps per frame (×2)", "faster"},
    {'<', ACT_SLOWER, "<", "fewer steps per frame (÷2)", NULL},
    {'+', ACT_ETA_UP, "+", "step size η ×1.1", "η up"},
    {'-', ACT_ETA_DOWN, "-", "step size η ÷1.1", "η down"},
    {'d', ACT_DECAY, "d", "decay η now (÷ the scene's decay)", "decay"},
    {'w', ACT_WARMUP, "w", "start/stop a warmup (η ×2 over 10% of the run)",
     "warmup"},
    {'o', ACT_DYNAMICS, "o", "cycle dynamics: SGD, GD, label-noise GD, SDE",
     "dynamics"},
    {'b', ACT_BATCH_DOWN, "b", "batch size ÷2", NULL},
    {'B', ACT_BATCH_UP, "B", "batch size ×2", NULL},
    {'m', ACT_NEXT_SCENE, "m", "next shipped scene", "scene"},
    {'r', ACT_RESET, "r", "reset, same seed", "reset"},
    {'R', ACT_RESEED, "R", "reset with a new seed", NULL},
    {'u', ACT_REWIND, "u", "rewind before a divergence, η ÷2", NULL},
    {'l', ACT_XAXIS, "l", "linear / log step axis", NULL},
    {'e', ACT_EXPORT, "e", "export the run's history as CSV", NULL},
    {'?', ACT_HELP, "?", "help: every key", "help"},
    {'q', ACT_QUIT, "q", "quit", "quit"},
};
const size_t app_nkeys = sizeof app_keys / sizeof app_keys[0];

int app_key_action(int key)
{
    for (size_t i = 0; i < app_nkeys; i++)
        if (app_keys[i].key == key)
            return (int)app_keys[i].act;
    return -1;
}

void app_message(app *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->msg, sizeof a->msg, fmt, ap);
    va_end(ap);
    a->msg_frames = 90; /* about three seconds at 30 fps */
}

char *app_speed_text(const app *a, char *buf, size_t cap)
{
    snprintf(buf, cap, "×%llu", (unsigned long long)a->spf);
    return buf;
}

/* Steps per frame so a scene plays through in about 15 s at 30 fps,
 * rounded to a power of two so > and < land on the same values. */
static uint64_t default_spf(const scene *sc)
{
    double want = (double)sc->steps / (30.0 * 15.0);
    uint64_t s = 1;
    while ((double)(s * 2) <= want)
        s *= 2;
    return s;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp((const char *)x, (const char *)y);
}

static void list_scenes(app *a, const char *dir)
{
    a->nscenes = 0;
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) && a->nscenes < APP_MAX_SCENES) {
        size_t l = strlen(e->d_name);
        if (l > 6 && strcmp(e->d_name + l - 6, ".scene") == 0)
            snprintf(a->scenes[a->nscenes++], SCENE_PATH_MAX, "%s/%s", dir,
                     e->d_name);
    }
    closedir(d);
    qsort(a->scenes, a->nscenes, sizeof a->scenes[0], cmp_str);
}

/* Replaces the run with a fresh one from sc; keeps the old on failure. */
static int open_run(app *a, const scene *sc, char *err, size_t errlen)
{
    run *r = run_create(sc, err, errlen);
    if (!r)
        return -1;
    run_destroy(a->r);
    a->r = r;
    run_eval_losses(r);
    run_eval_spectrum(r);
    return 0;
}

int app_open(app *a, const scene *sc, const char *scene_dir, char *err,
             size_t errlen)
{
    memset(a, 0, sizeof *a);
    a->base = *sc;
    a->eta_factor = 1.1;
    a->spf = default_spf(sc);
    if (open_run(a, sc, err, errlen) != 0)
        return -1;
    list_scenes(a, scene_dir);
    /* Events due at step 0 fire on the first tick, run_to or step, once
     * the caller has said whether there is a screen (headless ignores
     * pauses). */
    a->scene_idx = a->nscenes; /* "none of them" until m is pressed */
    for (size_t i = 0; i < a->nscenes; i++) {
        const char *slash = strrchr(a->scenes[i], '/');
        const char *base = slash ? slash + 1 : a->scenes[i];
        if (strncmp(base, sc->name, strlen(sc->name)) == 0 &&
            strcmp(base + strlen(sc->name), ".scene") == 0)
            a->scene_idx = i;
    }
    return 0;
}

void app_close(app *a)
{
    run_destroy(a->r);
    a->r = NULL;
}

static void fire(app *a, const tl_event *ev)
{
    run *r = a->r;
    char err[128];
    switch (ev->kind) {
    case TL_DECAY: run_decay_now(r); break;
    case TL_ETA: run_set_eta(r, ev->value); break;
    case TL_SCALE: run_scale_eta(r, ev->value); break;
    case TL_DYNAMICS:
        if (run_set_dynamics(r, (dyn_kind)ev->value, err, sizeof err) != 0)
            app_message(a, "%s", err);
        break;
    case TL_BATCH: run_set_batch(r, (size_t)ev->value); break;
    case TL_PAUSE:
        if (!a->headless)
            a->paused = 1;
        break;
    case TL_CAPTION:
        snprintf(a->caption, sizeof a->caption, "%s", ev->text);
        a->caption_from = r->t;
        a->caption_until = r->t + (uint64_t)ev->value;
        break;
    case TL_KEY: {
        int act = app_key_action((int)ev->value);
        if (act >= 0)
            app_act(a, (app_action)act);
        break;
    }
    }
}

size_t app_fire_due(app *a)
{
    const timeline *tl = &a->base.tl;
    size_t fired = 0;
    /* An event may reset the run (a `key r`) or open another scene (`key
     * m`), so re-check the run each time; the cap stops a scene whose
     * step-0 events open scenes that do the same from looping forever. */
    while (a->tl_next < tl->n && tl->ev[a->tl_next].step <= a->r->t &&
           !a->quit && fired < 4 * TL_MAX_EVENTS) {
        const tl_event *ev = &tl->ev[a->tl_next++];
        a->firing = 1;
        fire(a, ev);
        a->firing = 0;
        fired++;
    }
    return fired;
}

uint64_t app_next_event(const app *a)
{
    const timeline *tl = &a->base.tl;
    return a->tl_next < tl->n ? tl->ev[a->tl_next].step : UINT64_MAX;
}

/* Advances n steps, evaluating the losses at every multiple of `every`
 * and at a divergence, whatever the chunking, and firing timeline events
 * at their steps.  A pause event stops it when honor_pause. */
static uint64_t advance(app *a, uint64_t n, int honor_pause)
{
    uint64_t every = a->r->sc.every, done = 0;
    while (done < n && !a->r->diverged && !a->quit) {
        app_fire_due(a);
        if (honor_pause && a->paused)
            break;
        run *r = a->r; /* an event may have replaced it */
        uint64_t chunk = n - done;
        if (every > 0 && every - r->t % every < chunk)
            chunk = every - r->t % every;
        uint64_t ev = app_next_event(a);
        if (ev > r->t && ev - r->t < chunk)
            chunk = ev - r->t;
        done += run_advance(r, chunk);
        /* events due now fire before the metrics, so a row at an event's
         * step shows the η it set (and a reset's fresh run) */
        if (!r->diverged)
            app_fire_due(a);
        r = a->r;
        if (r->diverged || (every > 0 && r->t % every == 0))
            run_eval_losses(r);
    }
    if (!a->quit)
        app_fire_due(a);
    if (a->r->diverged)
        app_message(a, "diverged at step %llu: u rewinds with η/2, "
                       "r resets", (unsigned long long)a->r->diverged_at);
    return done;
}

uint64_t app_tick(app *a, int want_spectrum)
{
    uint64_t done = 0;
    app_fire_due(a);
    if (!a->paused && !a->r->diverged)
        done = advance(a, a->spf, 1);
    if (want_spectrum && a->r->last.spectrum_step != a->r->t)
        run_eval_spectrum(a->r);
    if (a->msg_frames > 0 && --a->msg_frames == 0)
        a->msg[0] = 0;
    return done;
}

void app_run_to(app *a, uint64_t n)
{
    app_fire_due(a);
    /* An event on the way may reset the run: keep going until the run
     * stands at n (each event fires once, so this ends). */
    while (a->r->t < n && !a->r->diverged && !a->quit)
        advance(a, n - a->r->t, 0);
    /* A jump to a state, not a frame: transient key feedback does not
     * belong on it (so --snapshot and a recording's last frame agree). */
    a->msg[0] = 0;
    a->msg_frames = 0;
    if (a->r->last.step != a->r->t)
        run_eval_losses(a->r);
    run_eval_spectrum(a->r);
}

/* Replaces the run with a fresh one of sc.  The timeline restarts, except
 * when a timeline event of the same scene asked for the reset (it keeps
 * its place, or `at 500: key r` would fire forever). */
static void reopen(app *a, const scene *sc, const char *what,
                   int same_timeline)
{
    char err[256];
    scene s = *sc;
    if (open_run(a, &s, err, sizeof err) != 0) {
        app_message(a, "cannot %s: %s", what, err);
        return;
    }
    a->base = s;
    a->spf = default_spf(&s);
    if (!a->firing || !same_timeline) {
        a->tl_next = 0;
        a->caption[0] = 0;
        a->caption_until = 0;
    }
}

static void next_scene(app *a)
{
    if (a->nscenes == 0) {
        app_message(a, "no shipped scenes found");
        return;
    }
    for (size_t k = 1; k <= a->nscenes; k++) {
        size_t i = (a->scene_idx + k) % (a->nscenes + 1);
        if (i == a->nscenes)
            continue; /* skip the "none" slot */
        scene s;
        scene_err e;
        scene_init(&s);
        if (scene_load_file(&s, a->scenes[i], &e) != 0 ||
            scene_finalize(&s, &e) != 0) {
            app_message(a, "%s:%d: %s", a->scenes[i], e.line, e.msg);
            continue;
        }
        a->scene_idx = i;
        reopen(a, &s, "open the scene", 0);
        app_message(a, "scene %s: %s", s.name, s.title);
        return;
    }
}

static void cycle_dynamics(app *a)
{
    static const dyn_kind order[] = {DYN_SGD, DYN_GD, DYN_LABELNOISE, DYN_SDE};
    const size_t n = sizeof order / sizeof order[0];
    size_t cur = 0;
    for (size_t i = 0; i < n; i++)
        if (order[i] == a->r->dyn.kind)
            cur = i;
    char err[128];
    for (size_t k = 1; k <= n; k++) {
        dyn_kind next = order[(cur + k) % n];
        if (run_set_dynamics(a->r, next, err, sizeof err) == 0) {
            app_message(a, "dynamics: %s", dyn_label(next));
            return;
        }
    }
}

void app_act(app *a, app_action act)
{
    run *r = a->r;
    switch (act) {
    case ACT_PAUSE:
        if (!a->headless) /* nothing could resume a run without a screen */
            a->paused = !a->paused;
        break;
    case ACT_STEP:
        if (a->headless)
            break;
        if (!a->paused) {
            a->paused = 1;
        } else if (!r->diverged) {
            advance(a, 1, 0);
            r = a->r; /* an event fired by the step may have replaced it */
            if (r->last.step != r->t)
                run_eval_losses(r);
            run_eval_spectrum(r);
        }
        break;
    case ACT_FASTER:
        if (a->spf < (UINT64_C(1) << 24))
            a->spf *= 2;
        app_message(a, "%llu steps per frame", (unsigned long long)a->spf);
        break;
    case ACT_SLOWER:
        if (a->spf > 1)
            a->spf /= 2;
        app_message(a, "%llu steps per frame", (unsigned long long)a->spf);
        break;
    case ACT_ETA_UP:
        run_scale_eta(r, a->eta_factor);
        break;
    case ACT_ETA_DOWN:
        run_scale_eta(r, 1.0 / a->eta_factor);
        break;
    case ACT_DECAY:
        run_decay_now(r);
        app_message(a, "decay: η ÷ %g", r->sched.cfg.decay_factor);
        break;
    case ACT_WARMUP: {
        uint64_t len = r->sc.steps / 10 ? r->sc.steps / 10 : 1;
        run_toggle_warmup(r, 2.0, len);
        app_message(a, r->sched.mw_active ? "warmup: η ×2 over %llu steps"
                                          : "warmup stopped",
                    (unsigned long long)len);
        break;
    }
    case ACT_DYNAMICS:
        cycle_dynamics(a);
        break;
    case ACT_BATCH_DOWN:
    case ACT_BATCH_UP: {
        size_t b = r->dyn.batch;
        b = act == ACT_BATCH_UP ? b * 2 : b / 2;
        if (b < 1)
            b = 1;
        if (r->m.n > 0 && b > r->m.n)
            b = r->m.n;
        if (b > 4096)
            b = 4096;
        if (b != r->dyn.batch)
            run_set_batch(r, b);
        app_message(a, "batch size %zu", r->dyn.batch);
        break;
    }
    case ACT_NEXT_SCENE:
        next_scene(a);
        break;
    case ACT_RESET:
        reopen(a, &a->base, "reset", 1);
        app_message(a, "reset, seed %llu", (unsigned long long)a->base.seed);
        break;
    case ACT_RESEED: {
        scene s = a->base;
        s.seed = a->base.seed + 1;
        reopen(a, &s, "reseed", 1);
        app_message(a, "new seed %llu", (unsigned long long)a->base.seed);
        break;
    }
    case ACT_REWIND:
        if (run_rewind(r, 2.0) == 0) {
            run_eval_losses(r);
            run_eval_spectrum(r);
            app_message(a, "rewound to step %llu, η %.4g",
                        (unsigned long long)r->t, run_eta(r));
        } else {
            app_message(a, "nothing to rewind: the run has not diverged");
        }
        break;
    case ACT_XAXIS:
        a->xlog = !a->xlog;
        break;
    case ACT_EXPORT: {
        char path[SCENE_PATH_MAX + SCENE_NAME_MAX + 96], err[256];
        snprintf(path, sizeof path, "%s%s%s-seed%llu-step%llu.csv",
                 a->export_dir, a->export_dir[0] ? "/" : "", r->sc.name,
                 (unsigned long long)r->sc.seed, (unsigned long long)r->t);
        if (app_export_csv(a, path, err, sizeof err) == 0)
            app_message(a, "history written to %s", path);
        else
            app_message(a, "export failed: %s", err);
        break;
    }
    case ACT_HELP:
        a->help = !a->help;
        break;
    case ACT_QUIT:
        a->quit = 1;
        break;
    case ACT_COUNT:
        break;
    }
}

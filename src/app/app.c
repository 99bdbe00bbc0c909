/* app.c — the interactive session's state machine; see app.h.  Every
 * change to the run goes through run_* event functions at a step
 * boundary, so a session driven by keys is as reproducible as a scene.
 *
 * Time never touches the run: the front end's clock (app_clock) only
 * decides *when* the next frame may step — how long a caption is read,
 * how long a recording holds a pause — never what a step does, so a run
 * is the same at any frame rate and under any clock. */
#include "app.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"

/* The one key table: input handling and the help overlay both read it. */
const app_key app_keys[] = {
    {' ', {0}, ACT_PAUSE, "space", "pause / resume", "pause"},
    {'.', {0}, ACT_STEP, ".", "one step while paused", "step"},
    {'>', {APP_KEY_RIGHT}, ACT_FASTER, ">", "faster, ×2", "faster"},
    {'<', {APP_KEY_LEFT}, ACT_SLOWER, "<", "slower, to ×0.01", NULL},
    {'+', {APP_KEY_UP, '='}, ACT_ETA_UP, "+", "η ×1.1", "η up"},
    {'-', {APP_KEY_DOWN}, ACT_ETA_DOWN, "-", "η ÷1.1", "η down"},
    {']', {0}, ACT_ETA_FINE_UP, "]", "η ×1.01 (fine)", NULL},
    {'[', {0}, ACT_ETA_FINE_DOWN, "[", "η ÷1.01 (fine)", NULL},
    {'d', {0}, ACT_DECAY, "d", "decay η now (÷ scene decay)", "decay"},
    {'w', {0}, ACT_WARMUP, "w", "warmup: η ×2 over 10%", "warmup"},
    {'o', {0}, ACT_DYNAMICS, "o", "SGD/GD/label-noise GD/SDE", "dynamics"},
    {'b', {0}, ACT_BATCH_DOWN, "b", "batch size ÷2", NULL},
    {'B', {0}, ACT_BATCH_UP, "B", "batch size ×2", NULL},
    {'m', {0}, ACT_NEXT_SCENE, "m", "next scene (--list order)", "scene"},
    {'M', {0}, ACT_PREV_SCENE, "M", "previous scene", NULL},
    {'p', {0}, ACT_PICKER, "p", "pick a scene from a list", NULL},
    {'r', {0}, ACT_RESET, "r", "reset, same seed", "reset"},
    {'R', {0}, ACT_RESEED, "R", "reset with the next seed", NULL},
    {'u', {0}, ACT_REWIND, "u", "rewind a divergence, η ÷2", NULL},
    {'l', {0}, ACT_XAXIS, "l", "linear / log step axis", NULL},
    {'e', {0}, ACT_EXPORT, "e", "export the history as CSV", NULL},
    {':', {0}, ACT_PROMPT, ":", "type a command (below)", NULL},
    {'?', {APP_KEY_F1}, ACT_HELP, "?", "this help", "help"},
    {'q', {APP_KEY_F10}, ACT_QUIT, "q", "quit", "quit"},
};
const size_t app_nkeys = sizeof app_keys / sizeof app_keys[0];

int app_key_action(int key)
{
    if (key == 0)
        return -1;
    for (size_t i = 0; i < app_nkeys; i++) {
        if (app_keys[i].key == key)
            return (int)app_keys[i].act;
        for (int k = 0; k < APP_KEY_ALTS; k++)
            if (app_keys[i].alt[k] == key)
                return (int)app_keys[i].act;
    }
    return -1;
}

const char *app_key_name(int key, char *buf, size_t cap)
{
    static const struct {
        int key;
        const char *name;
    } names[] = {
        {' ', "space"}, {APP_KEY_ESC, "Esc"}, {APP_KEY_ENTER, "Enter"},
        {APP_KEY_BACKSPACE, "Backspace"}, {APP_KEY_UP, "Up"},
        {APP_KEY_DOWN, "Down"}, {APP_KEY_LEFT, "Left"},
        {APP_KEY_RIGHT, "Right"}, {APP_KEY_PGUP, "PgUp"},
        {APP_KEY_PGDN, "PgDn"}, {APP_KEY_HOME, "Home"}, {APP_KEY_END, "End"},
        {APP_KEY_F1, "F1"}, {APP_KEY_F10, "F10"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].key == key) {
            snprintf(buf, cap, "%s", names[i].name);
            return buf;
        }
    if (key > ' ' && key < 0x7F)
        snprintf(buf, cap, "%c", key);
    else
        snprintf(buf, cap, "key %d", key);
    return buf;
}

void app_message(app *a, const char *fmt, ...)
{
    /* Messages quote scene paths, names and errors: sanitized, cut on a
     * character boundary. */
    char raw[APP_MSG_MAX * 4];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    sanitize_text(a->msg, sizeof a->msg, raw);
    a->msg_until = a->now + APP_MSG_SECONDS;
}

/* The ladder below one step per frame: one step every k frames. */
static const uint64_t slow_ladder[] = {1, 2, 5, 10, 20, 50, 100};
#define SLOW_STEPS (sizeof slow_ladder / sizeof slow_ladder[0])

char *app_speed_text(const app *a, char *buf, size_t cap)
{
    if (a->slow > 1)
        snprintf(buf, cap, "×%g", 1.0 / (double)a->slow);
    else
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

/* The index of the scene named like sc in the list, or nscenes. */
static size_t scene_index(const app *a, const scene *sc)
{
    for (size_t i = 0; i < a->nscenes; i++)
        if (strcmp(a->scenes[i].name, sc->name) == 0)
            return i;
    return a->nscenes;
}

int app_open(app *a, const scene *sc, const char *scene_dir, char *err,
             size_t errlen)
{
    memset(a, 0, sizeof *a);
    a->base = *sc;
    a->eta_factor = APP_ETA_FACTOR;
    a->eta_fine = APP_ETA_FINE;
    a->spf = default_spf(sc);
    a->slow = 1;
    snprintf(a->run_name, sizeof a->run_name, "%s", COMPARISON_MAIN);
    if (open_run(a, sc, err, errlen) != 0)
        return -1;
    if (scene_dir)
        a->nscenes = scenedir_collect(scene_dir, a->scenes, APP_MAX_SCENES);
    /* Events due at step 0 fire on the first tick, run_to or step, once
     * the caller has said whether there is a screen (headless ignores
     * pauses). */
    a->scene_idx = scene_index(a, sc);
    return 0;
}

void app_close(app *a)
{
    run_destroy(a->r);
    a->r = NULL;
}

static int modal(const app *a)
{
    return !a->headless && (a->help || a->picker || a->prompt);
}

/* The run may take steps now (nothing holds it but, maybe, a caption's
 * reading time at the next event). */
static int running(const app *a)
{
    return !a->paused && !a->waitkey && !a->ended && !modal(a) &&
           !a->r->diverged;
}

void app_clock(app *a, double now)
{
    if (!a->clocked) {
        a->clocked = 1;
        a->now = now;
    }
    double dt = now - a->now;
    if (dt > 0 && running(a))
        a->lesson += dt;
    if (dt > 0 && dt < 1.0)
        a->frame_dt = dt;
    a->now = now;
    if (a->msg[0] && a->msg_until <= now)
        a->msg[0] = 0;
    if (a->auto_resume && a->hold_until <= now) {
        a->auto_resume = 0;
        a->paused = 0;
    }
}

int app_busy(const app *a)
{
    return running(a) || (a->going && !modal(a));
}

double app_next_timer(const app *a)
{
    double t = -1.0;
    if (a->msg[0] && a->clocked)
        t = a->msg_until;
    if (a->auto_resume && (t < 0 || a->hold_until < t))
        t = a->hold_until;
    return t;
}

const char *app_caption(const app *a)
{
    if (!a->caption[0])
        return NULL;
    if (a->ended)
        return a->caption;
    switch (a->caption_unit) {
    case TL_STEPS:
        return a->r->t >= a->caption_from && a->r->t < a->caption_until
                   ? a->caption : NULL;
    case TL_SECONDS:
        return a->lesson < a->caption_until_s ? a->caption : NULL;
    case TL_UNTIL_KEY:
        return a->waitkey ? a->caption : NULL;
    }
    return NULL;
}

static void set_caption(app *a, const tl_event *ev)
{
    snprintf(a->caption, sizeof a->caption, "%s", ev->text);
    a->caption_seq++;
    a->caption_unit = ev->unit;
    a->caption_from = a->r->t;
    a->caption_until = ev->unit == TL_STEPS ? a->r->t + (uint64_t)ev->value
                                            : a->r->t;
    a->caption_until_s = a->lesson + ev->value;
    if (ev->unit != TL_UNTIL_KEY)
        return;
    if (a->headless || a->jumping) {
        /* nobody to press a key (or a jump past it): a recording holds
         * it instead */
        a->caption_unit = TL_SECONDS;
        a->caption_until_s = a->lesson + APP_HOLD_SECONDS;
        if (!a->jumping)
            a->hold_until = a->now + APP_HOLD_SECONDS;
    } else {
        /* shown as paused (it is), and resumed by the key */
        a->waitkey = 1;
        a->paused = 1;
    }
}

static void fire_pause(app *a, const tl_event *ev)
{
    if (a->jumping)
        return;
    double secs = ev->unit == TL_SECONDS ? ev->value : 0.0;
    if (a->headless) {
        a->hold_until = a->now + (secs > 0 ? secs : APP_HOLD_SECONDS);
    } else {
        a->paused = 1;
        a->auto_resume = secs > 0;
        a->hold_until = a->now + secs;
    }
}

static void fire_end(app *a, const tl_event *ev)
{
    if (a->csv_runner)
        return;
    a->ended = 1;
    a->going = 0;
    if (!a->headless)
        a->paused = 1;
    else if (!a->jumping)
        a->hold_until = a->now + APP_HOLD_SECONDS; /* the last frames */
    snprintf(a->caption, sizeof a->caption, "%s", ev->text);
    a->caption_seq++;
    a->waitkey = 0;
    app_message(a, "lesson over — r to restart, m for the next scene");
}

/* After an η event: when η was held at a bound of its range (schedule.h)
 * instead of leaving it, says so, on the status line and, without a
 * screen to show it, on stderr.  Returns clamped. */
static int eta_held(app *a, int clamped)
{
    if (!clamped)
        return 0;
    double eta = run_eta(a->r);
    app_message(a, "η held at %g, the %s step size", eta,
                eta >= SCHED_ETA_MAX ? "largest" : "smallest");
    if (a->headless)
        fprintf(stderr, "sgdscope: step %llu: %s\n",
                (unsigned long long)a->r->t, a->msg);
    return 1;
}

static void fire(app *a, const tl_event *ev)
{
    run *r = a->r;
    char err[128];
    switch (ev->kind) {
    case TL_DECAY: eta_held(a, run_decay_now(r)); break;
    case TL_ETA: eta_held(a, run_set_eta(r, ev->value)); break;
    case TL_SCALE: eta_held(a, run_scale_eta(r, ev->value)); break;
    case TL_DYNAMICS:
        if (run_set_dynamics(r, (dyn_kind)ev->value, err, sizeof err) != 0)
            app_message(a, "%s", err);
        break;
    case TL_BATCH: run_set_batch(r, (size_t)ev->value); break;
    case TL_PAUSE: fire_pause(a, ev); break;
    case TL_CAPTION: set_caption(a, ev); break;
    case TL_END: fire_end(a, ev); break;
    case TL_KEY: {
        int act = app_key_action((int)ev->value);
        /* a timeline has nobody to answer a picker or a prompt, and a
         * scene change would replace the timeline that asked for it */
        if (act >= 0 && act != ACT_PICKER && act != ACT_PROMPT &&
            act != ACT_NEXT_SCENE && act != ACT_PREV_SCENE)
            app_act(a, (app_action)act);
        break;
    }
    }
}

/* Whether the next due event must wait: a caption counted in seconds
 * holds the timeline's next event (at a later step) until it has been
 * on screen that long, so a lesson cannot run away from its reader. */
static int gated(const app *a, const tl_event *ev)
{
    return !a->jumping && a->caption[0] && a->caption_unit == TL_SECONDS &&
           ev->step > a->caption_from && a->lesson < a->caption_until_s;
}

/* Fires the due events; paced: captions' seconds may hold them. */
static size_t fire_due(app *a, int paced)
{
    const timeline *tl = &a->base.tl;
    size_t fired = 0;
    /* An event may reset the run (a `key r`), so re-check the run each
     * time; the cap stops a timeline whose events reset the run at step
     * 0 from looping forever.  An `end` is the last event until the
     * user goes on. */
    while (a->tl_next < tl->n && tl->ev[a->tl_next].step <= a->r->t &&
           !a->quit && !a->ended && fired < 4 * TL_MAX_EVENTS) {
        const tl_event *ev = &tl->ev[a->tl_next];
        if (paced && gated(a, ev))
            break;
        a->tl_next++;
        a->firing = 1;
        fire(a, ev);
        a->firing = 0;
        fired++;
    }
    return fired;
}

size_t app_fire_due(app *a)
{
    /* The CSV runner (headless.c) has no lesson to end: it runs to
     * `steps` and fires every event on the way. */
    a->csv_runner = 1;
    size_t n = fire_due(a, 0);
    a->csv_runner = 0;
    return n;
}

uint64_t app_next_event(const app *a)
{
    const timeline *tl = &a->base.tl;
    return a->tl_next < tl->n ? tl->ev[a->tl_next].step : UINT64_MAX;
}

/* Something makes a paced advance wait: a pause, a key to wait for, a
 * hold, an end, or a due event held by a caption. */
static int held(const app *a)
{
    return a->paused || a->waitkey || a->ended || a->now < a->hold_until ||
           app_next_event(a) <= a->r->t;
}

/* Advances n steps, evaluating the losses at every multiple of `every`
 * and at a divergence, whatever the chunking, and firing timeline events
 * at their steps.  Paced (a frame of the view) it stops where the
 * timeline holds it; otherwise (a jump) only an end stops it. */
static uint64_t advance(app *a, uint64_t n, int paced)
{
    uint64_t every = a->r->sc.every, done = 0;
    while (done < n && !a->r->diverged && !a->quit) {
        fire_due(a, paced);
        if (a->ended || (paced && held(a)))
            break;
        run *r = a->r; /* an event may have replaced it */
        uint64_t chunk = n - done;
        if (every > 0 && every - r->t % every < chunk)
            chunk = every - r->t % every;
        uint64_t ev = app_next_event(a);
        if (ev > r->t && ev - r->t < chunk)
            chunk = ev - r->t;
        /* A live run stops once at the scene's run length, where its
         * figure ends (a jump — goto, --snapshot — may go past it). */
        uint64_t N = a->base.steps;
        int stop_at_end = paced && !a->headless && !a->past_end && r->t < N;
        if (stop_at_end && N - r->t < chunk)
            chunk = N - r->t;
        done += run_advance(r, chunk);
        /* events due now fire before the metrics, so a row at an event's
         * step shows the η it set (and a reset's fresh run) */
        if (!r->diverged)
            fire_due(a, paced);
        r = a->r;
        if (r->diverged || (every > 0 && r->t % every == 0))
            run_eval_losses(r);
        if (stop_at_end && r == a->r && r->t == N && !r->diverged &&
            !a->ended) {
            if (r->last.step != r->t)
                run_eval_losses(r);
            a->past_end = 1;
            a->paused = 1;
            app_message(a, "end of the run (%llu steps): space runs on",
                        (unsigned long long)N);
            break;
        }
    }
    if (!a->quit)
        fire_due(a, paced);
    if (a->r->diverged)
        app_message(a, "diverged at step %llu: u rewinds (η/2), r resets",
                    (unsigned long long)a->r->diverged_at);
    return done;
}

/* One frame of a `goto`: a chunk sized so a frame stays short (it grows
 * while frames are quick and shrinks when one was slow, by the front
 * end's clock; the chunking never changes the run). */
static uint64_t goto_step(app *a)
{
    run *r = a->r;
    if (a->clocked && a->goto_last > 0) {
        double dt = a->now - a->goto_last;
        if (dt < 0.03 && a->goto_chunk < (UINT64_C(1) << 22))
            a->goto_chunk *= 2;
        else if (dt > 0.08 && a->goto_chunk > 64)
            a->goto_chunk /= 2;
    }
    a->goto_last = a->now;
    uint64_t left = a->goto_to - r->t;
    uint64_t n = left < a->goto_chunk ? left : a->goto_chunk;
    a->jumping = 1;
    uint64_t done = advance(a, n, 0);
    a->jumping = 0;
    r = a->r;
    if (r->t >= a->goto_to || r->diverged || a->ended || a->quit) {
        a->going = 0;
        if (r->last.step != r->t)
            run_eval_losses(r);
        if (!r->diverged && !a->ended)
            app_message(a, "at step %llu", (unsigned long long)r->t);
    } else {
        app_message(a, "going to step %llu: %.0f%% (Esc stops)",
                    (unsigned long long)a->goto_to,
                    100.0 * (double)r->t / (double)a->goto_to);
    }
    return done;
}

/* Steps for this frame out of n while a caption timed in seconds is up:
 * the rest of the way to the next event spread over the caption's
 * remaining frames, so the run arrives as the caption runs out instead of
 * waiting frozen at the event.  Time decides only how many steps a frame
 * takes, never what a step does. */
static uint64_t caption_pace(app *a, uint64_t n)
{
    uint64_t ev = app_next_event(a), t = a->r->t;
    double left = a->caption_until_s - a->lesson;
    if (!a->clocked || a->caption_unit != TL_SECONDS || !a->caption[0] ||
        left <= 0 || ev == UINT64_MAX || ev <= t) {
        a->pace_acc = 0;
        return n;
    }
    double dt = a->frame_dt > 0 ? a->frame_dt : 1.0 / 30.0;
    double want = (double)(ev - t) * dt / left; /* steps per frame */
    if (want >= (double)n)
        return n;
    a->pace_acc += want;
    uint64_t k = (uint64_t)a->pace_acc;
    a->pace_acc -= (double)k;
    return k < n ? k : n;
}

uint64_t app_tick(app *a, int want_spectrum)
{
    uint64_t done = 0;
    if (a->going && !modal(a)) {
        done = goto_step(a);
    } else {
        fire_due(a, 1);
        if (running(a) && !held(a)) {
            uint64_t n = a->spf;
            if (a->slow > 1) {
                n = ++a->slow_count >= a->slow;
                if (n)
                    a->slow_count = 0;
            }
            n = caption_pace(a, n);
            if (n)
                done = advance(a, n, 1);
        }
    }
    if (want_spectrum && a->r->last.spectrum_step != a->r->t)
        run_eval_spectrum(a->r);
    return done;
}

void app_run_to(app *a, uint64_t n)
{
    a->jumping = 1;
    fire_due(a, 0);
    /* An event on the way may reset the run: keep going until the run
     * stands at n (each event fires once, so this ends). */
    while (a->r->t < n && !a->r->diverged && !a->quit && !a->ended)
        advance(a, n - a->r->t, 0);
    /* where it stops, its state is checked (run_check), as headless
     * does at its last step */
    if (a->r->t == n)
        run_check(a->r);
    a->jumping = 0;
    /* A jump to a state, not a frame: transient key feedback does not
     * belong on it, nor a caption timed in seconds from an earlier step
     * (so --snapshot and a recording's last frame agree). */
    a->msg[0] = 0;
    if (a->caption_unit == TL_SECONDS && a->caption_from < a->r->t &&
        a->caption_until_s > a->lesson)
        a->caption_until_s = a->lesson;
    if (a->r->last.step != a->r->t)
        run_eval_losses(a->r);
    run_eval_spectrum(a->r);
}

/* Forgets the caption and what the timeline was holding. */
static void clear_lesson(app *a)
{
    a->caption[0] = 0;
    a->caption_until = 0;
    a->caption_until_s = 0;
    if (a->waitkey)
        a->paused = 0;
    a->waitkey = 0;
    a->hold_until = 0;
    a->auto_resume = 0;
    if (a->ended)
        a->paused = 0; /* starting again after an end runs again */
    a->ended = 0;
}

/* Replaces the run with a fresh one of sc.  The timeline restarts, except
 * when a timeline event of the same scene asked for the reset (it keeps
 * its place, or `at 500: key r` would fire forever).  A new scene also
 * gets its own speed.  Returns 0 or −1. */
static int reopen(app *a, const scene *sc, const char *what,
                  int same_scene)
{
    char err[256];
    /* a copy: sc may be a->base itself */
    static scene s;
    s = *sc;
    if (open_run(a, &s, err, sizeof err) != 0) {
        app_message(a, "cannot %s: %s", what, err);
        return -1;
    }
    a->base = s;
    a->going = 0;
    a->past_end = 0;
    if (!same_scene) {
        a->spf = default_spf(&s);
        a->slow = 1;
    }
    if (!a->firing || !same_scene) {
        a->tl_next = 0;
        clear_lesson(a);
    }
    return 0;
}

/* Opens scene i of the list.  Returns 0, or −1 with a message. */
static int open_scene_at(app *a, size_t i)
{
    static scene s;
    scene_err e;
    scene_init(&s);
    if (scene_load_file(&s, a->scenes[i].path, &e) != 0 ||
        scene_finalize(&s, &e) != 0) {
        app_message(a, "%s:%d: %s", a->scenes[i].path, e.line, e.msg);
        return -1;
    }
    if (reopen(a, &s, "open the scene", 0) != 0)
        return -1;
    a->scene_idx = i;
    /* the title is on the title bar: the message says where we are */
    app_message(a, "scene %zu/%zu: %s", i + 1, a->nscenes, s.name);
    return 0;
}

/* m and M: the next (dir 1) or previous (dir −1) scene in the order of
 * --list that opens; from a scene not in the list, m starts at the first
 * and M at the last. */
static void step_scene(app *a, int dir)
{
    if (a->nscenes == 0) {
        app_message(a, "no scenes found (see sgdscope --list)");
        return;
    }
    size_t n = a->nscenes, cur = a->scene_idx;
    for (size_t k = 1; k <= n; k++) {
        size_t i;
        if (cur >= n)
            i = dir > 0 ? k - 1 : n - k;
        else
            i = dir > 0 ? (cur + k) % n : (cur + n - k % n) % n;
        if (open_scene_at(a, i) == 0)
            return;
    }
}

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

/* Sets the batch size, clamped to 1..min(n, 4096); says what it is. */
static void set_batch(run *r, size_t b, char *msg, size_t cap)
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

static void speed_message(app *a)
{
    char sp[32];
    if (a->slow > 1)
        app_message(a, "speed %s: one step every %llu frames",
                    app_speed_text(a, sp, sizeof sp),
                    (unsigned long long)a->slow);
    else
        app_message(a, "speed %s: %llu steps per frame",
                    app_speed_text(a, sp, sizeof sp),
                    (unsigned long long)a->spf);
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
        set_batch(r, r->dyn.batch / 2, msg, cap);
        break;
    case ACT_BATCH_UP:
        set_batch(r, r->dyn.batch * 2, msg, cap);
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

void app_act(app *a, app_action act)
{
    run *r = a->r;
    char msg[APP_MSG_MAX];
    if (app_run_act(r, act, msg, sizeof msg)) {
        if (msg[0])
            app_message(a, "%s", msg);
        /* without a screen, a held step size still has to be said */
        if (a->headless && strncmp(msg, "η held", strlen("η held")) == 0)
            fprintf(stderr, "sgdscope: step %llu: %s\n",
                    (unsigned long long)r->t, msg);
        return;
    }
    switch (act) {
    case ACT_PAUSE:
        if (a->headless) /* nothing could resume a run without a screen */
            break;
        a->auto_resume = 0;
        if (a->ended) {
            clear_lesson(a); /* go on past the end, freely */
            a->paused = 0;
            app_message(a, "past the lesson's end: the run goes on");
        } else {
            a->paused = !a->paused;
        }
        break;
    case ACT_STEP:
        if (a->headless)
            break;
        a->auto_resume = 0;
        if (!a->paused) {
            a->paused = 1;
        } else if (!r->diverged) {
            a->jumping = 1; /* one step is a jump: nothing may hold it */
            advance(a, 1, 0);
            a->jumping = 0;
            r = a->r; /* an event fired by the step may have replaced it */
            if (r->last.step != r->t)
                run_eval_losses(r);
            run_eval_spectrum(r);
        }
        break;
    case ACT_FASTER:
        if (a->slow > 1) {
            size_t i = 0;
            while (i + 1 < SLOW_STEPS && slow_ladder[i] < a->slow)
                i++;
            a->slow = i > 0 ? slow_ladder[i - 1] : 1;
            a->slow_count = 0;
        } else if (a->spf < (UINT64_C(1) << 24)) {
            a->spf *= 2;
        }
        speed_message(a);
        break;
    case ACT_SLOWER:
        if (a->spf > 1) {
            a->spf /= 2;
        } else {
            size_t i = 0;
            while (i + 1 < SLOW_STEPS && slow_ladder[i] <= a->slow)
                i++;
            a->slow = slow_ladder[i];
            a->slow_count = 0;
        }
        speed_message(a);
        break;
    case ACT_ETA_UP: case ACT_ETA_DOWN: case ACT_ETA_FINE_UP:
    case ACT_ETA_FINE_DOWN: case ACT_DECAY: case ACT_WARMUP:
    case ACT_DYNAMICS: case ACT_BATCH_DOWN: case ACT_BATCH_UP:
        break; /* app_run_act */
    case ACT_NEXT_SCENE:
        step_scene(a, 1);
        break;
    case ACT_PREV_SCENE:
        step_scene(a, -1);
        break;
    case ACT_PICKER:
        if (a->headless)
            break;
        if (a->nscenes == 0) {
            app_message(a, "no scenes found (see sgdscope --list)");
            break;
        }
        a->picker = 1;
        a->pick = a->scene_idx < a->nscenes ? a->scene_idx : 0;
        break;
    case ACT_RESET:
        if (reopen(a, &a->base, "reset", 1) == 0)
            app_message(a, "reset, seed %llu",
                        (unsigned long long)a->base.seed);
        break;
    case ACT_RESEED: {
        static scene s;
        s = a->base;
        s.seed = a->base.seed + 1;
        if (reopen(a, &s, "reseed", 1) == 0)
            app_message(a, "new seed %llu",
                        (unsigned long long)a->base.seed);
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
    case ACT_PROMPT:
        if (a->headless)
            break;
        a->prompt = 1;
        a->line[0] = 0;
        break;
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

/* ---- the `:` prompt --------------------------------------------------- */

/* The whole of s as a finite number.  Returns 0, −1 if it is not a
 * number, 1 if it is one too large or too close to 0 for a double. */
static int parse_double(const char *s, double *out)
{
    if (!*s)
        return -1;
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (*end || end == s)
        return -1;
    if (errno == ERANGE || !isfinite(x))
        return 1;
    *out = x;
    return 0;
}

/* The whole of s as an integer in 0..2^53 (digits only). */
static int parse_u64(const char *s, uint64_t *out)
{
    if (!*s)
        return -1;
    uint64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        unsigned d = (unsigned)(*p - '0');
        if (v > (9007199254740992ull - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* Fails with a message naming what is wrong. */
static int command_fail(app *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int command_fail(app *a, const char *fmt, ...)
{
    char buf[APP_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    app_message(a, ":%s", buf);
    return -1;
}

/* The commands, short enough that an error naming them fits the hint
 * line at 80 columns (the prompt line shows their arguments). */
static const char command_list[] =
    "eta batch seed goto decay dynamics help";

int app_command(app *a, const char *line)
{
    char buf[APP_LINE_MAX], *words[3] = {NULL, NULL, NULL};
    snprintf(buf, sizeof buf, "%s", line);
    int nw = 0;
    for (char *tok = strtok(buf, " \t"); tok; tok = strtok(NULL, " \t")) {
        if (nw == 3)
            return command_fail(a, " too many words: %s", command_list);
        words[nw++] = tok;
    }
    if (nw == 0)
        return 0; /* an empty line is no command, as in vi */
    const char *cmd = words[0], *arg = words[1];
    int want_arg = strcmp(cmd, "eta") == 0 || strcmp(cmd, "batch") == 0 ||
                   strcmp(cmd, "seed") == 0 || strcmp(cmd, "goto") == 0 ||
                   strcmp(cmd, "dynamics") == 0;
    int no_arg = strcmp(cmd, "decay") == 0 || strcmp(cmd, "help") == 0;
    if (!want_arg && !no_arg)
        return command_fail(a, " unknown '%.8s': %s", cmd, command_list);
    if (want_arg && !arg)
        return command_fail(a, " %s needs a value, e.g. '%s %s'", cmd, cmd,
                            strcmp(cmd, "eta") == 0     ? "1.12"
                            : strcmp(cmd, "batch") == 0 ? "4"
                            : strcmp(cmd, "seed") == 0  ? "9"
                            : strcmp(cmd, "goto") == 0  ? "30000"
                                                        : "gd");
    if ((no_arg && arg) || nw > 2)
        return command_fail(a, " %s takes %s, got also '%.20s'", cmd,
                            no_arg ? "no value" : "one value",
                            words[nw - 1]);
    run *r = a->r;
    if (r->diverged && (strcmp(cmd, "eta") == 0 || strcmp(cmd, "batch") == 0 ||
                        strcmp(cmd, "decay") == 0 ||
                        strcmp(cmd, "dynamics") == 0 ||
                        strcmp(cmd, "goto") == 0))
        return command_fail(a, " the run is frozen: u rewinds, r resets");
    if (strcmp(cmd, "eta") == 0) {
        double x;
        int prc = parse_double(arg, &x);
        /* out of the range η is kept in (schedule.h): known already */
        if ((prc == 1 && arg[0] != '-') ||
            (prc == 0 && x > 0 && x < SCHED_ETA_MIN))
            return command_fail(a, "eta %.20s is outside the step sizes "
                                "%.2g..%.2g", arg, SCHED_ETA_MIN,
                                SCHED_ETA_MAX);
        if (prc != 0 || !(x > 0))
            return command_fail(a, "eta needs a number > 0, got '%.20s'",
                                arg);
        if (!eta_held(a, run_set_eta(r, x)))
            app_message(a, "η = %.6g", run_eta(r));
    } else if (strcmp(cmd, "batch") == 0) {
        uint64_t b;
        size_t max = r->m.n > 0 && r->m.n < 4096 ? r->m.n : 4096;
        if (parse_u64(arg, &b) != 0 || b < 1 || b > max)
            return command_fail(a, "batch needs an integer in 1..%zu, got "
                                "'%.20s'", max, arg);
        char msg[APP_MSG_MAX];
        set_batch(r, (size_t)b, msg, sizeof msg);
        app_message(a, "%s", msg);
    } else if (strcmp(cmd, "seed") == 0) {
        uint64_t sd;
        if (parse_u64(arg, &sd) != 0)
            return command_fail(a, "seed needs a whole number, got '%.20s'",
                                arg);
        static scene s;
        s = a->base;
        s.seed = sd;
        if (reopen(a, &s, "reseed", 1) != 0)
            return -1;
        app_message(a, "reset with seed %llu", (unsigned long long)sd);
    } else if (strcmp(cmd, "goto") == 0) {
        uint64_t n;
        if (parse_u64(arg, &n) != 0)
            return command_fail(a, "goto needs a step (a whole number), "
                                "got '%.20s'", arg);
        if (n < r->t) {
            /* behind: the same run from the start, then forward */
            if (reopen(a, &a->base, "reset", 1) != 0)
                return -1;
        }
        if (n == a->r->t) {
            app_message(a, "at step %llu", (unsigned long long)n);
            return 0;
        }
        a->going = 1;
        a->goto_to = n;
        a->goto_chunk = 1024;
        a->goto_last = 0;
        app_message(a, "going to step %llu (Esc stops)",
                    (unsigned long long)n);
    } else if (strcmp(cmd, "decay") == 0) {
        app_act(a, ACT_DECAY);
    } else if (strcmp(cmd, "dynamics") == 0) {
        int k = dyn_parse(arg);
        char err[128];
        if (k < 0)
            return command_fail(a, "unknown dynamics '%.20s' (sgd, gd, "
                                "labelnoise, sde, flow)", arg);
        if (run_set_dynamics(r, (dyn_kind)k, err, sizeof err) != 0)
            return command_fail(a, "dynamics %s: %s", arg, err);
        app_message(a, "dynamics: %s", dyn_label((dyn_kind)k));
    } else { /* help */
        a->help = 1;
    }
    return 0;
}

/* Removes the last UTF-8 character of the prompt line. */
static void line_backspace(char *line)
{
    size_t n = strlen(line);
    while (n > 0) {
        n--;
        if (((unsigned char)line[n] & 0xC0) != 0x80)
            break;
    }
    line[n] = 0;
}

static void prompt_key(app *a, int key)
{
    if (key == APP_KEY_ESC) {
        a->prompt = 0;
    } else if (key == APP_KEY_ENTER || key == '\r') {
        static char line[APP_LINE_MAX];
        snprintf(line, sizeof line, "%s", a->line);
        a->prompt = 0;
        app_command(a, line);
    } else if (key == APP_KEY_BACKSPACE || key == 8) {
        if (!a->line[0])
            a->prompt = 0; /* backspace on an empty line leaves, as in vi */
        else
            line_backspace(a->line);
    } else if (key >= ' ' && key < 0x7F) {
        size_t n = strlen(a->line);
        if (n + 1 < sizeof a->line) {
            a->line[n] = (char)key;
            a->line[n + 1] = 0;
        }
    }
}

static void picker_key(app *a, int key)
{
    size_t n = a->nscenes;
    switch (key) {
    case APP_KEY_UP: case 'k':
        a->pick = a->pick > 0 ? a->pick - 1 : n - 1;
        break;
    case APP_KEY_DOWN: case 'j':
        a->pick = a->pick + 1 < n ? a->pick + 1 : 0;
        break;
    case APP_KEY_PGUP:
        a->pick = a->pick > 10 ? a->pick - 10 : 0;
        break;
    case APP_KEY_PGDN:
        a->pick = a->pick + 10 < n ? a->pick + 10 : n - 1;
        break;
    case APP_KEY_HOME: case 'g':
        a->pick = 0;
        break;
    case APP_KEY_END: case 'G':
        a->pick = n - 1;
        break;
    case APP_KEY_ENTER: case '\r':
        a->picker = 0;
        open_scene_at(a, a->pick);
        break;
    case APP_KEY_F10:
        a->quit = 1;
        break;
    case APP_KEY_ESC: case 'q': case 'p':
        a->picker = 0;
        break;
    default:
        break;
    }
}

void app_press(app *a, int key)
{
    if (a->prompt) {
        prompt_key(a, key);
        return;
    }
    if (a->picker) {
        picker_key(a, key);
        return;
    }
    if (a->help) {
        /* any key closes the help (htop's way): q there must not lose
         * the run; F10 still quits */
        a->help = 0;
        if (key == APP_KEY_F10)
            a->quit = 1;
        return;
    }
    if (a->waitkey) {
        /* The key that moves the lesson on does nothing else to the run
         * (a lecturer's space or Enter must not also decay η); keys that
         * go elsewhere (quitting, another scene, a reset, the help, the
         * prompt) still do: q always quits. */
        a->waitkey = 0;
        a->paused = 0;
        int act = app_key_action(key);
        if (act == ACT_QUIT || act == ACT_NEXT_SCENE ||
            act == ACT_PREV_SCENE || act == ACT_PICKER || act == ACT_RESET ||
            act == ACT_RESEED || act == ACT_HELP || act == ACT_PROMPT)
            app_act(a, (app_action)act);
        return;
    }
    if (key == APP_KEY_ESC) {
        if (a->going) {
            a->going = 0;
            app_message(a, "goto stopped at step %llu",
                        (unsigned long long)a->r->t);
        }
        return;
    }
    int act = app_key_action(key);
    if (act >= 0)
        app_act(a, (app_action)act);
}

/* app.c — the interactive session's state machine: opening a comparison,
 * stepping its session, the key table and what each key does; see app.h.
 * Every change to a run goes through run_* event functions (or the
 * session's fork and focus) at a step boundary, so a session driven by
 * keys is as reproducible as a scene.
 *
 * Time never touches the runs: the front end's clock (app_clock) only
 * decides *when* the next frame may step — how long a caption is read,
 * how long a recording holds a pause — never what a step does, so a run
 * is the same at any frame rate and under any clock. */
#include "app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "lesson.h"
#include "mapscreen.h"
#include "prompt.h"
#include "runs.h"

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
    {APP_KEY_TAB, {0}, ACT_FOCUS_NEXT, "Tab", "focus the next run", NULL},
    {APP_KEY_BTAB, {0}, ACT_FOCUS_PREV, "S-Tab", "focus the previous run",
     NULL},
    {'f', {0}, ACT_FORK, "f", "fork the focused run here", NULL},
    {'*', {0}, ACT_ALL, "*", "next η/d/w/o/b/B/u: all runs", NULL},
    {'c', {0}, ACT_TABLE, "c", "comparison table", NULL},
    {'l', {0}, ACT_XAXIS, "l", "linear / log step axis", NULL},
    {'v', {0}, ACT_SURFACE, "v", "valley / loss surface panel", NULL},
    {'e', {0}, ACT_EXPORT, "e", "export the history as CSV", NULL},
    {'S', {0}, ACT_MAP, "S", "stability map: η × seed sweep", NULL},
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


int app_is_scene_key(int key)
{
    int act = app_key_action(key);
    return act >= 0 && act != ACT_NEXT_SCENE && act != ACT_PREV_SCENE &&
           act != ACT_PICKER && act != ACT_PROMPT && act != ACT_EXPORT &&
           act != ACT_MAP;
}

const char *app_key_name(int key, char *buf, size_t cap)
{
    static const struct {
        int key;
        const char *name;
    } names[] = {
        {' ', "space"}, {APP_KEY_TAB, "Tab"}, {APP_KEY_BTAB, "S-Tab"},
        {APP_KEY_ESC, "Esc"}, {APP_KEY_ENTER, "Enter"},
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

/* ---- opening ------------------------------------------------------------ */

/* What the app does whenever the runs are (re)built: the opening
 * evaluation of every run (what headless measures from too), the focus,
 * no freeze announced, no prefix pending. */
static void opened(app *a)
{
    session *s = a->ses;
    for (size_t i = 0; i < s->n; i++) {
        run *r = session_run(s, i);
        run_eval_losses(r);
        run_eval_spectrum(r);
    }
    runs_sync(a);
    a->frozen_seen = 0;
    a->all_prefix = 0;
    a->base.seed = s->c->run[0].seed;
}

/* Replaces the session with a fresh one of c; keeps the old on failure.
 * a->base: the shared settings and the session's own timeline. */
static int open_session(app *a, const comparison *c, char *err,
                        size_t errlen)
{
    session *s = session_create(c, app_run_key, err, errlen);
    if (!s)
        return -1;
    session_destroy(a->ses);
    a->ses = s;
    a->base = c->run[0];
    a->base.tl = c->tl;
    opened(a);
    return 0;
}

/* The index of the scene named name in the list, or nscenes. */
static size_t scene_index(const app *a, const char *name)
{
    for (size_t i = 0; i < a->nscenes; i++)
        if (strcmp(a->scenes[i].name, name) == 0)
            return i;
    return a->nscenes;
}

int app_open_comparison(app *a, const comparison *c, const char *scene_dir,
                        char *err, size_t errlen)
{
    memset(a, 0, sizeof *a);
    a->eta_factor = APP_ETA_FACTOR;
    a->eta_fine = APP_ETA_FINE;
    a->slow = 1;
    if (open_session(a, c, err, errlen) != 0)
        return -1;
    a->spf = default_spf(&a->base);
    if (scene_dir)
        a->nscenes = scenedir_collect(scene_dir, a->scenes, APP_MAX_SCENES);
    /* Events due at step 0 fire on the first tick, run_to or step, once
     * the caller has said whether there is a screen (headless ignores
     * pauses). */
    a->scene_idx = scene_index(a, a->base.name);
    return 0;
}

int app_open(app *a, const scene *sc, const char *scene_dir, char *err,
             size_t errlen)
{
    comparison *c = malloc(sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    comparison_of_scene(c, sc);
    int rc = app_open_comparison(a, c, scene_dir, err, errlen);
    free(c);
    return rc;
}

void app_close(app *a)
{
    mapscreen_free(a);
    session_destroy(a->ses);
    a->ses = NULL;
    a->r = NULL;
    ghost_free(&a->ghost);
}

int app_restart(app *a, uint64_t seed_add, const char *what)
{
    char err[256];
    /* a timeline's own reset keeps the timeline's place, or `at 500:
     * key r` would fire forever */
    if (session_restart(a->ses, seed_add, a->firing, err, sizeof err) != 0) {
        app_message(a, "cannot %s: %s", what, err);
        return -1;
    }
    opened(a);
    a->going = 0;
    a->past_end = 0;
    if (!a->firing)
        lesson_clear(a);
    return 0;
}

int app_set_ghost(app *a, const char *path, const char *name, char *err,
                  size_t errlen)
{
    ghost g;
    memset(&g, 0, sizeof g);
    if (ghost_load(&g, path, name, err, errlen) != 0)
        return -1;
    ghost_free(&a->ghost);
    a->ghost = g;
    return 0;
}

/* Opens scene i of the list (a comparison, or a scene of one run).
 * Returns 0, or −1 with a message. */
static int open_scene_at(app *a, size_t i)
{
    const char *path = a->scenes[i].path;
    comparison *c = malloc(sizeof *c);
    scene_err e;
    char err[256];
    if (!c) {
        app_message(a, "cannot open %s: out of memory", path);
        return -1;
    }
    if (comparison_load_file(c, path, &e) != 0 ||
        comparison_finalize(c, &e) != 0 ||
        comparison_check_keys(c, app_is_scene_key, app_is_run_key, &e) != 0) {
        app_message(a, "%s:%d: %s", path, e.line, e.msg);
        free(c);
        return -1;
    }
    int rc = open_session(a, c, err, sizeof err);
    free(c);
    if (rc != 0) {
        app_message(a, "cannot open the scene: %s", err);
        return -1;
    }
    a->going = 0;
    a->past_end = 0;
    a->spf = default_spf(&a->base);
    a->slow = 1;
    lesson_clear(a);
    a->scene_idx = i;
    /* the title is on the title bar: the message says where we are */
    app_message(a, "scene %zu/%zu: %s", i + 1, a->nscenes, a->base.name);
    return 0;
}

int app_open_run(app *a, const comparison *c, char *err, size_t errlen)
{
    if (open_session(a, c, err, errlen) != 0)
        return -1;
    a->going = 0;
    a->past_end = 0;
    a->paused = 0;
    a->spf = default_spf(&a->base);
    a->slow = 1;
    lesson_clear(a);
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

/* ---- stepping ------------------------------------------------------------ */

static int modal(const app *a)
{
    return !a->headless && (a->help || a->picker || a->prompt || a->map);
}

/* The session may take steps now (nothing holds it but, maybe, a
 * caption's reading time at the next event). */
static int running(const app *a)
{
    return !a->paused && !a->waitkey && !a->ended && !modal(a) &&
           session_live(a->ses) > 0;
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

/* Says once that run i froze, naming it when there are several. */
static void announce_freeze(app *a, size_t i)
{
    const session *s = a->ses;
    unsigned long long at = session_run(s, i)->diverged_at;
    if (s->n == 1)
        app_message(a, "diverged at step %llu: u rewinds (η/2), r resets",
                    at);
    else if (i == s->focus)
        app_message(a, "%s diverged at step %llu: u rewinds (η/2), r "
                    "resets", session_name(s, i), at);
    else
        app_message(a, "%s diverged at step %llu: Tab to it, u rewinds",
                    session_name(s, i), at);
}

/* A run that froze is evaluated once at its frozen state and announced;
 * a run that runs again (rewound) may freeze and be announced again. */
static void note_freezes(app *a)
{
    session *s = a->ses;
    for (size_t i = 0; i < s->n; i++) {
        run *r = session_run(s, i);
        unsigned bit = 1u << i;
        if (!r->diverged) {
            a->frozen_seen &= ~bit;
        } else if (!(a->frozen_seen & bit)) {
            a->frozen_seen |= bit;
            run_eval_losses(r);
            announce_freeze(a, i);
        }
    }
}

/* After a stretch of steps: each live run standing at a multiple of its
 * own `every` is evaluated there (what is recorded never depends on the
 * chunking), and freezes are noted. */
static void evaluate(app *a)
{
    session *s = a->ses;
    for (size_t i = 0; i < s->n; i++) {
        run *r = session_run(s, i);
        uint64_t every = r->sc.every;
        if (!r->diverged && every > 0 && r->t % every == 0)
            run_eval_losses(r);
    }
    note_freezes(a);
}

/* Every run measured where it stands (and its spectrum, when asked). */
static void measure_all(app *a, int spectrum)
{
    session *s = a->ses;
    for (size_t i = 0; i < s->n; i++) {
        run *r = session_run(s, i);
        if (r->last.step != r->t)
            run_eval_losses(r);
        if (spectrum && r->last.spectrum_step != r->t)
            run_eval_spectrum(r);
    }
}

/* Advances the session n steps, evaluating each run at its own cadence
 * and where it freezes, whatever the chunking, and firing timeline
 * events at their steps.  Paced (a frame of the view) it stops where the
 * timeline holds it; otherwise (a jump) only an end stops it. */
static uint64_t advance(app *a, uint64_t n, int paced)
{
    session *s = a->ses;
    uint64_t done = 0;
    while (done < n && session_live(s) > 0 && !a->quit) {
        lesson_fire_due(a, paced);
        if (a->ended || (paced && lesson_held(a)) || session_live(s) == 0)
            break;
        uint64_t t = s->t, chunk = n - done;
        for (size_t i = 0; i < s->n; i++) {
            const run *r = session_run(s, i);
            uint64_t every = r->sc.every;
            if (!r->diverged && every > 0 && every - t % every < chunk)
                chunk = every - t % every;
        }
        uint64_t ev = session_next_event(s);
        if (ev > t && ev - t < chunk)
            chunk = ev - t;
        /* A live session stops once at the scene's run length, where its
         * figure ends (a jump — goto, --snapshot — may go past it). */
        uint64_t N = s->steps;
        int stop_at_end = paced && !a->headless && !a->past_end && t < N;
        if (stop_at_end && N - t < chunk)
            chunk = N - t;
        uint64_t moved = session_advance(s, chunk);
        done += moved;
        /* events due now fire before the metrics, so a row at an event's
         * step shows the η it set (and a reset's fresh runs) */
        if (session_live(s) > 0)
            lesson_fire_due(a, paced);
        evaluate(a);
        if (moved == 0)
            break; /* nothing can move (cannot happen: defensive) */
        if (stop_at_end && s->t == N && session_live(s) > 0 && !a->ended) {
            measure_all(a, 0);
            a->past_end = 1;
            a->paused = 1;
            app_message(a, "end of the run (%llu steps): space runs on",
                        (unsigned long long)N);
            break;
        }
    }
    if (!a->quit)
        lesson_fire_due(a, paced);
    runs_sync(a);
    return done;
}

/* One frame of a `goto`: a chunk sized so a frame stays short (it grows
 * while frames are quick and shrinks when one was slow, by the front
 * end's clock; the chunking never changes the runs). */
static uint64_t goto_step(app *a)
{
    session *s = a->ses;
    if (a->clocked && a->goto_last > 0) {
        double dt = a->now - a->goto_last;
        if (dt < 0.03 && a->goto_chunk < (UINT64_C(1) << 22))
            a->goto_chunk *= 2;
        else if (dt > 0.08 && a->goto_chunk > 64)
            a->goto_chunk /= 2;
    }
    a->goto_last = a->now;
    uint64_t left = a->goto_to > s->t ? a->goto_to - s->t : 0;
    uint64_t n = left < a->goto_chunk ? left : a->goto_chunk;
    a->jumping = 1;
    uint64_t done = advance(a, n, 0);
    a->jumping = 0;
    if (s->t >= a->goto_to || session_live(s) == 0 || a->ended || a->quit) {
        a->going = 0;
        measure_all(a, 0);
        if (session_live(s) > 0 && !a->ended)
            app_message(a, "at step %llu", (unsigned long long)s->t);
    } else {
        app_message(a, "going to step %llu: %.0f%% (Esc stops)",
                    (unsigned long long)a->goto_to,
                    100.0 * (double)s->t / (double)a->goto_to);
    }
    return done;
}

uint64_t app_tick(app *a, int want_spectrum)
{
    uint64_t done = 0;
    if (a->going && !modal(a)) {
        done = goto_step(a);
    } else {
        lesson_fire_due(a, 1);
        if (running(a) && !lesson_held(a)) {
            uint64_t n = a->spf;
            if (a->slow > 1) {
                n = ++a->slow_count >= a->slow;
                if (n)
                    a->slow_count = 0;
            }
            n = lesson_pace(a, n);
            if (n)
                done = advance(a, n, 1);
        }
    }
    if (want_spectrum)
        for (size_t i = 0; i < a->ses->n; i++) {
            run *r = session_run(a->ses, i);
            if (r->last.spectrum_step != r->t)
                run_eval_spectrum(r);
        }
    runs_sync(a);
    return done;
}

void app_run_to(app *a, uint64_t n)
{
    session *s = a->ses;
    a->jumping = 1;
    lesson_fire_due(a, 0);
    /* An event on the way may reset the runs: keep going until the
     * session stands at n (each event fires once, so this ends). */
    while (s->t < n && session_live(s) > 0 && !a->quit && !a->ended) {
        uint64_t t = s->t;
        if (advance(a, n - s->t, 0) == 0 && s->t == t)
            break;
    }
    /* where they stop, the runs' states are checked (run_check), as
     * headless does at its last step */
    if (s->t == n)
        for (size_t i = 0; i < s->n; i++)
            if (!session_run(s, i)->diverged)
                run_check(session_run(s, i));
    note_freezes(a);
    a->jumping = 0;
    /* A jump to a state, not a frame: transient key feedback does not
     * belong on it, nor a caption timed in seconds from an earlier step
     * (so --snapshot and a recording's last frame agree). */
    a->msg[0] = 0;
    if (a->caption_unit == TL_SECONDS && a->caption_from < s->t &&
        a->caption_until_s > a->lesson)
        a->caption_until_s = a->lesson;
    measure_all(a, 1);
    runs_sync(a);
}

/* ---- keys --------------------------------------------------------------- */

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

/* e: every run's history, named after the scene, its seed and the
 * session's step. */
static void export(app *a)
{
    char path[SCENE_PATH_MAX + SCENE_NAME_MAX + 96], err[256];
    snprintf(path, sizeof path, "%s%s%s-seed%llu-step%llu.csv",
             a->export_dir, a->export_dir[0] ? "/" : "", a->base.name,
             (unsigned long long)a->base.seed,
             (unsigned long long)a->ses->t);
    if (app_export_csv(a, path, err, sizeof err) == 0)
        app_message(a, "history written to %s", path);
    else
        app_message(a, "export failed: %s", err);
}

/* After the runs' keys (runs_act): the focused run, and what a fork
 * (runs from index `had` on are new) or a rewind changed about the
 * freezes already announced. */
static void after_runs(app *a, size_t had)
{
    session *s = a->ses;
    runs_sync(a);
    for (size_t i = 0; i < s->n; i++) {
        unsigned bit = 1u << i;
        if (!session_run(s, i)->diverged)
            a->frozen_seen &= ~bit;
        else if (i >= had)
            a->frozen_seen |= bit; /* a fork of a frozen run: said */
    }
}

void app_act(app *a, app_action act)
{
    char msg[APP_MSG_MAX];
    size_t had = a->ses->n;
    if (runs_act(a->ses, &a->all_prefix, act, msg, sizeof msg)) {
        after_runs(a, had);
        if (msg[0])
            app_message(a, "%s", msg);
        /* without a screen, a held step size still has to be said */
        if (a->headless && strstr(msg, "η held"))
            fprintf(stderr, "sgdscope: step %llu: %s\n",
                    (unsigned long long)a->ses->t, msg);
        return;
    }
    switch (act) {
    case ACT_PAUSE:
        if (a->headless) /* nothing could resume a run without a screen */
            break;
        a->auto_resume = 0;
        if (a->ended) {
            lesson_clear(a); /* go on past the end, freely */
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
        } else if (session_live(a->ses) > 0) {
            a->jumping = 1; /* one step is a jump: nothing may hold it */
            advance(a, 1, 0);
            a->jumping = 0;
            measure_all(a, 1);
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
        if (app_restart(a, 0, "reset") == 0)
            app_message(a, "reset, seed %llu",
                        (unsigned long long)a->base.seed);
        break;
    case ACT_RESEED:
        if (app_restart(a, 1, "reseed") == 0)
            app_message(a, "new seed %llu",
                        (unsigned long long)a->base.seed);
        break;
    case ACT_SURFACE:
        if (!a->ses || !a->ses->surf) {
            app_message(a, "no loss surface in this scene (surface = own "
                        "or fig3, see sgdscope-scene(5))");
            break;
        }
        a->valley = !a->valley;
        app_message(a, "%s", a->valley ? "valley panel" : "loss surface");
        break;
    case ACT_XAXIS:
        a->xlog = !a->xlog;
        break;
    case ACT_TABLE:
        a->table = !a->table;
        app_message(a, a->table ? "comparison table: c hides it"
                                : "comparison table hidden");
        break;
    case ACT_EXPORT:
        export(a);
        break;
    case ACT_PROMPT:
        if (a->headless)
            break;
        a->prompt = 1;
        a->line[0] = 0;
        break;
    case ACT_HELP:
        a->help = !a->help;
        break;
    case ACT_MAP:
        if (a->headless) /* a map is a screen; --sweep is its batch form */
            break;
        mapscreen_open(a);
        break;
    case ACT_QUIT:
        a->quit = 1;
        break;
    default: /* the runs' actions: runs_act */
        break;
    }
}

/* ---- the scene picker and the key router ---------------------------- */

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
    if (a->map && !a->help) {
        mapscreen_key(a, key);
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
                        (unsigned long long)a->ses->t);
        } else if (a->all_prefix) {
            a->all_prefix = 0;
            app_message(a, "* cancelled");
        }
        return;
    }
    int act = app_key_action(key);
    if (act >= 0)
        app_act(a, (app_action)act);
}

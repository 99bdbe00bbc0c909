/* lesson.c — captions, pauses, the end and pacing of a session's
 * timeline; see lesson.h. */
#include "lesson.h"

#include <stdio.h>

#include "runs.h"

const char *app_caption(const app *a)
{
    if (!a->caption[0])
        return NULL;
    if (a->ended)
        return a->caption;
    switch (a->caption_unit) {
    case TL_STEPS:
        return a->ses->t >= a->caption_from && a->ses->t < a->caption_until
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
    uint64_t t = a->ses->t;
    snprintf(a->caption, sizeof a->caption, "%s", ev->text);
    a->caption_seq++;
    a->caption_unit = ev->unit;
    a->caption_from = t;
    a->caption_until = ev->unit == TL_STEPS ? t + (uint64_t)ev->value : t;
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

/* One of the session's own events (session_fire left it to the app). */
static void fire(app *a, const tl_event *ev)
{
    switch (ev->kind) {
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
    default: /* a run's own events: session_fire applied them */
        break;
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

size_t lesson_fire_due(app *a, int paced)
{
    size_t fired = 0;
    session_due d;
    char msg[APP_MSG_MAX];
    /* An event may restart the session (a `key r`), so peek afresh each
     * time; the cap (above the events of every timeline of a session)
     * stops a timeline whose events reset the runs at step 0 from looping
     * forever.  An `end` is the last event until the user goes on. */
    while (!a->quit && !a->ended &&
           fired < 4 * (SESSION_MAX_RUNS + 1) * TL_MAX_EVENTS &&
           session_peek(a->ses, &d)) {
        if (paced && gated(a, d.ev))
            break;
        session *s = a->ses;
        tl_event ev = *d.ev; /* d.ev may not outlive a restart */
        a->firing = 1;
        if (d.src < 0) {
            /* The session's keys go the way typed keys go (app_act), so
             * the `*` prefix and the messages are the same: the session
             * is asked to apply none of them itself. */
            session_key_fn key = s->run_key;
            s->run_key = NULL;
            int rc = session_fire(s, &d, msg, sizeof msg);
            s->run_key = key;
            if (rc == SESSION_YOURS)
                fire(a, &ev);
        } else {
            /* a run's own event, applied by the session; its feedback
             * (a key's, a refused dynamics) named by the run */
            session_fire(s, &d, msg, sizeof msg);
            if (msg[0] && s->n > 1)
                app_message(a, "%s: %s", session_name(s, (size_t)d.src),
                            msg);
            else if (msg[0])
                app_message(a, "%s", msg);
        }
        a->firing = 0;
        runs_sync(a);
        fired++;
    }
    return fired;
}

size_t app_fire_due(app *a)
{
    /* A caller stepping the session by hand has no lesson to end: it
     * fires every event on the way. */
    a->csv_runner = 1;
    size_t n = lesson_fire_due(a, 0);
    a->csv_runner = 0;
    return n;
}

uint64_t app_next_event(const app *a)
{
    return session_next_event(a->ses);
}

int lesson_held(const app *a)
{
    return a->paused || a->waitkey || a->ended || a->now < a->hold_until ||
           app_next_event(a) <= a->ses->t;
}

uint64_t lesson_pace(app *a, uint64_t n)
{
    uint64_t ev = app_next_event(a), t = a->ses->t;
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

void lesson_clear(app *a)
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

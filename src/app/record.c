/* record.c — asciicast recording of frames and η events; see record.h. */
#include "record.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "exitsig.h"
#include "sanitize.h"

#include "view.h"

int recorder_open(recorder *rc, const char *path, int width, int height,
                  glyph_tier tier, const char *title, int color, char *err,
                  size_t errlen)
{
    memset(rc, 0, sizeof *rc);
    if (canvas_init(&rc->c, width, height, tier) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    /* the title names the scene: its author's text, sanitized like every
     * user text that reaches a terminal (asciinema shows it) */
    char shown[SCENE_NAME_MAX * 4];
    sanitize_text(shown, sizeof shown, title);
    if (cast_open(&rc->k, path, width, height, title ? shown : NULL, color,
                  err, errlen) != 0) {
        canvas_free(&rc->c);
        return -1;
    }
    return 0;
}

static const char *event_label(const sched_event *e, char *buf, size_t cap)
{
    switch (e->kind) {
    case EV_SET_ETA: snprintf(buf, cap, "eta = %.4g", e->value); break;
    case EV_SCALE_ETA:
        snprintf(buf, cap, "eta x%.4g -> %.4g", e->value, e->eta_after);
        break;
    case EV_DECAY_NOW:
        snprintf(buf, cap, "decay: eta / %.4g -> %.4g", e->value,
                 e->eta_after);
        break;
    case EV_DYNAMICS:
        snprintf(buf, cap, "dynamics: %s", dyn_label((dyn_kind)e->value));
        break;
    case EV_BATCH: snprintf(buf, cap, "batch %.0f", e->value); break;
    case EV_WARMUP:
        snprintf(buf, cap, e->value > 0 ? "warmup starts" : "warmup stops");
        break;
    case EV_REWIND: snprintf(buf, cap, "rewind to step %.0f", e->value); break;
    case EV_NOTE: snprintf(buf, cap, "note"); break;
    }
    return buf;
}

/* Markers for what changed in run i since the last frame: logged
 * events, scheduled decays, the end of a warmup, a freeze. */
static int mark_run(recorder *rc, double t, const app *a, size_t i)
{
    const run *r = session_run(a->ses, i);
    recorder_seen *sn = &rc->run[i];
    char label[TL_TEXT_MAX + 64], who[COMPARISON_NAME_MAX + 2] = "";
    /* a new run in the slot (malloc may hand back a freed address: a
     * log shorter than what was marked is new too) */
    if (sn->r != r || sn->log > r->sched.nlog) {
        memset(sn, 0, sizeof *sn);
        sn->r = r;
    }
    /* one run needs no name (and reads as it always has) */
    if (a->ses->n > 1 || a->ses->c->blocks)
        snprintf(who, sizeof who, "%s ", session_name(a->ses, i));
    const schedule *s = &r->sched;
    for (; sn->log < s->nlog; sn->log++) {
        char text[120];
        snprintf(label, sizeof label, "%sstep %llu: %s", who,
                 (unsigned long long)s->log[sn->log].step,
                 event_label(&s->log[sn->log], text, sizeof text));
        if (cast_marker(&rc->k, t, label) != 0)
            return -1;
    }
    for (; sn->decays < s->cfg.ndecays && s->decay_step[sn->decays] <= r->t;
         sn->decays++) {
        snprintf(label, sizeof label, "%sstep %llu: decay eta / %.4g", who,
                 (unsigned long long)s->decay_step[sn->decays],
                 s->cfg.decays[sn->decays].factor);
        if (cast_marker(&rc->k, t, label) != 0)
            return -1;
    }
    if (s->cfg.has_warmup && !sn->warm_end && r->t >= s->warm_end) {
        sn->warm_end = 1;
        snprintf(label, sizeof label, "%sstep %llu: warmup ends, eta / %.4g",
                 who, (unsigned long long)s->warm_end, s->cfg.warm_decay);
        if (cast_marker(&rc->k, t, label) != 0)
            return -1;
    }
    if (r->diverged != sn->frozen) {
        sn->frozen = r->diverged;
        if (r->diverged) {
            snprintf(label, sizeof label, "%sstep %llu: diverged, frozen",
                     who, (unsigned long long)r->diverged_at);
            if (cast_marker(&rc->k, t, label) != 0)
                return -1;
        }
    }
    return 0;
}

/* Markers for everything that changed η (or the dynamics) of any run
 * since the last frame, and for the session's captions and end. */
static int mark_events(recorder *rc, double t, const app *a)
{
    char label[TL_TEXT_MAX * 2 + 64];
    for (size_t i = 0; i < a->ses->n; i++)
        if (mark_run(rc, t, a, i) != 0)
            return -1;
    const char *cap = app_caption(a);
    if (cap && a->caption_seq != rc->seen_caption) {
        rc->seen_caption = a->caption_seq;
        /* the scene author's text: escapes shown, never played */
        char shown[TL_TEXT_MAX * 2];
        sanitize_text(shown, sizeof shown, cap);
        snprintf(label, sizeof label, "caption: %s", shown);
        if (cast_marker(&rc->k, t, label) != 0)
            return -1;
    }
    if (a->ended && !rc->seen_end) {
        rc->seen_end = 1;
        snprintf(label, sizeof label, "step %llu: end of the lesson",
                 (unsigned long long)a->ses->t);
        if (cast_marker(&rc->k, t, label) != 0)
            return -1;
    }
    return 0;
}

int recorder_frame(recorder *rc, double t, const app *a)
{
    if (mark_events(rc, t, a) != 0)
        return -1;
    view_draw(&rc->c, a);
    return cast_frame(&rc->k, t, &rc->c);
}

int recorder_close(recorder *rc)
{
    canvas_free(&rc->c);
    return cast_close(&rc->k);
}

void recorder_abort(recorder *rc)
{
    canvas_free(&rc->c);
    cast_abort(&rc->k);
}

int recorder_headless(app *a, const char *path, int width, int height,
                      glyph_tier tier, int color, int fps, uint64_t steps,
                      char *err, size_t errlen)
{
    recorder rc;
    char title[SCENE_NAME_MAX * 2 + 16];
    snprintf(title, sizeof title, "sgdscope: %s",
             a->base.title[0] ? a->base.title : a->base.name);
    if (recorder_open(&rc, path, width, height, tier, title, color, err,
                      errlen) != 0)
        return -1;
    /* Synthetic time: frame k at k/fps seconds, whatever the machine.
     * It is the app's clock too, so captions timed in seconds stay up
     * that long and a `pause` holds the picture (APP_HOLD_SECONDS, or
     * its own duration); nothing waits for a key without a screen. */
    a->headless = 1;
    uint64_t frame = 0;
    int bad = 0;
    char shown[1024]; /* the path, as user text is shown (sanitize.h) */
    sanitize_text(shown, sizeof shown, path);
    while (!bad) {
        /* A terminating signal: the caller dies of it, and an
         * interrupted recording is no recording (the earlier file at
         * path stays as it was). */
        if (exitsig_pending()) {
            snprintf(err, errlen, "'%s' not written: interrupted", shown);
            recorder_abort(&rc);
            return 1;
        }
        double t = (double)frame / fps;
        app_clock(a, t);
        /* an `end` (or the last step) stops the recording once its
         * hold has been shown */
        uint64_t now = a->ses->t;
        int holding = a->now < a->hold_until;
        int pending = app_next_event(a) <= now; /* held by a caption */
        int last = (a->ended && !holding) ||
                   (now >= steps && !holding && !pending) ||
                   session_live(a->ses) == 0 || a->quit;
        if (last)
            app_run_to(a, steps); /* the metrics exactly at `steps` */
        bad = recorder_frame(&rc, t, a) != 0;
        frame++;
        if (last)
            break;
        uint64_t spf = a->spf;
        if (now + spf > steps)
            a->spf = steps - now;
        uint64_t moved = app_tick(a, 1);
        a->spf = spf;
        /* A tick that takes no step must be waiting for the clock (a
         * hold, a caption's seconds, an end's last frames); anything
         * else would spin: jump to the end instead. */
        int waiting = a->ended || a->now < a->hold_until ||
                      app_next_event(a) <= a->ses->t;
        if (moved == 0 && !waiting && session_live(a->ses) > 0 && !a->quit)
            app_run_to(a, steps);
    }
    if (bad) {
        outfile_check(&rc.k.out);
        snprintf(err, errlen, "cannot write '%s': %s", shown,
                 strerror(rc.k.out.err ? rc.k.out.err : EIO));
        recorder_abort(&rc);
        return 1;
    }
    if (recorder_close(&rc) != 0) {
        snprintf(err, errlen, "cannot write '%s': %s", shown, strerror(errno));
        return 1;
    }
    return 0;
}

/* app.h — the interactive session, without any terminal code: what is
 * shown (paused, help, axis mode, messages), how fast it steps, and the
 * key table that both the input handling and the help overlay read.
 * The curses front end (src/tui) and the headless snapshot/record paths
 * drive the same app, so a run is the same whoever drives it. */
#ifndef SGDSCOPE_APP_H
#define SGDSCOPE_APP_H

#include <stddef.h>
#include <stdint.h>

#include "run.h"
#include "scene.h"

typedef enum {
    ACT_PAUSE, ACT_STEP, ACT_FASTER, ACT_SLOWER, ACT_ETA_UP, ACT_ETA_DOWN,
    ACT_DECAY, ACT_WARMUP, ACT_DYNAMICS, ACT_BATCH_DOWN, ACT_BATCH_UP,
    ACT_NEXT_SCENE, ACT_RESET, ACT_RESEED, ACT_REWIND, ACT_XAXIS, ACT_EXPORT,
    ACT_HELP, ACT_QUIT, ACT_COUNT
} app_action;

/* One key binding.  The table drives input and the help overlay. */
typedef struct app_key {
    int key;            /* the character ('q', ' ', '+') */
    app_action act;
    const char *label;  /* how the key is shown ("space", "+") */
    const char *help;   /* what it does, for the help overlay */
    const char *hint;   /* one word for the hint bar; NULL: not shown */
} app_key;

extern const app_key app_keys[];
extern const size_t app_nkeys;

/* The action bound to key, or −1. */
int app_key_action(int key);

#define APP_MSG_MAX 160
#define APP_MAX_SCENES 32

typedef struct app {
    run *r;
    scene base;            /* the scene as opened (reset returns to it) */
    int paused;
    int help;              /* help overlay shown */
    int xlog;              /* loss plot x axis: 0 linear, 1 log steps */
    int quit;
    uint64_t spf;          /* steps per frame */
    double sps;            /* measured steps per second (front end sets) */
    double eta_factor;     /* what + and − multiply/divide η by */
    char msg[APP_MSG_MAX]; /* transient message on the status line */
    int msg_frames;        /* frames the message stays */
    /* shipped scenes for `m`, by path; the current one's index */
    char scenes[APP_MAX_SCENES][SCENE_PATH_MAX];
    size_t nscenes, scene_idx;
    /* The scene's timeline: the next event to fire, and the caption it
     * put on screen (shown while caption_from <= t < caption_until). */
    size_t tl_next;
    char caption[TL_TEXT_MAX];
    uint64_t caption_from, caption_until;
    int headless;          /* pause events are ignored without a screen */
    int firing;            /* inside app_fire_due (a reset keeps its place
                              in the timeline instead of replaying it) */
    char export_dir[SCENE_PATH_MAX]; /* where `e` writes ("" = cwd) */
} app;

/* Opens a session on a finalized scene; also lists the shipped scenes in
 * scene_dir (may be NULL) for `m`.  Returns 0, or −1 with err. */
int app_open(app *a, const scene *sc, const char *scene_dir, char *err,
             size_t errlen);
/* Releases it. */
void app_close(app *a);

/* Applies an action at the current step boundary (logged in the run's
 * event log when it changes the run). */
void app_act(app *a, app_action act);

/* One frame's stepping: spf steps unless paused or diverged, with the loss
 * metrics evaluated at every multiple of the scene's `every` (so what is
 * recorded does not depend on the frame rate) and the spectrum once per
 * call when want_spectrum.  Returns steps taken. */
uint64_t app_tick(app *a, int want_spectrum);

/* Advances to absolute step n the same way (for --snapshot). */
void app_run_to(app *a, uint64_t n);

/* Fires every timeline event due at the current step (applied before the
 * step is taken).  Returns how many fired.  app_tick and app_run_to do
 * this themselves; exposed for the headless runner. */
size_t app_fire_due(app *a);

/* The step of the next timeline event not yet fired, or UINT64_MAX. */
uint64_t app_next_event(const app *a);

/* Writes the run's history as CSV to path (temporary file + rename).
 * Returns 0, or −1 with a message in err. */
int app_export_csv(const app *a, const char *path, char *err, size_t errlen);

/* The live speed as the status line shows it ("×64": steps per frame).
 * Writes into buf (cap bytes) and returns buf. */
char *app_speed_text(const app *a, char *buf, size_t cap);

/* Sets the transient message (printf-style). */
void app_message(app *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif

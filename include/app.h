/* app.h — the interactive session, without any terminal code: what is
 * shown (paused, help, axis mode, messages), how fast it steps, and the
 * key table that both the input handling and the help overlay read.
 * The curses front end (src/tui) and the headless snapshot/record paths
 * drive the same app, so a run is the same whoever drives it.
 *
 * The app steps a session (session.h): 1 to 6 runs in lockstep, one of
 * them focused.  A single scene is a session of one run; there is no
 * other path.  The code is split by concept: app.c (opening, stepping,
 * the key table and its dispatch), lesson.c (the timeline: captions,
 * pauses, the end, pacing), runs.c (what keys do to runs: one run's
 * settings, focus, fork, the all-runs prefix, rewind), prompt.c (the `:`
 * commands). */
#ifndef SGDSCOPE_APP_H
#define SGDSCOPE_APP_H

#include <stddef.h>
#include <stdint.h>

#include "comparison.h"
#include "ghost.h"
#include "run.h"
#include "scene.h"
#include "scenedir.h"
#include "session.h"

typedef enum {
    ACT_PAUSE, ACT_STEP, ACT_FASTER, ACT_SLOWER, ACT_ETA_UP, ACT_ETA_DOWN,
    ACT_ETA_FINE_UP, ACT_ETA_FINE_DOWN, ACT_DECAY, ACT_WARMUP, ACT_DYNAMICS,
    ACT_BATCH_DOWN, ACT_BATCH_UP, ACT_NEXT_SCENE, ACT_PREV_SCENE, ACT_PICKER,
    ACT_RESET, ACT_RESEED, ACT_REWIND, ACT_XAXIS, ACT_EXPORT, ACT_PROMPT,
    ACT_HELP, ACT_QUIT,
    /* the runs of a comparison (issue 9) */
    ACT_FOCUS_NEXT, ACT_FOCUS_PREV, ACT_FORK, ACT_ALL, ACT_TABLE,
    /* the loss surface (issue 11) */
    ACT_SURFACE,
    /* the stability map (issue 12) */
    ACT_MAP,
    ACT_COUNT
} app_action;

/* Keys that are not characters, as the front end hands them to app_key
 * (it translates its own codes: the app never sees curses).  Above the
 * Unicode range so they never collide with a character. */
enum {
    APP_KEY_TAB = '\t',
    APP_KEY_ESC = 27,
    APP_KEY_ENTER = '\n',
    APP_KEY_BACKSPACE = 127,
    APP_KEY_UP = 0x110000, APP_KEY_DOWN, APP_KEY_LEFT, APP_KEY_RIGHT,
    APP_KEY_PGUP, APP_KEY_PGDN, APP_KEY_HOME, APP_KEY_END,
    APP_KEY_F1, APP_KEY_F10,
    APP_KEY_BTAB           /* Shift-Tab */
};

#define APP_KEY_ALTS 2

/* One action and the keys bound to it.  The table drives input and the
 * help overlay. */
typedef struct app_key {
    int key;              /* the main key ('q', ' ', '+') */
    int alt[APP_KEY_ALTS];/* other keys for the same action (0: none) */
    app_action act;
    const char *label;    /* how the main key is shown ("space", "+") */
    const char *help;     /* what it does, for the help overlay */
    const char *hint;     /* one word for the hint bar; NULL: not shown */
} app_key;

extern const app_key app_keys[];
extern const size_t app_nkeys;

/* The `:` commands and how each is written ("eta X").  The table drives
 * the help overlay, the prompt's hint and the unknown-command message, so
 * none of them can miss a command the prompt takes. */
typedef struct app_cmd {
    const char *name;  /* "eta" */
    const char *form;  /* "eta X": the name and its arguments */
} app_cmd;

extern const app_cmd app_cmds[];
extern const size_t app_ncmds;

/* The action bound to key (main or alternative), or −1. */
int app_key_action(int key);

/* How a key is written in help ("Up", "F1", "Esc", "x"); into buf. */
const char *app_key_name(int key, char *buf, size_t cap);

/* What + and − multiply/divide η by, and ] and [. */
#define APP_ETA_FACTOR 1.1
#define APP_ETA_FINE 1.01

/* The message for a step size held at its bound (schedule.h
 * SCHED_ETA_MIN/MAX): "η held at …, the smallest step size". */
void app_held_text(const run *r, char *msg, size_t cap);
/* What an action does to one run — the η keys, decay, warmup, dynamics,
 * batch — shared by the app (its run) and a session's timeline keys
 * (session.h): applies it and writes the feedback into msg.  A frozen run
 * refuses them (with a message saying so).  Returns 1 if act is one of
 * them, 0 if it is not about one run (msg untouched). */
int app_run_act(run *r, app_action act, char *msg, size_t cap);

/* Whether key is bound to one of app_run_act's actions (the keys a
 * comparison's run block may press). */
int app_is_run_key(int key);

/* app_run_act for the action bound to key: a session_key_fn. */
int app_run_key(run *r, int key, char *msg, size_t cap);

/* Whether a scene's timeline or --script may press key: any key of the
 * table but those that replace the scene (and so the timeline) they were
 * pressed from (m, M, p), wait for a person to type (:), start processes
 * (S, the stability map), or write a file
 * (e: a scene is shared between people and must not write into their
 * directory).  Tab, f, * and c are fine: they write nothing, and a
 * session replays them bit for bit. */
int app_is_scene_key(int key);

#define APP_MSG_MAX 160
#define APP_LINE_MAX 80
#define APP_MAX_SCENES 64
/* Seconds a transient message stays, and a recording holds a `pause`. */
#define APP_MSG_SECONDS 3.0
#define APP_HOLD_SECONDS 3.0

typedef struct app {
    run *r;                /* the focused run of ses (kept equal to
                              session_focused); what one-run code reads */
    session *ses;          /* the runs in lockstep (issue 9), always set
                              while the app is open; the view draws every
                              run of it, keys act on r.  Its step ses->t
                              is the app's step (a frozen run stands
                              behind it, at its own r->t) */
    int table;             /* the comparison table overlay is shown */
    int all_prefix;        /* `*` was pressed: the next one-run key acts
                              on every live run */
    ghost ghost;           /* a saved run's loss curve behind the live
                              ones; ghost.n == 0: none */
    unsigned frozen_seen;  /* bit i: run i's freeze was announced (and
                              evaluated); cleared when it runs again */
    scene base;            /* the comparison's shared settings as opened:
                              run 0's scene (title, name, steps, seed)
                              with the session's own timeline (captions,
                              pauses, end, keys: ses->c->tl) */
    int paused;
    int help;              /* help overlay open (the run waits) */
    int picker;            /* scene picker open (the run waits) */
    size_t pick;           /* the picker's highlighted scene */
    int prompt;            /* the `:` command line open (the run waits) */
    char line[APP_LINE_MAX]; /* what has been typed at the prompt */
    int xlog;              /* loss plot x axis: 0 linear, 1 log steps */
    int valley;            /* the top-left panel shows the valley though
                              the session has a loss surface (key v) */
    int quit;
    uint64_t spf;          /* steps per frame (1 when slow > 1) */
    uint64_t slow;         /* > 1: one step every `slow` frames */
    uint64_t slow_count;   /* frames since the last slow step */
    double sps;            /* measured steps per second (front end sets) */
    double eta_factor;     /* what + and − multiply/divide η by */
    double eta_fine;       /* what ] and [ multiply/divide η by */
    char msg[APP_MSG_MAX]; /* transient message on the status line */
    double msg_until;      /* clock time it goes away */
    /* Time, injected by the front end (app_clock): its clock in seconds,
     * and the lesson's clock, which runs only while the run does. */
    double now, lesson;
    double frame_dt;       /* the last interval between app_clock calls */
    double pace_acc;       /* fractional steps owed by caption pacing */
    int clocked;           /* app_clock has been called */
    /* scenes of the search path, in --list order, for m, M and the
     * picker; the current one's index (nscenes: none of them) */
    scenedir_entry scenes[APP_MAX_SCENES];
    size_t nscenes, scene_idx;
    /* The caption the timeline put on screen (the timeline's place is
     * the session's: ses->tl_next).  A caption counts steps
     * (caption_from <= t < caption_until), lesson seconds (lesson <
     * caption_until_s; the next event waits for it) or waits for a key
     * (waitkey). */
    char caption[TL_TEXT_MAX];
    tl_unit caption_unit;
    uint64_t caption_from, caption_until;
    double caption_until_s;
    uint64_t caption_seq;  /* counts captions put up (recording markers) */
    int waitkey;           /* a `caption key` holds the run until a key */
    int ended;             /* an `end` event stopped the lesson */
    int past_end;          /* the live run has stopped once at the scene's
                              run length (space runs on past it) */
    double hold_until;     /* no steps before this clock time (a recording
                              holding a pause, a timed pause) */
    int auto_resume;       /* a timed pause: resume at hold_until */
    /* `goto N` in progress: runs to goto_to in chunks, one per frame */
    int going;
    uint64_t goto_to, goto_chunk;
    double goto_last;      /* clock at the previous chunk */
    int headless;          /* no screen: pauses become holds, no keys */
    int jumping;           /* inside app_run_to/goto: pauses do not stop */
    int csv_runner;        /* inside app_fire_due: an `end` ends nothing */
    int firing;            /* inside app_fire_due (a reset keeps its place
                              in the timeline instead of replaying it) */
    char export_dir[SCENE_PATH_MAX]; /* where `e` writes ("" = cwd) */
    /* The focused run's name (session_name of ses->focus), kept with r. */
    char run_name[COMPARISON_NAME_MAX];
    /* The stability map (key S): its screen is open (the run waits),
     * its background sweep (mapjob.h; NULL until the first S), the
     * cursor (η index, seed index) and the heat map's metric. */
    int map;
    struct mapjob *mj;
    size_t map_x, map_y;
    int map_metric;
    unsigned map_workers;  /* processes a map's sweep uses (0: the
                              processors but one, at least one) */
} app;

/* The descriptor the front end's wait should also watch: the map's
 * background sweep writing (−1: none). */
int app_wait_fd(const app *a);

/* Takes what the background sweep has written; returns 1 when the
 * screen should be drawn again.  Call it when app_wait_fd is readable
 * (calling it at other times is harmless). */
int app_background(app *a);

/* Replaces the session with one of c (finalized), keeping the scene
 * list, the map and the view's settings: what Enter on a map cell does.
 * Returns 0, or −1 with err (the old session stays). */
int app_open_run(app *a, const comparison *c, char *err, size_t errlen);

/* Opens the app on a finalized comparison (its session of runs, focus on
 * the first).  scene_dir NULL: no scene list (m says so); otherwise the
 * scenes of the search path (scenedir.h, the order of --list), with
 * scene_dir searched too.  Returns 0, or −1 with err. */
int app_open_comparison(app *a, const comparison *c, const char *scene_dir,
                        char *err, size_t errlen);
/* The same on a finalized scene: a comparison of one run, "main"
 * (comparison_of_scene). */
int app_open(app *a, const scene *sc, const char *scene_dir, char *err,
             size_t errlen);
/* Releases it. */
void app_close(app *a);

/* Rebuilds every run from the scene at step 0 (forks dropped), every
 * seed shifted by seed_add (kept for later restarts: R adds 1); the
 * lesson starts over unless a timeline event asked for it (then the
 * timeline keeps its place).  what names the action in a failure
 * message.  Returns 0, or −1 with the app's message set. */
int app_restart(app *a, uint64_t seed_add, const char *what);

/* Loads the ghost (ghost.h) of file path, run `name` (NULL: its first),
 * keeping the current one on failure.  Returns 0, or −1 with err. */
int app_set_ghost(app *a, const char *path, const char *name, char *err,
                  size_t errlen);

/* Sets the front end's clock (seconds, monotonic; synthetic in
 * recordings).  Expires messages and timed pauses, and advances the
 * lesson clock by the time passed while the run was running.  Call it
 * once per frame before app_press/app_tick; without it nothing expires. */
void app_clock(app *a, double now);

/* One key press from the front end: routed to the open prompt, picker or
 * help, a caption waiting for a key, or else the key table. */
void app_press(app *a, int key);

/* Applies an action at the current step boundary (logged in the run's
 * event log when it changes a run, in the session's log when it forks or
 * moves the focus).  One-run actions act on the focused run, or after
 * `*` on every live run. */
void app_act(app *a, app_action act);

/* Runs a `:` command line ("eta 1.12", "batch 4", "seed 9", "goto 30000",
 * "decay", "dynamics gd", "ghost FILE [RUN]", "ghost off", "help") on
 * the focused run.  Returns 0, or −1 with a message naming what is wrong
 * (also shown as the app's message). */
int app_command(app *a, const char *line);

/* One frame's stepping: spf steps of the session (or one every `slow`
 * frames) unless paused, every run is frozen, a modal overlay is open, a
 * caption's seconds hold the timeline or a recording holds a pause; a
 * `goto` in progress takes its next chunk instead.  While a caption timed in seconds is up, the steps
 * are spread so the run reaches the timeline's next event as the caption
 * runs out (never faster than spf): the picture keeps moving while it is
 * read.  Each run's losses are evaluated at every multiple of its
 * scene's `every` and where it freezes (so what is recorded does not
 * depend on the frame rate), and every run's spectrum once per call when
 * want_spectrum.  Returns the steps the session took. */
uint64_t app_tick(app *a, int want_spectrum);

/* 1 while app_tick may step (the front end must keep sending frames);
 * 0 when nothing steps until a key or app_next_timer. */
int app_busy(const app *a);

/* The clock time of the next change that needs no key (a message going,
 * a timed pause ending), or a negative value if none. */
double app_next_timer(const app *a);

/* Advances the session to absolute step n the same way, as a jump:
 * pauses and caption timers do not stop it; an `end` does (for
 * --snapshot). */
void app_run_to(app *a, uint64_t n);

/* Fires every timeline event due at the session's step (applied before
 * the step is taken), without waiting for captions; an `end` ends
 * nothing here.  Returns how many fired.  app_tick and app_run_to do
 * this themselves; exposed for callers that step the session by hand
 * (session_advance), as the tests do. */
size_t app_fire_due(app *a);

/* The step of the next timeline event not yet fired, or UINT64_MAX. */
uint64_t app_next_event(const app *a);

/* The caption on screen now, or NULL. */
const char *app_caption(const app *a);

/* Writes the history of every run of the session as CSV to path (long
 * format, the schema of --csv: one header, the run's name in the first
 * column, runs in the session's order; temporary file + rename).
 * Returns 0, or −1 with a message in err. */
int app_export_csv(const app *a, const char *path, char *err, size_t errlen);

/* The live speed as the status line shows it ("×64": steps per frame;
 * "×0.1": one step every 10 frames).  Writes into buf (cap bytes) and
 * returns buf. */
char *app_speed_text(const app *a, char *buf, size_t cap);

/* Sets the transient message (printf-style, kept sanitized: it quotes
 * file names and scene text); it stays APP_MSG_SECONDS of the front
 * end's clock. */
void app_message(app *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif

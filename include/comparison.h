/* comparison.h — a scene that names several runs to compare (1 to 6),
 * read from the scene format (sgdscope-scene(5), COMPARISONS):
 *
 *   model = diagnet             # the shared base: every run starts here
 *   seed  = 3
 *   eta   = 0.24
 *   at 0: caption 3s "Four schedules, one data draw"
 *
 *   run small                   # a run: its lines apply to it alone
 *   eta = 0.15
 *
 *   run decay50
 *   decays = 50%:1.5
 *   at 80000: key d             # an event of this run only
 *
 * Lines before the first `run NAME` header (NAME: [A-Za-z0-9_-]{1,24})
 * are the base; each block's `key = value` lines override it for that
 * run, and its `at` lines are that run's events.  The base's step-size,
 * dynamics and batch events apply to every run; its captions, pauses,
 * `end` and keys belong to the session (a key acts on the focused run).
 * A block may not set `title` or `steps` (the runs advance in lockstep
 * and end together), nor hold captions, pauses or `end`.  A file without
 * blocks is a comparison of one run, named "main".
 *
 * The finalized runs are plain scenes (scene.h): run_create builds each,
 * and a run reproduces the same scene run alone bit for bit.  No terminal
 * code, no allocation after loading. */
#ifndef SGDSCOPE_COMPARISON_H
#define SGDSCOPE_COMPARISON_H

#include <stddef.h>

#include "scene.h"
#include "timeline.h"

#define COMPARISON_MAX_RUNS 6
#define COMPARISON_NAME_MAX 25 /* 24 characters and the NUL */
/* The name of the one run of a scene without `run` blocks. */
#define COMPARISON_MAIN "main"

typedef struct comparison {
    char file[SCENE_PATH_MAX]; /* the file it was read from, for errors */
    scene base;                /* the shared lines as parsed (unfinalized),
                                  with their whole timeline */
    size_t n;                  /* runs, 1..COMPARISON_MAX_RUNS */
    int blocks;                /* the file had `run` blocks */
    char name[COMPARISON_MAX_RUNS][COMPARISON_NAME_MAX];
    int line[COMPARISON_MAX_RUNS]; /* the `run` header's line (0: none) */
    int col[COMPARISON_MAX_RUNS];  /* the column of its NAME */
    /* Each run's scene: the base, its block, then --set.  After
     * comparison_finalize: finalized, its timeline holding only the
     * events that act on that run (the base's step-size, dynamics and
     * batch events, and its block's). */
    scene run[COMPARISON_MAX_RUNS];
    /* After comparison_finalize: the session's own events, in step
     * order: the base's captions, pauses, `end` and keys, and --script's
     * keys (comparison_add_script). */
    timeline tl;
    int finalized;
} comparison;

/* One run named "main" of the built-in default scene (scene_init). */
void comparison_init(comparison *c);

/* Parses text (len bytes, a scene file's contents; fname for messages)
 * over base: the base lines over a copy of *base, then one scene per
 * `run` block.  Every syntax error of every block, the run names and
 * their count are checked here.  Returns 0, or −1 with e filled (c is
 * then unspecified).  scene_load_file uses it too. */
int comparison_parse(comparison *c, const scene *base, const char *text,
                     size_t len, const char *fname, scene_err *e);

/* Loads the file at path (comparison_init, then comparison_parse); the
 * scenes' name and path come from path.  Returns 0 or −1 with e. */
int comparison_load_file(comparison *c, const char *path, scene_err *e);

/* Same, from a string. */
int comparison_load_string(comparison *c, const char *text,
                           const char *fname, scene_err *e);

/* One --set: "KEY=VALUE" for every run (after its block: it wins), or
 * "NAME.KEY=VALUE" for run NAME alone.  Errors name file "--set" and the
 * column inside kv: an unknown run (with the run names as a hint), a
 * field a run cannot change alone (title, steps).  Returns 0 or −1. */
int comparison_set(comparison *c, const char *kv, scene_err *e);

/* Finalizes every run (scene_finalize) and checks the comparison as a
 * whole: one run length, and every `sde_companion` (an existing run other
 * than itself, running sgd on the same model, seed and model settings,
 * named by an SDE without a fixed sde_delta).  Then splits the timeline
 * between the runs and the session (see comparison.tl).  Call once.
 * Returns 0, or −1 with e at the line to fix. */
int comparison_finalize(comparison *c, scene_err *e);

/* Checks the keys of the timeline events (after finalize): the session's
 * against is_key, a run block's against is_run_key (the keys that act on
 * one run; others are refused with a hint to move them to the base).
 * Returns 0, or −1 with e at the event's key. */
int comparison_check_keys(const comparison *c, int (*is_key)(int k),
                          int (*is_run_key)(int k), scene_err *e);

/* Adds --script's keys to the session's timeline (timeline_parse_script,
 * after finalize).  Returns 0, or −1 with a message in err. */
int comparison_add_script(comparison *c, const char *script,
                          int (*is_key)(int k), char *err, size_t errlen);

/* The index of the run called name, or −1. */
int comparison_find(const comparison *c, const char *name);

/* Run i as if it were alone (after finalize): its scene with the
 * session's events merged back in by step, as the single scene file
 * would have it.  What the single-run app shows of a comparison. */
void comparison_run_scene(const comparison *c, size_t i, scene *out);

/* A finalized comparison of one run named "main" from a finalized scene
 * (the app's scene, a test's): what the same scene file without blocks
 * would give, its captions, pauses, end and keys (--script's included)
 * in the session's timeline, the rest in the run's. */
void comparison_of_scene(comparison *c, const scene *sc);

/* Whether name is a valid run name: [A-Za-z0-9_-]{1,24}. */
int comparison_name_ok(const char *name);

#endif

/* scene.h — a run's whole configuration, read from a small text format.
 *
 *   # a comment (also after a value)
 *   model    = diagnet        # quad1d | diagnet | relu1d
 *   eta      = 0.27
 *   decays   = 10%:4.8 30%:3.4 50%:1.5
 *
 * One `key = value` per line; keys are the field names below.  Every value
 * is typed and range-checked.  Errors name file:line:col and, for a
 * misspelt key, the nearest valid one.  Fields a scene leaves unset take
 * the defaults of its model (scene_finalize), so a scene names only what
 * it changes.  The full list with types, ranges and defaults is in
 * man/sgdscope-scene.5 and in `scene_fields` (scene.c). */
#ifndef SGDSCOPE_SCENE_H
#define SGDSCOPE_SCENE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dynamics.h"
#include "model.h"
#include "rng.h"
#include "schedule.h"
#include "surface.h"
#include "timeline.h"

#define SCENE_NAME_MAX 128
#define SCENE_PATH_MAX 512
#define SCENE_MAX_FIELDS 64

typedef struct scene {
    char name[SCENE_NAME_MAX];   /* file name without directory and .scene */
    char path[SCENE_PATH_MAX];   /* as given; "" for the built-in default */
    char title[SCENE_NAME_MAX];  /* `title = "..."`, shown by the UI */

    char model[32];              /* model name, validated against registry */
    uint64_t seed;               /* the run: initialization, sampling */
    uint64_t data_seed;          /* the data: train/test sets, β*, probes */
    rng_kind rng;                /* the random source of both */
    uint64_t steps;              /* run length N (fractions refer to it) */
    uint64_t every;              /* metric cadence in steps; 0 = only at end */

    dyn_kind dynamics;
    dyn_cfg dyn;                 /* batch, sde/flow substeps, sde_scale,
                                    max_loss (= diverge_loss) */
    char sde_companion[32];      /* an SDE's companion run in a comparison
                                    (comparison.h): δ follows its loss;
                                    "" = none */
    schedule_cfg sched;          /* eta0 (key `eta`), decays, warmup,
                                    warmup_decay, expwarmup, decay */
    model_params mp;             /* a, b, theta_star, theta0, n, d, r,
                                    n_test, init_u, init_v, m, init_w,
                                    init_b, init_a, points */
    /* `data = FILE`, `test_data = FILE`: points from CSV files
     * (datafile.h), the path resolved against the scene file's directory
     * (as given from --set); "" = none.  scene_finalize loads them and
     * points mp.data and mp.test_data at them. */
    char data[SCENE_PATH_MAX];
    char test_data[SCENE_PATH_MAX];
    /* metrics */
    double rank_tol;             /* relative threshold σ_k/σ_1 */
    double l0_tol;               /* |β_j| threshold for ‖β‖₀ */
    double corr;                 /* sparsity-coefficient correlation */
    uint32_t band_window;        /* evaluations in the loss band window */
    double band_lo, band_hi;     /* band quantiles, 0 ≤ lo < hi ≤ 1 */
    /* the loss-surface panel (surface.h): its plane, range, clip, grid */
    surf_kind surface;
    double surface_lo, surface_hi, surface_clip;
    int surface_grid;

    /* Events at given steps (`at STEP: ...` lines), in step order. */
    timeline tl;
    /* A comparison's run before scene_finalize: tl holds the shared
     * lines' events [0, tl_base) and then its own block's, each part in
     * step order; finalizing merges them by step.  0 = one timeline. */
    size_t tl_base;

    /* Where each field was set, for cross-field errors: index = field
     * number in scene_fields; line 0 = not set. */
    char set_file[SCENE_MAX_FIELDS][64];
    int set_line[SCENE_MAX_FIELDS];
    int set_col[SCENE_MAX_FIELDS];
} scene;

/* A parse or validation error: file:line:col: msg, then an optional hint.
 * Its text quotes the scene and the command line, so it is kept
 * sanitized (sanitize.h): safe to print or draw as it is. */
typedef struct scene_err {
    char file[SCENE_PATH_MAX];
    int line, col;               /* 1-based; 0 when not about a position */
    char msg[256];
    char hint[256];              /* "" when there is none */
} scene_err;

/* Built-in default: quad1d inside Proposition 2's interval, nothing set. */
void scene_init(scene *s);

/* Parses the file at path over s (fields it names are overwritten).
 * Sets s->name and s->path.  Only a regular file is read, and opening
 * never blocks: a FIFO, a device or a directory is an error ("not a
 * regular file: a FIFO").  Returns 0, or −1 with e filled.  A
 * comparison file (`run NAME` blocks, comparison.h) gives its first run
 * as if it were alone: the shared lines, its block and every event. */
int scene_load_file(scene *s, const char *path, scene_err *e);

/* Same, from a string; fname is used in messages. */
int scene_load_string(scene *s, const char *text, const char *fname,
                      scene_err *e);

/* Applies one "key=value" (from --set); errors name file "--set" and the
 * column inside kv.  Returns 0 or −1. */
int scene_set(scene *s, const char *kv, scene_err *e);

/* Fills unset fields with the chosen model's defaults and checks fields
 * against each other (a < b, r ≤ d, labelnoise needs n > 0, ...),
 * pointing at the line that set the offending field.  Returns 0 or −1. */
int scene_finalize(scene *s, scene_err *e);

/* Checks that every `key` event of the timeline names a bound key:
 * is_key(c) says whether the app's key table binds c.  Returns 0, or −1
 * with e at the event's key ("unknown key 'Z' (see sgdscope(1) KEYS)"). */
int scene_check_keys(const scene *s, int (*is_key)(int c), scene_err *e);

/* Prints "file:line:col: error: msg" and "  hint: ..." to f, sanitized. */
void scene_err_print(const scene_err *e, FILE *f);

/* Number of fields and the name of field i (for help and tests). */
size_t scene_field_count(void);
const char *scene_field_name(size_t i);

/* Index of the field called name (the index into set_line), or −1. */
int scene_field_index(const char *name);

/* One field as documented: what --help and the man page list. */
typedef struct scene_field_info {
    const char *name;
    const char *type;   /* "integer", "number", "model", "dynamics",
                           "string", "decays", "warmup", "expwarmup",
                           "points", "file" */
    const char *def;    /* generic default as scene text; "" for none */
    const char *help;   /* one line */
    char range[48];     /* "> 0", "1..1000", "(0, 1]"; "" if unbounded */
} scene_field_info;

/* Fills out for field i.  Returns 0, or −1 past the end. */
int scene_field_info_at(size_t i, scene_field_info *out);

/* The default of field i under model mname, as scene text, when it
 * differs by model (eta, steps, every, rank_tol, n); NULL when the
 * generic default applies. */
const char *scene_field_model_default(size_t i, const char *mname);

#endif

/* grid.h — the grid of a sweep: scene fields to vary, the values each
 * takes, and the seeds every grid point runs with.
 *
 *   --vary eta=0.20:0.30:21      21 evenly spaced values, A and B included,
 *                                each rounded to 15 significant digits
 *                                (so 0.205 is 0.205, not 0.20500000000000002)
 *   --vary decays=10%:4.8,30%:3.4  a list of scene values, comma-separated
 *   --seeds 1-20  or  1,3,5-9    the sampling seeds (`seed`)
 *
 * A sweep's jobs are numbered 0..grid_jobs()−1 in a fixed order: the
 * first axis varies slowest, the seed fastest.  The number is what a
 * sweep's output, its resumption and its shards agree on: shard K of N
 * runs the jobs j with j mod N = K − 1.
 *
 * A sweep file (sgdscope(1), SWEEPS) holds the same as key = value lines:
 *
 *   scene = fig2-diag-decay50    # the scene (path or shipped name)
 *   vary  = eta=0.24:0.30:13
 *   seeds = 1-5
 *   set   = steps=100001         # a --set applied to every job
 *
 * No terminal code; the values live in the struct (no allocation but the
 * seed list). */
#ifndef SGDSCOPE_GRID_H
#define SGDSCOPE_GRID_H

#include <stddef.h>
#include <stdint.h>

#include "scene.h"

#define GRID_MAX_AXES 6
#define GRID_MAX_VALUES 512   /* values of one axis */
#define GRID_VALUE_MAX 96     /* a value's characters and the NUL */
#define GRID_KEY_MAX 64
#define GRID_MAX_SEEDS 100000
#define GRID_MAX_JOBS 10000000u
#define GRID_MAX_SETS 32

/* One varied field: its key (a scene field, or RUN.field) and values. */
typedef struct grid_axis {
    char key[GRID_KEY_MAX];
    size_t n;
    char val[GRID_MAX_VALUES][GRID_VALUE_MAX];
    /* where it was given: a sweep file's line and the column of its
     * values (file "" and line 0: the command line) */
    char file[SCENE_PATH_MAX];
    int line, col;
} grid_axis;

/* A sweep: the scene to start from, its axes, seeds and extra --sets. */
typedef struct grid {
    char scene[SCENE_PATH_MAX];   /* as given ("" when none yet) */
    char scene_dir[SCENE_PATH_MAX]; /* the sweep file's directory, or "" */
    size_t naxes;
    grid_axis axis[GRID_MAX_AXES];
    uint64_t *seeds;              /* NULL: the scene's own seed */
    size_t nseeds;
    size_t nsets;
    char sets[GRID_MAX_SETS][512];
} grid;

/* An empty grid (one point, the scene's seed). */
void grid_init(grid *g);
/* Frees the seed list. */
void grid_free(grid *g);

/* Adds an axis from "KEY=A:B:N" or "KEY=V1,V2,...", replacing an axis of
 * the same key (a command-line --vary wins over the sweep file's).
 * Returns 0, or −1 with the reason in err and the 0-based column of the
 * offending character in *col (col may be NULL). */
int grid_add_vary(grid *g, const char *spec, char *err, size_t errlen,
                  int *col);

/* Sets the seeds from "1-20", "1,3,5-9" (whole numbers, ascending ranges,
 * no duplicates).  Returns 0, or −1 with err and *col as above. */
int grid_set_seeds(grid *g, const char *spec, char *err, size_t errlen,
                   int *col);

/* Reads a sweep file over g (its scene, axes, seeds and sets; later
 * lines and then the command line override).  Returns 0, or −1 with e
 * at the offending line and column. */
int grid_load_file(grid *g, const char *path, scene_err *e);

/* Grid points (product of the axes' sizes; 1 without axes; SIZE_MAX
 * when it overflows). */
size_t grid_points(const grid *g);
/* Jobs: points × seeds (the scene's own seed counts as one). */
size_t grid_jobs(const grid *g);

/* Job j's value index on each axis (idx[0..naxes)) and its seed index
 * (*si; 0 when the grid has no seed list). */
void grid_job(const grid *g, size_t j, size_t *idx, size_t *si);

/* Whether job j belongs to shard k of n (1 ≤ k ≤ n). */
int grid_in_shard(size_t j, unsigned k, unsigned n);

/* A 64-bit FNV-1a fingerprint of the grid and the given scene text:
 * the sweep a line of output belongs to. */
uint64_t grid_fingerprint(const grid *g, const char *scene_text,
                          size_t len);

#endif

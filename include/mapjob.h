/* mapjob.h — the sweep behind the app's stability map (key S): the
 * focused run's scene over a range of η and a few sampling seeds, run in
 * the background by a forked sweep (sweep.h) whose JSON lines come back
 * through a pipe, so the app keeps drawing and reading keys meanwhile.
 *
 * The jobs are a grid of η (an evenly spaced range, the first axis) and
 * seeds (consecutive, from the run's own): job j is η index j / nseed and
 * seed index j % nseed, as grid.h numbers jobs.  Each cell's numbers are
 * those of `sgdscope --headless SCENE --set eta=V --seed S --summary` for
 * the run's scene (its own fields and events; the lesson's captions,
 * pauses and keys are not part of a run), and the app opens that very
 * scene when Enter picks the cell.
 *
 * The sweep runs in a process group of its own (the terminal's Ctrl-C and
 * Ctrl-Z go to the app, which stops it), dies with the app (SIGTERM on
 * the app's death, and a closed pipe), and is niced so the live run keeps
 * its core.  No terminal code. */
#ifndef SGDSCOPE_MAPJOB_H
#define SGDSCOPE_MAPJOB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "comparison.h"
#include "grid.h"
#include "sweeplog.h"

#define MAPJOB_MAX_ETA 41
#define MAPJOB_MAX_SEEDS 20
#define MAPJOB_DEFAULT_ETA 11
#define MAPJOB_DEFAULT_SEEDS 5

typedef enum {
    MAPJOB_IDLE,     /* never started, or stopped and cleared */
    MAPJOB_RUNNING,  /* the sweep process is working */
    MAPJOB_DONE,     /* every job reported */
    MAPJOB_FAILED,   /* the sweep stopped early: err says why */
    MAPJOB_STOPPED   /* stopped by the app (mapjob_stop) */
} mapjob_state;

/* One cell: the job's record once it has come back. */
typedef struct mapjob_cell {
    int done;
    sweep_rec rec;
} mapjob_cell;

typedef struct mapjob {
    mapjob_state state;
    char err[768];
    /* the sweep: the run's scene (one run, unfinalized) and its grid */
    comparison *base;
    grid *g;
    char scene[SCENE_NAME_MAX];   /* the scene's name, for the title */
    char run[COMPARISON_NAME_MAX]; /* the run's name in it (the caller's) */
    size_t neta, nseed;
    double eta[MAPJOB_MAX_ETA];
    char eta_text[MAPJOB_MAX_ETA][GRID_VALUE_MAX]; /* as the grid has it */
    uint64_t seed[MAPJOB_MAX_SEEDS];
    double lo, hi;                /* the η range */
    uint64_t steps;               /* each run's length */
    mapjob_cell cell[MAPJOB_MAX_ETA * MAPJOB_MAX_SEEDS]; /* by job */
    size_t done, total;
    unsigned workers;             /* processes at once */
    /* the background process and its output */
    pid_t pid;
    int fd;                       /* the pipe's read end; −1 when none */
    int errfd;                    /* its standard error, read at the end */
    char buf[1 << 16];
    size_t blen;
    sweep_log log;                /* the keys the lines must carry */
    double t_start, t_end;        /* the caller's clock (mapjob_poll) */
} mapjob;

/* An idle job (no process, fd −1). */
void mapjob_init(mapjob *m);

/* Starts the sweep of sc (a finalized run scene: the focused run's) over
 * neta values of η evenly spaced in [lo, hi] (each rounded to 6
 * significant digits, as a scene would write it) and nseed consecutive
 * seeds from seed0, with `workers` processes.  Stops a previous sweep
 * first.  Every job is checked before the process starts.  now is the
 * caller's clock in seconds.  Returns 0, or −1 with m->err (nothing
 * runs). */
int mapjob_start(mapjob *m, const scene *sc, double lo, double hi,
                 size_t neta, uint64_t seed0, size_t nseed, unsigned workers,
                 double now);

/* The descriptor to wait on with poll (−1: nothing to wait for). */
int mapjob_fd(const mapjob *m);

/* Reads whatever the sweep has written (never blocks), fills the cells,
 * and reaps the process when its output ends.  Returns 1 when something
 * changed (a cell, the state), else 0. */
int mapjob_poll(mapjob *m, double now);

/* Stops the sweep (SIGTERM to its process group, then waits for it);
 * the cells that came back stay.  No-op when nothing runs. */
void mapjob_stop(mapjob *m);

/* Stops and frees everything; m is idle again. */
void mapjob_free(mapjob *m);

/* The cell of η index ie and seed index is (NULL when out of range). */
const mapjob_cell *mapjob_cell_at(const mapjob *m, size_t ie, size_t is);

/* The comparison of cell (ie, is), finalized, into *out: what Enter
 * opens.  Returns 0, or −1 with e. */
int mapjob_cell_scene(const mapjob *m, size_t ie, size_t is,
                      comparison *out, scene_err *e);

/* The share of cells of η index ie that diverged, among those done
 * (*ndone set; 0 when none is). */
double mapjob_diverged_share(const mapjob *m, size_t ie, size_t *ndone);

/* The edge: where the share of diverged seeds first reaches one half,
 * going up η over the columns with at least one cell done (sweepmap_edge's
 * rule).  Returns what sweepmap_edge returns, with *edge. */
int mapjob_edge(const mapjob *m, double *edge);

#endif

/* ghost.h — a saved run's loss curve, drawn faintly behind the live runs
 * of a comparison (issue 9: "overlay the loss curve of a saved run").
 * Read from a CSV written by `--csv` or the `e` export (the one schema of
 * sgdscope(1), CSV: columns run, step, …, train_loss, test_loss, …), one
 * run of it.
 *
 * The file is untrusted input: only a regular file is read (opened
 * without blocking, so a FIFO is refused rather than waited on), a line
 * may hold at most GHOST_LINE_MAX bytes and the file at most
 * GHOST_MAX_ROWS rows, and every error names the file and the line. */
#ifndef SGDSCOPE_GHOST_H
#define SGDSCOPE_GHOST_H

#include <stddef.h>
#include <stdint.h>

#define GHOST_LABEL_MAX 64
/* The longest line read (the widest row of the schema is about 300
 * bytes). */
#define GHOST_LINE_MAX 4096
/* Rows of a file, all runs together (a run of 10^6 steps exported at
 * every step is the largest a user makes; each sample keeps 24 bytes). */
#define GHOST_MAX_ROWS (1u << 20)

typedef struct ghost {
    char label[GHOST_LABEL_MAX]; /* shown in the legend (sanitized): the
                                    file's base name, and the run's name
                                    when the CSV holds several */
    size_t n;                    /* samples; 0: no ghost */
    uint64_t *step;              /* n steps, increasing */
    double *train, *test;        /* n losses each (NaN where missing) */
} ghost;

/* Reads run `run` (NULL: the file's first run) of the CSV at path into g
 * (which it frees first).  Refuses, with a message naming the file and
 * the line, anything that is not the CSV schema, a run the file does not
 * hold, steps that do not increase, and files that are not regular or
 * exceed GHOST_MAX_ROWS rows.  Returns 0, or −1 with err filled and g
 * empty. */
int ghost_load(ghost *g, const char *path, const char *run, char *err,
               size_t errlen);

/* Splits a command line's FILE[:RUN] into path (cap bytes) and run (at
 * least COMPARISON_NAME_MAX bytes; "" when none): a name that exists as
 * a file is the file (a path may hold ':'); otherwise a last ':' followed
 * by a run name ([A-Za-z0-9_-]{1,24}) separates the run.  Returns 0, or
 * −1 if the path does not fit. */
int ghost_split(const char *arg, char *path, size_t cap, char *run);

/* Frees what g holds and leaves it empty (n = 0). */
void ghost_free(ghost *g);

#endif

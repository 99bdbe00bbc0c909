/* ghost.h — a saved run's loss curve, drawn faintly behind the live runs
 * of a comparison (issue 9: "overlay the loss curve of a saved run").
 * Read from a CSV written by `--csv` or the `e` export (the one schema:
 * columns run, step, …, train_loss, test_loss, …), one run of it. */
#ifndef SGDSCOPE_GHOST_H
#define SGDSCOPE_GHOST_H

#include <stddef.h>
#include <stdint.h>

#define GHOST_LABEL_MAX 64

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

/* Frees what g holds and leaves it empty (n = 0). */
void ghost_free(ghost *g);

#endif

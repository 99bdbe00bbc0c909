/* sweeplog.h — reading a sweep's JSON lines (sweep.h) back: one record
 * per run, with its swept parameters and the metrics a map shows.
 *
 * The file is untrusted (it is shared like a scene): every line is parsed
 * as JSON (RFC 8259: objects, arrays, strings with escapes, numbers,
 * true, false, null), and a line that is not a sweep's names the file,
 * line and column.  Lines of two sweeps (another fingerprint) are
 * refused: a map mixes no experiments.  A job's line read twice (a file
 * concatenated from overlapping shards) counts once.  No terminal code. */
#ifndef SGDSCOPE_SWEEPLOG_H
#define SGDSCOPE_SWEEPLOG_H

#include <stddef.h>
#include <stdint.h>

#include "grid.h"

#define SWEEPLOG_RUN_MAX 25

/* The metrics a map can show, in the order --metric names them. */
typedef enum {
    SWEEPLOG_TEST_LOSS, SWEEPLOG_TRAIN_LOSS, SWEEPLOG_L0, SWEEPLOG_RANK,
    SWEEPLOG_FEATURE_SPARSITY, SWEEPLOG_DIVERGED, SWEEPLOG_VERDICT,
    SWEEPLOG_NMETRICS
} sweeplog_metric;

/* One run of the sweep. */
typedef struct sweep_rec {
    size_t job;
    char run[SWEEPLOG_RUN_MAX];      /* the run's name in its scene */
    char val[GRID_MAX_AXES][GRID_VALUE_MAX]; /* each key's value as text */
    double num[GRID_MAX_AXES];       /* as a number; NaN if not one */
    uint64_t seed;
    int verdict;                     /* verdict_kind; −1 unknown */
    double metric[SWEEPLOG_NMETRICS]; /* NaN when absent or null */
} sweep_rec;

/* A whole file. */
typedef struct sweep_log {
    char scene[128];                 /* the first line's "scene" */
    uint64_t fingerprint;
    size_t nkeys;
    char key[GRID_MAX_AXES][GRID_KEY_MAX]; /* the "params" keys, in order */
    size_t n, cap;
    sweep_rec *rec;
} sweep_log;

/* Reads path into l (a fresh one).  Returns 0, or −1 with
 * "FILE:LINE:COL: message" in err. */
int sweeplog_read(sweep_log *l, const char *path, char *err, size_t errlen);

/* Parses one line (len bytes, no newline) into *r and checks it against
 * l's keys (the first line sets them).  Returns 0, or −1 with the reason
 * in err and the 1-based column in *col. */
int sweeplog_parse_line(sweep_log *l, const char *s, size_t len,
                        sweep_rec *r, char *err, size_t errlen, int *col);

/* Frees the records. */
void sweeplog_free(sweep_log *l);

/* The metric named name ("test_loss", ...), or −1. */
int sweeplog_metric_find(const char *name);
/* The name of metric m. */
const char *sweeplog_metric_name(int m);

#endif

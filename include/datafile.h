/* datafile.h — training or test points read from a CSV file named by a
 * scene (`data = FILE`, `test_data = FILE`; sgdscope-scene(5), DATA
 * FILES).
 *
 *   # comment lines and blank lines are skipped
 *   x1,x2,y            <- optional header: a first row with no number
 *   0.5,-1.25,0.3      <- x1..xd, then y; spaces around a field are fine
 *
 * The file is untrusted (scenes are shared): only a regular file is
 * read, never blocking (regfile.h), at most DATAFILE_MAX_BYTES; every
 * error names file:line:col and quotes at most a short, sanitized token
 * of the content.  Every row has the same number of fields, each a
 * finite decimal number.
 *
 * A file is parsed once per content: loads of the same path with the
 * same bytes return the same immutable datafile, which lives until the
 * process ends, so scenes (copied by value) and every run made from
 * them (forks, resets, a comparison's runs) can point at it. */
#ifndef SGDSCOPE_DATAFILE_H
#define SGDSCOPE_DATAFILE_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

struct scene_err;

/* The largest file read (a diagnet set of MODEL_DATA_MAX x values takes
 * about this much text at 15 bytes a number). */
#define DATAFILE_MAX_BYTES (64u << 20)
/* The most rows (scene's n goes up to this); the x values of all rows
 * (rows × x columns) are at most MODEL_DATA_MAX as well. */
#define DATAFILE_MAX_ROWS 1000000
/* The most columns: x1..x4096 and y (diagnet's largest d). */
#define DATAFILE_MAX_COLS 4097
/* Distinct files (or versions of one file) a process keeps loaded. */
#define DATAFILE_CACHE_MAX 64

typedef struct datafile {
    model_data md;        /* the points: md.dim = cols − 1 */
    size_t cols;          /* fields per row */
    int first_line;       /* the file's line number of the first data row */
    int header;           /* 1 if a header row came before it */
    char path[512];       /* as loaded */
    size_t len;           /* file size and content hash: the cache key */
    uint64_t hash;
} datafile;

/* Reads and parses the CSV at path, or returns the datafile already
 * parsed from the same path and bytes.  Returns NULL with e filled
 * (file = path, the line and column of the fault, 0 when the fault is
 * the whole file). */
const datafile *datafile_load(const char *path, struct scene_err *e);

/* Parses len bytes of CSV text (named file in errors) into a new
 * datafile the caller frees with datafile_free.  The parser behind
 * datafile_load, without the file and the cache (for tests and
 * fuzzing).  Returns NULL with e filled. */
datafile *datafile_parse(const char *text, size_t len, const char *file,
                         struct scene_err *e);

/* Frees a datafile from datafile_parse (never one from datafile_load). */
void datafile_free(datafile *df);

#endif

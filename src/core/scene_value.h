/* scene_value.h — internal to the scene format (scene.c, scene_value.c,
 * scene_event.c, comparison.c, scene_data.c, datafile.c): the shape of the field table, the typed
 * value parsers it drives and the line parser.  Not part of the public
 * contract (include/scene.h, include/comparison.h). */
#ifndef SGDSCOPE_SCENE_VALUE_H
#define SGDSCOPE_SCENE_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sanitize.h"
#include "scene.h"

/* The "%.*s" arguments that quote user text s in a message: at most 48
 * bytes of it, cut on a character boundary (scene_fail sanitizes the
 * whole message). */
#define SCENE_QUOTE(s) (int)sanitize_clip((s), strlen(s), 48), (s)

/* Value types.  The integer types differ only in the member they store to. */
typedef enum {
    ST_INT, ST_U32, ST_U64, ST_SIZE, ST_DOUBLE,
    ST_MODEL,   /* a name from the model registry (model_find) */
    ST_DYN,     /* a dynamics name (dyn_parse); sets dynamics and dyn.kind */
    ST_RNG,     /* a random source: sgdscope | numpy; sets rng */
    ST_STRING,
    ST_DECAYS,  /* AT:FACTOR ... | none */
    ST_WARMUP,  /* F:K:Q | none */
    ST_EXPWARM, /* FACTOR:MAX[:EPOCH] | none */
    ST_POINTS,  /* x:y ... | none */
    ST_PATH,    /* a file name | none: relative to the scene file's
                   directory, or to the working directory from --set */
    ST_SURFACE  /* a plane for the loss surface: none | own | fig3 */
} scene_type;

/* Range flags: which bounds apply and whether they are strict. */
enum { SR_LO = 1, SR_HI = 2, SR_XLO = 4, SR_XHI = 8 };

/* One row of the table: everything parsing, defaults, the error messages
 * and the man page need to know about a key. */
typedef struct scene_field {
    const char *name;
    scene_type type;
    size_t off, size;   /* offsetof/sizeof the member (scalars, strings) */
    unsigned rf;        /* SR_* */
    double lo, hi;
    const char *def;    /* default, written as scene text; NULL = empty */
    const char *help;   /* one line for the man page and --help */
} scene_field;

/* Where a value sits: its file, line, and the column of its first
 * character, so list items can be pointed at exactly. */
typedef struct scene_pos {
    const char *file;
    int line, col;
} scene_pos;

/* Fills e (file from p, the given line and column) and returns −1.
 * hint may be NULL. */
int scene_fail(scene_err *e, const char *file, int line, int col,
               const char *hint, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Parses v (NUL-terminated, trimmed) as field f and stores it into s.
 * Returns 0, or −1 with e pointing at the value or the bad list item. */
int scene_value_parse(scene *s, const scene_field *f, const char *v,
                      const scene_pos *p, scene_err *e);

/* "a number > 0", "an integer in 1..1000", ...: what f accepts. */
void scene_value_describe(const scene_field *f, char *buf, size_t len);

/* Short range text alone: "> 0", "1..1000", "(0, 1]", "" if unbounded. */
void scene_value_range(const scene_field *f, char *buf, size_t len);

/* The candidate nearest to word (case-insensitive Levenshtein distance
 * ≤ 2 and smaller than word's length, or word is a prefix of it), or NULL.
 * at(i) lists the candidates and returns NULL past the end. */
const char *scene_nearest(const char *word, const char *(*at)(size_t));

/* Writes "did you mean 'X'?" (scene_nearest) or "one of: a, b, ..." into
 * h, for a name v that is none of at()'s. */
void scene_name_hint(const char *v, const char *(*at)(size_t), char *h,
                     size_t len);

/* Column (1-based, in UTF-8 characters) of byte k of the line ln. */
int scene_col_of(const char *ln, size_t k);

/* Whole string as a finite number (C locale, no hex, no inf/nan).
 * Returns 0, 1 if it is not one, 2 on overflow. */
int scene_num_double(const char *s, double *out);

/* Whole string as a non-negative integer (digits, or exact exponent
 * form such as 1e5).  Returns 0, 1 if it is not one, 2 if too large. */
int scene_num_u64(const char *s, uint64_t *out);

/* A timeline position: an integer step (digits, at most 2^53 so a
 * double holds it exactly), N% with 0 <= N <= 100, or a decimal fraction
 * in [0, 1) of `steps`.  Returns 0, 1 if malformed, 2 if too large. */
int scene_value_at(const char *s, double *at, int *is_frac);

/* Parses the timeline line ln (len bytes, validated text) whose `at`
 * keyword starts at byte i, and appends the event to s->tl.  Returns 0,
 * or −1 with e pointing at the offending token (scene_event.c). */
int scene_event_parse(scene *s, const char *ln, size_t len, size_t i,
                      const char *file, int line, scene_err *e);

/* How scene_parse_text reads a piece of text, and what it found. */
typedef struct scene_parse {
    const char *file;   /* for messages */
    int first_line;     /* the line number of the text's first line */
    int events;         /* `at` lines allowed (files, not --set) */
    int keep_tl;        /* append events to s->tl (a comparison's run
                           block) instead of replacing the timeline */
    int stop_at_run;    /* stop before a `run NAME` line */
    /* out */
    int nkv;            /* key = value lines read */
    size_t stop;        /* byte offset of the `run` line it stopped at */
    int stop_line;      /* its line number; 0 if it read to the end */
} scene_parse;

/* Parses len bytes of text into s, all or nothing (s changes only on
 * success).  Returns 0 at the end of the text, 1 stopped before a `run`
 * line (sp->stop, sp->stop_line), −1 with e filled. */
int scene_parse_text(scene *s, const char *text, size_t len,
                     scene_parse *sp, scene_err *e);

/* Reads a whole scene file (at most 1 MiB) into a malloc'd *text.
 * Returns 0, or −1 with e filled. */
int scene_read_file(const char *path, char **text, size_t *len,
                    scene_err *e);

/* Points e at where field i of s was set (file, line, column; line 0
 * when it holds a default); msg and hint are left alone. */
void scene_blame(const scene *s, int i, scene_err *e);

/* Of fields i and j, the one set last (--set over files, then the later
 * line): the one to blame when the two conflict. */
int scene_later(const scene *s, int i, int j);

/* The data fields (`data`, `test_data`) at finalize, once the model's
 * defaults are in: loads the files (datafile.h), checks them against the
 * model, d, n, n_test, r and points, takes d, n and n_test from them,
 * and points s->mp.data and s->mp.test_data at the loaded points
 * (scene_data.c).  Returns 0, or −1 with e at the file's line or at the
 * scene line at fault. */
int scene_data_finalize(scene *s, scene_err *e);

/* Sets s->path to path and s->name to its file name without ".scene". */
void scene_name_from_path(scene *s, const char *path);

#endif

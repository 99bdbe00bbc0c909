/* datafile.c — points from a CSV file; see datafile.h.  Parsing works on
 * the whole text in memory (at most DATAFILE_MAX_BYTES), line by line;
 * numbers are read as scene values are (scene_num_double: C locale, no
 * hex, no inf or nan), so "0.25" in a data file and in `points` is the
 * same double. */
#include "datafile.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "regfile.h"
#include "sanitize.h"
#include "scene.h"
#include "scene_value.h"

#define FIELD_MAX 128 /* longest field read as a number */
#define TOKEN_SHOWN 16 /* bytes of a bad field an error quotes */

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* One line being read: its text and number, for errors. */
typedef struct csv_line {
    const char *s;
    size_t len;
    int no;
} csv_line;

/* Fails at byte k of the line ln. */
#define LINE_FAIL(e, file, ln, k, hint, ...)                                  \
    scene_fail((e), (file), (ln)->no, scene_col_of((ln)->s, (k)), (hint),    \
               __VA_ARGS__)

/* Whether the trimmed field [a, b) of ln is written as a number would be
 * (a sign, a digit, a point, inf or nan first): a header's fields are
 * names, so a row with any such field is data, and its errors say so. */
static int looks_numeric(const char *f, size_t n)
{
    size_t i = 0;
    if (i < n && (f[i] == '+' || f[i] == '-'))
        i++;
    if (i == n)
        return n > 0;
    if ((f[i] >= '0' && f[i] <= '9') || f[i] == '.')
        return 1;
    return n - i >= 3 && (strncasecmp(f + i, "inf", 3) == 0 ||
                          strncasecmp(f + i, "nan", 3) == 0);
}

/* Splits ln at commas into trimmed fields: start and end byte offsets in
 * fs/fe (room for cap + 1).  Returns the count, or cap + 1 if there are
 * more than cap (fs[cap] is then the first field too many). */
static size_t split_fields(const csv_line *ln, size_t *fs, size_t *fe,
                           size_t cap)
{
    size_t k = 0, i = 0;
    for (;;) {
        size_t a = i;
        while (i < ln->len && ln->s[i] != ',')
            i++;
        size_t b = i;
        while (a < b && is_blank(ln->s[a]))
            a++;
        while (b > a && is_blank(ln->s[b - 1]))
            b--;
        fs[k] = a;
        fe[k] = b;
        k++;
        if (i == ln->len || k == cap + 1)
            return k;
        i++; /* the comma */
    }
}

/* The field [a, b) of ln as a finite number into *out.  Returns 0, or −1
 * with e at the field. */
static int read_number(const csv_line *ln, size_t a, size_t b,
                       const char *file, double *out, scene_err *e)
{
    char buf[FIELD_MAX];
    size_t n = b - a;
    const char *f = ln->s + a;
    int shown = (int)sanitize_clip(f, n, TOKEN_SHOWN);
    const char *more = (size_t)shown < n ? "..." : "";
    if (n == 0)
        return LINE_FAIL(e, file, ln, a, "write a number, e.g. 0",
                         "empty field");
    if (n >= sizeof buf)
        return LINE_FAIL(e, file, ln, a, NULL,
                         "a number longer than %d characters", FIELD_MAX - 1);
    memcpy(buf, f, n);
    buf[n] = '\0';
    int rc = scene_num_double(buf, out);
    if (rc == 0)
        return 0;
    size_t i = buf[0] == '+' || buf[0] == '-';
    if (rc == 2)
        return LINE_FAIL(e, file, ln, a, NULL,
                         "number out of range: '%.*s%s'", shown, f, more);
    if (strncasecmp(buf + i, "inf", 3) == 0 ||
        strncasecmp(buf + i, "nan", 3) == 0)
        return LINE_FAIL(e, file, ln, a, "every value must be finite",
                         "not a finite number: '%.*s%s'", shown, f, more);
    return LINE_FAIL(e, file, ln, a,
                     "fields are decimal numbers separated by commas",
                     "not a number: '%.*s%s'", shown, f, more);
}

/* Room for one more row of dim x values.  Returns 0 or −1. */
static int grow_rows(datafile *df, size_t *cap, size_t dim)
{
    if (df->md.n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 64;
    if (nc > DATAFILE_MAX_ROWS)
        nc = DATAFILE_MAX_ROWS;
    double *x = realloc((double *)df->md.x, nc * dim * sizeof *x);
    if (!x)
        return -1;
    df->md.x = x;
    double *y = realloc((double *)df->md.y, nc * sizeof *y);
    if (!y)
        return -1;
    df->md.y = y;
    *cap = nc;
    return 0;
}

void datafile_free(datafile *df)
{
    if (!df)
        return;
    free((double *)df->md.x);
    free((double *)df->md.y);
    free(df);
}

datafile *datafile_parse(const char *text, size_t len, const char *file,
                         scene_err *e)
{
    datafile *df = calloc(1, sizeof *df);
    size_t *fs = malloc(2 * (DATAFILE_MAX_COLS + 1) * sizeof *fs);
    size_t *fe = fs ? fs + DATAFILE_MAX_COLS + 1 : NULL;
    double *row = malloc(DATAFILE_MAX_COLS * sizeof *row);
    size_t cap = 0;
    int header_line = 0, rc = 0;
    if (!df || !fs || !row) {
        scene_fail(e, file, 0, 0, NULL, "out of memory");
        goto fail;
    }
    const char *p = text, *end = text + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3; /* a UTF-8 byte order mark some editors write */
    for (int no = 1; p < end && rc == 0; no++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        csv_line ln = {p, (size_t)((nl ? nl : end) - p), no};
        p = nl ? nl + 1 : end;
        if (ln.len > 0 && ln.s[ln.len - 1] == '\r')
            ln.len--; /* CRLF */
        const char *nul = memchr(ln.s, '\0', ln.len);
        if (nul) {
            rc = LINE_FAIL(e, file, &ln, (size_t)(nul - ln.s),
                           "a data file is text", "NUL byte in the file");
            break;
        }
        size_t i = 0;
        while (i < ln.len && is_blank(ln.s[i]))
            i++;
        if (i == ln.len || ln.s[i] == '#')
            continue; /* blank or a comment */
        size_t nf = split_fields(&ln, fs, fe, DATAFILE_MAX_COLS);
        if (nf > DATAFILE_MAX_COLS) {
            rc = LINE_FAIL(e, file, &ln, fs[DATAFILE_MAX_COLS], NULL,
                           "more than %d columns (x1..x%d and y at most)",
                           DATAFILE_MAX_COLS, DATAFILE_MAX_COLS - 1);
            break;
        }
        if (df->cols == 0) {
            /* the first row: a header if none of its fields is numeric */
            size_t k = 0;
            while (k < nf && !looks_numeric(ln.s + fs[k], fe[k] - fs[k]))
                k++;
            if (nf < 2) {
                rc = LINE_FAIL(e, file, &ln, fs[0],
                               "write x1,...,xd,y on each row",
                               "1 column: a row needs its x values and "
                               "then y");
                break;
            }
            df->cols = nf;
            if (k == nf) {
                df->header = 1;
                header_line = no;
                continue;
            }
        }
        if (nf != df->cols) {
            /* point at the first field too many, or at the line's end */
            size_t at = nf > df->cols ? fs[df->cols] : ln.len;
            char hint[96];
            snprintf(hint, sizeof hint, "every row has the same columns "
                     "as line %d", df->header ? header_line
                                               : df->first_line);
            rc = LINE_FAIL(e, file, &ln, at, hint, "%zu columns, not %zu",
                           nf, df->cols);
            break;
        }
        size_t dim = df->cols - 1;
        if (df->md.n == DATAFILE_MAX_ROWS ||
            (df->md.n + 1) * dim > MODEL_DATA_MAX) {
            rc = LINE_FAIL(e, file, &ln, 0, NULL,
                           df->md.n == DATAFILE_MAX_ROWS
                               ? "more than %d rows"
                               : "more than %d x values (rows times x "
                                 "columns)",
                           df->md.n == DATAFILE_MAX_ROWS
                               ? DATAFILE_MAX_ROWS : MODEL_DATA_MAX);
            break;
        }
        for (size_t k = 0; k < nf && rc == 0; k++)
            rc = read_number(&ln, fs[k], fe[k], file, &row[k], e);
        if (rc)
            break;
        if (grow_rows(df, &cap, dim) != 0) {
            rc = scene_fail(e, file, 0, 0, NULL, "out of memory");
            break;
        }
        memcpy((double *)df->md.x + df->md.n * dim, row, dim * sizeof *row);
        ((double *)df->md.y)[df->md.n] = row[dim];
        if (df->md.n == 0)
            df->first_line = no;
        df->md.n++;
    }
    if (rc == 0 && df->md.n == 0)
        rc = scene_fail(e, file, header_line, header_line ? 1 : 0,
                        "write x1,...,xd,y on each row",
                        df->header ? "a header and no data rows"
                                   : "no data rows (an empty file)");
    if (rc)
        goto fail;
    df->md.dim = df->cols - 1;
    free(fs);
    free(row);
    return df;
fail:
    free(fs);
    free(row);
    datafile_free(df);
    return NULL;
}

/* ---- the cache: one parse per path and content ------------------------ */

static datafile *cache[DATAFILE_CACHE_MAX];
static size_t ncache;

/* FNV-1a: the content's identity (with its length and path), not a
 * security measure: a file is trusted to be what it reads as. */
static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

const datafile *datafile_load(const char *path, scene_err *e)
{
    char *text, why[160];
    size_t len;
    regfile_status st = regfile_read(path, DATAFILE_MAX_BYTES, &text, &len,
                                     why, sizeof why);
    if (st != REGFILE_OK) {
        scene_fail(e, path, 0, 0,
                   st == REGFILE_NOT_REGULAR ? "a data file is a CSV text "
                   "file" : st == REGFILE_TOO_BIG ? "data files are at most "
                   "64 MiB (sgdscope-scene(5), DATA FILES)" : NULL,
                   "%s", why);
        return NULL;
    }
    uint64_t h = fnv1a(text, len);
    for (size_t i = 0; i < ncache; i++)
        if (cache[i]->len == len && cache[i]->hash == h &&
            strcmp(cache[i]->path, path) == 0) {
            free(text);
            return cache[i];
        }
    if (ncache == DATAFILE_CACHE_MAX) {
        free(text);
        scene_fail(e, path, 0, 0, "restart sgdscope to read it again",
                   "%d data files (or versions of them) are loaded already",
                   DATAFILE_CACHE_MAX);
        return NULL;
    }
    datafile *df = datafile_parse(text, len, path, e);
    free(text);
    if (!df)
        return NULL;
    if (strlen(path) >= sizeof df->path) {
        datafile_free(df);
        scene_fail(e, path, 0, 0, NULL, "path is longer than %zu bytes",
                   sizeof df->path - 1);
        return NULL;
    }
    snprintf(df->path, sizeof df->path, "%s", path);
    df->len = len;
    df->hash = h;
    cache[ncache++] = df;
    return df;
}

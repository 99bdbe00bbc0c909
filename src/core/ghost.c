/* ghost.c — reading one run's losses back from our CSV; see ghost.h. */
#include "ghost.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "comparison.h"
#include "regfile.h"

/* The columns every row has, in order (headless.c's csv_print_header),
 * then the model's extra columns, each optional, in this order. */
static const char *const base_cols[] = {
    "run", "step", "eta", "dynamics", "batch", "train_loss", "test_loss",
    "train_min", "train_max", "band_lo", "band_hi", "bounce", "rank",
    "sharpness", "verdict"};
#define NBASE (sizeof base_cols / sizeof base_cols[0])
static const char *const extra_cols[] = {"theta", "l0", "feature_sparsity",
                                         "kinks"};
#define NEXTRA (sizeof extra_cols / sizeof extra_cols[0])
#define MAXCOLS (NBASE + NEXTRA)
enum { COL_RUN = 0, COL_STEP = 1, COL_TRAIN = 5, COL_TEST = 6 };

/* Runs named in the "holds" part of an unknown-run message. */
#define NAMES_SHOWN 6

typedef struct reader {
    const char *path;
    FILE *f;
    size_t line;         /* the number of the line in buf */
    char buf[GHOST_LINE_MAX + 2];
    char *err;
    size_t errlen;
} reader;

static int fail(reader *rd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int fail(reader *rd, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (rd->line > 0)
        snprintf(rd->err, rd->errlen, "%s:%zu: %s", rd->path, rd->line, msg);
    else
        snprintf(rd->err, rd->errlen, "%s: %s", rd->path, msg);
    return -1;
}

/* The next line into buf, without its "\n" or "\r\n".  Returns 1, 0 at
 * the end of the file, −1 (with the message) for a line that is too long,
 * holds a NUL byte or could not be read. */
static int next_line(reader *rd)
{
    errno = 0;
    if (!fgets(rd->buf, sizeof rd->buf, rd->f)) {
        if (ferror(rd->f)) {
            rd->line++;
            return fail(rd, "cannot read: %s",
                        strerror(errno ? errno : EIO));
        }
        return 0;
    }
    rd->line++;
    size_t n = strlen(rd->buf);
    if (n == sizeof rd->buf - 1 && rd->buf[n - 1] != '\n')
        return fail(rd, "a line longer than %d bytes: not an sgdscope CSV",
                    GHOST_LINE_MAX);
    /* fgets stops at a newline, not at a NUL: a NUL ends strlen early */
    if (n == 0 || (rd->buf[n - 1] != '\n' && !feof(rd->f)))
        return fail(rd, "a NUL byte in the line: not an sgdscope CSV");
    if (n > 0 && rd->buf[n - 1] == '\n')
        rd->buf[--n] = 0;
    if (n > 0 && rd->buf[n - 1] == '\r')
        rd->buf[--n] = 0;
    return 1;
}

/* Splits buf at commas in place: at most cap fields.  Returns the count,
 * or cap + 1 if there are more. */
static size_t split(char *buf, char **field, size_t cap)
{
    size_t k = 0;
    char *p = buf;
    for (;;) {
        if (k == cap)
            return cap + 1;
        field[k++] = p;
        char *c = strchr(p, ',');
        if (!c)
            return k;
        *c = 0;
        p = c + 1;
    }
}

/* Checks the header: the base columns, then extra columns in their
 * order.  Returns the number of columns, or 0 (with the message). */
static size_t header(reader *rd)
{
    static const char want[] = "run,step,eta,...,train_loss,test_loss,...";
    int rc = next_line(rd);
    if (rc < 0)
        return 0;
    if (rc == 0) {
        fail(rd, "an empty file: not an sgdscope CSV (write one with "
             "--csv or e)");
        return 0;
    }
    char *field[MAXCOLS + 1];
    size_t n = split(rd->buf, field, MAXCOLS);
    size_t i = 0;
    for (; i < NBASE && i < n; i++)
        if (strcmp(field[i], base_cols[i]) != 0)
            break;
    if (i < NBASE) {
        fail(rd, "not the header of an sgdscope CSV (%s, as --csv and e "
             "write it)", want);
        return 0;
    }
    if (n > MAXCOLS) {
        fail(rd, "more columns than an sgdscope CSV has (%s)", want);
        return 0;
    }
    size_t next = 0;
    for (; i < n; i++) {
        while (next < NEXTRA && strcmp(field[i], extra_cols[next]) != 0)
            next++;
        if (next == NEXTRA) {
            fail(rd, "unknown column %zu of the header: not an sgdscope "
                 "CSV (%s)", i + 1, want);
            return 0;
        }
        next++;
    }
    return n;
}

/* A whole field as a step: digits only, below 2^63. */
static int parse_step(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX / 2 - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}

/* A whole field as a finite number; the empty field is NaN (what the
 * writer prints for a value it does not know). */
static int parse_num(const char *s, double *out)
{
    if (!*s) {
        *out = NAN;
        return 0;
    }
    /* strtod would also take "nan", "inf" and hex: the writer prints
     * none of them */
    for (const char *p = s; *p; p++)
        if (!strchr("0123456789+-.eE", *p))
            return -1;
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (*end || end == s || !isfinite(x))
        return -1;
    *out = x;
    return 0;
}

/* Room for one more sample.  Returns 0 or −1 (out of memory). */
static int grow(ghost *g, size_t *cap)
{
    if (g->n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 256;
    if (nc > GHOST_MAX_ROWS)
        nc = GHOST_MAX_ROWS;
    uint64_t *s = realloc(g->step, nc * sizeof *s);
    if (s)
        g->step = s;
    double *tr = s ? realloc(g->train, nc * sizeof *tr) : NULL;
    if (tr)
        g->train = tr;
    double *te = tr ? realloc(g->test, nc * sizeof *te) : NULL;
    if (te)
        g->test = te;
    if (!te)
        return -1;
    *cap = nc;
    return 0;
}

/* The label: the file's base name, shown characters only (a byte that is
 * not printable ASCII becomes '?': a file name is anybody's text), and
 * ":RUN" when the file holds several runs. */
static void make_label(ghost *g, const char *path, const char *run,
                       int several)
{
    const char *b = strrchr(path, '/');
    b = b && b[1] ? b + 1 : path;
    char name[GHOST_LABEL_MAX];
    size_t k = 0;
    for (; *b && k + 1 < sizeof name; b++)
        name[k++] = (unsigned char)*b >= 0x20 && (unsigned char)*b < 0x7F
                        ? *b : '?';
    name[k] = 0;
    if (several)
        snprintf(g->label, sizeof g->label, "%.*s:%s",
                 (int)(sizeof g->label - COMPARISON_NAME_MAX - 1), name, run);
    else
        snprintf(g->label, sizeof g->label, "%s", name);
}

/* Opens path for reading if it is a regular file, without ever waiting
 * on it (a FIFO opened for reading would block until a writer came). */
static FILE *open_regular(reader *rd)
{
    regfile_status st;
    char why[160];
    FILE *f = regfile_open(rd->path, &st, why, sizeof why);
    if (!f)
        fail(rd, "%s%s", why, st == REGFILE_NOT_REGULAR
                                  ? " (a ghost is a CSV written by --csv "
                                    "or e)" : "");
    return f;
}

/* The rows of one run into g.  Returns 0 or −1 (with the message). */
static int read_rows(reader *rd, ghost *g, size_t ncols, const char *want,
                     char *found, size_t foundcap)
{
    char names[NAMES_SHOWN][COMPARISON_NAME_MAX];
    size_t nnames = 0, rows = 0, cap = 0;
    char run[COMPARISON_NAME_MAX] = "";
    int several = 0;
    uint64_t last = 0;
    if (want)
        snprintf(run, sizeof run, "%s", want);
    int rc;
    while ((rc = next_line(rd)) > 0) {
        if (++rows > GHOST_MAX_ROWS)
            return fail(rd, "more than %u rows", GHOST_MAX_ROWS);
        char *field[MAXCOLS + 1];
        size_t n = split(rd->buf, field, MAXCOLS);
        if (n != ncols)
            return fail(rd, "%zu fields where the header has %zu", n > MAXCOLS
                        ? MAXCOLS + 1 : n, ncols);
        const char *name = field[COL_RUN];
        if (!comparison_name_ok(name))
            return fail(rd, "a run name is 1 to 24 letters, digits, '_' and "
                        "'-'");
        size_t k = 0;
        while (k < nnames && strcmp(names[k], name) != 0)
            k++;
        if (k == nnames && nnames < NAMES_SHOWN)
            snprintf(names[nnames++], sizeof names[0], "%s", name);
        if (!run[0])
            snprintf(run, sizeof run, "%s", name);
        if (strcmp(name, run) != 0) {
            several = 1;
            continue;
        }
        uint64_t step;
        double tr, te;
        if (parse_step(field[COL_STEP], &step))
            return fail(rd, "step is not a whole number");
        if (parse_num(field[COL_TRAIN], &tr) ||
            parse_num(field[COL_TEST], &te))
            return fail(rd, "a loss is not a number");
        if (g->n > 0 && step <= last)
            return fail(rd, "step %llu of run %s does not follow step %llu "
                        "(the steps of a run increase)",
                        (unsigned long long)step, run,
                        (unsigned long long)last);
        if (grow(g, &cap))
            return fail(rd, "out of memory");
        g->step[g->n] = step;
        g->train[g->n] = tr;
        g->test[g->n] = te;
        g->n++;
        last = step;
    }
    if (rc < 0)
        return -1;
    if (g->n == 0) {
        size_t k = (size_t)snprintf(found, foundcap, "%s", nnames ? "" :
                                    "no rows");
        for (size_t i = 0; i < nnames && k < foundcap; i++)
            k += (size_t)snprintf(found + k, foundcap - k, "%s%s",
                                  i ? ", " : "", names[i]);
        if (nnames == NAMES_SHOWN && k < foundcap)
            snprintf(found + k, foundcap - k, ", ...");
        if (!nnames)
            return fail(rd, "no rows after the header");
        return fail(rd, "no run '%s' up to the end of the file (its runs: "
                    "%s)", run, found);
    }
    make_label(g, rd->path, run, several || nnames > 1);
    return 0;
}

int ghost_load(ghost *g, const char *path, const char *run, char *err,
               size_t errlen)
{
    ghost_free(g);
    reader *rd = malloc(sizeof *rd);
    if (!rd) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    memset(rd, 0, sizeof *rd);
    rd->path = path;
    rd->err = err;
    rd->errlen = errlen;
    int rc = -1;
    char found[NAMES_SHOWN * COMPARISON_NAME_MAX + 8];
    if (run && !comparison_name_ok(run)) {
        fail(rd, "'%.40s' is not a run name (1 to 24 letters, digits, '_' "
             "and '-')", run);
    } else if ((rd->f = open_regular(rd)) != NULL) {
        size_t ncols = header(rd);
        if (ncols)
            rc = read_rows(rd, g, ncols, run, found, sizeof found);
        fclose(rd->f);
    }
    free(rd);
    if (rc)
        ghost_free(g);
    return rc;
}

int ghost_split(const char *arg, char *path, size_t cap, char *run)
{
    struct stat st;
    const char *colon = strrchr(arg, ':');
    run[0] = 0;
    size_t n = strlen(arg);
    if (stat(arg, &st) != 0 && colon && colon > arg &&
        comparison_name_ok(colon + 1)) {
        snprintf(run, COMPARISON_NAME_MAX, "%s", colon + 1);
        n = (size_t)(colon - arg);
    }
    if (n >= cap)
        return -1;
    memcpy(path, arg, n);
    path[n] = 0;
    return 0;
}

void ghost_free(ghost *g)
{
    free(g->step);
    free(g->train);
    free(g->test);
    g->step = NULL;
    g->train = g->test = NULL;
    g->n = 0;
    g->label[0] = 0;
}

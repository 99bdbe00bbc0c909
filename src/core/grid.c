/* grid.c — a sweep's grid; see grid.h. */
#include "grid.h"

#include "regfile.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void grid_init(grid *g)
{
    memset(g, 0, sizeof *g);
}

void grid_free(grid *g)
{
    free(g->seeds);
    g->seeds = NULL;
    g->nseeds = 0;
}

static int fail(char *err, size_t errlen, int *col, int at, const char *msg)
{
    snprintf(err, errlen, "%s", msg);
    if (col)
        *col = at;
    return -1;
}

/* A whole decimal number of s[0..len) (digits only) into *v. */
static int parse_whole(const char *s, size_t len, uint64_t *v)
{
    if (len == 0 || len > 19)
        return -1;
    uint64_t x = 0;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        x = x * 10 + (uint64_t)(s[i] - '0');
    }
    *v = x;
    return 0;
}

/* A finite number spanning all of s[0..len). */
static int parse_num(const char *s, size_t len, double *v)
{
    char buf[GRID_VALUE_MAX];
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = 0;
    if (isspace((unsigned char)buf[0]))
        return -1;
    char *end;
    errno = 0;
    double x = strtod(buf, &end);
    if (errno || *end || !isfinite(x))
        return -1;
    *v = x;
    return 0;
}

/* "A:B:N" with A, B numbers and N a whole number ≥ 1, or not a range. */
static int is_range(const char *v, double *a, double *b, uint64_t *n)
{
    const char *c1 = strchr(v, ':');
    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c1 || !c2 || strchr(c2 + 1, ':') || strchr(v, ','))
        return 0;
    return parse_num(v, (size_t)(c1 - v), a) == 0 &&
           parse_num(c1 + 1, (size_t)(c2 - c1 - 1), b) == 0 &&
           parse_whole(c2 + 1, strlen(c2 + 1), n) == 0;
}

int grid_add_vary(grid *g, const char *spec, char *err, size_t errlen,
                  int *col)
{
    const char *eq = strchr(spec, '=');
    if (!eq)
        return fail(err, errlen, col, 0,
                    "--vary needs KEY=A:B:N or KEY=V1,V2,...");
    size_t klen = (size_t)(eq - spec);
    if (klen == 0 || klen >= GRID_KEY_MAX)
        return fail(err, errlen, col, 0, "--vary needs a scene field name "
                                         "before '='");
    for (size_t i = 0; i < klen; i++) {
        unsigned char ch = (unsigned char)spec[i];
        if (!isalnum(ch) && ch != '_' && ch != '.' && ch != '-')
            return fail(err, errlen, col, (int)i,
                        "a field name has letters, digits, '_' (and "
                        "RUN. before it)");
    }
    static grid_axis ax; /* 50 kB: off the stack */
    memset(ax.key, 0, sizeof ax.key);
    ax.file[0] = 0;
    ax.line = ax.col = 0;
    memcpy(ax.key, spec, klen);
    ax.n = 0;
    const char *v = eq + 1;
    int vcol = (int)(klen + 1);
    double a, b;
    uint64_t n;
    if (!*v)
        return fail(err, errlen, col, vcol, "--vary needs values after '='");
    if (is_range(v, &a, &b, &n)) {
        if (n < 1 || n > GRID_MAX_VALUES) {
            char msg[96];
            snprintf(msg, sizeof msg, "a range takes 1 to %d values",
                     GRID_MAX_VALUES);
            return fail(err, errlen, col, vcol + (int)(strrchr(v, ':') - v) + 1,
                        msg);
        }
        if (n == 1 && a != b)
            return fail(err, errlen, col, vcol,
                        "A:B:1 needs A = B (one value); use A:B:2 or more");
        for (uint64_t i = 0; i < n; i++) {
            double x = n == 1 ? a : a + (b - a) * (double)i / (double)(n - 1);
            if (i == n - 1)
                x = b;
            snprintf(ax.val[i], GRID_VALUE_MAX, "%.15g", x);
        }
        ax.n = (size_t)n;
    } else {
        const char *p = v;
        for (;;) {
            size_t len = strcspn(p, ",");
            if (len == 0)
                return fail(err, errlen, col, vcol + (int)(p - v),
                            "an empty value in the list");
            if (len >= GRID_VALUE_MAX)
                return fail(err, errlen, col, vcol + (int)(p - v),
                            "a value is too long (95 characters at most)");
            if (ax.n == GRID_MAX_VALUES)
                return fail(err, errlen, col, vcol + (int)(p - v),
                            "too many values (512 at most)");
            memcpy(ax.val[ax.n], p, len);
            ax.val[ax.n][len] = 0;
            for (size_t k = 0; k < ax.n; k++)
                if (strcmp(ax.val[k], ax.val[ax.n]) == 0)
                    return fail(err, errlen, col, vcol + (int)(p - v),
                                "a value appears twice in the list");
            ax.n++;
            if (!p[len])
                break;
            p += len + 1;
        }
    }
    for (size_t i = 0; i < g->naxes; i++)
        if (strcmp(g->axis[i].key, ax.key) == 0) {
            g->axis[i] = ax;
            return 0;
        }
    if (g->naxes == GRID_MAX_AXES)
        return fail(err, errlen, col, 0, "too many --vary axes (6 at most)");
    g->axis[g->naxes++] = ax;
    return 0;
}

int grid_set_seeds(grid *g, const char *spec, char *err, size_t errlen,
                   int *col)
{
    uint64_t *out = malloc(GRID_MAX_SEEDS * sizeof *out);
    if (!out)
        return fail(err, errlen, col, 0, "out of memory");
    size_t n = 0;
    const char *p = spec;
    for (;;) {
        size_t len = strcspn(p, ",");
        const char *dash = memchr(p, '-', len);
        uint64_t lo, hi;
        int bad = dash ? parse_whole(p, (size_t)(dash - p), &lo) ||
                             parse_whole(dash + 1,
                                         len - (size_t)(dash - p) - 1, &hi)
                       : parse_whole(p, len, &lo);
        if (!dash)
            hi = lo;
        if (bad) {
            free(out);
            return fail(err, errlen, col, (int)(p - spec),
                        "--seeds needs whole numbers and ranges, as "
                        "1-20 or 1,3,5-9");
        }
        if (hi < lo) {
            free(out);
            return fail(err, errlen, col, (int)(p - spec),
                        "a seed range runs upwards (1-20, not 20-1)");
        }
        if (hi - lo >= GRID_MAX_SEEDS - n) {
            free(out);
            return fail(err, errlen, col, (int)(p - spec),
                        "too many seeds (100000 at most)");
        }
        for (uint64_t s = lo;; s++) {
            for (size_t k = 0; k < n; k++)
                if (out[k] == s) {
                    free(out);
                    return fail(err, errlen, col, (int)(p - spec),
                                "a seed appears twice");
                }
            out[n++] = s;
            if (s == hi)
                break;
        }
        if (!p[len])
            break;
        p += len + 1;
    }
    free(g->seeds);
    g->seeds = out;
    g->nseeds = n;
    return 0;
}

/* a·b, or SIZE_MAX when it overflows: a grid that large is refused */
static size_t sat_mul(size_t a, size_t b)
{
    return b && a > SIZE_MAX / b ? SIZE_MAX : a * b;
}

size_t grid_points(const grid *g)
{
    size_t n = 1;
    for (size_t i = 0; i < g->naxes; i++)
        n = sat_mul(n, g->axis[i].n);
    return n;
}

size_t grid_jobs(const grid *g)
{
    return sat_mul(grid_points(g), g->nseeds ? g->nseeds : 1);
}

void grid_job(const grid *g, size_t j, size_t *idx, size_t *si)
{
    size_t ns = g->nseeds ? g->nseeds : 1;
    *si = j % ns;
    j /= ns;
    for (size_t i = g->naxes; i-- > 0;) {
        idx[i] = j % g->axis[i].n;
        j /= g->axis[i].n;
    }
}

int grid_in_shard(size_t j, unsigned k, unsigned n)
{
    return n <= 1 || j % n == (size_t)(k - 1);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) {
        h ^= c[i];
        h *= 1099511628211ull;
    }
    return h;
}

uint64_t grid_fingerprint(const grid *g, const char *scene_text, size_t len)
{
    uint64_t h = 14695981039346656037ull;
    h = fnv(h, scene_text, len);
    for (size_t i = 0; i < g->nsets; i++)
        h = fnv(h, g->sets[i], strlen(g->sets[i]) + 1);
    for (size_t i = 0; i < g->naxes; i++) {
        h = fnv(h, g->axis[i].key, strlen(g->axis[i].key) + 1);
        for (size_t k = 0; k < g->axis[i].n; k++)
            h = fnv(h, g->axis[i].val[k], strlen(g->axis[i].val[k]) + 1);
    }
    for (size_t i = 0; i < g->nseeds; i++) {
        char s[24];
        int k = snprintf(s, sizeof s, "%llu;", (unsigned long long)g->seeds[i]);
        h = fnv(h, s, (size_t)k);
    }
    return h;
}

/* ---- sweep files ---------------------------------------------------------- */

static int file_err(scene_err *e, const char *path, int line, int col,
                    const char *msg, const char *hint)
{
    memset(e, 0, sizeof *e);
    snprintf(e->file, sizeof e->file, "%s", path);
    e->line = line;
    e->col = col;
    snprintf(e->msg, sizeof e->msg, "%s", msg);
    snprintf(e->hint, sizeof e->hint, "%s", hint ? hint : "");
    return -1;
}

int grid_load_file(grid *g, const char *path, scene_err *e)
{
    regfile_status st;
    char why0[200];
    FILE *f = regfile_open(path, &st, why0, sizeof why0);
    if (!f)
        return file_err(e, path, 0, 0, why0, NULL);
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(g->scene_dir, sizeof g->scene_dir, "%.*s",
                 (int)(slash - path), path);
    else
        g->scene_dir[0] = 0;
    char line[1024];
    int ln = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        ln++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            rc = file_err(e, path, ln, 1024, "line too long (1022 characters "
                                             "at most)", NULL);
            break;
        }
        for (size_t i = 0; i < len; i++)
            if (line[i] == 0 || ((unsigned char)line[i] < 32 &&
                                 line[i] != '\t' && line[i] != '\n' &&
                                 line[i] != '\r')) {
                rc = file_err(e, path, ln, (int)i + 1,
                              "a control character", NULL);
                goto out;
            }
        /* strip the comment (a '#' outside quotes) and trailing space */
        char *hash = strchr(line, '#');
        if (hash)
            *hash = 0;
        len = strlen(line);
        while (len && isspace((unsigned char)line[len - 1]))
            line[--len] = 0;
        char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            continue;
        char *key = p;
        while (isalpha((unsigned char)*p))
            p++;
        size_t klen = (size_t)(p - key);
        while (isspace((unsigned char)*p))
            p++;
        if (*p != '=') {
            rc = file_err(e, path, ln, (int)(p - line) + 1,
                          "expected KEY = VALUE",
                          "the keys of a sweep file: scene, vary, seeds, set");
            break;
        }
        p++;
        while (isspace((unsigned char)*p))
            p++;
        int vcol = (int)(p - line) + 1;
        if (!*p) {
            rc = file_err(e, path, ln, vcol, "a value is missing", NULL);
            break;
        }
        char why[160];
        int c = 0;
        if (klen == 5 && strncmp(key, "scene", 5) == 0) {
            snprintf(g->scene, sizeof g->scene, "%s", p);
        } else if (klen == 4 && strncmp(key, "vary", 4) == 0) {
            if (grid_add_vary(g, p, why, sizeof why, &c) != 0) {
                rc = file_err(e, path, ln, vcol + c, why,
                              "vary = KEY=A:B:N (evenly spaced) or "
                              "KEY=V1,V2,...");
                break;
            }
            /* the axis just added or replaced: remember this line */
            for (size_t i = 0; i < g->naxes; i++)
                if (strncmp(g->axis[i].key, p, strlen(g->axis[i].key)) == 0 &&
                    p[strlen(g->axis[i].key)] == '=') {
                    snprintf(g->axis[i].file, sizeof g->axis[i].file, "%s",
                             path);
                    g->axis[i].line = ln;
                    g->axis[i].col = vcol + (int)strlen(g->axis[i].key) + 1;
                }
        } else if (klen == 5 && strncmp(key, "seeds", 5) == 0) {
            if (grid_set_seeds(g, p, why, sizeof why, &c) != 0) {
                rc = file_err(e, path, ln, vcol + c, why, NULL);
                break;
            }
        } else if (klen == 3 && strncmp(key, "set", 3) == 0) {
            if (!strchr(p, '=')) {
                rc = file_err(e, path, ln, vcol, "set needs KEY=VALUE", NULL);
                break;
            }
            if (g->nsets == GRID_MAX_SETS) {
                rc = file_err(e, path, ln, vcol, "too many set lines (32 at "
                                                 "most)", NULL);
                break;
            }
            snprintf(g->sets[g->nsets++], sizeof g->sets[0], "%s", p);
        } else {
            rc = file_err(e, path, ln, (int)(key - line) + 1,
                          "unknown key",
                          "the keys of a sweep file: scene, vary, seeds, set");
            break;
        }
    }
out:
    if (rc == 0 && ferror(f))
        rc = file_err(e, path, 0, 0, "read error", NULL);
    fclose(f);
    if (rc == 0 && !g->scene[0])
        rc = file_err(e, path, ln ? ln : 1, 1, "no scene = line",
                      "a sweep file names the scene it varies");
    return rc;
}

/* sweeplog.c — a sweep's JSON lines read back; see sweeplog.h. */
#include "sweeplog.h"

#include "regfile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict.h"

static const char *const metric_names[SWEEPLOG_NMETRICS] = {
    "test_loss", "train_loss", "l0", "rank", "feature_sparsity", "diverged",
    "verdict"};

int sweeplog_metric_find(const char *name)
{
    for (int i = 0; i < SWEEPLOG_NMETRICS; i++)
        if (strcmp(name, metric_names[i]) == 0)
            return i;
    return -1;
}

const char *sweeplog_metric_name(int m)
{
    return m >= 0 && m < SWEEPLOG_NMETRICS ? metric_names[m] : "?";
}

/* ---- a small JSON reader ------------------------------------------------- */

typedef struct cur {
    const char *s;
    size_t n, i;
    const char *why; /* the first error */
    size_t at;
} cur;

static int bad(cur *c, const char *why)
{
    if (!c->why) {
        c->why = why;
        c->at = c->i;
    }
    return -1;
}

static void ws(cur *c)
{
    while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t' ||
                           c->s[c->i] == '\r'))
        c->i++;
}

static int peek(cur *c)
{
    ws(c);
    return c->i < c->n ? (unsigned char)c->s[c->i] : -1;
}

static int expect(cur *c, char ch, const char *why)
{
    if (peek(c) != ch)
        return bad(c, why);
    c->i++;
    return 0;
}

static int hex4(cur *c, unsigned *v)
{
    *v = 0;
    for (int k = 0; k < 4; k++, c->i++) {
        if (c->i >= c->n)
            return bad(c, "a \\u escape needs four hex digits");
        char h = c->s[c->i];
        int d = h >= '0' && h <= '9'   ? h - '0'
                : h >= 'a' && h <= 'f' ? h - 'a' + 10
                : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                       : -1;
        if (d < 0)
            return bad(c, "a \\u escape needs four hex digits");
        *v = *v << 4 | (unsigned)d;
    }
    return 0;
}

/* A string into out (cap bytes, truncated, UTF-8; NULL: skipped). */
static int str(cur *c, char *out, size_t cap)
{
    if (peek(c) != '"')
        return bad(c, "expected a string");
    c->i++;
    size_t k = 0;
    for (;;) {
        if (c->i >= c->n)
            return bad(c, "a string is not closed");
        unsigned char ch = (unsigned char)c->s[c->i++];
        if (ch == '"')
            break;
        if (ch < 0x20) {
            c->i--;
            return bad(c, "a control character in a string");
        }
        unsigned cp = ch;
        char enc[4];
        size_t ne = 1;
        enc[0] = (char)ch;
        if (ch == '\\') {
            if (c->i >= c->n)
                return bad(c, "a string is not closed");
            char e = c->s[c->i++];
            const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
            const char *p = e ? strchr(from, e) : NULL;
            if (p) {
                enc[0] = to[p - from];
            } else if (e == 'u') {
                if (hex4(c, &cp) != 0)
                    return -1;
                if (cp >= 0xD800 && cp < 0xDC00) {
                    unsigned lo;
                    if (c->i + 2 > c->n || c->s[c->i] != '\\' ||
                        c->s[c->i + 1] != 'u')
                        return bad(c, "a lone surrogate in a \\u escape");
                    c->i += 2;
                    if (hex4(c, &lo) != 0)
                        return -1;
                    if (lo < 0xDC00 || lo > 0xDFFF)
                        return bad(c, "a lone surrogate in a \\u escape");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else if (cp >= 0xDC00 && cp < 0xE000) {
                    return bad(c, "a lone surrogate in a \\u escape");
                }
                if (cp < 0x80) {
                    enc[0] = (char)cp;
                } else if (cp < 0x800) {
                    enc[0] = (char)(0xC0 | cp >> 6);
                    enc[1] = (char)(0x80 | (cp & 63));
                    ne = 2;
                } else if (cp < 0x10000) {
                    enc[0] = (char)(0xE0 | cp >> 12);
                    enc[1] = (char)(0x80 | (cp >> 6 & 63));
                    enc[2] = (char)(0x80 | (cp & 63));
                    ne = 3;
                } else {
                    enc[0] = (char)(0xF0 | cp >> 18);
                    enc[1] = (char)(0x80 | (cp >> 12 & 63));
                    enc[2] = (char)(0x80 | (cp >> 6 & 63));
                    enc[3] = (char)(0x80 | (cp & 63));
                    ne = 4;
                }
            } else {
                c->i--;
                return bad(c, "an unknown escape in a string");
            }
        }
        if (out && k + ne < cap) {
            memcpy(out + k, enc, ne);
            k += ne;
        }
    }
    if (out && cap)
        out[k] = 0;
    return 0;
}

/* Past the character at *i, one or more digits: skips them (then *i is
 * past the last), or reports msg at the first non-digit. */
static int digits(cur *c, size_t *i, const char *msg)
{
    const char *s = c->s;
    size_t k = *i + 1;
    if (!(k < c->n && s[k] >= '0' && s[k] <= '9')) {
        c->i = k;
        return bad(c, msg);
    }
    while (k < c->n && s[k] >= '0' && s[k] <= '9')
        k++;
    *i = k;
    return 0;
}

/* A number (JSON's grammar) into *v. */
static int num(cur *c, double *v)
{
    ws(c);
    size_t b = c->i;
    const char *s = c->s;
    size_t i = b;
    if (i < c->n && s[i] == '-')
        i++;
    if (i < c->n && s[i] == '0')
        i++;
    else if (i < c->n && s[i] >= '1' && s[i] <= '9')
        while (i < c->n && s[i] >= '0' && s[i] <= '9')
            i++;
    else
        return bad(c, "expected a value");
    if (i < c->n && s[i] == '.') {
        if (digits(c, &i, "a digit must follow '.'") != 0)
            return -1;
    }
    if (i < c->n && (s[i] == 'e' || s[i] == 'E')) {
        if (i + 1 < c->n && (s[i + 1] == '+' || s[i + 1] == '-'))
            i++;
        if (digits(c, &i, "an exponent needs digits") != 0)
            return -1;
    }
    char buf[64];
    if (i - b >= sizeof buf)
        return bad(c, "a number is too long");
    memcpy(buf, s + b, i - b);
    buf[i - b] = 0;
    *v = strtod(buf, NULL);
    c->i = i;
    return 0;
}

static int word(cur *c, const char *w)
{
    size_t k = strlen(w);
    ws(c);
    if (c->n - c->i < k || memcmp(c->s + c->i, w, k) != 0)
        return bad(c, "expected a value");
    c->i += k;
    return 0;
}

/* Any value, skipped (depth-limited: a file cannot exhaust the stack). */
static int skip(cur *c, int depth)
{
    if (depth > 32)
        return bad(c, "nested too deeply");
    int ch = peek(c);
    double d;
    if (ch == '"')
        return str(c, NULL, 0);
    if (ch == 't')
        return word(c, "true");
    if (ch == 'f')
        return word(c, "false");
    if (ch == 'n')
        return word(c, "null");
    if (ch == '{' || ch == '[') {
        char close = ch == '{' ? '}' : ']';
        c->i++;
        if (peek(c) == close) {
            c->i++;
            return 0;
        }
        for (;;) {
            if (close == '}' &&
                (str(c, NULL, 0) != 0 || expect(c, ':', "expected ':'")))
                return -1;
            if (skip(c, depth + 1) != 0)
                return -1;
            if (peek(c) == ',') {
                c->i++;
                continue;
            }
            return expect(c, close, close == '}' ? "expected ',' or '}'"
                                                 : "expected ',' or ']'");
        }
    }
    return num(c, &d);
}

/* A number or null (NaN). */
static int num_or_null(cur *c, double *v)
{
    if (peek(c) == 'n') {
        *v = NAN;
        return word(c, "null");
    }
    return num(c, v);
}

/* A whole number < 2^63 into *v. */
static int whole(cur *c, uint64_t *v, const char *what)
{
    double d;
    size_t at = c->i;
    if (num(c, &d) != 0)
        return -1;
    if (!(d >= 0 && d < 9.2e18) || d != floor(d)) {
        c->i = at;
        return bad(c, what);
    }
    *v = (uint64_t)d;
    return 0;
}

/* ---- lines ----------------------------------------------------------------- */

int sweeplog_parse_line(sweep_log *l, const char *s, size_t len,
                        sweep_rec *r, char *err, size_t errlen, int *col)
{
    cur c = {s, len, 0, NULL, 0};
    memset(r, 0, sizeof *r);
    r->verdict = -1;
    for (int m = 0; m < SWEEPLOG_NMETRICS; m++)
        r->metric[m] = NAN;
    for (int k = 0; k < GRID_MAX_AXES; k++)
        r->num[k] = NAN;
    int have_job = 0, have_params = 0, have_sweep = 0, have_run = 0;
    uint64_t fp = 0;
    char scn[128] = "";
    size_t nk = 0;
    char keys[GRID_MAX_AXES][GRID_KEY_MAX];
    int diverged = -1;
    if (expect(&c, '{', "a sweep's line is a JSON object") != 0)
        goto fail;
    if (peek(&c) == '}')
        c.i++;
    else
        for (;;) {
            char key[64];
            if (str(&c, key, sizeof key) != 0 ||
                expect(&c, ':', "expected ':'") != 0)
                goto fail;
            uint64_t u;
            if (strcmp(key, "job") == 0) {
                if (whole(&c, &u, "\"job\" is a whole number") != 0)
                    goto fail;
                r->job = (size_t)u;
                have_job = 1;
            } else if (strcmp(key, "sweep") == 0) {
                char h[24];
                size_t at = c.i;
                if (str(&c, h, sizeof h) != 0)
                    goto fail;
                char *end;
                errno = 0;
                fp = strtoull(h, &end, 16);
                if (strlen(h) != 16 || *end || errno) {
                    c.i = at;
                    bad(&c, "\"sweep\" is 16 hex digits");
                    goto fail;
                }
                have_sweep = 1;
            } else if (strcmp(key, "params") == 0) {
                if (expect(&c, '{', "\"params\" is an object") != 0)
                    goto fail;
                if (peek(&c) == '}')
                    c.i++;
                else
                    for (;;) {
                        if (nk == GRID_MAX_AXES) {
                            bad(&c, "more than 6 swept fields");
                            goto fail;
                        }
                        if (str(&c, keys[nk], GRID_KEY_MAX) != 0 ||
                            expect(&c, ':', "expected ':'") != 0)
                            goto fail;
                        int ch = peek(&c);
                        if (ch == '"') {
                            if (str(&c, r->val[nk], GRID_VALUE_MAX) != 0)
                                goto fail;
                        } else {
                            size_t b = (ws(&c), c.i);
                            if (num(&c, &r->num[nk]) != 0)
                                goto fail;
                            size_t k = c.i - b;
                            if (k >= GRID_VALUE_MAX)
                                k = GRID_VALUE_MAX - 1;
                            memcpy(r->val[nk], s + b, k);
                            r->val[nk][k] = 0;
                        }
                        nk++;
                        if (peek(&c) == ',') {
                            c.i++;
                            continue;
                        }
                        if (expect(&c, '}', "expected ',' or '}'") != 0)
                            goto fail;
                        break;
                    }
                have_params = 1;
            } else if (strcmp(key, "run") == 0) {
                if (str(&c, r->run, sizeof r->run) != 0)
                    goto fail;
                have_run = 1;
            } else if (strcmp(key, "scene") == 0) {
                if (str(&c, scn, sizeof scn) != 0)
                    goto fail;
            } else if (strcmp(key, "seed") == 0) {
                if (whole(&c, &r->seed, "\"seed\" is a whole number") != 0)
                    goto fail;
            } else if (strcmp(key, "verdict") == 0) {
                char v[24];
                if (str(&c, v, sizeof v) != 0)
                    goto fail;
                for (int k = 0; k < VERDICT_COUNT; k++)
                    if (strcmp(v, verdict_name((verdict_kind)k)) == 0)
                        r->verdict = k;
            } else if (strcmp(key, "diverged") == 0) {
                if (peek(&c) == 't') {
                    if (word(&c, "true") != 0)
                        goto fail;
                    diverged = 1;
                } else {
                    if (word(&c, "false") != 0)
                        goto fail;
                    diverged = 0;
                }
            } else {
                int m = sweeplog_metric_find(key);
                if (m >= 0 && m < SWEEPLOG_DIVERGED) {
                    if (num_or_null(&c, &r->metric[m]) != 0)
                        goto fail;
                } else if (skip(&c, 0) != 0) {
                    goto fail;
                }
            }
            if (peek(&c) == ',') {
                c.i++;
                continue;
            }
            if (expect(&c, '}', "expected ',' or '}'") != 0)
                goto fail;
            break;
        }
    if (peek(&c) != -1) {
        bad(&c, "text after the object");
        goto fail;
    }
    if (!have_job || !have_sweep || !have_params || !have_run) {
        c.i = 0;
        bad(&c, "not a sweep's line (it has no \"job\", \"sweep\", "
                "\"params\" or \"run\"; sgdscope --sweep writes them)");
        goto fail;
    }
    if (diverged == 1)
        r->verdict = VERDICT_DIVERGED;
    r->metric[SWEEPLOG_DIVERGED] = r->verdict == VERDICT_DIVERGED;
    r->metric[SWEEPLOG_VERDICT] = r->verdict;
    if (l->n == 0 && l->nkeys == 0 && !l->fingerprint) {
        l->fingerprint = fp;
        l->nkeys = nk;
        memcpy(l->key, keys, nk * sizeof keys[0]);
        snprintf(l->scene, sizeof l->scene, "%s", scn);
    } else {
        if (fp != l->fingerprint) {
            c.i = 0;
            bad(&c, "a line of another sweep (its \"sweep\" differs from "
                    "the first line's): a map shows one sweep");
            goto fail;
        }
        int same = nk == l->nkeys;
        for (size_t k = 0; same && k < nk; k++)
            same = strcmp(keys[k], l->key[k]) == 0;
        if (!same) {
            c.i = 0;
            bad(&c, "the swept fields differ from the first line's");
            goto fail;
        }
    }
    return 0;
fail:
    snprintf(err, errlen, "%s", c.why ? c.why : "malformed");
    *col = (int)c.at + 1;
    return -1;
}

static int rec_cmp(const void *a, const void *b)
{
    const sweep_rec *x = a, *y = b;
    if (x->job != y->job)
        return x->job < y->job ? -1 : 1;
    return strcmp(x->run, y->run);
}

int sweeplog_read(sweep_log *l, const char *path, char *err, size_t errlen)
{
    memset(l, 0, sizeof *l);
    regfile_status st;
    char ow[200];
    FILE *f = regfile_open(path, &st, ow, sizeof ow);
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, ow);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int ln = 0, rc = 0;
    while ((got = getline(&line, &cap, f)) >= 0) {
        ln++;
        size_t len = (size_t)got;
        if (len && line[len - 1] == '\n')
            len--;
        if (len == 0)
            continue;
        if (len > (1u << 20)) {
            snprintf(err, errlen, "%s:%d:1: a line over 1 MiB", path, ln);
            rc = -1;
            break;
        }
        if (memchr(line, 0, len)) {
            snprintf(err, errlen, "%s:%d:%d: a NUL byte", path, ln,
                     (int)((char *)memchr(line, 0, len) - line) + 1);
            rc = -1;
            break;
        }
        sweep_rec r;
        char why[200];
        int col = 1;
        if (sweeplog_parse_line(l, line, len, &r, why, sizeof why, &col) !=
            0) {
            snprintf(err, errlen, "%s:%d:%d: %s", path, ln, col, why);
            rc = -1;
            break;
        }
        if (l->n == l->cap) {
            size_t nc = l->cap ? l->cap * 2 : 256;
            sweep_rec *nr = realloc(l->rec, nc * sizeof *nr);
            if (!nr) {
                snprintf(err, errlen, "%s: out of memory", path);
                rc = -1;
                break;
            }
            l->rec = nr;
            l->cap = nc;
        }
        l->rec[l->n++] = r;
    }
    if (rc == 0 && ferror(f)) {
        snprintf(err, errlen, "%s: read error", path);
        rc = -1;
    }
    if (rc == 0 && l->n == 0) {
        snprintf(err, errlen, "%s: no runs in the file", path);
        rc = -1;
    }
    free(line);
    fclose(f);
    if (rc != 0) {
        sweeplog_free(l);
        return rc;
    }
    /* in job order; a job's run read again (overlapping shards): once */
    qsort(l->rec, l->n, sizeof *l->rec, rec_cmp);
    size_t w = 0;
    for (size_t k = 0; k < l->n; k++)
        if (!w || rec_cmp(&l->rec[w - 1], &l->rec[k]) != 0)
            l->rec[w++] = l->rec[k];
    l->n = w;
    return 0;
}

void sweeplog_free(sweep_log *l)
{
    free(l->rec);
    l->rec = NULL;
    l->n = l->cap = 0;
}

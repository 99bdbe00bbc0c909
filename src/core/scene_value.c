/* scene_value.c — the typed value parsers behind scene.c's field table:
 * numbers with ranges, registry names, and the structured lists (decays,
 * warmup, expwarmup, points).  Every error points at the value or at the
 * list item that is wrong. */
#include "scene_value.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sanitize.h"

#define ITEM_MAX 128 /* longest list item we copy out to parse */

int scene_fail(scene_err *e, const char *file, int line, int col,
               const char *hint, const char *fmt, ...)
{
    /* Messages quote the user's text: formatted in full, then sanitized
     * and cut on a character boundary, so nothing in a scene or an
     * argument reaches a terminal raw or as a broken UTF-8 sequence. */
    char msg[1024];
    va_list ap;
    sanitize_text(e->file, sizeof e->file, file);
    e->line = line;
    e->col = col;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sanitize_text(e->msg, sizeof e->msg, msg);
    sanitize_text(e->hint, sizeof e->hint, hint);
    return -1;
}

int scene_col_of(const char *ln, size_t k)
{
    int c = 1;
    for (size_t i = 0; i < k; i++)
        if (((unsigned char)ln[i] & 0xC0) != 0x80)
            c++;
    return c;
}

/* Column of v[off], counting UTF-8 characters, not bytes. */
static int col_at(const scene_pos *p, const char *v, size_t off)
{
    int c = p->col;
    for (size_t i = 0; i < off && v[i]; i++)
        if (((unsigned char)v[i] & 0xC0) != 0x80)
            c++;
    return c;
}

/* strtod in the C locale: the UI sets LC_ALL from the environment for
 * UTF-8, and a decimal comma there must not change what "0.25" means. */
static double strtod_c(const char *s, char **end)
{
    static locale_t c_loc;
    if (!c_loc)
        c_loc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!c_loc)
        return strtod(s, end);
    locale_t old = uselocale(c_loc);
    double x = strtod(s, end);
    uselocale(old);
    return x;
}

/* Whole string as a finite double.  0 ok, 1 not a number, 2 overflow. */
static int num_double(const char *s, double *out)
{
    char *end;
    /* strtod also reads hex ("0x10"), which a scene never means */
    if (!*s || isspace((unsigned char)*s) || strpbrk(s, "xX"))
        return 1;
    errno = 0;
    double x = strtod_c(s, &end);
    if (end == s || *end)
        return 1;
    if (errno == ERANGE && fabs(x) > 1.0)
        return 2;
    if (!isfinite(x)) /* "inf", "nan" */
        return 1;
    *out = x;
    return 0;
}

/* Whole string as a non-negative integer: decimal digits, or an exactly
 * integral number in exponent form ("1e5") so run lengths read naturally.
 * 0 ok, 1 not an integer (or negative), 2 too large. */
static int num_u64(const char *s, uint64_t *out)
{
    if (!isdigit((unsigned char)*s))
        return 1;
    size_t k = strspn(s, "0123456789");
    if (!s[k]) {
        errno = 0;
        unsigned long long x = strtoull(s, NULL, 10);
        if (errno == ERANGE || x > UINT64_MAX)
            return 2;
        *out = (uint64_t)x;
        return 0;
    }
    double d;
    int rc = num_double(s, &d);
    if (rc)
        return rc;
    if (d != floor(d))
        return 1;
    if (d > 9007199254740992.0) /* 2^53: beyond it doubles skip integers */
        return 2;
    *out = (uint64_t)d;
    return 0;
}

/* Whether x is inside f's range. */
static int in_range(const scene_field *f, double x)
{
    if (f->rf & SR_LO && ((f->rf & SR_XLO) ? !(x > f->lo) : !(x >= f->lo)))
        return 0;
    if (f->rf & SR_HI && ((f->rf & SR_XHI) ? !(x < f->hi) : !(x <= f->hi)))
        return 0;
    return 1;
}

static int is_int_type(scene_type t)
{
    return t == ST_INT || t == ST_U32 || t == ST_U64 || t == ST_SIZE;
}

void scene_value_range(const scene_field *f, char *buf, size_t len)
{
    int lo = f->rf & SR_LO, hi = f->rf & SR_HI;
    if (is_int_type(f->type)) {
        if (lo && hi)
            snprintf(buf, len, "%.0f..%.0f", f->lo, f->hi);
        else if (lo)
            snprintf(buf, len, ">= %.0f", f->lo);
        else
            snprintf(buf, len, "%s", "");
    } else if (lo && hi) {
        snprintf(buf, len, "%c%g, %g%c", (f->rf & SR_XLO) ? '(' : '[', f->lo,
                 f->hi, (f->rf & SR_XHI) ? ')' : ']');
    } else if (lo) {
        snprintf(buf, len, "%s %g", (f->rf & SR_XLO) ? ">" : ">=", f->lo);
    } else {
        snprintf(buf, len, "%s", "");
    }
}

void scene_value_describe(const scene_field *f, char *buf, size_t len)
{
    char r[64];
    scene_value_range(f, r, sizeof r);
    const char *what = is_int_type(f->type) ? "an integer" : "a number";
    const char *sep = !r[0] ? "" : (r[0] == '>' ? " " : " in ");
    snprintf(buf, len, "%s%s%s", what, sep, r);
}

/* The usual "X must be D, got 'V'" error for scalar values. */
static int bad_scalar(const scene_field *f, const char *v, const scene_pos *p,
                      scene_err *e, int too_large)
{
    char d[96];
    scene_value_describe(f, d, sizeof d);
    return scene_fail(e, p->file, p->line, p->col, NULL,
                      "%s must be %s, got '%.*s'%s", f->name, d, SCENE_QUOTE(v),
                      too_large ? " (too large)" : "");
}

static int parse_int(scene *s, const scene_field *f, const char *v,
                     const scene_pos *p, scene_err *e)
{
    uint64_t x;
    int rc = num_u64(v, &x);
    uint64_t tmax = f->type == ST_INT ? INT_MAX
                  : f->type == ST_U32 ? UINT32_MAX
                  : f->type == ST_SIZE ? (uint64_t)SIZE_MAX : UINT64_MAX;
    if (rc == 0 && x > tmax)
        rc = 2;
    /* Integer bounds in the table are small, so they compare exactly as
     * doubles; only the type's own maximum needs the uint64 test above. */
    if (rc == 0 && !in_range(f, (double)x))
        rc = 1;
    if (rc)
        return bad_scalar(f, v, p, e, rc == 2);
    void *dst = (char *)s + f->off;
    switch (f->type) {
    case ST_INT: *(int *)dst = (int)x; break;
    case ST_U32: *(uint32_t *)dst = (uint32_t)x; break;
    case ST_SIZE: *(size_t *)dst = (size_t)x; break;
    default: *(uint64_t *)dst = x; break;
    }
    return 0;
}

static int parse_dbl(scene *s, const scene_field *f, const char *v,
                     const scene_pos *p, scene_err *e)
{
    double x;
    int rc = num_double(v, &x);
    if (rc == 0 && !in_range(f, x))
        rc = 1;
    if (rc)
        return bad_scalar(f, v, p, e, rc == 2);
    *(double *)((char *)s + f->off) = x;
    return 0;
}

static const char *model_name_at(size_t i)
{
    const model_ops *m = model_at(i);
    return m ? m->name : NULL;
}

static const char *dyn_name_at(size_t i)
{
    return i < DYN_COUNT ? dyn_name((dyn_kind)i) : NULL;
}

static const char *rng_name_at(size_t i)
{
    return i <= RNG_NUMPY ? rng_kind_name((rng_kind)i) : NULL;
}

static const char *surface_name_at(size_t i)
{
    return surface_kind_name((surf_kind)i);
}

void scene_name_hint(const char *v, const char *(*at)(size_t), char *h,
                     size_t len)
{
    const char *near = scene_nearest(v, at);
    if (near) {
        snprintf(h, len, "did you mean '%s'?", near);
        return;
    }
    size_t k = (size_t)snprintf(h, len, "one of:");
    for (size_t i = 0; at(i) && k < len; i++)
        k += (size_t)snprintf(h + k, len - k, "%s %s", i ? "," : "", at(i));
}

static int parse_name(scene *s, const scene_field *f, const char *v,
                      const scene_pos *p, scene_err *e)
{
    char h[256];
    if (f->type == ST_MODEL) {
        if (model_find(v) && strlen(v) < sizeof s->model) {
            snprintf(s->model, sizeof s->model, "%s", v);
            return 0;
        }
        scene_name_hint(v, model_name_at, h, sizeof h);
        return scene_fail(e, p->file, p->line, p->col, h,
                          "unknown model '%.*s'", SCENE_QUOTE(v));
    }
    if (f->type == ST_RNG) {
        for (int k = RNG_SGDSCOPE; k <= RNG_NUMPY; k++)
            if (strcmp(v, rng_kind_name((rng_kind)k)) == 0) {
                s->rng = (rng_kind)k;
                return 0;
            }
        scene_name_hint(v, rng_name_at, h, sizeof h);
        return scene_fail(e, p->file, p->line, p->col, h,
                          "unknown rng '%.*s'", SCENE_QUOTE(v));
    }
    if (f->type == ST_SURFACE) {
        int sk = surface_kind_parse(v);
        if (sk >= 0) {
            s->surface = (surf_kind)sk;
            return 0;
        }
        scene_name_hint(v, surface_name_at, h, sizeof h);
        return scene_fail(e, p->file, p->line, p->col, h,
                          "unknown surface '%.*s'", SCENE_QUOTE(v));
    }
    int k = dyn_parse(v);
    if (k >= 0) {
        s->dynamics = (dyn_kind)k;
        s->dyn.kind = (dyn_kind)k;
        return 0;
    }
    scene_name_hint(v, dyn_name_at, h, sizeof h);
    return scene_fail(e, p->file, p->line, p->col, h,
                      "unknown dynamics '%.*s'", SCENE_QUOTE(v));
}

static int parse_string(scene *s, const scene_field *f, const char *v,
                        const scene_pos *p, scene_err *e)
{
    if (strlen(v) >= f->size)
        return scene_fail(e, p->file, p->line, p->col, NULL,
                          "%s is too long (at most %zu bytes)", f->name,
                          f->size - 1);
    memcpy((char *)s + f->off, v, strlen(v) + 1);
    return 0;
}

/* ---- structured lists ------------------------------------------------ */

/* One list item: a copy split at ':' into parts, with each part's offset
 * in the value so errors can point at it. */
typedef struct item {
    char buf[ITEM_MAX];
    size_t off;        /* offset of the item in the value */
    int nparts;
    char *part[4];
    size_t poff[4];    /* offset of each part in the value */
} item;

/* Next item of v at or after *i (items are separated by spaces, tabs and
 * commas).  Returns 0 at the end, 1 with it filled, −1 if too long. */
static int next_item(const char *v, size_t *i, item *it)
{
    while (v[*i] == ' ' || v[*i] == '\t' || v[*i] == ',')
        (*i)++;
    size_t n = strcspn(v + *i, " \t,");
    if (n == 0)
        return 0;
    it->off = *i;
    *i += n;
    if (n >= sizeof it->buf)
        return -1;
    memcpy(it->buf, v + it->off, n);
    it->buf[n] = '\0';
    it->nparts = 0;
    char *q = it->buf;
    for (;;) {
        if (it->nparts < 4) {
            it->part[it->nparts] = q;
            it->poff[it->nparts] = it->off + (size_t)(q - it->buf);
        }
        it->nparts++;
        char *c = strchr(q, ':');
        if (!c)
            break;
        *c = '\0';
        q = c + 1;
    }
    return 1;
}

/* "N%" with N in (0, 100), or a decimal in (0, 1), as a fraction.
 * With allow_one the upper end 1 (100%) is allowed too. */
static int num_frac(const char *s, int allow_one, double *out)
{
    size_t n = strlen(s);
    double x;
    if (n > 1 && s[n - 1] == '%') {
        char tmp[ITEM_MAX];
        memcpy(tmp, s, n - 1);
        tmp[n - 1] = '\0';
        if (num_double(tmp, &x))
            return 1;
        x /= 100.0;
    } else if (num_double(s, &x)) {
        return 1;
    }
    if (!(x > 0.0) || x > 1.0 || (x == 1.0 && !allow_one))
        return 1;
    *out = x;
    return 0;
}

int scene_num_double(const char *s, double *out)
{
    return num_double(s, out);
}

int scene_num_u64(const char *s, uint64_t *out)
{
    return num_u64(s, out);
}

int scene_value_at(const char *s, double *at, int *is_frac)
{
    size_t n = strlen(s);
    uint64_t step;
    double x;
    if (n == 0 || n >= ITEM_MAX)
        return 1;
    if (strspn(s, "0123456789") == n) {
        int rc = num_u64(s, &step);
        if (rc == 0 && step > 9007199254740992ull) /* 2^53 */
            rc = 2;
        if (rc)
            return rc;
        *at = (double)step;
        *is_frac = 0;
        return 0;
    }
    /* A sign is never meant, and "-0" would make a fraction of -0. */
    if (s[0] == '-' || s[0] == '+')
        return 1;
    if (n > 1 && s[n - 1] == '%') {
        char tmp[ITEM_MAX];
        memcpy(tmp, s, n - 1);
        tmp[n - 1] = '\0';
        if (num_double(tmp, &x) || !(x >= 0.0 && x <= 100.0))
            return 1;
        x /= 100.0;
    } else if (num_double(s, &x) || !(x >= 0.0 && x < 1.0)) {
        return 1;
    }
    *at = x;
    *is_frac = 1;
    return 0;
}

static int item_fail(const scene_pos *p, const char *v, size_t off,
                     scene_err *e, const char *hint, const char *msg,
                     const char *got)
{
    return scene_fail(e, p->file, p->line, col_at(p, v, off), hint,
                      "%s, got '%.*s'", msg, SCENE_QUOTE(got));
}

static int parse_decays(scene *s, const char *v, const scene_pos *p,
                        scene_err *e)
{
    schedule_cfg *c = &s->sched;
    size_t i = 0, n = 0;
    item it;
    int rc;
    if (strcmp(v, "none") == 0) {
        c->ndecays = 0;
        return 0;
    }
    while ((rc = next_item(v, &i, &it)) != 0) {
        if (rc < 0)
            return scene_fail(e, p->file, p->line, col_at(p, v, it.off),
                              NULL, "decay item is too long");
        if (n == SCHED_MAX_DECAYS)
            return scene_fail(e, p->file, p->line, col_at(p, v, it.off),
                              NULL, "too many decays (at most %d)",
                              SCHED_MAX_DECAYS);
        if (it.nparts != 2)
            return item_fail(p, v, it.off, e, "write AT:FACTOR, e.g. 10%:4.8",
                             "a decay must be AT:FACTOR", it.buf);
        decay_pt *d = &c->decays[n];
        uint64_t step;
        double x;
        const char *at = it.part[0];
        if (*at && strspn(at, "0123456789") == strlen(at)) {
            if (num_u64(at, &step) || step < 1)
                return item_fail(p, v, it.off, e, NULL,
                                 "a decay step must be an integer >= 1", at);
            d->at = (double)step;
            d->is_frac = 0;
        } else if (num_frac(at, 0, &x) == 0) {
            d->at = x;
            d->is_frac = 1;
        } else {
            return item_fail(p, v, it.off, e,
                             "AT is a step (5000), a percentage (10%) or a "
                             "fraction of steps (0.1)",
                             "bad decay position", at);
        }
        if (num_double(it.part[1], &x) || !(x > 0.0))
            return item_fail(p, v, it.off, e, NULL,
                             "a decay factor must be a number > 0",
                             it.part[1]);
        d->factor = x;
        n++;
    }
    if (n == 0)
        return scene_fail(e, p->file, p->line, p->col, NULL,
                          "decays needs AT:FACTOR items or 'none'");
    c->ndecays = n;
    return 0;
}

/* Reads a single item with between lo and hi ':'-separated parts. */
static int one_item(const char *name, const char *form, const char *v,
                    const scene_pos *p, scene_err *e, int lo, int hi,
                    item *it)
{
    size_t i = 0;
    int rc = next_item(v, &i, it);
    item extra;
    if (rc < 0 || (rc > 0 && (it->nparts < lo || it->nparts > hi)))
        return scene_fail(e, p->file, p->line, p->col, NULL,
                          "%s must be %s or none, got '%.*s'", name, form,
                          SCENE_QUOTE(v));
    if (rc == 0 || next_item(v, &i, &extra) != 0)
        return scene_fail(e, p->file, p->line, p->col, NULL,
                          "%s takes one %s, got '%.*s'", name, form,
                          SCENE_QUOTE(v));
    return 0;
}

static int parse_warmup(scene *s, const char *v, const scene_pos *p,
                        scene_err *e)
{
    schedule_cfg *c = &s->sched;
    item it;
    double f, k, q;
    if (strcmp(v, "none") == 0) {
        c->has_warmup = 0;
        return 0;
    }
    if (one_item("warmup", "F:K:Q", v, p, e, 3, 3, &it))
        return -1;
    if (num_frac(it.part[0], 1, &f))
        return item_fail(p, v, it.poff[0], e, NULL,
                         "warmup fraction F must be in (0, 1] (or a %)",
                         it.part[0]);
    if (num_double(it.part[1], &k) || !(k > 0.0))
        return item_fail(p, v, it.poff[1], e, "the peak is W = K*F times eta",
                         "warmup K must be a number > 0", it.part[1]);
    if (num_double(it.part[2], &q) || !(q > 0.0))
        return item_fail(p, v, it.poff[2], e, NULL,
                         "warmup power Q must be a number > 0", it.part[2]);
    c->has_warmup = 1;
    c->warm_f = f;
    c->warm_k = k;
    c->warm_q = q;
    return 0;
}

static int parse_expwarm(scene *s, const char *v, const scene_pos *p,
                         scene_err *e)
{
    schedule_cfg *c = &s->sched;
    item it;
    double fac, mx;
    uint64_t ep = 0;
    if (strcmp(v, "none") == 0) {
        c->has_exp = 0;
        return 0;
    }
    if (one_item("expwarmup", "FACTOR:MAX[:EPOCH]", v, p, e, 2, 3, &it))
        return -1;
    if (num_double(it.part[0], &fac) || !(fac >= 1.0))
        return item_fail(p, v, it.poff[0], e, NULL,
                         "expwarmup FACTOR must be a number >= 1",
                         it.part[0]);
    if (num_double(it.part[1], &mx) || !(mx > 0.0))
        return item_fail(p, v, it.poff[1], e, NULL,
                         "expwarmup MAX must be a number > 0", it.part[1]);
    if (it.nparts == 3 && (num_u64(it.part[2], &ep) || ep < 1))
        return item_fail(p, v, it.poff[2], e, NULL,
                         "expwarmup EPOCH must be an integer >= 1",
                         it.part[2]);
    c->has_exp = 1;
    c->exp_factor = fac;
    c->exp_max = mx;
    c->exp_epoch = ep; /* 0: one epoch = the training set, see finalize */
    return 0;
}

static int parse_points(scene *s, const char *v, const scene_pos *p,
                        scene_err *e)
{
    model_params *mp = &s->mp;
    double px[MODEL_MAX_POINTS], py[MODEL_MAX_POINTS];
    size_t i = 0;
    int n = 0, rc;
    item it;
    if (strcmp(v, "none") == 0) {
        mp->npoints = 0;
        return 0;
    }
    while ((rc = next_item(v, &i, &it)) != 0) {
        if (n == MODEL_MAX_POINTS)
            return scene_fail(e, p->file, p->line, col_at(p, v, it.off),
                              NULL, "too many points (at most %d)",
                              MODEL_MAX_POINTS);
        if (rc < 0 || it.nparts != 2 || num_double(it.part[0], &px[n]) ||
            num_double(it.part[1], &py[n]))
            return item_fail(p, v, it.off, e, "write x:y, e.g. -1.3:0.2",
                             "a point must be x:y with two numbers",
                             rc < 0 ? "..." : v + it.off);
        for (int j = 0; j < n; j++)
            if (px[j] == px[n])
                return scene_fail(e, p->file, p->line, col_at(p, v, it.off),
                                  "a function takes one value per x",
                                  "x = %g appears twice in points", px[n]);
        n++;
    }
    if (n < 2)
        return scene_fail(e, p->file, p->line, p->col, NULL,
                          "points needs at least 2 x:y points, got %d", n);
    mp->npoints = n;
    memcpy(mp->px, px, (size_t)n * sizeof px[0]);
    memcpy(mp->py, py, (size_t)n * sizeof py[0]);
    return 0;
}

/* A file name: kept as the path to open, so a scene names its data next
 * to itself wherever it is run from.  From --set it is the user's own
 * path, relative to the working directory. */
static int parse_path(scene *s, const scene_field *f, const char *v,
                      const scene_pos *p, scene_err *e)
{
    char *dst = (char *)s + f->off;
    if (strcmp(v, "none") == 0) {
        dst[0] = '\0';
        return 0;
    }
    const char *slash = v[0] == '/' || strcmp(p->file, "--set") == 0
                            ? NULL : strrchr(p->file, '/');
    size_t dl = slash ? (size_t)(slash - p->file) + 1 : 0, vl = strlen(v);
    if (dl + vl >= f->size)
        return scene_fail(e, p->file, p->line, p->col, NULL,
                          "%s: the path is longer than %zu bytes", f->name,
                          f->size - 1);
    memcpy(dst, p->file, dl);
    memcpy(dst + dl, v, vl + 1);
    return 0;
}

int scene_value_parse(scene *s, const scene_field *f, const char *v,
                      const scene_pos *p, scene_err *e)
{
    switch (f->type) {
    case ST_INT: case ST_U32: case ST_U64: case ST_SIZE:
        return parse_int(s, f, v, p, e);
    case ST_DOUBLE: return parse_dbl(s, f, v, p, e);
    case ST_MODEL: case ST_DYN: case ST_RNG: case ST_SURFACE:
        return parse_name(s, f, v, p, e);
    case ST_STRING: return parse_string(s, f, v, p, e);
    case ST_DECAYS: return parse_decays(s, v, p, e);
    case ST_WARMUP: return parse_warmup(s, v, p, e);
    case ST_EXPWARM: return parse_expwarm(s, v, p, e);
    case ST_POINTS: return parse_points(s, v, p, e);
    case ST_PATH: return parse_path(s, f, v, p, e);
    }
    return scene_fail(e, p->file, p->line, p->col, NULL, "internal: bad type");
}

/* Levenshtein distance of a and b, case-insensitive; long words just
 * count as far away (keys are short). */
static size_t lev(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b), row[65];
    if (na > 64 || nb > 64)
        return 99;
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t cost = tolower((unsigned char)a[i - 1]) !=
                          tolower((unsigned char)b[j - 1]);
            size_t best = diag + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

const char *scene_nearest(const char *word, const char *(*at)(size_t))
{
    const char *best = NULL;
    size_t bd = 3, wl = strlen(word);
    for (size_t i = 0; at(i); i++) {
        const char *c = at(i);
        size_t d = lev(word, c);
        /* A prefix ("warm" for warmup) is as good as one typo. */
        if (wl >= 2 && strncasecmp(c, word, wl) == 0 && d > 1)
            d = 1;
        if (d < bd && d < wl) {
            bd = d;
            best = c;
        }
    }
    return best;
}

/* test_cast.c — the asciicast v2 writer: strict JSON per line, frames that
 * strip to canvas_to_text, SGR output, temp-file-and-rename, asciinema. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "canvas.h"
#include "cast.h"
#include "record.h"
#include "view.h"

/* ---- a small strict JSON parser (RFC 8259), independent of cast.c ---- */

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype;

typedef struct jv {
    jtype t;
    int b;
    double num;
    char *str;         /* J_STR: decoded UTF-8, NUL-terminated */
    size_t len;        /* J_STR: bytes, which may include NULs */
    size_t n;          /* J_ARR, J_OBJ: members */
    struct jv *items;  /* J_ARR elements, J_OBJ values */
    char **keys;       /* J_OBJ keys */
} jv;

typedef struct jp {
    const char *s, *end;
    int depth;
} jp;

static void jv_free(jv *v)
{
    for (size_t i = 0; i < v->n; i++) {
        jv_free(&v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
    memset(v, 0, sizeof *v);
}

static void skip_ws(jp *p)
{
    while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' ||
                             *p->s == '\n' || *p->s == '\r'))
        p->s++;
}

static int lit(jp *p, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(p->end - p->s) < n || memcmp(p->s, word, n) != 0)
        return -1;
    p->s += n;
    return 0;
}

static int hex4(jp *p, unsigned *out)
{
    char h[5] = {0};
    for (int i = 0; i < 4; i++, p->s++) {
        if (p->s >= p->end || !*p->s ||
            !strchr("0123456789abcdefABCDEF", *p->s))
            return -1;
        h[i] = *p->s;
    }
    *out = (unsigned)strtoul(h, NULL, 16);
    return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    static const unsigned char lead[5] = {0, 0, 0xC0, 0xE0, 0xF0};
    for (size_t i = n - 1; i > 0; i--, cp >>= 6)
        o[i] = (char)(0x80 | (cp & 0x3F));
    o[0] = (char)(lead[n] | cp);
    return n;
}

/* Length of a valid raw UTF-8 sequence of 2+ bytes at s, else 0. */
static size_t raw_utf8(const unsigned char *s, const unsigned char *end)
{
    size_t len = s[0] >= 0xF0 && s[0] <= 0xF4   ? 4
                 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
                 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
                                                : 0;
    if (!len || (size_t)(end - s) < len)
        return 0;
    unsigned cp = s[0] & (0xFF >> (len + 1));
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    static const unsigned min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

static int parse_string(jp *p, jv *v)
{
    if (p->s >= p->end || *p->s != '"')
        return -1;
    p->s++;
    /* Decoding never makes a string longer than its source. */
    char *o = malloc((size_t)(p->end - p->s) + 1);
    size_t n = 0;
    v->t = J_STR;
    v->str = o;
    while (p->s < p->end && *p->s != '"') {
        unsigned char c = (unsigned char)*p->s;
        if (c < 0x20)
            return -1; /* raw control characters are not allowed */
        if (c >= 0x80) {
            size_t len = raw_utf8((const unsigned char *)p->s,
                                  (const unsigned char *)p->end);
            if (!len)
                return -1;
            memcpy(o + n, p->s, len);
            n += len;
            p->s += len;
            continue;
        }
        p->s++;
        if (c != '\\') {
            o[n++] = (char)c;
            continue;
        }
        if (p->s >= p->end)
            return -1;
        char e = *p->s++;
        const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
        const char *hit = e == 'u' ? NULL : strchr(from, e);
        if (hit && e) {
            o[n++] = to[hit - from];
            continue;
        }
        unsigned cp, lo;
        if (e != 'u' || hex4(p, &cp))
            return -1;
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return -1; /* a lone low surrogate */
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (lit(p, "\\u") || hex4(p, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                return -1;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        n += put_utf8(o + n, cp);
    }
    if (p->s >= p->end)
        return -1;
    p->s++;
    o[n] = '\0';
    v->len = n;
    return 0;
}

static int parse_number(jp *p, jv *v)
{
    const char *s = p->s, *e = p->end;
    if (s < e && *s == '-')
        s++;
    if (s < e && *s == '0')
        s++;
    else if (s < e && *s >= '1' && *s <= '9')
        while (s < e && *s >= '0' && *s <= '9')
            s++;
    else
        return -1;
    if (s < e && *s == '.') {
        if (++s >= e || *s < '0' || *s > '9')
            return -1;
        while (s < e && *s >= '0' && *s <= '9')
            s++;
    }
    if (s < e && (*s == 'e' || *s == 'E')) {
        if (++s < e && (*s == '+' || *s == '-'))
            s++;
        if (s >= e || *s < '0' || *s > '9')
            return -1;
        while (s < e && *s >= '0' && *s <= '9')
            s++;
    }
    char tmp[64];
    size_t n = (size_t)(s - p->s);
    if (n >= sizeof tmp)
        return -1;
    memcpy(tmp, p->s, n);
    tmp[n] = '\0';
    v->t = J_NUM;
    v->num = strtod(tmp, NULL);
    p->s = s;
    return 0;
}

static int parse_value(jp *p, jv *v);

/* Arrays and objects: members separated by ',', no trailing comma. */
static int parse_members(jp *p, jv *v, char close, int is_obj)
{
    p->s++;
    v->t = is_obj ? J_OBJ : J_ARR;
    if (++p->depth > 64)
        return -1;
    skip_ws(p);
    if (p->s < p->end && *p->s == close) {
        p->s++;
        p->depth--;
        return 0;
    }
    for (;;) {
        v->items = realloc(v->items, (v->n + 1) * sizeof *v->items);
        memset(&v->items[v->n], 0, sizeof *v->items);
        if (is_obj) {
            v->keys = realloc(v->keys, (v->n + 1) * sizeof *v->keys);
            v->keys[v->n] = NULL;
            jv key = {0};
            skip_ws(p);
            int bad = parse_string(p, &key);
            v->keys[v->n] = key.str;
            v->n++;
            if (bad)
                return -1;
            skip_ws(p);
            if (lit(p, ":"))
                return -1;
        } else {
            v->n++;
        }
        if (parse_value(p, &v->items[v->n - 1]))
            return -1;
        skip_ws(p);
        if (p->s < p->end && *p->s == ',') {
            p->s++;
            continue;
        }
        if (p->s < p->end && *p->s == close) {
            p->s++;
            p->depth--;
            return 0;
        }
        return -1;
    }
}

static int parse_value(jp *p, jv *v)
{
    skip_ws(p);
    if (p->s >= p->end)
        return -1;
    switch (*p->s) {
    case '{': return parse_members(p, v, '}', 1);
    case '[': return parse_members(p, v, ']', 0);
    case '"': return parse_string(p, v);
    case 't': v->t = J_BOOL, v->b = 1; return lit(p, "true");
    case 'f': v->t = J_BOOL, v->b = 0; return lit(p, "false");
    case 'n': v->t = J_NULL; return lit(p, "null");
    default: return parse_number(p, v);
    }
}

/* Parses s[0..n) as exactly one JSON value; 0 or −1. */
static int json_parse(const char *s, size_t n, jv *v)
{
    jp p = {s, s + n, 0};
    memset(v, 0, sizeof *v);
    if (parse_value(&p, v))
        return -1;
    skip_ws(&p);
    return p.s == p.end ? 0 : -1;
}

static const jv *jv_get(const jv *o, const char *key)
{
    for (size_t i = 0; o->t == J_OBJ && i < o->n; i++)
        if (strcmp(o->keys[i], key) == 0)
            return &o->items[i];
    return NULL;
}

static void test_json_parser(void **state)
{
    static const char *good[] = {
        "0", "-1.5e+3", "\"a\\u00e9\\ud83d\\ude00\\n\"", "[1, [], {}]",
        "{\"a\": [true, false, null], \"b\": \"\\\"\"}", " 2 ", "\"η\""};
    static const char *bad[] = {
        "01", "1.", "+1", "[1,]", "{\"a\" 1}", "\"\\x\"", "\"\\ud800\"",
        "\"a\x01\"", "\"\xff\"", "[1] 2", "tru", "{a: 1}", "\"abc", "NaN"};
    jv v;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        if (json_parse(good[i], strlen(good[i]), &v))
            fail_msg("rejected %s", good[i]);
        jv_free(&v);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (!json_parse(bad[i], strlen(bad[i]), &v))
            fail_msg("accepted %s", bad[i]);
        jv_free(&v);
    }
    assert_int_equal(json_parse(good[2], strlen(good[2]), &v), 0);
    assert_string_equal(v.str, "a\xc3\xa9\xf0\x9f\x98\x80\n");
    jv_free(&v);
}

/* ---- helpers ---- */

typedef struct fixture {
    char dir[64];
    char path[128];
} fixture;

static int fixture_setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    strcpy(fx->dir, "/tmp/test_cast.XXXXXX");
    if (!mkdtemp(fx->dir))
        return -1;
    snprintf(fx->path, sizeof fx->path, "%s/rec.cast", fx->dir);
    *state = fx;
    return 0;
}

static int fixture_teardown(void **state)
{
    fixture *fx = *state;
    DIR *d = opendir(fx->dir);
    struct dirent *e;
    char p[512];
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(p, sizeof p, "%s/%s", fx->dir, e->d_name);
        unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(fx->dir);
    free(fx);
    return 0;
}

/* The one name in dir (dotfiles aside), "" if none; fails if several. */
static const char *dir_only(const char *dir)
{
    static char name[256];
    int n = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    name[0] = '\0';
    while ((e = readdir(d)))
        if (e->d_name[0] != '.' && n++ == 0)
            snprintf(name, sizeof name, "%s", e->d_name);
    closedir(d);
    assert_true(n <= 1);
    return name;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The lines of a cast file, each parsed; the file must end in '\n'. */
typedef struct lines {
    jv v[32];
    int n;
} lines;

static void load_lines(const char *path, lines *out)
{
    static char buf[1 << 16];
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_true(n > 0 && n < sizeof buf);
    assert_int_equal(buf[n - 1], '\n');
    out->n = 0;
    for (size_t at = 0; at < n;) {
        char *nl = memchr(buf + at, '\n', n - at);
        size_t len = (size_t)(nl - (buf + at));
        assert_true(out->n < 32);
        if (json_parse(buf + at, len, &out->v[out->n]))
            fail_msg("line %d is not valid JSON: %.*s", out->n + 1,
                     (int)len, buf + at);
        out->n++;
        at += len + 1;
    }
}

static void free_lines(lines *l)
{
    for (int i = 0; i < l->n; i++)
        jv_free(&l->v[i]);
}

/* Removes CSI sequences (ESC [ params final) and turns "\r\n" into "\n",
 * in place; then appends the "\n" canvas_to_text puts after the last row. */
static void strip_ansi(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\x1b') {
            assert_true(i + 1 < n && s[i + 1] == '[');
            i += 2;
            while (i < n && (s[i] < 0x40 || s[i] > 0x7E))
                i++;
            continue;
        }
        if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
            continue;
        assert_true(s[i] != '\r');
        out[o++] = s[i];
    }
    out[o++] = '\n';
    out[o] = '\0';
}

static void assert_frame_is_text(const jv *ev, const canvas *c)
{
    static char got[8192], want[8192];
    assert_true(ev->items[2].len < sizeof got - 2);
    strip_ansi(ev->items[2].str, ev->items[2].len, got);
    assert_true(canvas_to_text(c, want, sizeof want) < sizeof want);
    assert_string_equal(got, want);
}

/* Three hand-drawn 14 × 4 frames: braille curves, text with characters
 * JSON must escape, every colour role and attribute. */
static void draw_frame(canvas *c, int i)
{
    canvas_clear(c);
    rect plot = {0, 1, 10, 3};
    canvas_text(c, 0, 0, "loss η=0.1", ROLE_TITLE, ATTR_BOLD, -1);
    canvas_text(c, 11, 0, "\"\\", ROLE_WARN, 0, -1);
    canvas_line(c, plot, 0, 0, 19, 11 - 2 * i, ROLE_TRAIN);
    canvas_line(c, plot, 0, 11, 19, 3 + i, ROLE_TEST);
    canvas_dot(c, plot, 4 + i, 6, ROLE_ITERATE);
    canvas_dot(c, plot, 2, 6, ROLE_TRAIL);
    canvas_fill(c, (rect){10, 1, 1, 3}, 0x2502, ROLE_DIM, 0);
    canvas_text(c, 11, 1, "ok", ROLE_GOOD, ATTR_REVERSE, -1);
    canvas_text(c, 11, 2, "b", ROLE_BAND, ATTR_DIM, -1);
    canvas_text(c, 12, 2, "m", ROLE_MARK, 0, -1);
    canvas_put(c, 11, 3, ' ', ROLE_TEXT, ATTR_REVERSE);
    canvas_put(c, 13, 3, '0' + i, ROLE_TEXT, 0);
}

static const char *const title = "sgdscope \"quad\" \\ η\x01";

/* Records draw_frame 0..2 at t = 0, 0.5, 1.25 with two markers. */
static void write_sample(const char *path, canvas *c)
{
    cast k;
    char err[256];
    assert_int_equal(canvas_init(c, 14, 4, GLYPH_BRAILLE), 0);
    assert_int_equal(cast_open(&k, path, 14, 4, title, 1, err, sizeof err),
                     0);
    static const double t[3] = {0, 0.5, 1.25};
    for (int i = 0; i < 3; i++) {
        draw_frame(c, i);
        assert_int_equal(cast_frame(&k, t[i], c), 0);
        if (i == 0)
            assert_int_equal(cast_marker(&k, 0.25, "decay η→0.05"), 0);
    }
    assert_int_equal(cast_marker(&k, 1.25, "end \"x\""), 0);
    assert_int_equal(cast_close(&k), 0);
}

/* ---- tests ---- */

static void test_lines_are_asciicast(void **state)
{
    fixture *fx = *state;
    canvas c;
    lines l;
    write_sample(fx->path, &c);
    load_lines(fx->path, &l);
    assert_int_equal(l.n, 1 + 3 + 2);

    const jv *h = &l.v[0];
    assert_int_equal(h->t, J_OBJ);
    const jv *ver = jv_get(h, "version"), *w = jv_get(h, "width"),
             *ht = jv_get(h, "height"), *ti = jv_get(h, "title");
    assert_true(ver && ver->t == J_NUM && ver->num == 2);
    assert_true(w && w->t == J_NUM && w->num == 14);
    assert_true(ht && ht->t == J_NUM && ht->num == 4);
    assert_true(ti && ti->t == J_STR);
    assert_string_equal(ti->str, title);

    static const char *const kinds = "omoom";
    double last = 0;
    for (int i = 1; i < l.n; i++) {
        const jv *e = &l.v[i];
        assert_int_equal(e->t, J_ARR);
        assert_int_equal(e->n, 3);
        assert_int_equal(e->items[0].t, J_NUM);
        assert_int_equal(e->items[1].t, J_STR);
        assert_int_equal(e->items[2].t, J_STR);
        assert_true(e->items[0].num >= last);
        last = e->items[0].num;
        char kind[2] = {kinds[i - 1], 0};
        assert_string_equal(e->items[1].str, kind);
    }
    assert_close(l.v[2].items[0].num, 0.25, 1e-12);
    assert_close(l.v[5].items[0].num, 1.25, 1e-12);
    assert_string_equal(l.v[2].items[2].str, "decay η→0.05");
    assert_string_equal(l.v[5].items[2].str, "end \"x\"");
    free_lines(&l);
    canvas_free(&c);
}

/* What the end-to-end test relies on: the last frame is --snapshot. */
static void test_frames_strip_to_text(void **state)
{
    fixture *fx = *state;
    canvas c;
    lines l;
    write_sample(fx->path, &c);
    load_lines(fx->path, &l);
    /* c holds frame 2, the last one written. */
    assert_frame_is_text(&l.v[4], &c);
    const int at[3] = {1, 3, 4};
    for (int i = 0; i < 3; i++) {
        const char *s = l.v[at[i]].items[2].str;
        const char *start = i == 0 ? "\x1b[2J\x1b[H" : "\x1b[H";
        assert_memory_equal(s, start, strlen(start));
        assert_true(i == 0 || !strstr(s, "\x1b[2J"));
        draw_frame(&c, i);
        assert_frame_is_text(&l.v[at[i]], &c);
    }
    free_lines(&l);
    canvas_free(&c);
}

/* The exact bytes: SGR only on change, blanks keep the style, rows reset
 * at their end and are joined by "\r\n" with nothing after the last. */
static void test_sgr_bytes(void **state)
{
    fixture *fx = *state;
    canvas c;
    cast k;
    lines l;
    assert_int_equal(canvas_init(&c, 4, 2, GLYPH_ASCII), 0);
    canvas_text(&c, 0, 0, "ab", ROLE_TRAIN, 0, -1);
    canvas_put(&c, 1, 0, 'b', ROLE_TRAIN, ATTR_BOLD);
    canvas_put(&c, 3, 0, 'c', ROLE_TRAIN, ATTR_BOLD);
    canvas_put(&c, 0, 1, ' ', ROLE_TEXT, ATTR_REVERSE);
    canvas_put(&c, 1, 1, 'x', ROLE_ITERATE, ATTR_DIM);
    canvas_put(&c, 2, 1, 'y', ROLE_TEXT, 0);
    for (int color = 1; color >= 0; color--) {
        assert_int_equal(cast_open(&k, fx->path, 4, 2, NULL, color, NULL, 0),
                         0);
        assert_int_equal(cast_frame(&k, 0, &c), 0);
        assert_int_equal(cast_frame(&k, 0, &c), 0);
        assert_int_equal(cast_close(&k), 0);
        load_lines(fx->path, &l);
        assert_int_equal(l.n, 3);
        assert_null(jv_get(&l.v[0], "title"));
        /* Without colour "a" (no attributes) needs no SGR at all. */
        const char *want =
            color ? "\x1b[2J\x1b[H\x1b[0;34ma\x1b[0;1;34mb c\x1b[0m\r\n"
                    "\x1b[0;7m \x1b[0;1;2;31mx\x1b[0my "
                  : "\x1b[2J\x1b[Ha\x1b[0;1mb c\x1b[0m\r\n"
                    "\x1b[0;7m \x1b[0;2mx\x1b[0my ";
        assert_string_equal(l.v[1].items[2].str, want);
        assert_string_equal(l.v[2].items[2].str, want + 4); /* no clear */
        free_lines(&l);
    }
    canvas_free(&c);
}

/* Frames are the header's size: smaller canvases padded, larger clipped;
 * times never go backwards; invalid UTF-8 still gives valid JSON. */
static void test_size_time_escaping(void **state)
{
    fixture *fx = *state;
    canvas small, big;
    cast k;
    lines l;
    assert_int_equal(canvas_init(&small, 3, 1, GLYPH_ASCII), 0);
    assert_int_equal(canvas_init(&big, 8, 3, GLYPH_ASCII), 0);
    canvas_text(&small, 0, 0, "abc", ROLE_TEXT, 0, -1);
    for (int y = 0; y < 3; y++)
        canvas_text(&big, 0, y, "12345678", ROLE_TEXT, 0, -1);
    assert_int_equal(cast_open(&k, fx->path, 5, 2, "", 0, NULL, 0), 0);
    assert_int_equal(cast_frame(&k, 2.0, &small), 0);
    assert_int_equal(cast_frame(&k, 1.0, &big), 0);     /* earlier */
    assert_int_equal(cast_marker(&k, NAN, "bad\xff\xc3"), 0);
    assert_int_equal(cast_marker(&k, 3.5, NULL), 0);
    assert_int_equal(cast_close(&k), 0);
    load_lines(fx->path, &l);
    assert_int_equal(l.n, 5);
    assert_string_equal(l.v[1].items[2].str, "\x1b[2J\x1b[Habc  \r\n     ");
    assert_string_equal(l.v[2].items[2].str, "\x1b[H12345\r\n12345");
    assert_close(l.v[2].items[0].num, 2.0, 0);
    assert_close(l.v[3].items[0].num, 2.0, 0);
    assert_string_equal(l.v[3].items[2].str, "bad\uFFFD\uFFFD");
    assert_string_equal(l.v[4].items[2].str, "");
    free_lines(&l);
    canvas_free(&small);
    canvas_free(&big);
}

static void test_temp_and_rename(void **state)
{
    fixture *fx = *state;
    canvas c;
    cast k;
    char err[256], p[256];
    assert_int_equal(canvas_init(&c, 2, 1, GLYPH_BRAILLE), 0);

    assert_int_equal(cast_open(&k, fx->path, 2, 1, "t", 1, err, sizeof err),
                     0);
    assert_int_equal(cast_frame(&k, 0, &c), 0);
    assert_false(exists(fx->path));
    const char *ls = dir_only(fx->dir);
    assert_int_equal(strlen(ls), strlen("rec.cast.XXXXXX"));
    assert_memory_equal(ls, "rec.cast.", 9);
    assert_int_equal(cast_close(&k), 0);
    assert_string_equal(dir_only(fx->dir), "rec.cast");
    struct stat st;
    assert_int_equal(stat(fx->path, &st), 0);
    assert_true(st.st_mode & S_IRUSR);

    /* abort: nothing new, and the earlier recording is untouched */
    assert_int_equal(cast_open(&k, fx->path, 2, 1, NULL, 0, err, sizeof err),
                     0);
    assert_int_equal(cast_frame(&k, 0, &c), 0);
    cast_abort(&k);
    cast_abort(&k); /* twice is harmless */
    assert_string_equal(dir_only(fx->dir), "rec.cast");
    assert_true(stat(fx->path, &st) == 0 && st.st_size > 0);
    unlink(fx->path);
    assert_int_equal(cast_open(&k, fx->path, 2, 1, NULL, 0, err, sizeof err),
                     0);
    cast_abort(&k);
    assert_string_equal(dir_only(fx->dir), "");

    /* unwritable: a missing directory, a parent that is a regular file
     * (root ignores permissions, these it cannot), a directory */
    snprintf(p, sizeof p, "%s/no/such/dir.cast", fx->dir);
    assert_int_equal(cast_open(&k, p, 2, 1, NULL, 0, err, sizeof err), -1);
    assert_non_null(strstr(err, p));
    assert_non_null(strstr(err, strerror(ENOENT)));
    cast_abort(&k); /* harmless after a failed open */

    char file[200];
    snprintf(file, sizeof file, "%s/plain", fx->dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(p, sizeof p, "%s/x.cast", file);
    assert_int_equal(cast_open(&k, p, 2, 1, NULL, 0, err, sizeof err), -1);
    char want[512];
    snprintf(want, sizeof want, "cannot write '%s': %s", p,
             strerror(ENOTDIR));
    assert_string_equal(err, want);

    assert_int_equal(cast_open(&k, fx->dir, 2, 1, NULL, 0, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, fx->dir));
    assert_int_equal(cast_open(&k, fx->path, 0, 1, NULL, 0, err, sizeof err),
                     -1);
    assert_string_equal(dir_only(fx->dir), "plain");
    assert_int_equal(cast_frame(&k, 0, &c), -1); /* not open */
    assert_int_equal(cast_close(&k), -1);
    canvas_free(&c);
}

/* asciinema itself must accept the file.  `asciinema cat` insists on
 * opening /dev/tty, which test runs don't have, so it runs under
 * script(1) (util-linux, always on Debian), which provides a pty. */
static void test_asciinema_cat(void **state)
{
    fixture *fx = *state;
    canvas c;
    if (system("command -v asciinema >/dev/null 2>&1") != 0) {
        print_message("asciinema is not installed; skipping\n");
        skip();
    }
    write_sample(fx->path, &c);
    canvas_free(&c);
    char cmd[512];
    if (system("command -v script >/dev/null 2>&1") == 0)
        snprintf(cmd, sizeof cmd,
                 "script -qec \"asciinema cat '%s'\" /dev/null "
                 "</dev/null >/dev/null 2>&1",
                 fx->path);
    else
        snprintf(cmd, sizeof cmd, "asciinema cat '%s' >/dev/null 2>&1",
                 fx->path);
    int rc = system(cmd);
    assert_true(WIFEXITED(rc));
    assert_int_equal(WEXITSTATUS(rc), 0);
}

/* ---- headless recordings of lessons (record.c) ------------------------ */

static void open_lesson(app *a, const char *text)
{
    static scene sc;
    scene_err e;
    scene_init(&sc);
    if (scene_load_string(&sc, text, "lesson.scene", &e) != 0 ||
        scene_finalize(&sc, &e) != 0)
        fail_msg("lesson.scene:%d:%d: %s", e.line, e.col, e.msg);
    char err[256];
    if (app_open(a, &sc, NULL, err, sizeof err) != 0)
        fail_msg("app_open: %s", err);
}

static const char lesson[] =
    "model = quad1d\nsteps = 1000\nevery = 10\n"
    "at 0: caption 2s \"read me\"\n"
    "at 100: pause\n"
    "at 200: pause 5s\n"
    "at 300: caption key \"a key\"\n"
    "at 500: end \"over\"\n";

/* Synthetic time honours the lesson: a caption's seconds, a pause's
 * default hold, a pause's own seconds, a key caption's hold and the end's
 * last frames all take time in the cast; the recording stops at the end,
 * and its last frame is what --snapshot shows there. */
static void test_record_lesson_holds(void **state)
{
    fixture *fx = *state;
    app a, b;
    char err[256];
    open_lesson(&a, lesson);
    a.spf = 50;
    assert_int_equal(recorder_headless(&a, fx->path, 80, 24, GLYPH_ASCII, 0,
                                       10, 1000, err, sizeof err),
                     0);
    assert_int_equal(a.r->t, 500);
    assert_true(a.ended);

    static char line[1 << 16], last[1 << 16];
    FILE *f = fopen(fx->path, "rb");
    assert_non_null(f);
    double t_last = 0, t_end_marker = -1;
    int frames = 0, saw_caption = 0, saw_key_caption = 0;
    size_t last_len = 0;
    while (fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        assert_true(len > 0 && line[len - 1] == '\n');
        jv v;
        if (json_parse(line, len - 1, &v))
            fail_msg("not JSON: %.80s", line);
        if (v.t == J_ARR) {
            double t = v.items[0].num;
            assert_true(t >= t_last);
            t_last = t;
            if (strcmp(v.items[1].str, "o") == 0) {
                frames++;
                memcpy(last, line, len + 1);
                last_len = len;
            } else {
                const char *m = v.items[2].str;
                saw_caption |= strcmp(m, "caption: read me") == 0;
                saw_key_caption |= strcmp(m, "caption: a key") == 0;
                if (strstr(m, "end of the lesson"))
                    t_end_marker = t;
            }
        }
        jv_free(&v);
    }
    fclose(f);
    assert_true(saw_caption);
    assert_true(saw_key_caption);
    /* 2 s caption + 3 s pause + 5 s pause + 3 s key caption + 3 s end,
     * plus ten frames of stepping at 50 steps a frame */
    assert_true(t_end_marker >= 2 + 3 + 5 + 3 - 0.5);
    assert_true(t_last >= t_end_marker + 3 - 0.2);
    assert_true(t_last < 2 + 3 + 5 + 3 + 3 + 3);
    assert_true(frames > 10 * (2 + 3 + 5 + 3 + 3) - 10);

    /* the last frame is the snapshot at the end */
    open_lesson(&b, lesson);
    b.headless = 1;
    b.spf = a.spf; /* the title bar shows the speed */
    app_run_to(&b, 1000);
    assert_int_equal(b.r->t, 500);
    canvas c;
    assert_int_equal(canvas_init(&c, 80, 24, GLYPH_ASCII), 0);
    view_draw(&c, &b);
    jv v;
    assert_int_equal(json_parse(last, last_len - 1, &v), 0);
    assert_frame_is_text(&v, &c);
    jv_free(&v);
    canvas_free(&c);
    app_close(&a);
    app_close(&b);
}

/* Without pauses or timed captions nothing holds: a recording takes
 * one frame per spf steps, as before. */
static void test_record_no_holds(void **state)
{
    fixture *fx = *state;
    app a;
    char err[256];
    open_lesson(&a, "model = quad1d\nsteps = 1000\n"
                    "at 0: caption 300 \"steps\"\n");
    a.spf = 100;
    assert_int_equal(recorder_headless(&a, fx->path, 80, 24, GLYPH_ASCII, 0,
                                       10, 1000, err, sizeof err),
                     0);
    static char line[1 << 16];
    FILE *f = fopen(fx->path, "rb");
    assert_non_null(f);
    int frames = 0;
    while (fgets(line, sizeof line, f))
        frames += strstr(line, "\"o\"") != NULL;
    fclose(f);
    assert_int_equal(frames, 11);
    app_close(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_parser),
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
        T(test_lines_are_asciicast),
        T(test_frames_strip_to_text),
        T(test_sgr_bytes),
        T(test_size_time_escaping),
        T(test_temp_and_rename),
        T(test_asciinema_cat),
        T(test_record_lesson_holds),
        T(test_record_no_holds),
#undef T
    };
    return cmocka_run_group_tests_name("cast", tests, NULL, NULL);
}

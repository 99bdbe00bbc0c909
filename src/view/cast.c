/* cast.c — asciicast v2 from canvases; see cast.h for the format.
 *
 * A frame is first rendered as raw ANSI into k->buf (sized once for the
 * header's W × H, so steady-state recording never allocates), then copied
 * to the file as a JSON string.  The file is written under a temporary
 * name and renamed at the end, so an interrupted run never leaves a
 * truncated .cast where a good one was, or at all.
 */
#include "cast.h"
#include "sanitize.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A cell's style packed in one word: the SGR foreground (30..37, or 0 for
 * the default) plus flag bits.  0 is the terminal's default style, which
 * is what every row starts and ends in. */
enum { S_FG = 0xFF, S_BOLD = 0x100, S_DIM = 0x200, S_REV = 0x400 };

/* The palette of cast.h, indexed by color_role. */
static const unsigned role_style[ROLE_COUNT] = {
    [ROLE_TEXT] = 0,
    [ROLE_DIM] = S_DIM,
    [ROLE_TITLE] = S_BOLD,
    [ROLE_TRAIN] = 34,
    [ROLE_TEST] = 33,
    [ROLE_BAND] = 36,
    [ROLE_MARK] = 35,
    [ROLE_ITERATE] = 31 | S_BOLD,
    [ROLE_TRAIL] = 31,
    [ROLE_WARN] = 31 | S_BOLD,
    [ROLE_GOOD] = 32,
    [ROLE_RUN1] = 36,
    [ROLE_RUN2] = 33,
    [ROLE_RUN3] = 35,
    [ROLE_RUN4] = 32,
    [ROLE_RUN5] = 34,
    [ROLE_RUN6] = 31,
    [ROLE_HEAT1] = 34 | S_DIM, [ROLE_HEAT2] = 34, [ROLE_HEAT3] = 36,
    [ROLE_HEAT4] = 36, [ROLE_HEAT5] = 32, [ROLE_HEAT6] = 33,
    [ROLE_HEAT7] = 33 | S_BOLD,
};

/* The longest SGR we emit, "\x1b[0;1;2;7;31m", is 13 bytes; a glyph is at
 * most 4.  Per row add "\x1b[0m\r\n", per frame "\x1b[2J\x1b[H". */
enum { CELL_MAX = 13 + 4, ROW_EXTRA = 4 + 2, FRAME_EXTRA = 4 + 3 };

static void set_err(char *err, size_t errlen, const char *path, int e)
{
    char shown[1024];
    sanitize_text(shown, sizeof shown, path);
    if (err && errlen)
        snprintf(err, errlen, "cannot write '%s': %s", shown, strerror(e));
}

/* Frees what cast_open allocated and zeroes *k (the output is committed
 * or discarded by the callers, which know whether to keep it). */
static void cast_release(cast *k)
{
    free(k->buf);
    memset(k, 0, sizeof *k);
}

/* Bytes one W × H frame may need, or 0 if that overflows size_t. */
static size_t frame_bound(int w, int h)
{
    size_t row = (size_t)w;
    if (row > (SIZE_MAX - ROW_EXTRA) / CELL_MAX)
        return 0;
    row = row * CELL_MAX + ROW_EXTRA;
    if ((size_t)h > (SIZE_MAX - FRAME_EXTRA) / row)
        return 0;
    return (size_t)h * row + FRAME_EXTRA;
}


/* Writes s[0..n) as a JSON string literal.  '"', '\\' and the control
 * characters are escaped (ESC as \u001b, CR/LF/TAB as \r \n \t), valid
 * UTF-8 is copied unchanged in runs, and each byte of an invalid sequence
 * becomes \ufffd so the line stays valid JSON whatever the input. */
static int json_string(FILE *f, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t run = 0, i = 0; /* s[run..i) is a pending plain run */
    if (putc('"', f) == EOF)
        return -1;
    while (i < n) {
        unsigned char b = s[i];
        size_t len = 1;
        uint32_t cp;
        char esc[8];
        const char *e = NULL;
        if (b == '"')
            e = "\\\"";
        else if (b == '\\')
            e = "\\\\";
        else if (b == '\n')
            e = "\\n";
        else if (b == '\r')
            e = "\\r";
        else if (b == '\t')
            e = "\\t";
        else if (b < 0x20 || b == 0x7F) {
            snprintf(esc, sizeof esc, "\\u%04x", b);
            e = esc;
        } else if (b >= 0x80 &&
                   (len = sanitize_utf8_seq(s + i, n - i, &cp)) == 0) {
            e = "\\ufffd";
            len = 1;
        }
        if (e) {
            if (fwrite(s + run, 1, i - run, f) != i - run ||
                fputs(e, f) == EOF)
                return -1;
            run = i + len;
        }
        i += len;
    }
    if (fwrite(s + run, 1, n - run, f) != n - run || putc('"', f) == EOF)
        return -1;
    return 0;
}

int cast_open(cast *k, const char *path, int width, int height,
              const char *title, int color, char *err, size_t errlen)
{
    memset(k, 0, sizeof *k);
    if (!path || !*path) {
        set_err(err, errlen, path ? path : "", ENOENT);
        return -1;
    }
    size_t need = frame_bound(width, height);
    if (width < 1 || height < 1 || need == 0) {
        set_err(err, errlen, path, EINVAL);
        return -1;
    }
    k->buf = malloc(need);
    if (!k->buf) {
        cast_release(k);
        set_err(err, errlen, path, ENOMEM);
        return -1;
    }
    k->cap = need;
    /* Refuses what is not a regular file before the run, not at the
     * final rename after the whole run had been recorded for nothing. */
    if (outfile_open(&k->out, path, 0, err, errlen) != 0) {
        cast_release(k);
        return -1;
    }
    k->f = k->out.f;
    k->width = width;
    k->height = height;
    k->color = color;

    /* No "timestamp": identical runs should give identical files. */
    errno = 0;
    int bad = fprintf(k->f, "{\"version\": 2, \"width\": %d, \"height\": %d",
                      width, height) < 0;
    if (title)
        bad |= fputs(", \"title\": ", k->f) == EOF ||
               json_string(k->f, title, strlen(title)) != 0;
    bad |= fputs(", \"env\": {\"TERM\": \"xterm\"}}\n", k->f) == EOF;
    /* Flushing now reports a full disk before the run, not after it. */
    if (bad || fflush(k->f) != 0) {
        int e = errno ? errno : EIO;
        cast_abort(k);
        set_err(err, errlen, path, e);
        return -1;
    }
    return 0;
}

/* The time to print for an event requested at t: never before the last
 * one (players assume sorted events), never negative or non-finite. */
static double cast_time(cast *k, double t)
{
    if (!isfinite(t) || t < k->last_t)
        t = k->last_t;
    if (t < 0)
        t = 0;
    k->last_t = t;
    return t;
}

static unsigned cell_style(const cast *k, const cell *p)
{
    unsigned s = 0;
    if (k->color && p->role < ROLE_COUNT)
        s = role_style[p->role];
    if (p->attr & ATTR_BOLD)
        s |= S_BOLD;
    if (p->attr & ATTR_DIM)
        s |= S_DIM;
    if (p->attr & ATTR_REVERSE)
        s |= S_REV;
    return s;
}

/* Appends the SGR that sets style s from scratch: "\x1b[0;...m". */
static char *put_sgr(char *o, unsigned s)
{
    *o++ = '\x1b';
    *o++ = '[';
    *o++ = '0';
    if (s & S_BOLD)
        *o++ = ';', *o++ = '1';
    if (s & S_DIM)
        *o++ = ';', *o++ = '2';
    if (s & S_REV)
        *o++ = ';', *o++ = '7';
    if (s & S_FG) {
        unsigned fg = s & S_FG;
        *o++ = ';';
        *o++ = (char)('0' + fg / 10);
        *o++ = (char)('0' + fg % 10);
    }
    *o++ = 'm';
    return o;
}

/* Renders c as one frame into k->buf; returns its length. */
static size_t render_frame(cast *k, const canvas *c)
{
    char *o = k->buf;
    if (k->frames == 0) {
        memcpy(o, "\x1b[2J", 4);
        o += 4;
    }
    memcpy(o, "\x1b[H", 3);
    o += 3;
    for (int y = 0; y < k->height; y++) {
        unsigned cur = 0;
        for (int x = 0; x < k->width; x++) {
            char g[5];
            int n = canvas_cell_utf8(c, x, y, g); /* ' ' when outside c */
            unsigned want = 0;
            if (x < c->w && y < c->h)
                want = cell_style(k, &c->cells[(size_t)y * c->w + x]);
            /* A blank shows no foreground, bold or faint, so it keeps
             * whatever style is current instead of switching twice. */
            int blank = n == 1 && g[0] == ' ' && !((cur | want) & S_REV);
            if (want != cur && !blank) {
                o = put_sgr(o, want);
                cur = want;
            }
            memcpy(o, g, (size_t)n);
            o += n;
        }
        if (cur != 0) {
            memcpy(o, "\x1b[0m", 4);
            o += 4;
        }
        if (y + 1 < k->height) {
            memcpy(o, "\r\n", 2);
            o += 2;
        }
    }
    return (size_t)(o - k->buf);
}

int cast_frame(cast *k, double t, const canvas *c)
{
    if (!k->f)
        return -1;
    /* frame_bound(width, height) was allocated in cast_open, and frames
     * are clipped to that size, so this never needs to grow. */
    size_t n = render_frame(k, c);
    double at = cast_time(k, t);
    if (fprintf(k->f, "[%.6f, \"o\", ", at) < 0 ||
        json_string(k->f, k->buf, n) != 0 || fputs("]\n", k->f) == EOF) {
        k->failed = 1;
        outfile_check(&k->out); /* keeps this write's errno */
        return -1;
    }
    k->frames++;
    return 0;
}

int cast_marker(cast *k, double t, const char *label)
{
    if (!k->f)
        return -1;
    if (!label)
        label = "";
    double at = cast_time(k, t);
    if (fprintf(k->f, "[%.6f, \"m\", ", at) < 0 ||
        json_string(k->f, label, strlen(label)) != 0 ||
        fputs("]\n", k->f) == EOF) {
        k->failed = 1;
        outfile_check(&k->out); /* keeps this write's errno */
        return -1;
    }
    return 0;
}

int cast_close(cast *k)
{
    if (!k->f) {
        cast_release(k);
        errno = EBADF;
        return -1;
    }
    int bad = k->failed && outfile_check(&k->out) == 0;
    int e = 0;
    if (bad) {
        /* an event failed without a stream error (cannot happen today,
         * but the promise is that cast_close reports it) */
        outfile_discard(&k->out);
        e = EIO;
    } else if (outfile_commit(&k->out, NULL, 0) != 0) {
        bad = 1;
        e = errno;
    }
    cast_release(k);
    if (bad) {
        errno = e;
        return -1;
    }
    return 0;
}

void cast_abort(cast *k)
{
    outfile_discard(&k->out);
    cast_release(k);
}

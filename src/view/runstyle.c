/* runstyle.c — run styles and the runs a frame draws; see runstyle.h. */
#include "runstyle.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Dash patterns, bit i = dot column i % 8 (four braille cells): solid,
 * long dash (6 on, 2 off), short dash (2 on, 2 off), dotted (1 on, 1
 * off), dash-dot (4 on, 2 off, 1 on, 1 off), sparse (1 on, 3 off). */
static const unsigned dashes[RUNSTYLE_MAX] = {0xFF, 0x3F, 0x33,
                                              0x55, 0x4F, 0x11};

void runset_from_app(runset *s, const app *a)
{
    memset(s, 0, sizeof *s);
    const session *ses = a->ses;
    if (ses && ses->n > 1) {
        s->n = ses->n > RUNSTYLE_MAX ? RUNSTYLE_MAX : ses->n;
        for (size_t i = 0; i < s->n; i++) {
            s->r[i] = session_run(ses, i);
            s->name[i] = session_name(ses, i);
            if (s->r[i] == a->r)
                s->focus = i;
        }
        s->multi = 1;
        return;
    }
    s->n = 1;
    s->r[0] = a->r;
    s->name[0] = ses && ses->n == 1 ? session_name(ses, 0) : a->run_name;
    s->focus = 0;
}

size_t runset_order(const runset *s, size_t k)
{
    /* the focused run moves to the end */
    if (k + 1 == s->n)
        return s->focus;
    return k < s->focus ? k : k + 1;
}

int runset_one_model(const runset *s)
{
    for (size_t i = 1; i < s->n; i++)
        if (strcmp(s->r[i]->m.ops->name, s->r[0]->m.ops->name) != 0)
            return 0;
    return 1;
}

int runstyle_role(size_t k)
{
    return ROLE_RUN1 + (int)(k % RUNSTYLE_MAX);
}

uint32_t runstyle_digit(size_t k)
{
    return (uint32_t)('1' + k % RUNSTYLE_MAX);
}

unsigned runstyle_dash(size_t k, glyph_tier t)
{
    return t == GLYPH_ASCII ? 0xFFu : dashes[k % RUNSTYLE_MAX];
}

/* UTF-8 of code point cp (< 0x10000) into b; returns the bytes. */
static size_t put_utf8(char *b, uint32_t cp)
{
    if (cp < 0x80) {
        b[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    b[0] = (char)(0xE0 | (cp >> 12));
    b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

char *runstyle_sample_dash(unsigned dash, glyph_tier t, char *buf,
                           size_t cap)
{
    /* Cell i holds dot columns 2i and 2i+1, on the line's middle row:
     * braille dots 2 and 5 (0x02, 0x10); block: the lower half of the
     * quadrants (▖ ▗ ▄), as a flat curve is drawn there. */
    static const uint32_t block[4] = {' ', 0x2596, 0x2597, 0x2584};
    char tmp[32];
    size_t k = 0;
    for (int i = 0; i < 4; i++) {
        int l = (dash >> (2 * i)) & 1, r = (dash >> (2 * i + 1)) & 1;
        uint32_t cp;
        if (t == GLYPH_BRAILLE)
            cp = 0x2800u + (l ? 0x02u : 0) + (r ? 0x10u : 0);
        else if (t == GLYPH_BLOCK)
            cp = block[l | r << 1];
        else
            cp = l || r ? '-' : ' ';
        k += put_utf8(tmp + k, cp);
    }
    tmp[k] = 0;
    snprintf(buf, cap, "%s", tmp);
    return buf;
}

char *runstyle_sample(size_t k, glyph_tier t, char *buf, size_t cap)
{
    if (t == GLYPH_ASCII) {
        char d = (char)runstyle_digit(k);
        snprintf(buf, cap, "%c%c%c%c", d, d, d, d);
        return buf;
    }
    return runstyle_sample_dash(runstyle_dash(k, t), t, buf, cap);
}

void runstyle_place(const double *want, size_t n, int lo, int hi, int *pos)
{
    size_t ord[64], m = 0;
    double w[64];
    for (size_t i = 0; i < n && i < 64; i++) {
        pos[i] = -1;
        if (isnan(want[i]))
            continue;
        /* insertion sort by wish, ties by index (stable) */
        double v = fmin(fmax(want[i], (double)lo), (double)hi);
        size_t j = m++;
        while (j > 0 && w[j - 1] > v) {
            w[j] = w[j - 1];
            ord[j] = ord[j - 1];
            j--;
        }
        w[j] = v;
        ord[j] = i;
    }
    if (m == 0)
        return;
    /* down the order: each at its wish or just past the previous one;
     * then back up from the end: nothing past hi */
    int prev = lo - 1;
    for (size_t j = 0; j < m; j++) {
        int p = (int)floor(w[j] + 0.5);
        if (p <= prev)
            p = prev + 1;
        pos[ord[j]] = p;
        prev = p;
    }
    int next = hi + 1;
    for (size_t j = m; j-- > 0;) {
        int p = pos[ord[j]];
        if (p >= next)
            p = next - 1;
        if (p < lo)
            p = lo; /* more labels than cells: they share the first */
        pos[ord[j]] = p;
        next = p;
    }
}

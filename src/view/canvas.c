/* canvas.c — an off-screen grid of cells with sub-cell dots; see canvas.h.
 *
 * Dot bits, per tier (px, py relative to the cell, py grows downward):
 *   GLYPH_BRAILLE  (0,0)=0x01 (0,1)=0x02 (0,2)=0x04 (1,0)=0x08
 *                  (1,1)=0x10 (1,2)=0x20 (0,3)=0x40 (1,3)=0x80
 *                  and the glyph is U+2800 + bits (the Unicode layout, so
 *                  serializing a cell is one addition).
 *   GLYPH_BLOCK    top-left=1 top-right=2 bottom-left=4 bottom-right=8,
 *                  an index into the quadrant table below.
 *   GLYPH_ASCII    one dot = bit 1; the glyph comes from the cell's role
 *                  so curves stay distinguishable without colour:
 *                    ROLE_TRAIN '*'  ROLE_TEST 'o'  ROLE_BAND ':'
 *                    ROLE_MARK  '|'  ROLE_ITERATE '@'  ROLE_TRAIL '.'
 *                    ROLE_DIM   '.'  ROLE_RUN1..6 '1'..'6'
 *                    anything else '#'
 *
 * A cell is a text cell when ch != 0 (a blank one holds ' ') and a dot
 * cell when ch == 0.  Only canvas_init and canvas_resize allocate.
 */
#include "canvas.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Quadrant glyphs indexed by TL | TR<<1 | BL<<2 | BR<<3. */
static const uint32_t block_glyph[16] = {
    ' ',    0x2598, 0x259D, 0x2580, /*  , ▘, ▝, ▀ */
    0x2596, 0x258C, 0x259E, 0x259B, /* ▖, ▌, ▞, ▛ */
    0x2597, 0x259A, 0x2590, 0x259C, /* ▗, ▚, ▐, ▜ */
    0x2584, 0x2599, 0x259F, 0x2588, /* ▄, ▙, ▟, █ */
};

/* The palette (canvas.h).  The first eleven are the single-run roles the
 * terminal has always shown.  The run colours are told apart in 256
 * colours and in 8 (cyan, yellow, magenta, green, blue, red), and by
 * their dash patterns and digits where there is no colour at all. */
const role_colour canvas_palette[ROLE_COUNT] = {
    [ROLE_TEXT] = {-1, -1, 0},
    [ROLE_DIM] = {245, -1, ATTR_DIM},
    [ROLE_TITLE] = {117, 6, ATTR_BOLD},
    [ROLE_TRAIN] = {81, 6, 0},
    [ROLE_TEST] = {213, 5, 0},
    [ROLE_BAND] = {67, 4, 0},
    [ROLE_MARK] = {214, 3, 0},
    [ROLE_ITERATE] = {226, 7, ATTR_BOLD},
    [ROLE_TRAIL] = {102, 7, ATTR_DIM},
    [ROLE_WARN] = {203, 1, ATTR_BOLD},
    [ROLE_GOOD] = {114, 2, 0},
    [ROLE_RUN1] = {81, 6, 0},
    [ROLE_RUN2] = {214, 3, 0},
    [ROLE_RUN3] = {213, 5, 0},
    [ROLE_RUN4] = {114, 2, 0},
    [ROLE_RUN5] = {111, 4, 0},
    [ROLE_RUN6] = {203, 1, 0},
    [ROLE_HEAT1] = {23, 4, ATTR_DIM},
    [ROLE_HEAT2] = {24, 4, 0},
    [ROLE_HEAT3] = {30, 6, 0},
    [ROLE_HEAT4] = {66, 6, 0},
    [ROLE_HEAT5] = {101, 2, 0},
    [ROLE_HEAT6] = {137, 3, 0},
    [ROLE_HEAT7] = {173, 3, ATTR_BOLD},
};

/* Braille bits indexed by [row][col] inside a cell. */
static const uint8_t braille_bit[4][2] = {
    {0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};

static cell blank_cell(void)
{
    cell b = {' ', 0, ROLE_TEXT, 0};
    return b;
}

int canvas_init(canvas *c, int w, int h, glyph_tier tier)
{
    memset(c, 0, sizeof *c);
    c->tier = tier;
    return canvas_resize(c, w, h);
}

void canvas_free(canvas *c)
{
    free(c->cells);
    c->cells = NULL;
    c->cap = 0;
    c->w = c->h = 0;
}

int canvas_resize(canvas *c, int w, int h)
{
    if (w < 0 || h < 0)
        return -1;
    size_t n = (size_t)w * (size_t)h;
    if (w && n / (size_t)w != (size_t)h)
        return -1; /* the product overflowed */
    if (n > c->cap) {
        if (n > SIZE_MAX / sizeof(cell))
            return -1;
        cell *nc = realloc(c->cells, n * sizeof(cell));
        if (!nc)
            return -1; /* the old canvas stays valid */
        c->cells = nc;
        c->cap = n;
    }
    c->w = w;
    c->h = h;
    canvas_clear(c);
    return 0;
}

void canvas_clear(canvas *c)
{
    size_t n = (size_t)c->w * (size_t)c->h;
    for (size_t i = 0; i < n; i++)
        c->cells[i] = blank_cell();
}

int canvas_dots_x(const canvas *c)
{
    return c->tier == GLYPH_ASCII ? 1 : 2;
}

int canvas_dots_y(const canvas *c)
{
    return c->tier == GLYPH_BRAILLE ? 4 : c->tier == GLYPH_BLOCK ? 2 : 1;
}

static cell *cell_at(canvas *c, int x, int y)
{
    if (x < 0 || y < 0 || x >= c->w || y >= c->h)
        return NULL;
    return &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
}

/* Code points that would not occupy exactly one terminal cell: controls,
 * combining marks and zero-width characters (0 cells), and the East Asian
 * wide ranges (2 cells).  We print none of them, so a rough table is
 * enough; it keeps us independent of the locale's wcwidth. */
static int is_not_single_width(uint32_t cp)
{
    static const uint32_t bad[][2] = {
        {0x0000, 0x001F},   {0x007F, 0x009F},   {0x0300, 0x036F},
        {0x200B, 0x200F},   {0x2028, 0x202E},   {0x2060, 0x206F},
        {0xFE00, 0xFE0F},   {0xFEFF, 0xFEFF},   {0x1100, 0x115F},
        {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},
        {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xAC00, 0xD7A3},
        {0xF900, 0xFAFF},   {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},
        {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF},
        {0x20000, 0x3FFFD},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (cp >= bad[i][0] && cp <= bad[i][1])
            return 1;
    return 0;
}

/* Decodes one code point from s (not at NUL) into *cp and returns the
 * bytes consumed.  Invalid input (stray continuation, overlong form,
 * surrogate, > U+10FFFF, truncated sequence) consumes one byte and gives
 * '?', so each bad byte shows up as exactly one '?'. */
static int utf8_decode(const unsigned char *s, uint32_t *cp)
{
    unsigned char b = s[0];
    int len;
    uint32_t v, min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
        len = 2, v = b & 0x1F, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3, v = b & 0x0F, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4, v = b & 0x07, min = 0x10000;
    } else {
        *cp = '?';
        return 1;
    }
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) { /* also stops at the NUL */
            *cp = '?';
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = '?';
        return 1;
    }
    *cp = v;
    return len;
}

/* The code point a string's next cell will show, after our substitutions. */
static int text_next(const unsigned char *s, uint32_t *cp)
{
    int n = utf8_decode(s, cp);
    if (is_not_single_width(*cp))
        *cp = '?';
    return n;
}

/* In the ASCII tier the symbols the panels use are spelt out, so a
 * terminal without UTF-8 reads "eta", not "?". */
static const struct {
    uint32_t cp;
    const char *ascii;
} translit[] = {
    {0x03B7, "eta"},  {0x03B8, "theta"}, {0x03B2, "beta"}, {0x03C3, "s"},
    {0x03C4, "tau"},  {0x03BE, "xi"},    {0x03B4, "delta"}, {0x03B3, "gamma"},
    {0x2299, "*"},    {0x2016, "|"},     {0x2080, "0"},    {0x2081, "1"},
    {0x00B2, "^2"},   {0x00B7, "-"},     {0x2026, "..."},  {0x00D7, "x"},
    {0x00F7, "/"},    {0x2265, ">="},    {0x2264, "<="},   {0x2013, "-"},
    {0x2014, "-"},    {0x2192, "->"},    {0x25CF, "@"},    {0x25CB, "o"},
    {0x2212, "-"},    {0x2248, "~"},     {0x2502, "|"},    {0x2500, "-"},
    {0x250C, "+"},    {0x2510, "+"},     {0x2514, "+"},    {0x2518, "+"},
    {0x2524, "+"},    {0x03BB, "lambda"}, {0x2219, "."},  {0x25B4, "^"},  {0x25B2, "^"},
    {0x2588, "#"},    {0x2591, "-"},     {0x2260, "!="},
    {0x2715, "X"},    {0x25B8, ">"},     {0x2508, ".."},
};

static const char *ascii_for(uint32_t cp)
{
    for (size_t i = 0; i < sizeof translit / sizeof translit[0]; i++)
        if (translit[i].cp == cp)
            return translit[i].ascii;
    return "?";
}

static int put_text_cell(canvas *c, int x, int y, uint32_t cp, int role,
                         int attr)
{
    cell *p = cell_at(c, x, y);
    if (!p)
        return 0;
    p->ch = cp;
    p->dots = 0;
    p->role = (uint8_t)role;
    p->attr = (uint8_t)attr;
    return 1;
}

int canvas_text(canvas *c, int x, int y, const char *utf8, int role, int attr,
                int maxw)
{
    if (!utf8 || y < 0 || y >= c->h)
        return 0;
    const unsigned char *s = (const unsigned char *)utf8;
    int written = 0, col = 0;
    while (*s && (maxw < 0 || col < maxw) && x + col < c->w) {
        uint32_t cp;
        s += text_next(s, &cp);
        if (c->tier == GLYPH_ASCII && cp >= 0x80) {
            for (const char *a = ascii_for(cp);
                 *a && (maxw < 0 || col < maxw) && x + col < c->w; a++, col++)
                written += put_text_cell(c, x + col, y, (unsigned char)*a,
                                         role, attr);
            continue;
        }
        written += put_text_cell(c, x + col, y, cp, role, attr);
        col++;
    }
    return written;
}

int canvas_text_cells(const canvas *c, const char *utf8)
{
    if (!utf8)
        return 0;
    if (c->tier != GLYPH_ASCII)
        return canvas_text_width(utf8);
    const unsigned char *s = (const unsigned char *)utf8;
    int n = 0;
    while (*s) {
        uint32_t cp;
        s += text_next(s, &cp);
        n += cp >= 0x80 ? (int)strlen(ascii_for(cp)) : 1;
    }
    return n;
}

int canvas_text_width(const char *utf8)
{
    if (!utf8)
        return 0;
    const unsigned char *s = (const unsigned char *)utf8;
    int n = 0;
    while (*s) {
        uint32_t cp;
        s += text_next(s, &cp);
        n++;
    }
    return n;
}

/* r ∩ the canvas; an empty result has w or h ≤ 0. */
static rect rect_clip(const canvas *c, rect r)
{
    int x0 = r.x < 0 ? 0 : r.x, y0 = r.y < 0 ? 0 : r.y;
    /* 64-bit ends: a huge r.x + r.w must not overflow int. */
    long long x1 = (long long)r.x + r.w, y1 = (long long)r.y + r.h;
    if (x1 > c->w)
        x1 = c->w;
    if (y1 > c->h)
        y1 = c->h;
    rect o = {x0, y0, (int)(x1 - x0), (int)(y1 - y0)};
    if (o.w < 0 || r.w <= 0)
        o.w = 0;
    if (o.h < 0 || r.h <= 0)
        o.h = 0;
    return o;
}

void canvas_fill(canvas *c, rect r, uint32_t ch, int role, int attr)
{
    rect k = rect_clip(c, r);
    for (int y = k.y; y < k.y + k.h; y++)
        for (int x = k.x; x < k.x + k.w; x++)
            canvas_put(c, x, y, ch, role, attr);
}

void canvas_put(canvas *c, int x, int y, uint32_t ch, int role, int attr)
{
    cell *p = cell_at(c, x, y);
    if (!p)
        return;
    /* ch == 0 would silently turn the cell into an empty dot cell. */
    p->ch = ch ? ch : ' ';
    p->dots = 0;
    p->role = (uint8_t)role;
    p->attr = (uint8_t)attr;
}

void canvas_dot(canvas *c, rect r, int px, int py, int role)
{
    int dx = canvas_dots_x(c), dy = canvas_dots_y(c);
    if (px < 0 || py < 0 || r.w <= 0 || r.h <= 0 || px / dx >= r.w ||
        py / dy >= r.h)
        return;
    cell *p = cell_at(c, r.x + px / dx, r.y + py / dy);
    if (!p)
        return;
    if (p->ch) { /* text cell: becomes an empty dot cell first */
        p->ch = 0;
        p->dots = 0;
        p->attr = 0;
    }
    int sx = px % dx, sy = py % dy;
    switch (c->tier) {
    case GLYPH_BRAILLE: p->dots |= braille_bit[sy][sx]; break;
    case GLYPH_BLOCK: p->dots |= (uint8_t)(1u << (sy * 2 + sx)); break;
    default: p->dots |= 1; break;
    }
    p->role = (uint8_t)role;
}

/* Where a clipped segment starts or ends: parameter t and, when a
 * boundary set it, which coordinate it pinned (0 none, 1 x, 2 y) and to
 * what value.  Pinning matters for huge endpoints: re-deriving the
 * coordinate from t would cancel catastrophically (±1e308 · ½ ≈ 0). */
typedef struct clip_end {
    double t;
    int pin;
    double at;
} clip_end;

/* Narrows [e0, e1] to the part of the segment with coordinate a in
 * [lo, hi], Liang–Barsky style.  Differences on halves so that endpoints
 * like ±1e308 cannot overflow to infinity.  0 if nothing is left. */
static int clip_axis(double a0, double a1, double lo, double hi, int which,
                     clip_end *e0, clip_end *e1)
{
    double d = a1 / 2 - a0 / 2;
    if (d == 0)
        return a0 >= lo && a0 <= hi;
    double ba = d > 0 ? lo : hi, bb = d > 0 ? hi : lo; /* entry, exit */
    double ta = (ba / 2 - a0 / 2) / d, tb = (bb / 2 - a0 / 2) / d;
    if (ta > e0->t)
        *e0 = (clip_end){ta, which, ba};
    if (tb < e1->t)
        *e1 = (clip_end){tb, which, bb};
    return e0->t <= e1->t;
}

/* a0 + t (a1 − a0) without overflow for finite a0, a1 and t in [0, 1]. */
static double lerp(double a0, double a1, double t)
{
    return a0 * (1 - t) + a1 * t;
}

static int clamp_round(double v, int n)
{
    double r = floor(v + 0.5);
    return r < 0 ? 0 : r > n - 1 ? n - 1 : (int)r;
}

void canvas_line(canvas *c, rect r, double x0, double y0, double x1,
                 double y1, int role)
{
    canvas_line_dash(c, r, x0, y0, x1, y1, role, 0xFF);
}

void canvas_line_dash(canvas *c, rect r, double x0, double y0, double x1,
                      double y1, int role, unsigned dash)
{
    if (!isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1) ||
        r.w <= 0 || r.h <= 0)
        return;
    int W = r.w * canvas_dots_x(c), H = r.h * canvas_dots_y(c);
    /* Dot i covers [i − ½, i + ½): clip to the union of all dots. */
    clip_end e0 = {0, 0, 0}, e1 = {1, 0, 0};
    if (!clip_axis(x0, x1, -0.5, W - 0.5, 1, &e0, &e1) ||
        !clip_axis(y0, y1, -0.5, H - 0.5, 2, &e0, &e1))
        return;
    int ax = clamp_round(e0.pin == 1 ? e0.at : lerp(x0, x1, e0.t), W);
    int ay = clamp_round(e0.pin == 2 ? e0.at : lerp(y0, y1, e0.t), H);
    int bx = clamp_round(e1.pin == 1 ? e1.at : lerp(x0, x1, e1.t), W);
    int by = clamp_round(e1.pin == 2 ? e1.at : lerp(y0, y1, e1.t), H);
    /* Bresenham between the clipped integer endpoints: at most W + H dots. */
    int sx = ax < bx ? 1 : -1, sy = ay < by ? 1 : -1;
    int ddx = abs(bx - ax), ddy = -abs(by - ay), err = ddx + ddy;
    for (;;) {
        if ((dash >> (ax & 7)) & 1)
            canvas_dot(c, r, ax, ay, role);
        if (ax == bx && ay == by)
            break;
        int e2 = 2 * err;
        if (e2 >= ddy) {
            err += ddy;
            ax += sx;
        }
        if (e2 <= ddx) {
            err += ddx;
            ay += sy;
        }
    }
}

/* The glyph of a dot cell in the ASCII tier; see the table at the top. */
static uint32_t ascii_glyph(int role)
{
    switch (role) {
    case ROLE_TRAIN: return '*';
    case ROLE_TEST: return 'o';
    case ROLE_BAND: return ':';
    case ROLE_MARK: return '|';
    case ROLE_ITERATE: return '@';
    case ROLE_TRAIL: return '.';
    case ROLE_DIM: return '.';
    case ROLE_RUN1: case ROLE_RUN2: case ROLE_RUN3: case ROLE_RUN4:
    case ROLE_RUN5: case ROLE_RUN6: return (uint32_t)('1' + role - ROLE_RUN1);
    default: return '#';
    }
}

static int utf8_encode(uint32_t cp, char out[5])
{
    /* Anything that would corrupt the terminal or isn't a scalar prints as
     * '?', so a bad canvas_put can't break a frame. */
    if (cp < 0x20 || cp == 0x7F || (cp >= 0xD800 && cp <= 0xDFFF) ||
        cp > 0x10FFFF)
        cp = '?';
    int n;
    if (cp < 0x80) {
        out[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    out[n] = '\0';
    return n;
}

int canvas_cell_utf8(const canvas *c, int x, int y, char out[5])
{
    if (x < 0 || y < 0 || x >= c->w || y >= c->h)
        return utf8_encode(' ', out);
    const cell *p = &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
    if (p->ch)
        return utf8_encode(p->ch, out);
    if (!p->dots)
        return utf8_encode(' ', out);
    switch (c->tier) {
    case GLYPH_BRAILLE: return utf8_encode(0x2800u + p->dots, out);
    case GLYPH_BLOCK: return utf8_encode(block_glyph[p->dots & 15], out);
    default: return utf8_encode(ascii_glyph(p->role), out);
    }
}

size_t canvas_to_text(const canvas *c, char *buf, size_t cap)
{
    size_t len = 0, kept = 0; /* bytes needed, bytes stored */
    int full = !buf || cap == 0;
    char u[5];
    for (int y = 0; y < c->h; y++) {
        for (int x = 0; x <= c->w; x++) {
            int n = 1;
            if (x < c->w)
                n = canvas_cell_utf8(c, x, y, u);
            else
                u[0] = '\n';
            /* Like snprintf, but a multi-byte character is never split:
             * once one doesn't fit (with room for the NUL), stop storing. */
            if (!full && kept + (size_t)n < cap) {
                memcpy(buf + kept, u, (size_t)n);
                kept += (size_t)n;
            } else {
                full = 1;
            }
            len += (size_t)n;
        }
    }
    if (buf && cap)
        buf[kept] = '\0';
    return len;
}

/* canvas.h — an off-screen grid of terminal cells with sub-cell dots.
 *
 * Everything the app shows is drawn here first; the curses front end, the
 * plain-text snapshot and the asciicast writer only serialize a canvas.
 * No terminal code: this file never includes <curses.h>.
 *
 * A cell holds either text (one code point) or dots.  Dots give plots
 * sub-cell resolution, per glyph tier:
 *   GLYPH_BRAILLE  2 × 4 dots per cell, U+2800 + bits (dot 1..8 = 0x01,
 *                  0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80; dots 7 and 8
 *                  are the bottom row: left 0x40, right 0x80)
 *   GLYPH_BLOCK    2 × 2 per cell, quadrant blocks (▘▝▖▗▀▄▌▐▚▞▙▛▜▟█)
 *   GLYPH_ASCII    1 × 1 per cell, a role-specific ASCII character (a
 *                  run's role draws its digit, "1".."6")
 * Each cell has one colour role; the last dot drawn in a cell sets it. */
#ifndef SGDSCOPE_CANVAS_H
#define SGDSCOPE_CANVAS_H

#include <stddef.h>
#include <stdint.h>

typedef enum { GLYPH_ASCII, GLYPH_BLOCK, GLYPH_BRAILLE } glyph_tier;

/* Semantic colour roles; the front end maps them to a palette. */
typedef enum {
    ROLE_TEXT,     /* default text */
    ROLE_DIM,      /* axes, ticks, secondary text */
    ROLE_TITLE,    /* panel titles */
    ROLE_TRAIN,    /* train loss, the main curve */
    ROLE_TEST,     /* test loss, targets (β*, θ*²) */
    ROLE_BAND,     /* the loss band */
    ROLE_MARK,     /* η-change / decay markers, thresholds */
    ROLE_ITERATE,  /* the current iterate */
    ROLE_TRAIL,    /* past iterates */
    ROLE_WARN,     /* divergence, errors */
    ROLE_GOOD,     /* "inside the interval", bouncing */
    /* One per run of a comparison (runstyle.h): its curves, markers and
     * name.  Single runs never use them. */
    ROLE_RUN1, ROLE_RUN2, ROLE_RUN3, ROLE_RUN4, ROLE_RUN5, ROLE_RUN6,
    /* The loss surface's heat map, low to high (panel_surface.c): a ramp
     * dark to bright, so the valley floor is dark and a path on it
     * stands out. */
    ROLE_HEAT1, ROLE_HEAT2, ROLE_HEAT3, ROLE_HEAT4, ROLE_HEAT5, ROLE_HEAT6,
    ROLE_HEAT7,
    ROLE_COUNT
} color_role;

/* How a front end colours a role: a 256-colour index, an 8-colour
 * fallback (the ANSI number 0–7, which curses' COLOR_* constants equal;
 * −1 the terminal's default) and ATTR_* bits that carry the meaning
 * even without colour.  Data, so a new role never needs front-end code. */
typedef struct role_colour {
    short c256, c8;
    unsigned char attr;
} role_colour;

/* The palette, indexed by color_role (ROLE_COUNT entries). */
extern const role_colour canvas_palette[ROLE_COUNT];

enum { ATTR_BOLD = 1, ATTR_DIM = 2, ATTR_REVERSE = 4 };

typedef struct cell {
    uint32_t ch;    /* code point for text cells; 0 for dot cells */
    uint8_t dots;   /* dot bits for dot cells (tier-specific layout) */
    uint8_t role;   /* color_role */
    uint8_t attr;   /* ATTR_* */
} cell;

typedef struct canvas {
    int w, h;
    glyph_tier tier;
    cell *cells;    /* h rows of w cells */
    size_t cap;     /* allocated cells */
} canvas;

typedef struct rect {
    int x, y, w, h;
} rect;

/* Allocates a w × h canvas (w, h ≥ 0).  Returns 0 or −1. */
int canvas_init(canvas *c, int w, int h, glyph_tier tier);
/* Frees it (safe on a zeroed one). */
void canvas_free(canvas *c);
/* Changes the size, reallocating only when it grows; clears.  0 or −1. */
int canvas_resize(canvas *c, int w, int h);
/* Every cell becomes a blank text cell. */
void canvas_clear(canvas *c);

/* Dots per cell horizontally and vertically for the canvas's tier. */
int canvas_dots_x(const canvas *c);
int canvas_dots_y(const canvas *c);

/* Writes UTF-8 text at (x, y), clipped to the canvas and to at most maxw
 * cells (maxw < 0: no limit).  Returns the number of cells written.
 * Wide or invalid sequences are replaced by '?'. */
int canvas_text(canvas *c, int x, int y, const char *utf8, int role, int attr,
                int maxw);
/* The cells canvas_text would use for utf8 with no clipping (one per code
 * point or replaced byte), for aligning and truncating labels. */
int canvas_text_width(const char *utf8);
/* Cells canvas_text would use for utf8 on this canvas (in the ASCII tier
 * symbols are spelt out, so "η" takes three cells). */
int canvas_text_cells(const canvas *c, const char *utf8);
/* Fills r with code point ch. */
void canvas_fill(canvas *c, rect r, uint32_t ch, int role, int attr);
/* Sets one cell to code point ch (clipped). */
void canvas_put(canvas *c, int x, int y, uint32_t ch, int role, int attr);

/* Sets the dot (px, py) of rectangle r, in dots from r's top-left corner;
 * dots outside r are dropped.  A text cell becomes a dot cell. */
void canvas_dot(canvas *c, rect r, int px, int py, int role);
/* A straight line of dots between two points of r (dot coordinates,
 * doubles, clipped to r; NaN endpoints draw nothing). */
void canvas_line(canvas *c, rect r, double x0, double y0, double x1,
                 double y1, int role);
/* The same, dashed: a dot in dot column px is drawn only when bit
 * px % 8 of dash is set (0xFF: solid, as canvas_line), so overlaid curves
 * read apart without colour. */
void canvas_line_dash(canvas *c, rect r, double x0, double y0, double x1,
                      double y1, int role, unsigned dash);

/* The UTF-8 bytes of cell (x, y) into out (at most 4 bytes + NUL);
 * returns the byte count.  Blank text cells give " ". */
int canvas_cell_utf8(const canvas *c, int x, int y, char out[5]);
/* The whole canvas as plain UTF-8 text, one line per row, trailing spaces
 * kept, each row ending in '\n'.  Writes at most cap bytes including the
 * NUL; returns the length it needed (like snprintf). */
size_t canvas_to_text(const canvas *c, char *buf, size_t cap);

#endif

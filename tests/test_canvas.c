/* test_canvas.c — cells, dots per tier, UTF-8 text, clipping, text output. */
#include "testutil.h"

#include "canvas.h"

/* The whole canvas as text, in a buffer big enough for these tests. */
static const char *as_text(const canvas *c)
{
    static char buf[8192];
    size_t n = canvas_to_text(c, buf, sizeof buf);
    assert_true(n < sizeof buf);
    return buf;
}

static const char *cell_str(const canvas *c, int x, int y)
{
    static char out[5];
    canvas_cell_utf8(c, x, y, out);
    return out;
}

/* The Unicode braille layout, written out independently of canvas.c. */
static void test_braille_bits(void **state)
{
    static const struct {
        int px, py;
        const char *glyph;
    } want[8] = {
        {0, 0, "\u2801"}, {0, 1, "\u2802"}, {0, 2, "\u2804"},
        {1, 0, "\u2808"}, {1, 1, "\u2810"}, {1, 2, "\u2820"},
        {0, 3, "\u2840"}, {1, 3, "\u2880"},
    };
    canvas c;
    assert_int_equal(canvas_init(&c, 1, 1, GLYPH_BRAILLE), 0);
    assert_int_equal(canvas_dots_x(&c), 2);
    assert_int_equal(canvas_dots_y(&c), 4);
    rect r = {0, 0, 1, 1};
    for (int i = 0; i < 8; i++) {
        canvas_clear(&c);
        canvas_dot(&c, r, want[i].px, want[i].py, ROLE_TRAIN);
        assert_string_equal(cell_str(&c, 0, 0), want[i].glyph);
    }
    assert_string_equal(cell_str(&c, 0, 0), "⢀"); /* (1,3) is the last */
    canvas_clear(&c);
    for (int i = 0; i < 8; i++)
        canvas_dot(&c, r, want[i].px, want[i].py, ROLE_TRAIN);
    assert_string_equal(cell_str(&c, 0, 0), "⣿");
    assert_int_equal(c.cells[0].role, ROLE_TRAIN);
    /* The second cell of a 2-cell rect starts at dot column 2. */
    canvas_free(&c);
    assert_int_equal(canvas_init(&c, 2, 1, GLYPH_BRAILLE), 0);
    canvas_dot(&c, (rect){0, 0, 2, 1}, 2, 3, ROLE_TRAIN);
    assert_string_equal(as_text(&c), " ⡀\n");
    canvas_free(&c);
}

static void test_block_quadrants(void **state)
{
    /* Indexed by TL | TR<<1 | BL<<2 | BR<<3. */
    static const char *want[16] = {" ", "▘", "▝", "▀", "▖", "▌", "▞", "▛",
                                   "▗", "▚", "▐", "▜", "▄", "▙", "▟", "█"};
    static const int qx[4] = {0, 1, 0, 1}, qy[4] = {0, 0, 1, 1};
    canvas c;
    assert_int_equal(canvas_init(&c, 1, 1, GLYPH_BLOCK), 0);
    assert_int_equal(canvas_dots_x(&c), 2);
    assert_int_equal(canvas_dots_y(&c), 2);
    for (int m = 0; m < 16; m++) {
        canvas_clear(&c);
        for (int q = 0; q < 4; q++)
            if (m & (1 << q))
                canvas_dot(&c, (rect){0, 0, 1, 1}, qx[q], qy[q], ROLE_TEST);
        assert_string_equal(cell_str(&c, 0, 0), want[m]);
    }
    canvas_free(&c);
}

static void test_ascii_roles(void **state)
{
    static const struct {
        int role;
        const char *glyph;
    } want[] = {
        {ROLE_TRAIN, "*"}, {ROLE_TEST, "o"},    {ROLE_BAND, ":"},
        {ROLE_MARK, "|"},  {ROLE_ITERATE, "@"}, {ROLE_TRAIL, "."},
        {ROLE_TEXT, "#"},  {ROLE_WARN, "#"},    {ROLE_GOOD, "#"},
    };
    canvas c;
    assert_int_equal(canvas_init(&c, 1, 1, GLYPH_ASCII), 0);
    assert_int_equal(canvas_dots_x(&c), 1);
    assert_int_equal(canvas_dots_y(&c), 1);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        canvas_clear(&c);
        canvas_dot(&c, (rect){0, 0, 1, 1}, 0, 0, want[i].role);
        assert_string_equal(cell_str(&c, 0, 0), want[i].glyph);
    }
    /* The last role drawn into a cell decides its glyph. */
    canvas_dot(&c, (rect){0, 0, 1, 1}, 0, 0, ROLE_TEST);
    assert_string_equal(cell_str(&c, 0, 0), "o");
    /* Dots past the rect's single dot are dropped. */
    canvas_clear(&c);
    canvas_dot(&c, (rect){0, 0, 1, 1}, 1, 0, ROLE_TRAIN);
    canvas_dot(&c, (rect){0, 0, 1, 1}, 0, 1, ROLE_TRAIN);
    assert_string_equal(cell_str(&c, 0, 0), " ");
    canvas_free(&c);
}

static void test_text_clip(void **state)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 5, 2, GLYPH_BRAILLE), 0);
    assert_int_equal(canvas_text(&c, -2, 0, "abcdef", ROLE_TEXT, 0, -1), 4);
    assert_string_equal(as_text(&c), "cdef \n     \n");
    canvas_clear(&c);
    assert_int_equal(canvas_text(&c, 3, 1, "xyz", ROLE_TEXT, 0, -1), 2);
    assert_string_equal(as_text(&c), "     \n   xy\n");
    canvas_clear(&c);
    assert_int_equal(canvas_text(&c, 0, 0, "hello", ROLE_TEXT, 0, 2), 2);
    assert_int_equal(canvas_text(&c, -1, 1, "hello", ROLE_TEXT, 0, 3), 2);
    assert_string_equal(as_text(&c), "he   \nel   \n");
    assert_int_equal(canvas_text(&c, 0, 0, "hello", ROLE_TEXT, 0, 0), 0);
    assert_int_equal(canvas_text(&c, 0, 2, "hello", ROLE_TEXT, 0, -1), 0);
    assert_int_equal(canvas_text(&c, 0, -1, "hello", ROLE_TEXT, 0, -1), 0);
    assert_int_equal(canvas_text(&c, 5, 0, "hello", ROLE_TEXT, 0, -1), 0);
    assert_int_equal(canvas_text(&c, -9, 0, "hello", ROLE_TEXT, 0, -1), 0);
    assert_int_equal(canvas_text(&c, 0, 0, NULL, ROLE_TEXT, 0, -1), 0);
    assert_int_equal(canvas_text(&c, 0, 0, "", ROLE_TEXT, 0, -1), 0);
    assert_string_equal(as_text(&c), "he   \nel   \n");
    /* Role and attributes are stored per cell. */
    canvas_text(&c, 4, 0, "!", ROLE_WARN, ATTR_BOLD, -1);
    assert_int_equal(c.cells[4].role, ROLE_WARN);
    assert_int_equal(c.cells[4].attr, ATTR_BOLD);
    canvas_free(&c);
}

static void test_text_utf8(void **state)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 8, 1, GLYPH_BRAILLE), 0);
    assert_int_equal(canvas_text(&c, 0, 0, "η‖θ≥×–…", ROLE_TEXT, 0, -1), 7);
    assert_string_equal(as_text(&c), "η‖θ≥×–… \n");
    assert_int_equal(c.cells[0].ch, 0x3B7);
    assert_int_equal(c.cells[1].ch, 0x2016);
    assert_int_equal(canvas_text_width("η‖θ≥×–…"), 7);

    static const struct {
        const char *in, *out;
    } cases[] = {
        {"a\xFF" "b\xC3", "a?b?"},       /* bad lead, truncated at NUL */
        {"\xC0\xAF", "??"},              /* overlong '/' */
        {"\xE0\x80\xAF", "???"},         /* overlong, 3 bytes */
        {"\xED\xA0\x80", "???"},         /* a surrogate */
        {"\xF4\x90\x80\x80", "????"},    /* beyond U+10FFFF */
        {"\xE2\x80x", "??x"},            /* truncated, then ASCII */
        {"\x80\xBF", "??"},              /* stray continuations */
        {"中!", "?!"},                   /* East Asian wide */
        {"\xF0\x9F\x98\x80", "?"},       /* an emoji (wide) */
        {"a\tb\x1B", "a?b?"},            /* controls */
        {"e\xCC\x81", "e?"},             /* a combining accent */
        {"\xF0\x9D\x9C\x82", "𝜂"},       /* 4-byte, single width */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        canvas_clear(&c);
        int n = canvas_text(&c, 0, 0, cases[i].in, ROLE_TEXT, 0, -1);
        assert_int_equal(n, canvas_text_width(cases[i].out));
        assert_int_equal(canvas_text_width(cases[i].in), n);
        char want[64];
        snprintf(want, sizeof want, "%-*s\n", 8 + (int)strlen(cases[i].out) -
                                                   canvas_text_width(cases[i].out),
                 cases[i].out);
        assert_string_equal(as_text(&c), want);
    }
    canvas_free(&c);
}

/* Zero-size canvases and rects: every call is a safe no-op. */
static void test_empty(void **state)
{
    canvas c;
    char buf[8] = "zzzzzzz";
    assert_int_equal(canvas_init(&c, 0, 0, GLYPH_BRAILLE), 0);
    canvas_clear(&c);
    assert_int_equal(canvas_text(&c, 0, 0, "abc", ROLE_TEXT, 0, -1), 0);
    canvas_put(&c, 0, 0, 'x', ROLE_TEXT, 0);
    canvas_fill(&c, (rect){0, 0, 5, 5}, 'x', ROLE_TEXT, 0);
    canvas_dot(&c, (rect){0, 0, 5, 5}, 0, 0, ROLE_TEXT);
    canvas_line(&c, (rect){0, 0, 5, 5}, 0, 0, 9, 9, ROLE_TEXT);
    assert_int_equal(canvas_to_text(&c, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    assert_int_equal(canvas_to_text(&c, NULL, 0), 0);
    canvas_free(&c);
    canvas_free(&c); /* twice is harmless */
    assert_int_equal(canvas_init(&c, -1, 3, GLYPH_ASCII), -1);
    canvas_free(&c);

    assert_int_equal(canvas_init(&c, 1, 1, GLYPH_BRAILLE), 0);
    rect bad[] = {{0, 0, 0, 0},        {0, 0, -3, 1},     {1, 0, 1, 1},
                  {0, -1, 1, 1},       {-5, -5, 2, 2},    {5, 5, 1, 1},
                  {0, 0, 1, 0}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        canvas_dot(&c, bad[i], 0, 0, ROLE_TRAIN);
        canvas_line(&c, bad[i], -1e308, -1e308, 1e308, 1e308, ROLE_TRAIN);
        canvas_fill(&c, bad[i], 'x', ROLE_TEXT, 0);
    }
    assert_string_equal(as_text(&c), " \n");
    /* A huge rect is clipped, not overflowed. */
    canvas_fill(&c, (rect){0, 0, 2147483647, 2147483647}, 'x', 0, 0);
    assert_string_equal(as_text(&c), "x\n");
    canvas_fill(&c, (rect){-2147483647, 0, 2147483647, 1}, 'y', 0, 0);
    assert_string_equal(as_text(&c), "x\n");
    canvas_put(&c, 1, 0, 'z', 0, 0);
    canvas_put(&c, -1, 0, 'z', 0, 0);
    canvas_put(&c, 0, 0, 0, 0, 0); /* 0 is not a dot cell in disguise */
    assert_string_equal(as_text(&c), " \n");
    canvas_line(&c, (rect){0, 0, 1, 1}, -1e308, 1.5, 1e308, 1.5, ROLE_TRAIN);
    assert_string_equal(as_text(&c), "⠤\n"); /* row 2, both columns */
    canvas_free(&c);
}

/* Reads dot (px, py) of a braille canvas back from its cell bits. */
static int braille_dot(const canvas *c, int px, int py)
{
    static const uint8_t bit[4][2] = {
        {0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};
    const cell *k = &c->cells[(py / 4) * c->w + px / 2];
    return k->ch == 0 && (k->dots & bit[py % 4][px % 2]);
}

static void test_line(void **state)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 4, 1, GLYPH_BRAILLE), 0);
    rect r = {0, 0, 4, 1}; /* 8 × 4 dots */
    canvas_line(&c, r, 0, 0, 7, 3, ROLE_TRAIN);
    assert_true(braille_dot(&c, 0, 0));
    assert_true(braille_dot(&c, 7, 3));
    int n = 0;
    for (int x = 0; x < 8; x++) /* one dot per column: no gaps, no blobs */
        for (int y = 0; y < 4; y++)
            n += braille_dot(&c, x, y) != 0;
    assert_int_equal(n, 8);
    /* Reversed endpoints give the same endpoints. */
    canvas_clear(&c);
    canvas_line(&c, r, 7, 3, 0, 0, ROLE_TRAIN);
    assert_true(braille_dot(&c, 0, 0) && braille_dot(&c, 7, 3));
    /* Clipped: a long horizontal line fills exactly its row. */
    canvas_clear(&c);
    canvas_line(&c, r, -5, 1, 100, 1, ROLE_TRAIN);
    assert_string_equal(as_text(&c), "⠒⠒⠒⠒\n");
    /* Entirely outside, NaN or Inf endpoints: nothing. */
    canvas_clear(&c);
    canvas_line(&c, r, -5, -5, -1, -1, ROLE_TRAIN);
    canvas_line(&c, r, 8.6, 0, 20, 3, ROLE_TRAIN);
    canvas_line(&c, r, NAN, 0, 3, 3, ROLE_TRAIN);
    canvas_line(&c, r, 0, 0, INFINITY, 3, ROLE_TRAIN);
    assert_string_equal(as_text(&c), "    \n");
    /* A single point is a dot. */
    canvas_line(&c, r, 2.2, 1.8, 2.2, 1.8, ROLE_TRAIN);
    assert_string_equal(as_text(&c), " ⠄  \n");
    /* A diagonal through a sub-rect stays inside it. */
    canvas_clear(&c);
    canvas_line(&c, (rect){1, 0, 2, 1}, -100, -100, 100, 100, ROLE_TRAIN);
    assert_int_equal(c.cells[0].ch, ' ');
    assert_int_equal(c.cells[3].ch, ' ');
    assert_int_equal(c.cells[1].ch, 0);
    /* Huge endpoints: the visible part keeps its slope. */
    canvas_clear(&c);
    canvas_line(&c, r, -1e308, 3, 1e308, 3, ROLE_TRAIN);
    assert_string_equal(as_text(&c), "⣀⣀⣀⣀\n");
    /* … and a clipped end lands on the edge, not somewhere near the
     * other endpoint (½·1e308 − ½·1e308 is not reliably 0). */
    canvas_clear(&c);
    canvas_line(&c, r, -1e308, 3, 3, 3, ROLE_TRAIN);
    canvas_line(&c, r, 1e308, 0, 4, 0, ROLE_TRAIN);
    assert_string_equal(as_text(&c), "⣀⣀⠉⠉\n");
    canvas_free(&c);
}

static void test_dot_over_text(void **state)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 2, 1, GLYPH_BRAILLE), 0);
    canvas_text(&c, 0, 0, "ab", ROLE_TEXT, ATTR_BOLD, -1);
    canvas_dot(&c, (rect){0, 0, 2, 1}, 0, 0, ROLE_TRAIN);
    assert_string_equal(as_text(&c), "⠁b\n");
    assert_int_equal(c.cells[0].role, ROLE_TRAIN);
    /* And text overwrites dots. */
    canvas_put(&c, 0, 0, 'q', ROLE_TEXT, 0);
    assert_string_equal(as_text(&c), "qb\n");
    canvas_free(&c);
}

/* Small hand-drawn canvases, one per tier, against exact text. */
static void test_golden_tiers(void **state)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 4, 2, GLYPH_BRAILLE), 0);
    rect r = {0, 0, 3, 2};
    canvas_text(&c, 0, 0, "η=", ROLE_TEXT, 0, -1);
    canvas_line(&c, r, 0, 7, 5, 7, ROLE_TRAIN);
    canvas_dot(&c, r, 5, 0, ROLE_TEST);
    canvas_put(&c, 3, 1, '|', ROLE_DIM, 0);
    assert_string_equal(as_text(&c), "η=⠈ \n⣀⣀⣀|\n");

    c.tier = GLYPH_BLOCK; /* same cells, 2 × 2 dots now */
    canvas_clear(&c);
    canvas_text(&c, 0, 0, "η=", ROLE_TEXT, 0, -1);
    canvas_line(&c, r, 0, 3, 5, 3, ROLE_TRAIN);
    canvas_line(&c, r, 0, 2, 0, 3, ROLE_TRAIN);
    canvas_dot(&c, r, 5, 0, ROLE_TEST);
    assert_string_equal(as_text(&c), "η=▝ \n▙▄▄ \n");

    c.tier = GLYPH_ASCII;
    canvas_clear(&c);
    canvas_text(&c, 0, 0, "η=", ROLE_TEXT, 0, -1);
    canvas_dot(&c, r, 2, 0, ROLE_TEST);
    canvas_line(&c, r, 0, 1, 2, 1, ROLE_TRAIN);
    canvas_dot(&c, (rect){3, 0, 1, 2}, 0, 1, ROLE_ITERATE);
    /* the ASCII tier spells η out; the dot then lands on its third cell */
    assert_string_equal(as_text(&c), "eto=\n***@\n");
    canvas_free(&c);
}

static void test_to_text_cap(void **state)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 2, 1, GLYPH_BRAILLE), 0);
    canvas_text(&c, 0, 0, "η=", ROLE_TEXT, 0, -1); /* "η=\n": 4 bytes */
    char buf[8];
    memset(buf, 'z', sizeof buf);
    assert_int_equal(canvas_to_text(&c, buf, 5), 4);
    assert_string_equal(buf, "η=\n");
    memset(buf, 'z', sizeof buf);
    assert_int_equal(canvas_to_text(&c, buf, 4), 4);
    assert_string_equal(buf, "η=");
    memset(buf, 'z', sizeof buf);
    assert_int_equal(canvas_to_text(&c, buf, 2), 4);
    assert_string_equal(buf, ""); /* 'η' is never split */
    assert_int_equal(buf[2], 'z');
    assert_int_equal(canvas_to_text(&c, buf, 0), 4);
    assert_int_equal(buf[0], '\0'); /* untouched from the previous call */
    canvas_free(&c);
}

static void test_resize(void **state)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 2, 2, GLYPH_BLOCK), 0);
    canvas_fill(&c, (rect){0, 0, 2, 2}, 'x', ROLE_TEXT, 0);
    assert_int_equal(canvas_resize(&c, 3, 1), 0);
    assert_string_equal(as_text(&c), "   \n");
    size_t cap = c.cap;
    assert_int_equal(canvas_resize(&c, 1, 1), 0); /* shrinking keeps memory */
    assert_int_equal(c.cap, cap);
    assert_int_equal(canvas_resize(&c, 6, 5), 0);
    assert_true(c.cap >= 30);
    assert_int_equal(c.tier, GLYPH_BLOCK);
    assert_int_equal(canvas_resize(&c, -1, 5), -1);
    assert_int_equal(canvas_resize(&c, 0, 0), 0);
    assert_string_equal(as_text(&c), "");
    canvas_free(&c);
}

/* The ASCII tier spells out every symbol the panels and the status line
 * use, so no title reads "?" on a plain terminal. */
static void test_ascii_symbols(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"λmax", "lambdamax"}, {"2/η", "2/eta"},  {"≤1e-16", "<=1e-16"},
        {"∙ last", ". last"},  {"▴ β* ≠ 0", "^ beta* != 0"},
        {"█░", "#-"},          {"▲", "^"},        {"θ=θ*−1e-9", "theta=theta*-1e-9"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        canvas c;
        assert_int_equal(canvas_init(&c, 24, 1, GLYPH_ASCII), 0);
        canvas_text(&c, 0, 0, cases[i].in, ROLE_TEXT, 0, -1);
        assert_int_equal(canvas_text_cells(&c, cases[i].in),
                         (int)strlen(cases[i].out));
        char want[64];
        snprintf(want, sizeof want, "%-24s\n", cases[i].out);
        assert_string_equal(as_text(&c), want);
        canvas_free(&c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_braille_bits),
        cmocka_unit_test(test_block_quadrants),
        cmocka_unit_test(test_ascii_roles),
        cmocka_unit_test(test_text_clip),
        cmocka_unit_test(test_text_utf8),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_line),
        cmocka_unit_test(test_dot_over_text),
        cmocka_unit_test(test_golden_tiers),
        cmocka_unit_test(test_to_text_cap),
        cmocka_unit_test(test_resize),
        cmocka_unit_test(test_ascii_symbols),
    };
    return cmocka_run_group_tests_name("canvas", tests, NULL, NULL);
}

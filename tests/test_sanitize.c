/* test_sanitize.c — the one function every piece of user text goes
 * through before a terminal, a frame or a recording (issue 8, items 7
 * and 10): the escapes, the truncation on character boundaries, and
 * that no output can carry a control. */
#include "testutil.h"

#include "sanitize.h"

static void check(const char *in, const char *want)
{
    char out[256];
    size_t need = sanitize_text(out, sizeof out, in);
    if (strcmp(out, want) != 0)
        fail_msg("sanitize('%s') = '%s', want '%s'", in, out, want);
    assert_int_equal(need, strlen(want));
    assert_int_equal(sanitize_is_clean(in), strcmp(in, want) == 0);
}

static void test_plain_text_unchanged(void **st)
{
    (void)st;
    check("", "");
    check("Prop. 2: SGD bounces", "Prop. 2: SGD bounces");
    check("θ² → η ÷ 1.1 ≤ 2/λ", "θ² → η ÷ 1.1 ≤ 2/λ");
    check("日本語 \xc2\xa0nbsp", "日本語 \xc2\xa0nbsp");
    /* a backslash stays itself: escaping is idempotent */
    check("C:\\path \\e \\x9b \\theta", "C:\\path \\e \\x9b \\theta");
    check("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"); /* U+1F600 */
}

static void test_c0_and_del(void **st)
{
    (void)st;
    check("a\x1b[2Jb", "a\\e[2Jb");
    check("esc\x1b]0;PWN\x07name.scene", "esc\\e]0;PWN\\aname.scene");
    check("\t\n\r\b\v\f", "\\t\\n\\r\\b\\v\\f");
    check("\x01\x1f\x7f", "\\x01\\x1f\\x7f");
    char out[16];
    assert_int_equal(sanitize_textn(out, sizeof out, "a\0b", 3), 6);
    assert_string_equal(out, "a\\x00b");
}

static void test_c1_and_bidi(void **st)
{
    (void)st;
    check("a\xc2\x9b" "2Jb", "a\\u009b2Jb"); /* C1 CSI as UTF-8 */
    check("\xc2\x80\xc2\x9f", "\\u0080\\u009f");
    check("\xe2\x80\xae" "txt.exe", "\\u202etxt.exe"); /* RLO */
    check("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad",
          "\\u202a\\u202b\\u202c\\u202d");
    check("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9",
          "\\u2066\\u2067\\u2068\\u2069");
    check("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "\\u200e\\u200f\\u061c");
    check("\xe2\x80\xa8\xe2\x80\xa9", "\\u2028\\u2029");
}

static void test_invalid_utf8_bytes(void **st)
{
    (void)st;
    check("a\x9b" "b", "a\\x9bb");          /* raw C1 byte */
    check("\xc0\xaf", "\\xc0\\xaf");         /* overlong '/' */
    check("\xed\xa0\x80", "\\xed\\xa0\\x80"); /* a surrogate */
    check("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* > U+10FFFF */
    check("\xe2\x82", "\\xe2\\x82");         /* cut short at the end */
    check("\xe2\x82x", "\\xe2\\x82x");
    check("\xff\xfe", "\\xff\\xfe");
}

static void test_truncation_keeps_whole_units(void **st)
{
    (void)st;
    char out[16];
    memset(out, 'X', sizeof out);
    assert_int_equal(sanitize_text(out, 4, "ηηη"), 6);
    assert_string_equal(out, "η"); /* 2 bytes: the next η would need 5 */
    assert_int_equal(sanitize_text(out, 5, "ηηη"), 6);
    assert_string_equal(out, "ηη");
    assert_int_equal(sanitize_text(out, 3, "a\x1b"), 3);
    assert_string_equal(out, "a"); /* \e is never cut to a lone '\' */
    assert_int_equal(sanitize_text(out, 6, "\xc2\x9b"), 6);
    assert_string_equal(out, "");
    assert_int_equal(sanitize_text(out, 7, "\xc2\x9b"), 6);
    assert_string_equal(out, "\\u009b");
    /* cut, not thinned: a short unit after a long one is not squeezed in */
    assert_int_equal(sanitize_text(out, 4, "ab\x1b" "c"), 5);
    assert_string_equal(out, "ab");
    assert_int_equal(sanitize_text(out, 1, "abc"), 3);
    assert_string_equal(out, "");
    out[0] = 'X';
    assert_int_equal(sanitize_text(out, 0, "abc"), 3);
    assert_int_equal(out[0], 'X'); /* cap 0 writes nothing */
    assert_int_equal(sanitize_text(out, sizeof out, NULL), 0);
    assert_string_equal(out, "");
}

static size_t clip(const char *s, size_t max)
{
    return sanitize_clip(s, strlen(s), max);
}

static void test_clip(void **st)
{
    (void)st;
    assert_int_equal(clip("aéb", 1), 1);
    assert_int_equal(clip("aéb", 2), 1); /* not inside é */
    assert_int_equal(clip("aéb", 3), 3);
    assert_int_equal(clip("aéb", 99), 4);
    assert_int_equal(clip("\x9b\x9b", 1), 1); /* a bad byte is one */
    assert_int_equal(clip("日本", 5), 3);
    assert_int_equal(clip("", 5), 0);
    /* only the n bytes given are looked at */
    assert_int_equal(sanitize_clip("abc", 2, 5), 2);
}

/* Output that a terminal could act on: a C0 or C1 control, DEL, a bidi
 * or line control, or a byte that is not UTF-8. */
static int dangerous(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char b = s[i];
        if (b < 0x20 || b == 0x7F)
            return 1;
        if (b < 0x80) {
            i++;
            continue;
        }
        size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
        if (b < 0xC2 || b > 0xF4 || i + len > n)
            return 1;
        uint32_t cp = b & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 1;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x61C || cp == 0x200E ||
            cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
            (cp >= 0x2066 && cp <= 0x2069) || (cp >= 0xD800 && cp <= 0xDFFF))
            return 1;
        i += len;
    }
    return 0;
}

/* Every 1-, 2- and 3-byte input (the third byte from a sample), and
 * random ones cut to random widths: clean, valid UTF-8, within the cap,
 * the same when sanitized again, and the whole text when it fits. */
static void test_no_input_gets_through(void **st)
{
    (void)st;
    unsigned char in[64];
    char out[256], again[256];
    static const unsigned char third[] = {0x00, 0x1b, 0x41, 0x80, 0x9b,
                                          0xa0, 0xae, 0xbf, 0xc2, 0xe2,
                                          0xff};
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = 0; b < 256; b++)
            for (size_t c = 0; c < sizeof third; c++) {
                in[0] = (unsigned char)a;
                in[1] = (unsigned char)b;
                in[2] = third[c];
                for (size_t n = 1; n <= 3; n++) {
                    size_t need = sanitize_textn(out, sizeof out,
                                                 (char *)in, n);
                    size_t len = strlen(out);
                    if (need != len || dangerous((unsigned char *)out, len))
                        fail_msg("%02x %02x %02x (n %zu) gives '%s'", a, b,
                                 third[c], n, out);
                    sanitize_text(again, sizeof again, out);
                    assert_string_equal(again, out);
                }
            }
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (int round = 0; round < 20000; round++) {
        size_t n = 0;
        while (n < sizeof in - 1) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if ((x & 31) == 0)
                break;
            /* bias to the interesting bytes */
            static const unsigned char pick[] = {0x1b, 0x07, 0x9b, 0xc2,
                                                 0xe2, 0x80, 0xae, 0xd8,
                                                 0x9c, 0x81, 0xa6};
            in[n++] = (x >> 8) & 1 ? pick[(x >> 16) % sizeof pick]
                                   : (unsigned char)(x >> 24);
        }
        in[n] = 0;
        size_t cap = (size_t)(x >> 40) % 40;
        size_t need = sanitize_textn(out, cap, (char *)in, n);
        if (cap == 0)
            continue;
        size_t len = strlen(out);
        assert_true(len < cap);
        assert_true(len <= need);
        if (dangerous((unsigned char *)out, len))
            fail_msg("round %d: dangerous output '%s'", round, out);
        if (need < cap)
            assert_int_equal(len, need);
    }
}

static void test_fputs_matches(void **st)
{
    (void)st;
    const char *in = "ok \x1b[31mred\xc2\x9b \xe2\x80\xae rlo \x9b end";
    char want[256], got[256];
    sanitize_text(want, sizeof want, in);
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(sanitize_fputs(in, f), 0);
    rewind(f);
    size_t n = fread(got, 1, sizeof got - 1, f);
    got[n] = 0;
    fclose(f);
    assert_string_equal(got, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text_unchanged),
        cmocka_unit_test(test_c0_and_del),
        cmocka_unit_test(test_c1_and_bidi),
        cmocka_unit_test(test_invalid_utf8_bytes),
        cmocka_unit_test(test_truncation_keeps_whole_units),
        cmocka_unit_test(test_clip),
        cmocka_unit_test(test_no_input_gets_through),
        cmocka_unit_test(test_fputs_matches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

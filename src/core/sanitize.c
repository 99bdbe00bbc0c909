/* sanitize.c — visible escapes for control, bidi and invalid bytes in
 * user text; see sanitize.h for the convention. */
#include "sanitize.h"

#include <stdint.h>
#include <string.h>

size_t sanitize_utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char b = s[0];
    size_t len;
    uint32_t v, min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b >= 0xC2 && b <= 0xDF)
        len = 2, v = b & 0x1Fu, min = 0x80;
    else if (b >= 0xE0 && b <= 0xEF)
        len = 3, v = b & 0x0Fu, min = 0x800;
    else if (b >= 0xF0 && b <= 0xF4)
        len = 4, v = b & 0x07u, min = 0x10000;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* Code points that control a terminal (C1) or the direction and lines of
 * the text around them (bidi embeddings, overrides, isolates and marks,
 * the line and paragraph separators). */
static int cp_escaped(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E ||
           cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

/* The next unit of s[0..n): its byte length in *used, and either its
 * escape in esc (returned) or NULL when it is copied as it is. */
static const char *next_unit(const unsigned char *s, size_t n, size_t *used,
                             char esc[8])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char b = s[0];
    uint32_t cp = 0;
    if (b < 0x20 || b == 0x7F) {
        static const char named[] = {
            ['\a'] = 'a', ['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n',
            ['\v'] = 'v', ['\f'] = 'f', ['\r'] = 'r', [0x1B] = 'e',
        };
        *used = 1;
        esc[0] = '\\';
        if (b < sizeof named && named[b]) {
            esc[1] = named[b];
            esc[2] = '\0';
        } else {
            esc[1] = 'x';
            esc[2] = hex[b >> 4];
            esc[3] = hex[b & 15];
            esc[4] = '\0';
        }
        return esc;
    }
    size_t len = sanitize_utf8_seq(s, n, &cp);
    if (len == 0) {
        *used = 1;
        esc[0] = '\\';
        esc[1] = 'x';
        esc[2] = hex[b >> 4];
        esc[3] = hex[b & 15];
        esc[4] = '\0';
        return esc;
    }
    *used = len;
    if (!cp_escaped(cp))
        return NULL;
    esc[0] = '\\';
    esc[1] = 'u';
    for (int k = 0; k < 4; k++)
        esc[2 + k] = hex[(cp >> (12 - 4 * k)) & 15];
    esc[6] = '\0';
    return esc;
}

size_t sanitize_textn(char *dst, size_t cap, const char *src, size_t n)
{
    const unsigned char *s = (const unsigned char *)(src ? src : "");
    size_t need = 0, out = 0, i = 0;
    int full = cap == 0;
    if (!src)
        n = 0;
    while (i < n) {
        size_t used;
        char esc[8];
        const char *e = next_unit(s + i, n - i, &used, esc);
        const char *piece = e ? e : (const char *)s + i;
        size_t len = e ? strlen(e) : used;
        /* Once one unit did not fit, nothing after it is written either:
         * the text is cut, not thinned. */
        if (!full && out + len < cap) {
            memcpy(dst + out, piece, len);
            out += len;
        } else {
            full = 1;
        }
        need += len;
        i += used;
    }
    if (cap > 0)
        dst[out] = '\0';
    return need;
}

size_t sanitize_text(char *dst, size_t cap, const char *src)
{
    return sanitize_textn(dst, cap, src, src ? strlen(src) : 0);
}

size_t sanitize_clip(const char *s, size_t n, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = sanitize_utf8_seq(p + i, n - i, &cp);
        if (len == 0)
            len = 1;
        if (i + len > max)
            break;
        i += len;
    }
    return i;
}

int sanitize_is_clean(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    while (i < n) {
        size_t used;
        char esc[8];
        if (next_unit(p + i, n - i, &used, esc))
            return 0;
        i += used;
    }
    return 1;
}

int sanitize_fputs(const char *s, FILE *f)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p), i = 0, run = 0;
    /* Clean runs are written as they are, escapes in between. */
    while (i < n) {
        size_t used;
        char esc[8];
        const char *e = next_unit(p + i, n - i, &used, esc);
        if (e) {
            if (fwrite(p + run, 1, i - run, f) != i - run ||
                fputs(e, f) == EOF)
                return EOF;
            run = i + used;
        }
        i += used;
    }
    if (fwrite(p + run, 1, n - run, f) != n - run)
        return EOF;
    return 0;
}

/* testutil.h — what every cmocka test file includes, in cmocka's order. */
#ifndef SGDSCOPE_TESTUTIL_H
#define SGDSCOPE_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* |a − b| ≤ tol·max(1, |a|, |b|), with a readable failure message. */
#define assert_close(a, b, tol)                                              \
    do {                                                                     \
        double a_ = (a), b_ = (b), s_ = fabs(a_);                            \
        if (fabs(b_) > s_) s_ = fabs(b_);                                    \
        if (s_ < 1.0) s_ = 1.0;                                              \
        if (!(fabs(a_ - b_) <= (tol) * s_))                                  \
            fail_msg("%s = %.17g vs %s = %.17g (tol %g)", #a, a_, #b, b_,   \
                     (double)(tol));                                         \
    } while (0)

/* Compares text with tests/golden/NAME.txt, or rewrites the file when
 * SGDSCOPE_UPDATE_GOLDEN is set (then read the diff).  A failure shows
 * the first differing line, the golden and what was drawn. */
static inline void check_golden(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "tests/golden/%s.txt", name);
    const char *upd = getenv("SGDSCOPE_UPDATE_GOLDEN");
    if (upd && *upd) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
        return;
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("missing golden %s", path);
    static char want[1 << 20];
    size_t n = fread(want, 1, sizeof want - 1, f);
    fclose(f);
    want[n] = 0;
    if (strcmp(want, text) != 0) {
        const char *a = want, *b = text;
        int line = 1;
        while (*a && *a == *b) {
            if (*a == '\n')
                line++;
            a++, b++;
        }
        fail_msg("%s differs from the golden at line %d:\n%s\n--- got ---\n%s",
                 name, line, want, text);
    }
}

#endif

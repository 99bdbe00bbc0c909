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

#endif

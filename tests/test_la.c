/* test_la.c — singular values and QR on matrices whose answers are known. */
#include "testutil.h"

#include "la.h"

/* Sorted-descending comparison of k singular values, absolute tol. */
static void check_sv(const double *sv, const double *want, size_t k,
                     double tol)
{
    for (size_t i = 0; i < k; i++)
        assert_close(sv[i], want[i], tol);
}

static void test_diag(void **state)
{
    la_ws ws;
    assert_int_equal(la_ws_init(&ws, 5, 5), 0);
    const double A[9] = {3, 0, 0, 0, -1, 0, 0, 0, 2};
    double sv[3], want[3] = {3, 2, 1};
    assert_int_equal(la_singular_values(&ws, A, 3, 3, sv), 0);
    check_sv(sv, want, 3, 1e-14);
    la_ws_free(&ws);
}

/* A = 5 u1 v1ᵀ + 2 u2 v2ᵀ with orthonormal u's and v's: σ = 5, 2, 0, 0. */
static void test_rank2(void **state)
{
    const double u1[4] = {.5, .5, .5, .5}, u2[4] = {.5, -.5, .5, -.5};
    const double v1[4] = {1. / 3, 2. / 3, 2. / 3, 0};
    const double v2[4] = {2. / 3, 1. / 3, -2. / 3, 0};
    double A[16];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            A[i * 4 + j] = 5 * u1[i] * v1[j] + 2 * u2[i] * v2[j];
    la_ws ws;
    assert_int_equal(la_ws_init(&ws, 4, 4), 0);
    double sv[4], want[4] = {5, 2, 0, 0};
    assert_int_equal(la_singular_values(&ws, A, 4, 4, sv), 0);
    check_sv(sv, want, 4, 1e-13);
    /* The input must be left untouched. */
    assert_true(A[0] == 5 * u1[0] * v1[0] + 2 * u2[0] * v2[0]);
    la_ws_free(&ws);
}

/* Orthogonal rows of norms 3, 5, √5: σ = 5, 3, √5, for A and for Aᵀ. */
static void test_rectangles(void **state)
{
    const double A[15] = {1, 2, 2, 0, 0,
                          0, 0, 0, 4, 3,
                          2, -1, 0, 0, 0};
    double At[15];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 5; j++)
            At[j * 3 + i] = A[i * 5 + j];
    double want[3] = {5, 3, sqrt(5.0)}, sv[3];
    la_ws ws;
    assert_int_equal(la_ws_init(&ws, 5, 5), 0); /* larger than both */
    assert_int_equal(la_singular_values(&ws, A, 3, 5, sv), 0);
    check_sv(sv, want, 3, 1e-13);
    memset(sv, 0, sizeof sv);
    assert_int_equal(la_singular_values(&ws, At, 5, 3, sv), 0);
    check_sv(sv, want, 3, 1e-13);
    la_ws_free(&ws);

    /* A workspace of exactly the matrix's shape works as well. */
    assert_int_equal(la_ws_init(&ws, 3, 5), 0);
    assert_int_equal(la_singular_values(&ws, A, 3, 5, sv), 0);
    check_sv(sv, want, 3, 1e-13);
    /* ...and refuses anything larger than it was built for. */
    assert_int_not_equal(la_singular_values(&ws, At, 5, 3, sv), 0);
    la_ws_free(&ws);
}

/* A generic 3 × 5: Σσ² = ‖A‖_F² and Πσ² = det(AAᵀ). */
static void test_generic(void **state)
{
    const double A[15] = {0.3, -1.2, 2.0, 0.7, 0.1,
                          1.1, 0.4, -0.5, 0.9, -2.2,
                          -0.8, 0.6, 1.3, -1.7, 0.2};
    double G[9] = {0}, fro = 0;
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 3; k++)
            for (int j = 0; j < 5; j++)
                G[i * 3 + k] += A[i * 5 + j] * A[k * 5 + j];
    for (int i = 0; i < 15; i++)
        fro += A[i] * A[i];
    double det = G[0] * (G[4] * G[8] - G[5] * G[7]) -
                 G[1] * (G[3] * G[8] - G[5] * G[6]) +
                 G[2] * (G[3] * G[7] - G[4] * G[6]);
    la_ws ws;
    double sv[3];
    assert_int_equal(la_ws_init(&ws, 3, 5), 0);
    assert_int_equal(la_singular_values(&ws, A, 3, 5, sv), 0);
    assert_true(sv[0] >= sv[1] && sv[1] >= sv[2] && sv[2] > 0);
    assert_close(sv[0] * sv[0] + sv[1] * sv[1] + sv[2] * sv[2], fro, 1e-13);
    assert_close(sv[0] * sv[0] * sv[1] * sv[1] * sv[2] * sv[2], det, 1e-12);
    la_ws_free(&ws);
}

static void test_nonfinite(void **state)
{
    la_ws ws;
    double A[4] = {1, 0, 0, NAN}, sv[2];
    assert_int_equal(la_ws_init(&ws, 2, 2), 0);
    assert_int_not_equal(la_singular_values(&ws, A, 2, 2, sv), 0);
    A[3] = INFINITY;
    assert_int_not_equal(la_singular_values(&ws, A, 2, 2, sv), 0);
    la_ws_free(&ws);
    la_ws_free(&ws); /* safe twice: a freed workspace is zeroed */
}

/* R upper triangular with RᵀR = AᵀA. */
static void test_qr_r(void **state)
{
    enum { ROWS = 7, COLS = 4 };
    double A[ROWS * COLS], R[COLS * COLS];
    for (int k = 0; k < ROWS * COLS; k++)
        A[k] = sin(1.7 * k + 0.3) + 0.1 * k;
    assert_int_equal(la_qr_r(A, ROWS, COLS, R), 0);
    for (int i = 0; i < COLS; i++)
        for (int j = 0; j < i; j++)
            assert_true(R[i * COLS + j] == 0.0);
    for (int i = 0; i < COLS; i++)
        for (int j = 0; j < COLS; j++) {
            double ata = 0, rtr = 0;
            for (int k = 0; k < ROWS; k++)
                ata += A[k * COLS + i] * A[k * COLS + j];
            for (int k = 0; k < COLS; k++)
                rtr += R[k * COLS + i] * R[k * COLS + j];
            assert_close(rtr, ata, 1e-12);
        }
    assert_int_not_equal(la_qr_r(A, 3, 4, R), 0); /* rows < cols */
}

/* la_dot_fixed's order is its contract (the authors' β* depends on it):
 * cases where summing in another order, or without the fused
 * multiply-add, gives another number. */
static void test_dot_fixed_order(void **state)
{
    (void)state;
    double x[40] = {0}, y[40];
    for (int i = 0; i < 40; i++)
        y[i] = 1.0;
    /* lanes: 1e16 in register 0 lane 0, 1 in lane 1, −1e16 in register
     * 1 lane 0: the registers cancel first, the 1 survives (in order,
     * 1e16 + 1 rounds to 1e16 and the sum is 0) */
    x[0] = 1e16;
    x[1] = 1.0;
    x[4] = -1e16;
    assert_true(la_dot_fixed(x, y, 16) == 1.0);
    double seq = 0;
    for (int i = 0; i < 16; i++)
        seq += x[i] * y[i];
    assert_true(seq == 0.0);
    /* the tail (n mod 16) is added after the fold */
    x[16] = 0.5;
    assert_true(la_dot_fixed(x, y, 17) == 1.5);
    /* one fused multiply-add per element: (1 + 2^-30)^2 − (1 + 2^-29)
     * is 2^-60 exactly, 0 when the product is rounded first */
    memset(x, 0, sizeof x);
    double a = 1.0 + ldexp(1.0, -30);
    x[0] = 1.0;
    y[0] = -(1.0 + ldexp(1.0, -29));
    x[16] = a;
    y[16] = a;
    assert_true(la_dot_fixed(x, y, 32) == ldexp(1.0, -60));
    /* a plain case, and n = 0 */
    for (int i = 0; i < 40; i++) {
        x[i] = i;
        y[i] = 2.0;
    }
    assert_true(la_dot_fixed(x, y, 40) == 2.0 * 39 * 40 / 2);
    assert_true(la_dot_fixed(x, y, 0) == 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_diag),
        cmocka_unit_test(test_rank2),
        cmocka_unit_test(test_rectangles),
        cmocka_unit_test(test_generic),
        cmocka_unit_test(test_nonfinite),
        cmocka_unit_test(test_qr_r),
        cmocka_unit_test(test_dot_fixed_order),
    };
    return cmocka_run_group_tests_name("la", tests, NULL, NULL);
}

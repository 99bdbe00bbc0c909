/* la.c — LAPACKE wrappers; see la.h.
 *
 * Singular values go through dgesdd in COLUMN-major order on purpose: a
 * row-major rows × cols matrix is, byte for byte, its cols × rows transpose
 * in column-major order, and a matrix and its transpose share their
 * singular values.  The column-major LAPACKE_*_work entry points call
 * LAPACK directly, whereas the row-major ones malloc a transposed copy on
 * every call (and, in some LAPACKE versions, reject ldu/ldvt smaller than
 * the matrix even for jobz = 'N').  So la_singular_values never allocates. */
#include "la.h"

#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* dgesdd's documented minimal lwork for jobz = 'N' on an M × N matrix. */
static size_t gesdd_min_lwork(size_t m, size_t n)
{
    size_t mn = m < n ? m : n, mx = m < n ? n : m;
    size_t b = mx > 7 * mn ? mx : 7 * mn;
    return 3 * mn + b;
}

int la_ws_init(la_ws *ws, size_t max_rows, size_t max_cols)
{
    memset(ws, 0, sizeof *ws);
    if (max_rows == 0 || max_cols == 0)
        return -1;
    size_t mn = max_rows < max_cols ? max_rows : max_cols;
    ws->max_rows = max_rows;
    ws->max_cols = max_cols;
    ws->a = malloc(max_rows * max_cols * sizeof *ws->a);
    ws->iwork = malloc(8 * mn * sizeof *ws->iwork);
    if (!ws->a || !ws->iwork)
        goto fail;

    /* Workspace query at the largest shape (in the transposed, column-major
     * view we actually factor).  The minimal lwork is monotone in both
     * sizes, so a buffer good for the largest shape is good for any
     * smaller one; take the larger of the optimum and the minimum. */
    double q = 0.0, dummy = 0.0;
    lapack_int info = LAPACKE_dgesdd_work(
        LAPACK_COL_MAJOR, 'N', (lapack_int)max_cols, (lapack_int)max_rows,
        ws->a, (lapack_int)max_cols, &dummy, &dummy, 1, &dummy, 1, &q, -1,
        ws->iwork);
    size_t lw = gesdd_min_lwork(max_cols, max_rows);
    if (info == 0 && q > (double)lw)
        lw = (size_t)q;
    ws->lwork = (int)lw;
    ws->work = malloc(lw * sizeof *ws->work);
    if (!ws->work)
        goto fail;
    return 0;
fail:
    la_ws_free(ws);
    return -1;
}

void la_ws_free(la_ws *ws)
{
    free(ws->a);
    free(ws->work);
    free(ws->iwork);
    memset(ws, 0, sizeof *ws);
}

int la_singular_values(la_ws *ws, const double *A, size_t rows, size_t cols,
                       double *sv)
{
    if (rows == 0 || cols == 0)
        return 0;
    if (rows > ws->max_rows || cols > ws->max_cols || !ws->a)
        return -1;
    size_t len = rows * cols;
    /* dgesdd would reject (newer LAPACK) or loop on (older) a non-finite
     * input; a diverged run produces those, so refuse them cheaply. */
    for (size_t i = 0; i < len; i++)
        if (!isfinite(A[i]))
            return -1;
    memcpy(ws->a, A, len * sizeof *A);
    double dummy = 0.0;
    lapack_int info = LAPACKE_dgesdd_work(
        LAPACK_COL_MAJOR, 'N', (lapack_int)cols, (lapack_int)rows, ws->a,
        (lapack_int)cols, sv, &dummy, 1, &dummy, 1, ws->work,
        (lapack_int)ws->lwork, ws->iwork);
    return (int)info;
}

int la_qr_r(const double *A, size_t rows, size_t cols, double *R)
{
    if (cols == 0 || rows < cols)
        return -1;
    double *a = malloc(rows * cols * sizeof *a);
    double *tau = malloc(cols * sizeof *tau);
    if (!a || !tau) {
        free(a);
        free(tau);
        return -1;
    }
    memcpy(a, A, rows * cols * sizeof *A);
    lapack_int info = LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, (lapack_int)rows,
                                     (lapack_int)cols, a, (lapack_int)cols,
                                     tau);
    if (info == 0) {
        /* R is the upper triangle of the first cols rows of the result. */
        for (size_t i = 0; i < cols; i++)
            for (size_t j = 0; j < cols; j++)
                R[i * cols + j] = j >= i ? a[i * cols + j] : 0.0;
    }
    free(a);
    free(tau);
    return (int)info;
}

double la_dot_fixed(const double *x, const double *y, size_t n)
{
    /* OpenBLAS's ddot runs its kernel on the first n & ~15 elements:
     * four 4-wide registers r_k, r_k[l] taking i ≡ 4k + l (mod 16) with
     * one fused multiply-add each; each register's upper half added onto
     * its lower, then (r0 + r1) + (r2 + r3), then the two lanes; the
     * tail last, in order. */
    size_t n16 = n & ~(size_t)15, i;
    double r[4][4] = {{0}};
    for (i = 0; i < n16; i += 16)
        for (int k = 0; k < 4; k++)
            for (int l = 0; l < 4; l++)
                r[k][l] = fma(x[i + 4 * k + l], y[i + 4 * k + l], r[k][l]);
    double h[4][2], q[2];
    for (int k = 0; k < 4; k++)
        for (int l = 0; l < 2; l++)
            h[k][l] = r[k][l] + r[k][l + 2];
    for (int l = 0; l < 2; l++)
        q[l] = (h[0][l] + h[1][l]) + (h[2][l] + h[3][l]);
    double dot = q[0] + q[1];
    for (; i < n; i++)
        dot += y[i] * x[i];
    return dot;
}

/* la.h — thin wrappers over LAPACKE/CBLAS with the storage rules spelled
 * out.  Callers own every buffer; nothing here allocates after la_ws_init. */
#ifndef SGDSCOPE_LA_H
#define SGDSCOPE_LA_H

#include <stddef.h>

/* Workspace for la_singular_values on matrices up to max_rows × max_cols. */
typedef struct la_ws {
    size_t max_rows, max_cols;
    double *a;      /* copy of the input (dgesdd overwrites it) */
    double *work;
    int *iwork;
    int lwork;
} la_ws;

/* Allocates a workspace; returns 0 or −1 on allocation failure. */
int la_ws_init(la_ws *ws, size_t max_rows, size_t max_cols);
/* Frees a workspace (safe on a zeroed one). */
void la_ws_free(la_ws *ws);

/* Singular values, descending, of the row-major rows × cols matrix A
 * (A is not modified) into sv[0 .. min(rows, cols)).  Uses dgesdd with
 * jobz = 'N'.  Returns 0, or the LAPACK info (non-zero) on failure. */
int la_singular_values(la_ws *ws, const double *A, size_t rows, size_t cols,
                       double *sv);

/* Upper-triangular R (cols × cols, row-major, zeros below the diagonal)
 * of the thin QR factorization of the row-major rows × cols matrix A,
 * rows ≥ cols.  Singular values of A·D equal those of R·D for any D.
 * Returns 0 or the LAPACK info. */
int la_qr_r(const double *A, size_t rows, size_t cols, double *R);

/* x·y summed in a fixed order that every machine reproduces to the bit:
 * the order of OpenBLAS's AVX2 (Haswell) ddot kernel, 16 running sums
 * with one fused multiply-add each, folded in its order, the n mod 16
 * tail added last.  It is what numpy's dot and norm gave on the machine
 * that printed the notebooks' numbers (tests/test_models.c checks the
 * authors' β* to the bit), while BLAS itself picks its kernel by CPU and
 * so varies in the last bits from machine to machine. */
double la_dot_fixed(const double *x, const double *y, size_t n);

#endif

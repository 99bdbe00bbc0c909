/* hessian.h — the top of the training-loss Hessian: its largest eigenvalue
 * λmax (the sharpness, drawn against the stability line 2/η) and its unit
 * eigenvector, the valley's steep direction.
 *
 * Products H v come from the model's analytic Hessian–vector product
 * (model_hvp), never from finite differences, so no step has to be tuned
 * to ‖θ‖: the error is rounding only, O(ε) relative to the sums of
 * |terms| of ∇²L v (tests/test_hessian.c finds 1e-10 against a central-
 * difference Hessian, whose own error is about that).  For ReLU nets it is
 * the Hessian almost everywhere: a data point exactly on a kink would add
 * a delta that no finite step resolves either.
 *   p ≤ HESSIAN_DENSE_MAX: H is built column by column from H e_k,
 *     symmetrized, and factored by LAPACKE dsyev: exact.
 *   larger p: Lanczos with full reorthogonalization (at most
 *     HESSIAN_LANCZOS_MAX steps), Ritz values from LAPACKE dstev on the
 *     tridiagonal; it stops early when the top Ritz pair's residual
 *     ‖H y − λ y‖ = β_k |z_k| falls below HESSIAN_TOL·‖T‖.  Started from
 *     the previous eigenvector (warm start) plus a fixed generic vector of
 *     relative weight 1e-3, so that a new top direction orthogonal to the
 *     old one is still found; the generic vector alone when there is no
 *     previous one.  Deterministic: no random numbers anywhere.
 * The eigenvector's sign is fixed so that its largest-magnitude component
 * (the first such) is positive: the direction does not flip between
 * evaluations. */
#ifndef SGDSCOPE_HESSIAN_H
#define SGDSCOPE_HESSIAN_H

#include <stddef.h>

#include "model.h"

#define HESSIAN_DENSE_MAX 8
#define HESSIAN_LANCZOS_MAX 30
#define HESSIAN_TOL 1e-10

/* Workspace for one parameter count p; all storage for hessian_top.
 * Q holds the Lanczos basis, row i = q_i (kmax × p, row-major). */
typedef struct hessian_ws {
    size_t p, kmax;
    double *Q, *w, *coef;          /* basis, H q, projections (kmax) */
    double *alpha, *beta;          /* T's diagonal and off-diagonal */
    double *d, *e, *z, *work;      /* dstev copies, eigenvectors, work */
    double *H, *ev, *syev_work;    /* dense path (p ≤ HESSIAN_DENSE_MAX) */
    int syev_lwork;
    int steps;                     /* Lanczos steps of the last call */
} hessian_ws;

/* Allocates the workspace for p parameters.  Returns 0, or −1 (p = 0 or
 * out of memory; the workspace is then safe to free). */
int hessian_ws_init(hessian_ws *ws, size_t p);
/* Frees a workspace (safe on a zeroed one). */
void hessian_ws_free(hessian_ws *ws);

/* λmax, the largest algebraic eigenvalue of ∇²L(θ).  vec (p doubles): on
 * entry the warm start (ignored when zero or not finite), on return the
 * unit top eigenvector, sign fixed as above.  Returns NaN (vec zeroed) if
 * a Hessian–vector product is not finite or LAPACK fails.  Never
 * allocates. */
double hessian_top(hessian_ws *ws, const model *m, const double *theta,
                   double *vec);

/* Flips v (p doubles) so that its first largest-magnitude entry is
 * positive. */
void hessian_fix_sign(double *v, size_t p);

#endif

/* hessian.c — λmax and the top eigenvector of ∇²L(θ); see hessian.h.
 *
 * LAPACK goes through the column-major *_work entry points with buffers
 * sized here, as in la.c: the high-level LAPACKE calls allocate on every
 * call, and this runs at the spectrum's cadence. */
#include "hessian.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Weight of the generic vector mixed into a warm start. */
#define WARM_MIX 1e-3

int hessian_ws_init(hessian_ws *ws, size_t p)
{
    memset(ws, 0, sizeof *ws);
    if (p == 0)
        return -1;
    size_t k = p < HESSIAN_LANCZOS_MAX ? p : HESSIAN_LANCZOS_MAX;
    ws->p = p;
    ws->kmax = k;
    ws->Q = malloc(k * p * sizeof *ws->Q);
    ws->w = malloc(p * sizeof *ws->w);
    ws->coef = malloc(k * sizeof *ws->coef);
    ws->alpha = malloc(k * sizeof *ws->alpha);
    ws->beta = malloc(k * sizeof *ws->beta);
    ws->d = malloc(k * sizeof *ws->d);
    ws->e = malloc(k * sizeof *ws->e);
    ws->z = malloc(k * k * sizeof *ws->z);
    ws->work = malloc(2 * k * sizeof *ws->work);
    if (!ws->Q || !ws->w || !ws->coef || !ws->alpha || !ws->beta || !ws->d ||
        !ws->e || !ws->z || !ws->work)
        return -1;
    if (p <= HESSIAN_DENSE_MAX) {
        ws->H = malloc(p * p * sizeof *ws->H);
        ws->ev = malloc(p * sizeof *ws->ev);
        if (!ws->H || !ws->ev)
            return -1;
        double q = 0.0;
        if (LAPACKE_dsyev_work(LAPACK_COL_MAJOR, 'V', 'U', (int)p, ws->H,
                               (int)p, ws->ev, &q, -1) != 0)
            return -1;
        ws->syev_lwork = (int)q > 1 ? (int)q : 1;
        ws->syev_work = malloc((size_t)ws->syev_lwork * sizeof *ws->syev_work);
        if (!ws->syev_work)
            return -1;
    }
    return 0;
}

void hessian_ws_free(hessian_ws *ws)
{
    free(ws->Q);
    free(ws->w);
    free(ws->coef);
    free(ws->alpha);
    free(ws->beta);
    free(ws->d);
    free(ws->e);
    free(ws->z);
    free(ws->work);
    free(ws->H);
    free(ws->ev);
    free(ws->syev_work);
    memset(ws, 0, sizeof *ws);
}

void hessian_fix_sign(double *v, size_t p)
{
    size_t at = 0;
    for (size_t j = 1; j < p; j++)
        if (fabs(v[j]) > fabs(v[at]))
            at = j;
    if (p > 0 && v[at] < 0.0)
        for (size_t j = 0; j < p; j++)
            v[j] = -v[j];
}

static int all_finite(const double *v, size_t p)
{
    double s = 0.0;
    for (size_t j = 0; j < p; j++)
        s += v[j] * 0.0; /* NaN iff some entry is NaN or ±Inf */
    return s == 0.0;
}

static double fail(double *vec, size_t p)
{
    memset(vec, 0, p * sizeof *vec);
    return NAN;
}

/* Exact: H from its columns H e_k, symmetrized (rounding makes the
 * products only nearly symmetric), then dsyev (ascending eigenvalues). */
static double top_dense(hessian_ws *ws, const model *m, const double *theta,
                        double *vec)
{
    size_t p = ws->p;
    double *e = ws->w;
    for (size_t k = 0; k < p; k++) {
        memset(e, 0, p * sizeof *e);
        e[k] = 1.0;
        model_hvp(m, theta, e, ws->H + k * p); /* column k, column-major */
        if (!all_finite(ws->H + k * p, p))
            return fail(vec, p);
    }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < i; j++) {
            double s = 0.5 * (ws->H[i * p + j] + ws->H[j * p + i]);
            ws->H[i * p + j] = ws->H[j * p + i] = s;
        }
    if (LAPACKE_dsyev_work(LAPACK_COL_MAJOR, 'V', 'U', (int)p, ws->H, (int)p,
                           ws->ev, ws->syev_work, ws->syev_lwork) != 0)
        return fail(vec, p);
    memcpy(vec, ws->H + (p - 1) * p, p * sizeof *vec);
    hessian_fix_sign(vec, p);
    ws->steps = 0;
    return ws->ev[p - 1];
}

/* The fixed start: entries 1 + ½cos(golden angle · j), generic enough to
 * meet every eigenvector of the toy models' Hessians. */
static void generic_start(double *q, size_t p)
{
    for (size_t j = 0; j < p; j++)
        q[j] = 1.0 + 0.5 * cos(2.399963229728653 * (double)j);
}

double hessian_top(hessian_ws *ws, const model *m, const double *theta,
                   double *vec)
{
    size_t p = ws->p;
    if (p <= HESSIAN_DENSE_MAX)
        return top_dense(ws, m, theta, vec);

    /* q_0: the warm start plus a little of the generic vector. */
    double *q0 = ws->Q;
    generic_start(q0, p);
    double gn = cblas_dnrm2((int)p, q0, 1);
    double vn = all_finite(vec, p) ? cblas_dnrm2((int)p, vec, 1) : 0.0;
    if (vn > 0.0) {
        cblas_dscal((int)p, WARM_MIX / gn, q0, 1);
        cblas_daxpy((int)p, 1.0 / vn, vec, 1, q0, 1);
    }
    cblas_dscal((int)p, 1.0 / cblas_dnrm2((int)p, q0, 1), q0, 1);

    size_t k = ws->kmax, steps = 0;
    double top = NAN;
    for (size_t j = 0; j < k; j++) {
        double *qj = ws->Q + j * p;
        model_hvp(m, theta, qj, ws->w);
        if (!all_finite(ws->w, p))
            return fail(vec, p);
        /* Full reorthogonalization, classical Gram–Schmidt twice ("twice
         * is enough"): w ← w − Qᵀ(Q w) against q_0..q_j.  The first pass
         * subtracts α_j q_j + β_{j−1} q_{j−1} and the rounding; α_j is the
         * sum of both passes' j-th coefficients. */
        int rows = (int)(j + 1);
        ws->alpha[j] = 0.0;
        for (int pass = 0; pass < 2; pass++) {
            cblas_dgemv(CblasRowMajor, CblasNoTrans, rows, (int)p, 1.0, ws->Q,
                        (int)p, ws->w, 1, 0.0, ws->coef, 1);
            ws->alpha[j] += ws->coef[j];
            cblas_dgemv(CblasRowMajor, CblasTrans, rows, (int)p, -1.0, ws->Q,
                        (int)p, ws->coef, 1, 1.0, ws->w, 1);
        }
        ws->beta[j] = cblas_dnrm2((int)p, ws->w, 1);
        steps = j + 1;

        /* Ritz pairs of T_{j+1}: eigenvalues ascending in d, eigenvectors
         * in the columns of z (column-major, ldz = j + 1). */
        memcpy(ws->d, ws->alpha, steps * sizeof *ws->d);
        memcpy(ws->e, ws->beta, j * sizeof *ws->e);
        if (LAPACKE_dstev_work(LAPACK_COL_MAJOR, 'V', rows, ws->d, ws->e,
                               ws->z, rows, ws->work) != 0)
            return fail(vec, p);
        top = ws->d[j];
        double scale = fmax(fabs(ws->d[0]), fabs(ws->d[j]));
        double resid = ws->beta[j] * fabs(ws->z[j * steps + j]);
        if (resid <= HESSIAN_TOL * scale || steps == k)
            break;
        cblas_dcopy((int)p, ws->w, 1, ws->Q + (j + 1) * p, 1);
        cblas_dscal((int)p, 1.0 / ws->beta[j], ws->Q + (j + 1) * p, 1);
    }
    ws->steps = (int)steps;
    /* y = Σ_i z_i q_i for the top Ritz vector z (last column). */
    cblas_dgemv(CblasRowMajor, CblasTrans, (int)steps, (int)p, 1.0, ws->Q,
                (int)p, ws->z + (steps - 1) * steps, 1, 0.0, vec, 1);
    double yn = cblas_dnrm2((int)p, vec, 1);
    if (!(yn > 0.0) || !isfinite(top))
        return fail(vec, p);
    cblas_dscal((int)p, 1.0 / yn, vec, 1);
    hessian_fix_sign(vec, p);
    return top;
}

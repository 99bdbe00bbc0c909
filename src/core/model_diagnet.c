/* model_diagnet.c — the diagonal linear network (spec §1.2):
 * θ = (u, v) ∈ R^d × R^d stored as theta[0..d) = u, theta[d..2d) = v,
 * h(x) = ⟨u ⊙ v, x⟩, loss L = 1/(2n) Σ r² (c = ½), so ∇ℓ = r [x⊙v, x⊙u].
 *
 * The SGD step is the hot loop of the app (millions of steps per second at
 * d = 200), so it is written as two flat passes the compiler vectorizes:
 * a dot product with independent partial sums, then the update. */
#include "kernels.h"
#include "la.h"
#include "metrics.h"
#include "model.h"
#include "model_registry.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct diagnet_priv {
    double *beta_star; /* d: the planted predictor */
    double *R;         /* d × d row-major: R of the probe matrix's QR
                          when there are at least d probes, else NULL */
    double *beta;      /* d: scratch for β = u ⊙ v in extras */
    double *scale;     /* d: scratch for √(u_j² + v_j²) in ntk_factor */
    double *hv;        /* 2n + 3d: scratch for diagnet_hvp */
    double *hv_theta;  /* 2d: the θ whose r and q hv holds (hv_ok) */
    int hv_ok;
    double *line;      /* 3n + 3d: the line's residual coefficients
                          (diagnet_line_begin) and their weights */
    int beta_unknown;  /* the training set came from a file: no β* */
} diagnet_priv;

/* The fixed-order sums, portable: the same source as the dispatched SGD
 * step, so predictions, gradients and steps agree. */
#include "kernel_sums.h"

/* Data draw order with sgdscope's generator, all from the `data` stream
 * (so a data seed fixes the data; numpy's order is draw_notebook's):
 *   1. r standard normals g_0..g_{r−1} for β*,
 *   2. the n training rows (row by row, d normals each),
 *   3. the n_test test rows.
 * Labels are y = X β*, noise-free.  The probe stream gives the
 * n_probe × d probe inputs, row by row (2d of them up to the cap, so a
 * capped set is the first rows of the full one). */
/* count rows x_i ~ N(0, I_d) (row-major) with noiseless labels
 * y_i = <x_i, β*>, drawn row by row from g. */
static void draw_planted(rng *g, const double *beta, size_t d, double *x,
                         double *y, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        double yi = 0.0;
        for (size_t j = 0; j < d; j++) {
            x[i * d + j] = rng_normal(g);
            yi += x[i * d + j] * beta[j];
        }
        y[i] = yi;
    }
}

/* sgdscope's order (see above): β* first, then the rows. */
static void draw_own(rng *data, double *beta, size_t d, size_t r, model *m)
{
    double nrm2 = 0.0;
    for (size_t j = 0; j < r; j++) {
        beta[j] = rng_normal(data);
        nrm2 += beta[j] * beta[j];
    }
    double nrm = sqrt(nrm2);
    for (size_t j = 0; j < r; j++)
        beta[j] = nrm > 0 ? fabs(beta[j]) / nrm : 0.0;
    draw_planted(data, beta, d, m->x, m->y, m->n);
    draw_planted(data, beta, d, m->xt, m->yt, m->n_test);
}

/* The notebooks' order (diag_nets_level_set_stabilization.ipynb, after
 * np.random.seed(data_seed)): X = multivariate_normal(0, I_d, n), which
 * for I_d is standard_normal((n, d)) row by row; X_test likewise; then
 * β* = randn(d), zeroed beyond r, then |β*| / ‖β*‖; y = X β*.  The norm
 * and the labels are summed in numpy's (OpenBLAS AVX2) order by
 * la_dot_fixed, not by this machine's BLAS, whose kernel and so whose
 * last bits depend on the CPU: β* equals the notebook's to the bit, the
 * labels to rounding, and both are the same on every machine. */
static void draw_notebook(rng *data, double *beta, size_t d, size_t r,
                          model *m)
{
    for (size_t i = 0; i < m->n * d; i++)
        m->x[i] = rng_normal(data);
    for (size_t i = 0; i < m->n_test * d; i++)
        m->xt[i] = rng_normal(data);
    for (size_t j = 0; j < d; j++) {
        double g = rng_normal(data);
        beta[j] = j < r ? g : 0.0;
    }
    double nrm = sqrt(la_dot_fixed(beta, beta, d));
    for (size_t j = 0; j < d; j++)
        beta[j] = nrm > 0 ? fabs(beta[j]) / nrm : 0.0;
    for (size_t i = 0; i < m->n; i++)
        m->y[i] = la_dot_fixed(m->x + i * d, beta, d);
    for (size_t i = 0; i < m->n_test; i++)
        m->yt[i] = la_dot_fixed(m->xt + i * d, beta, d);
}

/* Points from files (prm->data, prm->test_data) over the drawn ones.  The
 * draw still runs first, so the data stream is used the same way with or
 * without files.  A training set from a file has no planted predictor:
 * β* is unknown (zero here; diagnet_beta_star says NULL).  A test set
 * alone keeps the drawn training set and its β*. */
static int diagnet_take_data(model *m, diagnet_priv *pv,
                             const model_params *prm, char *err,
                             size_t errlen)
{
    const model_data *tr = prm->data, *te = prm->test_data;
    size_t d = m->dim;
    if ((tr && (tr->n != m->n || tr->dim != d)) ||
        (te && (te->n != m->n_test || te->dim != d))) {
        snprintf(err, errlen, "diagnet: the data files' sizes differ from "
                 "n = %zu, n_test = %zu, d = %zu", m->n, m->n_test, d);
        return -1;
    }
    if (tr) {
        memcpy(m->x, tr->x, tr->n * d * sizeof *m->x);
        memcpy(m->y, tr->y, tr->n * sizeof *m->y);
        memset(pv->beta_star, 0, d * sizeof *pv->beta_star);
        pv->beta_unknown = 1;
    }
    if (te && te->n) {
        memcpy(m->xt, te->x, te->n * d * sizeof *m->xt);
        memcpy(m->yt, te->y, te->n * sizeof *m->yt);
    }
    return 0;
}

static int diagnet_create(model *m, const model_params *prm, rng *data,
                          rng *probe, char *err, size_t errlen)
{
    if (prm->d < 1 || prm->r < 1 || prm->r > prm->d) {
        snprintf(err, errlen, "diagnet: need d >= 1 and 1 <= r <= d "
                 "(got d=%d, r=%d)", prm->d, prm->r);
        return -1;
    }
    if (prm->n < 1 || prm->n_test < 0) {
        snprintf(err, errlen, "diagnet: need n >= 1 and n_test >= 0 "
                 "(got n=%d, n_test=%d)", prm->n, prm->n_test);
        return -1;
    }
    if (!isfinite(prm->init_u) || !isfinite(prm->init_v)) {
        snprintf(err, errlen, "diagnet: init_u and init_v must be finite");
        return -1;
    }
    size_t d = (size_t)prm->d;
    m->dim = d;
    m->p = 2 * d;
    m->n = (size_t)prm->n;
    m->n_test = (size_t)prm->n_test;
    m->loss_coef = 0.5;
    /* ϕ_θ(P) = P [D_v D_u] has rank at most min(k, d) for k probes: with
     * k ≥ d the QR below brings it to d × d; with fewer probes P·D
     * itself (k × d) is the smaller matrix. */
    size_t k = model_probe_count(prm, m->p);
    m->n_probe = k;
    m->ntk_rows = k >= d ? d : k;
    m->ntk_cols = d;
    size_t nt = m->n_test ? m->n_test : 1;
    /* β*, β, scale, hv, hv_theta, line; R; X, y; Xt, yt; P */
    m->bytes = sizeof(diagnet_priv) +
               sizeof(double) * (3 * d + (2 * m->n + 3 * d) + 2 * d +
                                 (3 * m->n + 3 * d) +
                                 (k >= d ? d * d : 0) + m->n * d + m->n +
                                 nt * d + nt + k * d);

    diagnet_priv *pv = calloc(1, sizeof *pv);
    m->priv = pv;
    if (!pv)
        goto oom;
    pv->beta_star = calloc(d, sizeof *pv->beta_star);
    pv->R = k >= d ? malloc(d * d * sizeof *pv->R) : NULL;
    pv->beta = malloc(d * sizeof *pv->beta);
    pv->scale = malloc(d * sizeof *pv->scale);
    pv->hv = malloc((2 * m->n + 3 * d) * sizeof *pv->hv);
    pv->hv_theta = malloc(2 * d * sizeof *pv->hv_theta);
    pv->line = malloc((3 * m->n + 3 * d) * sizeof *pv->line);
    m->x = kernels_alloc(m->n * d);
    m->y = malloc(m->n * sizeof *m->y);
    m->xt = malloc((m->n_test ? m->n_test : 1) * d * sizeof *m->xt);
    m->yt = malloc((m->n_test ? m->n_test : 1) * sizeof *m->yt);
    m->probe = malloc(k * d * sizeof *m->probe);
    if (!pv->beta_star || (k >= d && !pv->R) || !pv->beta || !pv->scale ||
        !pv->hv || !pv->hv_theta || !pv->line || !m->x || !m->y || !m->xt || !m->yt || !m->probe)
        goto oom;

    if (data->kind == RNG_NUMPY)
        draw_notebook(data, pv->beta_star, d, (size_t)prm->r, m);
    else
        draw_own(data, pv->beta_star, d, (size_t)prm->r, m);
    if ((prm->data || prm->test_data) &&
        diagnet_take_data(m, pv, prm, err, errlen) != 0)
        return -1;

    for (size_t i = 0; i < k * d; i++)
        m->probe[i] = rng_normal(probe);
    /* ϕ_θ(P) = P [D_v D_u], so ϕϕᵀ = P diag(u² + v²) Pᵀ; with P = QR the
     * non-zero singular values of ϕ are those of R·diag(√(u² + v²)). */
    if (pv->R && la_qr_r(m->probe, k, d, pv->R) != 0) {
        snprintf(err, errlen, "diagnet: QR of the probe inputs failed");
        return -1;
    }
    return 0;
oom:
    snprintf(err, errlen, "diagnet: out of memory (d=%zu, n=%zu)", d, m->n);
    return -1;
}

static void diagnet_destroy(model *m)
{
    diagnet_priv *pv = m->priv;
    if (pv) {
        free(pv->beta_star);
        free(pv->R);
        free(pv->beta);
        free(pv->scale);
        free(pv->hv);
        free(pv->hv_theta);
        free(pv->line);
        free(pv);
    }
    m->priv = NULL;
    model_free_points(m);
}

static void diagnet_init_theta(const model *m, double *theta, rng *g)
{
    size_t d = m->dim;
    for (size_t j = 0; j < d; j++) {
        theta[j] = m->prm.init_u;
        theta[d + j] = m->prm.init_v;
    }
}

static double diagnet_predict(const model *m, const double *theta,
                              const double *x)
{
    return kernel_diagnet_dot3(theta, theta + m->dim, x, m->dim);
}

/* row = ∇_θ h(x) = [x ⊙ v, x ⊙ u]. */
static void diagnet_feature(const model *m, const double *theta,
                            const double *x, double *row)
{
    size_t d = m->dim;
    const double *u = theta, *v = theta + d;
    for (size_t j = 0; j < d; j++) {
        row[j] = x[j] * v[j];
        row[d + j] = x[j] * u[j];
    }
}

/* ∇ℓ = 2c r ∇h = r [x ⊙ v, x ⊙ u]. */
static double diagnet_grad_add(const model *m, const double *theta,
                               const double *x, double y, double scale,
                               double *g)
{
    size_t d = m->dim;
    const double *restrict u = theta, *restrict v = theta + d;
    double *restrict gu = g, *restrict gv = g + d;
    double r = kernel_diagnet_dot3(u, v, x, d) - y;
    double s = scale * r;
    for (size_t j = 0; j < d; j++) {
        gu[j] += s * x[j] * v[j];
        gv[j] += s * x[j] * u[j];
    }
    return r;
}

/* u ← u − η r (x ⊙ v), v ← v − η r (x ⊙ u), both from the old (u, v):
 * the kernel of the active level (kernels.h), the same bits at every one. */
static double diagnet_sgd1(const model *m, double *theta, const double *x,
                           double y, double eta)
{
    return kernels_active()->diagnet_sgd1(theta, x, y, eta, m->dim);
}

/* out = X w (X n × d, row-major), each row summed in a fixed order:
 * eight running sums (i mod 8), folded pairwise, the tail last.  The same
 * bits on every machine (unlike a BLAS kernel chosen by CPU), and eight
 * independent sums let the compiler use vectors without reassociating. */
static void x_times(const double *X, size_t n, size_t d, const double *w,
                    double *out)
{
    size_t d8 = d & ~(size_t)7;
    for (size_t i = 0; i < n; i++) {
        const double *x = X + i * d;
        double s[8] = {0};
        size_t j;
        for (j = 0; j < d8; j += 8)
            for (int k = 0; k < 8; k++)
                s[k] += x[j + k] * w[j + k];
        double t = ((s[0] + s[4]) + (s[2] + s[6])) +
                   ((s[1] + s[5]) + (s[3] + s[7]));
        for (; j < d; j++)
            t += x[j] * w[j];
        out[i] = t;
    }
}

/* out = alpha · Xᵀ r, accumulated row by row in a fixed order. */
static void xt_times(const double *X, size_t n, size_t d, double alpha,
                     const double *r, double *out)
{
    memset(out, 0, d * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        double ri = alpha * r[i];
        for (size_t j = 0; j < d; j++)
            out[j] += X[i * d + j] * ri;
    }
}

/* H(a, b) for the direction (a, b) on (u, v), c = ½:
 *   ∇h_i·(a, b) = s_i = Σ_j x_ij (v_j a_j + u_j b_j),
 *   ∇²h_i (a, b) = (x_i ⊙ b, x_i ⊙ a),
 * so with g = Xᵀs/n and q = Xᵀr/n (r = X(u ⊙ v) − y):
 *   out_u = v ⊙ g + b ⊙ q,   out_v = u ⊙ g + a ⊙ q.
 * Four matrix–vector products on X (n × d, row-major), in a fixed order, in
 * the model's own scratch (so not re-entrant, like extras).  r and q
 * depend on θ alone: kept with a copy of θ, so the Lanczos iteration's
 * products at one θ (up to HESSIAN_LANCZOS_MAX of them) cost two passes
 * over X each instead of four, with the very same numbers. */
static void diagnet_hvp(const model *m, const double *theta, const double *dir,
                        double *out)
{
    diagnet_priv *pv = m->priv;
    size_t d = m->dim, n = m->n;
    const double *u = theta, *v = theta + d, *a = dir, *b = dir + d;
    double *r = pv->hv, *sv = r + n, *w = sv + n, *g = w + d, *q = g + d;
    double inv = 1.0 / (double)n;
    if (!pv->hv_ok ||
        memcmp(pv->hv_theta, theta, 2 * d * sizeof *theta) != 0) {
        for (size_t j = 0; j < d; j++)
            w[j] = u[j] * v[j];
        x_times(m->x, n, d, w, r);
        for (size_t i = 0; i < n; i++)
            r[i] -= m->y[i];
        xt_times(m->x, n, d, inv, r, q);
        memcpy(pv->hv_theta, theta, 2 * d * sizeof *theta);
        pv->hv_ok = 1;
    }
    for (size_t j = 0; j < d; j++)
        w[j] = v[j] * a[j] + u[j] * b[j];
    x_times(m->x, n, d, w, sv);
    xt_times(m->x, n, d, inv, sv, g);
    for (size_t j = 0; j < d; j++) {
        out[j] = v[j] * g[j] + b[j] * q[j];
        out[d + j] = u[j] * g[j] + a[j] * q[j];
    }
}

/* F = R · diag(√(u_j² + v_j²)), d × d, or with fewer probes than d
 * P · diag(√(u_j² + v_j²)), n_probe × d (see diagnet_create). */
static void diagnet_ntk_factor(const model *m, const double *theta, double *F,
                               size_t *rows, size_t *cols)
{
    const diagnet_priv *pv = m->priv;
    size_t d = m->dim, nr = m->ntk_rows;
    const double *u = theta, *v = theta + d;
    const double *A = pv->R ? pv->R : m->probe;
    /* one hypot per column, not per entry: the same numbers, d² fewer
     * calls */
    for (size_t j = 0; j < d; j++)
        pv->scale[j] = hypot(u[j], v[j]);
    for (size_t i = 0; i < nr; i++)
        for (size_t j = 0; j < d; j++)
            F[i * d + j] = A[i * d + j] * pv->scale[j];
    *rows = nr;
    *cols = d;
}

/* Along θ + s(a, b): h_i(s) − y_i = A_i + s B_i + s² C_i with
 *   A = X(u ⊙ v) − y,  B = X(u ⊙ b + a ⊙ v),  C = X(a ⊙ b),
 * three matrix–vector products once, then O(n) per point. */
static void diagnet_line_begin(const model *m, const double *theta,
                               const double *dir)
{
    const diagnet_priv *pv = m->priv;
    size_t d = m->dim, n = m->n;
    const double *u = theta, *v = theta + d, *a = dir, *b = dir + d;
    double *A = pv->line, *B = A + n, *C = B + n;
    double *w0 = C + n, *w1 = w0 + d, *w2 = w1 + d;
    for (size_t j = 0; j < d; j++) {
        w0[j] = u[j] * v[j];
        w1[j] = u[j] * b[j] + a[j] * v[j];
        w2[j] = a[j] * b[j];
    }
    x_times(m->x, n, d, w0, A);
    for (size_t i = 0; i < n; i++)
        A[i] -= m->y[i];
    x_times(m->x, n, d, w1, B);
    x_times(m->x, n, d, w2, C);
}

static double diagnet_line_loss(const model *m, double s)
{
    const diagnet_priv *pv = m->priv;
    size_t n = m->n;
    const double *A = pv->line, *B = A + n, *C = B + n;
    double acc = 0.0;
    for (size_t i = 0; i < n; i++) {
        double r = A[i] + s * (B[i] + s * C[i]);
        acc += r * r;
    }
    return m->loss_coef * acc / (double)n;
}

static void diagnet_extras(const model *m, const double *theta,
                           const extras_cfg *c, model_extras *out)
{
    const diagnet_priv *pv = m->priv;
    size_t d = m->dim;
    for (size_t j = 0; j < d; j++)
        pv->beta[j] = theta[j] * theta[d + j];
    out->l0 = (double)metrics_l0(pv->beta, d, c->l0_tol);
    out->l0_nb = (double)metrics_l0(pv->beta, d, METRICS_L0_TOL_NB);
    out->feature_sparsity = NAN;
    out->kinks = NAN;
    out->feature_sparsity2 = NAN;
    out->teacher_angle = NAN;
}

const double *diagnet_beta_star(const model *m)
{
    if (!m || m->ops != &model_diagnet_ops || !m->priv ||
        ((const diagnet_priv *)m->priv)->beta_unknown)
        return NULL;
    return ((const diagnet_priv *)m->priv)->beta_star;
}

const model_ops model_diagnet_ops = {
    .name = "diagnet",
    .summary = "diagonal linear network h(x) = <u*v, x> (Sec. 2.3.1, 3.1)",
    .create = diagnet_create,
    .destroy = diagnet_destroy,
    .init_theta = diagnet_init_theta,
    .predict = diagnet_predict,
    .feature = diagnet_feature,
    .grad_add = diagnet_grad_add,
    .sgd1 = diagnet_sgd1,
    .sample = NULL,
    .pop_loss = NULL,
    .pop_grad = NULL,
    .hvp = diagnet_hvp,
    .ntk_factor = diagnet_ntk_factor,
    .extras = diagnet_extras,
    .line_begin = diagnet_line_begin,
    .line_loss = diagnet_line_loss,
    .picture = MODEL_PICTURE_BETA,
};

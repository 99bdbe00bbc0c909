/* model_relu1d.c — two-layer ReLU network on 1-D regression (spec §1.3):
 * h(x) = Σ_j a_j relu(w_j x + b_j), θ stored as theta[0..m) = w,
 * theta[m..2m) = b, theta[2m..3m) = a (p = 3m).  Plain MSE, c = 1, so
 * ∇ℓ = 2 r ∇h with
 *   ∂h/∂w_j = a_j 1{z_j > 0} x,  ∂h/∂b_j = a_j 1{z_j > 0},
 *   ∂h/∂a_j = relu(z_j),          z_j = w_j x + b_j. */
#include "kernels.h"
#include "metrics.h"
#include "model.h"
#include "model_registry.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The paper's 12 points: x_k = (−5.5 + k)/4 + 0.07, y_k = 0.345 + dy[k]. */
static const double relu1d_dy[12] = {-2, 1.5, 0, 0, 2, 1, 0, -1, 0, 1, 2, -1};

/* A group of neurons active on the same probes (relu1d_ntk_factor): the
 * lower-triangular l with l lᵀ = Σ_j L_j L_jᵀ over its neurons. */
typedef struct relu1d_group {
    double l11, l21, l22;
    int used;
} relu1d_group;

typedef struct relu1d_priv {
    double lo, hi;    /* data range [min x, max x] */
    double *act;      /* n × m activations for the sparsity metric */
    double *scratch;  /* max(n·m + 2m, 2m) doubles for the metrics */
    relu1d_group *grp; /* 2·n_probe − 1 groups when the probes are capped
                          (NULL otherwise): see relu1d_ntk_grouped */
} relu1d_priv;

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static int relu1d_create(model *m, const model_params *prm, rng *data,
                         rng *probe, char *err, size_t errlen)
{
    if (prm->m < 1) {
        snprintf(err, errlen, "relu1d: need m >= 1 neurons (got %d)", prm->m);
        return -1;
    }
    if (prm->npoints < 0 || prm->npoints > MODEL_MAX_POINTS) {
        snprintf(err, errlen, "relu1d: npoints must be in 0..%d (got %d)",
                 MODEL_MAX_POINTS, prm->npoints);
        return -1;
    }
    size_t nn = (size_t)prm->m;
    m->dim = 1;
    m->p = 3 * nn;
    m->n = prm->data ? prm->data->n
           : prm->npoints > 0 ? (size_t)prm->npoints : 12;
    if (prm->data && (prm->data->dim != 1 || prm->data->n < 1)) {
        snprintf(err, errlen, "relu1d: data needs one x column and a row "
                 "(got %zu x columns, %zu rows)", prm->data->dim,
                 prm->data->n);
        return -1;
    }
    m->n_test = 0;
    m->loss_coef = 1.0;

    relu1d_priv *pv = calloc(1, sizeof *pv);
    m->priv = pv;
    if (!pv)
        goto oom;
    size_t ns = METRICS_SPARSITY_SCRATCH(m->n, nn);
    if (ns < 2 * nn)
        ns = 2 * nn;
    /* ϕ_θ(P) = Ψ L (see relu1d_ntk_factor) is n_probe × 2m; with capped
     * probes the neurons merge into at most 2·n_probe − 1 groups, two
     * columns each. */
    size_t np = model_probe_count(prm, m->p);
    size_t ng = np < m->p ? 2 * np - 1 : 0;
    m->n_probe = np;
    m->ntk_rows = np;
    m->ntk_cols = ng && 2 * ng < 2 * nn ? 2 * ng : 2 * nn;
    m->bytes = sizeof(relu1d_priv) + ng * sizeof(relu1d_group) +
               sizeof(double) * (m->n * nn + ns + 2 * m->n + np);
    if (ng) {
        pv->grp = malloc(ng * sizeof *pv->grp);
        if (!pv->grp)
            goto oom;
    }
    pv->act = malloc(m->n * nn * sizeof *pv->act);
    pv->scratch = malloc(ns * sizeof *pv->scratch);
    m->x = malloc(m->n * sizeof *m->x);
    m->y = malloc(m->n * sizeof *m->y);
    m->probe = malloc(np * sizeof *m->probe);
    if (!pv->act || !pv->scratch || !m->x || !m->y || !m->probe)
        goto oom;

    for (size_t k = 0; k < m->n; k++) {
        if (prm->data) {
            m->x[k] = prm->data->x[k];
            m->y[k] = prm->data->y[k];
        } else if (prm->npoints > 0) {
            m->x[k] = prm->px[k];
            m->y[k] = prm->py[k];
        } else {
            m->x[k] = (-5.5 + (double)k) / 4.0 + 0.07;
            m->y[k] = 0.345 + relu1d_dy[k];
        }
        if (!isfinite(m->x[k]) || !isfinite(m->y[k])) {
            snprintf(err, errlen, "relu1d: point %zu is not finite", k);
            return -1;
        }
    }
    pv->lo = pv->hi = m->x[0];
    for (size_t k = 1; k < m->n; k++) {
        if (m->x[k] < pv->lo) pv->lo = m->x[k];
        if (m->x[k] > pv->hi) pv->hi = m->x[k];
    }
    /* Sorted probe inputs make ϕ_θ(P) readable when printed or plotted. */
    for (size_t i = 0; i < np; i++)
        m->probe[i] = pv->lo + (pv->hi - pv->lo) * rng_uniform(probe);
    qsort(m->probe, np, sizeof *m->probe, cmp_double);
    return 0;
oom:
    snprintf(err, errlen, "relu1d: out of memory (m=%zu)", nn);
    return -1;
}

static void relu1d_destroy(model *m)
{
    relu1d_priv *pv = m->priv;
    if (pv) {
        free(pv->act);
        free(pv->scratch);
        free(pv->grp);
        free(pv);
    }
    m->priv = NULL;
    model_free_points(m); /* xt, yt are NULL: relu1d has no test set */
}

/* Draw order from g, neuron by neuron: sign of w_j (one uniform,
 * < 0.5 → −), then b_j (one normal), then a_j (one normal). */
static void relu1d_init_theta(const model *m, double *theta, rng *g)
{
    size_t nn = m->p / 3;
    double *w = theta, *b = theta + nn, *a = theta + 2 * nn;
    for (size_t j = 0; j < nn; j++) {
        w[j] = rng_uniform(g) < 0.5 ? -m->prm.init_w : m->prm.init_w;
        b[j] = m->prm.init_b * rng_normal(g);
        a[j] = m->prm.init_a * rng_normal(g);
    }
}

/* The fixed-order sum h(x), portable: the same source as the dispatched
 * SGD step. */
#include "kernel_sums.h"

static double relu1d_predict(const model *m, const double *theta,
                             const double *x)
{
    size_t nn = m->p / 3;
    return kernel_relu1d_eval(theta, theta + nn, theta + 2 * nn, nn, x[0]);
}

static void relu1d_feature(const model *m, const double *theta,
                           const double *x, double *row)
{
    size_t nn = m->p / 3;
    const double *w = theta, *b = theta + nn, *a = theta + 2 * nn;
    double xx = x[0];
    for (size_t j = 0; j < nn; j++) {
        double z = w[j] * xx + b[j];
        double on = z > 0.0 ? 1.0 : 0.0;
        row[j] = a[j] * on * xx;
        row[nn + j] = a[j] * on;
        row[2 * nn + j] = z > 0.0 ? z : 0.0;
    }
}

static double relu1d_grad_add(const model *m, const double *theta,
                              const double *x, double y, double scale,
                              double *g)
{
    size_t nn = m->p / 3;
    const double *restrict w = theta, *restrict b = theta + nn,
                           *restrict a = theta + 2 * nn;
    double *restrict gw = g, *restrict gb = g + nn, *restrict ga = g + 2 * nn;
    double xx = x[0];
    double r = kernel_relu1d_eval(w, b, a, nn, xx) - y;
    double s = 2.0 * scale * r;
    for (size_t j = 0; j < nn; j++) {
        double z = w[j] * xx + b[j];
        double on = z > 0.0 ? 1.0 : 0.0, zp = z > 0.0 ? z : 0.0;
        double sa = s * a[j] * on;
        gw[j] += sa * xx;
        gb[j] += sa;
        ga[j] += s * zp;
    }
    return r;
}

/* θ ← θ − 2η r ∇h, every neuron's update from its own old (w, b, a): the
 * kernel of the active level (kernels.h), the same bits at every one. */
static double relu1d_sgd1(const model *m, double *theta, const double *x,
                          double y, double eta)
{
    return kernels_active()->relu1d_sgd1(theta, x[0], y, eta, m->p / 3);
}

/* H δ for δ = (dw, db, da), c = 1, with 1_j = 1{z_j > 0} (the Hessian
 * almost everywhere: relu'' is a delta at the kink, dropped):
 *   ∇h·δ = s = Σ_j a_j 1_j (x dw_j + db_j) + relu(z_j) da_j,
 *   ∇²h δ = (1_j x da_j, 1_j da_j, 1_j (x dw_j + db_j))_j,
 * out = 2/n Σ_i (s_i ∇h_i + r_i ∇²h_i δ). */
static void relu1d_hvp(const model *m, const double *theta, const double *dir,
                       double *out)
{
    size_t nn = m->p / 3;
    const double *w = theta, *b = theta + nn, *a = theta + 2 * nn;
    const double *dw = dir, *db = dir + nn, *da = dir + 2 * nn;
    double *ow = out, *ob = out + nn, *oa = out + 2 * nn;
    double k2 = 2.0 / (double)m->n;
    for (size_t j = 0; j < m->p; j++)
        out[j] = 0.0;
    for (size_t i = 0; i < m->n; i++) {
        double x = m->x[i];
        double r = kernel_relu1d_eval(w, b, a, nn, x) - m->y[i], s = 0.0;
        for (size_t j = 0; j < nn; j++) {
            double z = w[j] * x + b[j];
            if (z > 0.0)
                s += a[j] * (x * dw[j] + db[j]) + z * da[j];
        }
        double sk = k2 * s, rk = k2 * r;
        for (size_t j = 0; j < nn; j++) {
            double z = w[j] * x + b[j];
            if (!(z > 0.0))
                continue;
            double g = sk * a[j] + rk * da[j];
            ow[j] += g * x;
            ob[j] += g;
            oa[j] += sk * z + rk * (x * dw[j] + db[j]);
        }
    }
}

/* ϕ = Ψ C: Ψ has, per neuron j, the columns 1_j(x)·x and 1_j(x), and
 * C_j = [[a, 0, w], [0, a, b]].  So ϕϕᵀ = Ψ blockdiag(C_j C_jᵀ) Ψᵀ with
 *   C_j C_jᵀ = [[a² + w², w b], [w b, a² + b²]] = L_j L_jᵀ,
 * L_j lower triangular: l11 = √(a² + w²), l21 = w b / l11 and, from the
 * determinant a²(a² + w² + b²), l22 = |a| √(a² + w² + b²) / l11 — in that
 * form there is no cancellation when a_j → 0.  If l11 = 0 then a = w = 0
 * and L_j = [[0, 0], [0, |b|]].  F = Ψ L is n_probe × 2m, columns
 * (2j, 2j+1). */
/* L_j of neuron (w, b, a), as above. */
static void relu1d_block(double w, double b, double a, double *l11,
                         double *l21, double *l22)
{
    *l11 = hypot(a, w);
    if (*l11 > 0.0) {
        *l21 = w * b / *l11;
        *l22 = fabs(a) * sqrt(a * a + w * w + b * b) / *l11;
    } else {
        *l21 = 0.0;
        *l22 = fabs(b);
    }
}

/* g's l ← the lower-triangular l' with l' l'ᵀ = l lᵀ + L Lᵀ, L = [[a11,
 * 0], [a21, a22]]: one Givens rotation of [l L] (2 × 4) onto its first
 * column, then the second row's norm over the rest — orthogonal steps
 * only, so no cancellation whatever the neurons. */
static void relu1d_group_add(relu1d_group *g, double a11, double a21,
                             double a22)
{
    if (!g->used) {
        g->l11 = a11;
        g->l21 = a21;
        g->l22 = a22;
        g->used = 1;
        return;
    }
    double r = hypot(g->l11, a11);
    double c = r > 0.0 ? g->l11 / r : 1.0, s = r > 0.0 ? a11 / r : 0.0;
    double l21 = c * g->l21 + s * a21, t = c * a21 - s * g->l21;
    g->l11 = r;
    g->l21 = l21;
    g->l22 = hypot(hypot(g->l22, t), a22);
}

/* The first probe index in [0, np) where w x + b > 0 is `want` (the
 * predicate is monotone in the sorted probes: rounding is), else np. */
static size_t relu1d_edge(const double *x, size_t np, double w, double b,
                          int want)
{
    size_t lo = 0, hi = np;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((w * x[mid] + b > 0.0) == want)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* The capped factor (n_probe < p): on sorted probes neuron j is active
 * on a run of them — a suffix from s when w_j > 0 (w x + b rounds
 * monotonically in x), a prefix up to e when w_j < 0, all or none when
 * w_j = 0.  Neurons active on the same run contribute
 * 1(x)1(x') [x, 1] Σ_j L_j L_jᵀ [x', 1]ᵀ to ϕϕᵀ, so each run is one
 * 2-column block with the folded l (relu1d_group_add), in a fixed order
 * (all, suffixes by s, prefixes by e): at most 2(2·n_probe − 1) columns
 * however many neurons, and the same ϕϕᵀ.  Neurons active nowhere add
 * nothing.  A non-finite θ makes F non-finite, so the SVD refuses it as
 * it refuses the full factor. */
static void relu1d_ntk_grouped(const model *m, const double *theta,
                               double *F, size_t *rows, size_t *cols)
{
    const relu1d_priv *pv = m->priv;
    size_t nn = m->p / 3, np = m->n_probe, ng = 2 * np - 1;
    const double *w = theta, *b = theta + nn, *a = theta + 2 * nn;
    const double *x = m->probe;
    relu1d_group *g = pv->grp;
    for (size_t q = 0; q < ng; q++)
        g[q].used = 0;
    int finite = 1;
    for (size_t j = 0; j < nn; j++) {
        double l11, l21, l22;
        relu1d_block(w[j], b[j], a[j], &l11, &l21, &l22);
        if (!isfinite(l11) || !isfinite(l21) || !isfinite(l22))
            finite = 0;
        /* slot 0: all probes; 1..np−1: suffix from s; np..2np−2: prefix
         * up to e (exclusive) = np − 1 + e */
        size_t slot;
        if (w[j] > 0.0) {
            size_t s0 = relu1d_edge(x, np, w[j], b[j], 1);
            if (s0 == np)
                continue;
            slot = s0;
        } else if (w[j] < 0.0) {
            size_t e = relu1d_edge(x, np, w[j], b[j], 0);
            if (e == 0)
                continue;
            slot = e == np ? 0 : np - 1 + e;
        } else {
            if (!(w[j] * x[0] + b[j] > 0.0))
                continue;
            slot = 0;
        }
        relu1d_group_add(&g[slot], l11, l21, l22);
    }
    size_t nc = 0;
    for (size_t q = 0; q < ng; q++)
        nc += 2 * (size_t)g[q].used;
    *rows = np;
    *cols = nc ? nc : 1;
    memset(F, 0, np * *cols * sizeof *F);
    if (!finite) {
        F[0] = NAN;
        return;
    }
    size_t c = 0;
    for (size_t q = 0; q < ng; q++) {
        if (!g[q].used)
            continue;
        size_t k0 = q == 0 ? 0 : q < np ? q : 0;
        size_t k1 = q < np ? np : q - (np - 1);
        for (size_t k = k0; k < k1; k++) {
            F[k * nc + c] = x[k] * g[q].l11 + g[q].l21;
            F[k * nc + c + 1] = g[q].l22;
        }
        c += 2;
    }
}

static void relu1d_ntk_factor(const model *m, const double *theta, double *F,
                              size_t *rows, size_t *cols)
{
    if (m->n_probe < m->p) {
        relu1d_ntk_grouped(m, theta, F, rows, cols);
        return;
    }
    size_t nn = m->p / 3, nc = 2 * nn, np = m->n_probe;
    const double *w = theta, *b = theta + nn, *a = theta + 2 * nn;
    for (size_t j = 0; j < nn; j++) {
        double l11, l21, l22;
        relu1d_block(w[j], b[j], a[j], &l11, &l21, &l22);
        /* Row k of Ψ L for neuron j: 1_j(x_k) · [x_k l11 + l21, l22]. */
        for (size_t k = 0; k < np; k++) {
            double xk = m->probe[k];
            double on = w[j] * xk + b[j] > 0.0 ? 1.0 : 0.0;
            F[k * nc + 2 * j] = on * (xk * l11 + l21);
            F[k * nc + 2 * j + 1] = on * l22;
        }
    }
    *rows = np;
    *cols = nc;
}

static void relu1d_extras(const model *m, const double *theta,
                          const extras_cfg *c, model_extras *out)
{
    const relu1d_priv *pv = m->priv;
    size_t nn = m->p / 3;
    const double *w = theta, *b = theta + nn, *a = theta + 2 * nn;
    out->l0 = NAN;
    out->l0_nb = NAN;
    out->feature_sparsity2 = NAN;
    out->teacher_angle = NAN;
    out->kinks = (double)metrics_kinks(w, b, a, nn, pv->lo, pv->hi,
                                       pv->scratch);
    for (size_t i = 0; i < m->n; i++)
        for (size_t j = 0; j < nn; j++) {
            double z = w[j] * m->x[i] + b[j];
            pv->act[i * nn + j] = z > 0.0 ? z : 0.0;
        }
    out->feature_sparsity = metrics_feature_sparsity(pv->act, m->n, nn,
                                                     c->corr, pv->scratch);
}

const model_ops model_relu1d_ops = {
    .name = "relu1d",
    .summary = "two-layer ReLU net on 1-D regression, 12 points (Sec. 3.2)",
    .create = relu1d_create,
    .destroy = relu1d_destroy,
    .init_theta = relu1d_init_theta,
    .predict = relu1d_predict,
    .feature = relu1d_feature,
    .grad_add = relu1d_grad_add,
    .sgd1 = relu1d_sgd1,
    .sample = NULL,
    .pop_loss = NULL,
    .pop_grad = NULL,
    .hvp = relu1d_hvp,
    .ntk_factor = relu1d_ntk_factor,
    .extras = relu1d_extras,
    .picture = MODEL_PICTURE_CURVE,
};

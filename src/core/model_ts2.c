/* model_ts2.c — two-layer ReLU teacher–student (spec §1.4, Fig. 9 and 13),
 * as the authors' fc_nets_two_layer notebook sets it up:
 *   inputs  x ~ N(0, I_d) normalized to the unit sphere (d = 2: the circle)
 *   teacher y = Σ_k s_k relu(t_k·x), t_k unit rows, s_k = sign(N(0,1)),
 *           no biases (`teacher` neurons, 3 by default)
 *   student h(x) = Σ_j a_j relu(w_j·x), no biases, m neurons,
 *           W = init_w·N(0,1), a = init_a·N(0,1) (0.5 and 0: a = 0)
 *   loss    L = 1/n Σ r² (c = 1: the notebook's plain mean, no ½).
 * θ stored as W row by row (theta[j·d + k]), then a (theta[m·d + j]):
 * p = m(d + 1).  With z_j = w_j·x and 1_j = 1{z_j > 0}:
 *   ∂h/∂w_j = a_j 1_j x,   ∂h/∂a_j = relu(z_j).
 * The notebook draws SGD batches without replacement; sgdscope's SGD
 * (dynamics.c) samples with replacement for B > 1.  The paper's setting
 * is B = 1, where the two are the same thing. */
#include "metrics.h"
#include "model.h"
#include "model_registry.h"
#include "teacher.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ts2_priv {
    size_t nn, k;     /* student neurons m, teacher neurons */
    double *T;        /* k × d teacher rows, unit norm */
    double *s;        /* k teacher output weights, ±1 */
    double *act;      /* n × m first-layer activations (the metrics) */
    double *size;     /* m neuron sizes |a_j|·‖w_j‖ (the teacher angle) */
    double *scratch;  /* METRICS_SPARSITY_SCRATCH(n, m) doubles */
} ts2_priv;

/* The teacher's label for x. */
static double ts2_teacher(const ts2_priv *pv, const double *x, size_t d)
{
    double y = 0.0;
    for (size_t q = 0; q < pv->k; q++) {
        double z = 0.0;
        for (size_t i = 0; i < d; i++)
            z += pv->T[q * d + i] * x[i];
        y += pv->s[q] * (z > 0.0 ? z : 0.0);
    }
    return y;
}

static int ts2_create(model *m, const model_params *prm, rng *data,
                      rng *probe, char *err, size_t errlen)
{
    if (prm->data || prm->test_data) {
        snprintf(err, errlen, "ts2 draws its own inputs: no data files");
        return -1;
    }
    if (prm->d < 2 || prm->m < 1 || prm->n < 1 || prm->n_test < 0 ||
        prm->teacher < 1) {
        snprintf(err, errlen, "ts2: need d >= 2, m >= 1, n >= 1, n_test >= 0 "
                 "and teacher >= 1 (got d=%d m=%d n=%d n_test=%d teacher=%d)",
                 prm->d, prm->m, prm->n, prm->n_test, prm->teacher);
        return -1;
    }
    size_t d = (size_t)prm->d, nn = (size_t)prm->m, k = (size_t)prm->teacher;
    if (nn * (d + 1) > TEACHER_P_MAX) {
        snprintf(err, errlen, "ts2: m*(d+1) = %zu parameters is above %d",
                 nn * (d + 1), TEACHER_P_MAX);
        return -1;
    }
    if ((size_t)prm->n * d > MODEL_DATA_MAX ||
        (size_t)prm->n_test * d > MODEL_DATA_MAX || k * d > MODEL_DATA_MAX) {
        snprintf(err, errlen, "ts2: n*d, n_test*d and teacher*d must be at "
                 "most %d", MODEL_DATA_MAX);
        return -1;
    }
    m->dim = d;
    m->p = nn * (d + 1);
    m->n = (size_t)prm->n;
    m->n_test = (size_t)prm->n_test;
    m->loss_coef = 1.0;
    size_t np = model_probe_count(prm, m->p);
    m->n_probe = np;
    m->ntk_rows = np;
    m->ntk_cols = m->p;

    ts2_priv *pv = calloc(1, sizeof *pv);
    m->priv = pv;
    if (!pv)
        goto oom;
    pv->nn = nn;
    pv->k = k;
    size_t ns = METRICS_SPARSITY_SCRATCH(m->n, nn);
    pv->T = malloc(k * d * sizeof *pv->T);
    pv->s = malloc(k * sizeof *pv->s);
    pv->act = malloc(m->n * nn * sizeof *pv->act);
    pv->size = malloc(nn * sizeof *pv->size);
    pv->scratch = malloc(ns * sizeof *pv->scratch);
    m->x = malloc(m->n * d * sizeof *m->x);
    m->y = malloc(m->n * sizeof *m->y);
    m->xt = m->n_test ? malloc(m->n_test * d * sizeof *m->xt) : NULL;
    m->yt = m->n_test ? malloc(m->n_test * sizeof *m->yt) : NULL;
    m->probe = malloc(np * d * sizeof *m->probe);
    if (!pv->T || !pv->s || !pv->act || !pv->size || !pv->scratch || !m->x ||
        !m->y || (m->n_test && (!m->xt || !m->yt)) || !m->probe)
        goto oom;
    m->bytes = sizeof *pv + sizeof(double) *
               (k * d + k + m->n * nn + nn + ns + m->n * (d + 1) +
                m->n_test * (d + 1) + np * d);

    /* The notebook's order: training inputs, test inputs, then the
     * teacher (rows normalized, output weights' signs). */
    teacher_sphere(data, m->x, m->n, d);
    teacher_sphere(data, m->xt, m->n_test, d);
    teacher_sphere(data, pv->T, k, d);
    for (size_t q = 0; q < k; q++)
        pv->s[q] = rng_normal(data) < 0.0 ? -1.0 : 1.0;
    for (size_t i = 0; i < m->n; i++)
        m->y[i] = ts2_teacher(pv, m->x + i * d, d);
    for (size_t i = 0; i < m->n_test; i++)
        m->yt[i] = ts2_teacher(pv, m->xt + i * d, d);
    teacher_sphere(probe, m->probe, np, d);
    return 0;
oom:
    snprintf(err, errlen, "ts2: out of memory (m=%zu, d=%zu)", nn, d);
    return -1;
}

static void ts2_destroy(model *m)
{
    ts2_priv *pv = m->priv;
    if (pv) {
        free(pv->T);
        free(pv->s);
        free(pv->act);
        free(pv->size);
        free(pv->scratch);
        free(pv);
    }
    m->priv = NULL;
    model_free_points(m);
}

/* Draw order from g: W row by row (m·d normals), then a (m normals, drawn
 * even when init_a = 0 so the stream does not depend on it). */
static void ts2_init_theta(const model *m, double *theta, rng *g)
{
    size_t d = m->dim, nn = m->p / (d + 1);
    for (size_t q = 0; q < nn * d; q++)
        theta[q] = m->prm.init_w * rng_normal(g);
    for (size_t j = 0; j < nn; j++)
        theta[nn * d + j] = m->prm.init_a * rng_normal(g);
}

static inline double ts2_z(const double *w, const double *x, size_t d)
{
    double z = 0.0;
    for (size_t i = 0; i < d; i++)
        z += w[i] * x[i];
    return z;
}

static double ts2_eval(const double *theta, size_t nn, size_t d,
                       const double *x)
{
    const double *a = theta + nn * d;
    double h = 0.0;
    for (size_t j = 0; j < nn; j++) {
        double z = ts2_z(theta + j * d, x, d);
        h += a[j] * (z > 0.0 ? z : 0.0);
    }
    return h;
}

static double ts2_predict(const model *m, const double *theta,
                          const double *x)
{
    size_t d = m->dim;
    return ts2_eval(theta, m->p / (d + 1), d, x);
}

static void ts2_feature(const model *m, const double *theta, const double *x,
                        double *row)
{
    size_t d = m->dim, nn = m->p / (d + 1);
    const double *a = theta + nn * d;
    for (size_t j = 0; j < nn; j++) {
        double z = ts2_z(theta + j * d, x, d);
        double g = z > 0.0 ? a[j] : 0.0;
        for (size_t i = 0; i < d; i++)
            row[j * d + i] = g * x[i];
        row[nn * d + j] = z > 0.0 ? z : 0.0;
    }
}

static double ts2_grad_add(const model *m, const double *theta,
                           const double *x, double y, double scale,
                           double *g)
{
    size_t d = m->dim, nn = m->p / (d + 1);
    const double *a = theta + nn * d;
    double r = ts2_eval(theta, nn, d, x) - y;
    double s = 2.0 * scale * r;
    for (size_t j = 0; j < nn; j++) {
        double z = ts2_z(theta + j * d, x, d);
        if (!(z > 0.0))
            continue;
        double sa = s * a[j];
        for (size_t i = 0; i < d; i++)
            g[j * d + i] += sa * x[i];
        g[nn * d + j] += s * z;
    }
    return r;
}

/* θ ← θ − 2η r ∇h; neuron j's update reads only its own old (w_j, a_j),
 * so updating in place neuron by neuron uses the old θ throughout. */
static double ts2_sgd1(const model *m, double *theta, const double *x,
                       double y, double eta)
{
    size_t d = m->dim, nn = m->p / (d + 1);
    double *a = theta + nn * d;
    double r = ts2_eval(theta, nn, d, x) - y;
    double s = 2.0 * eta * r;
    for (size_t j = 0; j < nn; j++) {
        double *w = theta + j * d;
        double z = ts2_z(w, x, d);
        if (!(z > 0.0))
            continue;
        double sa = s * a[j];
        for (size_t i = 0; i < d; i++)
            w[i] -= sa * x[i];
        a[j] -= s * z;
    }
    return r;
}

/* H v for v = (V, va), c = 1, almost everywhere (relu'' dropped):
 *   ∇h·v = q = Σ_j 1_j (a_j vw_j·x + va_j z_j),
 *   (∇²h v)_{w_j} = 1_j va_j x,   (∇²h v)_{a_j} = 1_j vw_j·x,
 * out = 2/n Σ_i (q_i ∇h_i + r_i ∇²h_i v). */
static void ts2_hvp(const model *m, const double *theta, const double *v,
                    double *out)
{
    size_t d = m->dim, nn = m->p / (d + 1);
    const double *a = theta + nn * d, *va = v + nn * d;
    double k2 = 2.0 / (double)m->n;
    memset(out, 0, m->p * sizeof *out);
    for (size_t i = 0; i < m->n; i++) {
        const double *x = m->x + i * d;
        double r = ts2_eval(theta, nn, d, x) - m->y[i], q = 0.0;
        for (size_t j = 0; j < nn; j++) {
            double z = ts2_z(theta + j * d, x, d);
            if (z > 0.0)
                q += a[j] * ts2_z(v + j * d, x, d) + va[j] * z;
        }
        double qk = k2 * q, rk = k2 * r;
        for (size_t j = 0; j < nn; j++) {
            double z = ts2_z(theta + j * d, x, d);
            if (!(z > 0.0))
                continue;
            double gw = qk * a[j] + rk * va[j];
            for (size_t c = 0; c < d; c++)
                out[j * d + c] += gw * x[c];
            out[nn * d + j] += qk * z + rk * ts2_z(v + j * d, x, d);
        }
    }
}

/* p ≤ TEACHER_P_MAX and the probes are min(p, cap): the feature matrix on
 * the probes itself is small enough to factor. */
static void ts2_ntk_factor(const model *m, const double *theta, double *F,
                           size_t *rows, size_t *cols)
{
    for (size_t i = 0; i < m->n_probe; i++)
        ts2_feature(m, theta, m->probe + i * m->dim, F + i * m->p);
    *rows = m->n_probe;
    *cols = m->p;
}

static void ts2_extras(const model *m, const double *theta,
                       const extras_cfg *c, model_extras *out)
{
    const ts2_priv *pv = m->priv;
    size_t d = m->dim, nn = pv->nn;
    const double *a = theta + nn * d;
    out->l0 = NAN;
    out->l0_nb = NAN;
    out->kinks = NAN;
    out->feature_sparsity2 = NAN;
    for (size_t i = 0; i < m->n; i++)
        for (size_t j = 0; j < nn; j++) {
            double z = ts2_z(theta + j * d, m->x + i * d, d);
            pv->act[i * nn + j] = z > 0.0 ? z : 0.0;
        }
    for (size_t j = 0; j < nn; j++)
        pv->size[j] = fabs(a[j]) * sqrt(ts2_z(theta + j * d, theta + j * d,
                                              d));
    out->teacher_angle = teacher_angle_mean(theta, pv->size, nn, d, pv->act,
                                            m->n, pv->T, pv->k);
    out->feature_sparsity = metrics_feature_sparsity(pv->act, m->n, nn,
                                                     c->corr, pv->scratch);
}

/* d = 2: the input plane itself, x and y axes; d > 2: the plane of the
 * first two teacher rows (teacher_plane), *projected = 1. */
static void ts2_neurons(const model *m, const double *theta, double *xy,
                        size_t max, size_t *count, double *txy, size_t tmax,
                        size_t *tcount, int *projected)
{
    const ts2_priv *pv = m->priv;
    size_t d = m->dim, nn = pv->nn;
    const double *a = theta + nn * d;
    double e[2][TEACHER_P_MAX];
    if (d == 2) {
        e[0][0] = 1.0, e[0][1] = 0.0, e[1][0] = 0.0, e[1][1] = 1.0;
        *projected = 0;
    } else {
        teacher_plane(pv->T, pv->k, d, e[0], e[1]);
        *projected = 1;
    }
    for (size_t j = 0; j < nn && j < max; j++) {
        double s = fabs(a[j]);
        xy[2 * j] = s * ts2_z(theta + j * d, e[0], d);
        xy[2 * j + 1] = s * ts2_z(theta + j * d, e[1], d);
    }
    for (size_t q = 0; q < pv->k && q < tmax; q++) {
        double u = ts2_z(pv->T + q * d, e[0], d);
        double v = ts2_z(pv->T + q * d, e[1], d), nv = hypot(u, v);
        /* a teacher row orthogonal to the plane shows as no ray */
        txy[2 * q] = nv > 0.0 ? u / nv : 0.0;
        txy[2 * q + 1] = nv > 0.0 ? v / nv : 0.0;
    }
    *count = nn;
    *tcount = pv->k;
}

const double *ts2_teacher_rows(const model *m, size_t *k)
{
    if (!m || m->ops != &model_ts2_ops || !m->priv)
        return NULL;
    const ts2_priv *pv = m->priv;
    *k = pv->k;
    return pv->T;
}

const model_ops model_ts2_ops = {
    .name = "ts2",
    .summary = "two-layer ReLU teacher-student on the unit circle "
               "(Fig. 9, 13)",
    .create = ts2_create,
    .destroy = ts2_destroy,
    .init_theta = ts2_init_theta,
    .predict = ts2_predict,
    .feature = ts2_feature,
    .grad_add = ts2_grad_add,
    .sgd1 = ts2_sgd1,
    .sample = NULL,
    .pop_loss = NULL,
    .pop_grad = NULL,
    .hvp = ts2_hvp,
    .ntk_factor = ts2_ntk_factor,
    .extras = ts2_extras,
    .picture = MODEL_PICTURE_NEURONS,
    .neurons = ts2_neurons,
};

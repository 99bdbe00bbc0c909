/* model_ts3.c — three-layer ReLU teacher–student (spec §1.4, Fig. 5), as
 * the authors' fc_nets_multi_layer notebook sets it up:
 *   inputs  x ~ N(0, I_d) normalized to the unit sphere (d = 5)
 *   net     z1 = W1 x + b1, h1 = relu(z1)        (width m, or k)
 *           z2 = W2 h1 + b2, h2 = relu(z2)       (width m, or k)
 *           h  = a·h2 + c
 *   teacher widths [k, k] (k = `teacher`, 2), weights N(0,1) (the
 *           notebook's init_scales_teacher [1, 1, 1])
 *   student widths [m, m] (10), weights init_w·N(0,1) (0.8) in every
 *           layer, the output layer too
 *   biases  of teacher and student: U(−1/√fan_in, 1/√fan_in), PyTorch's
 *           default for nn.Linear — the notebook's FCNet.init_gaussian
 *           rescales the weights only and leaves the biases at that
 *           default, so this follows the code that drew Fig. 5 (the
 *           spec's "student weights 0.8·N(0,1)" says nothing of biases)
 *   loss    L = 1/n Σ r² (c = 1).
 * θ stored as W1 (m × d, row-major), b1 (m), W2 (m × m, row l = unit l
 * of layer 2), b2 (m), a (m), c: p = md + m² + 3m + 1 (181 at d = 5,
 * m = 10).  With D1 = 1{z1 > 0}, D2 = 1{z2 > 0}, the backward pass of h:
 *   δ2 = a ⊙ D2,  δ1 = D1 ⊙ W2ᵀ δ2,
 *   ∂h/∂W1 = δ1 xᵀ, ∂h/∂b1 = δ1, ∂h/∂W2 = δ2 h1ᵀ, ∂h/∂b2 = δ2,
 *   ∂h/∂a = h2, ∂h/∂c = 1.
 * Layers are at most TEACHER_WIDTH_MAX wide so the per-sample vectors
 * live on the stack: the stepping loop never allocates. */
#include "metrics.h"
#include "model.h"
#include "model_registry.h"
#include "teacher.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WMAX TEACHER_WIDTH_MAX

typedef struct ts3_priv {
    size_t d, nn, k;  /* input dimension, student width, teacher width */
    double *T;        /* the teacher's parameters, the student's layout */
    double *act, *act2; /* n × m activations of layers 1 and 2 */
    double *size;     /* m neuron sizes ‖w1_j‖·‖W2[:, j]‖ */
    double *scratch;  /* METRICS_SPARSITY_SCRATCH(n, m) doubles */
} ts3_priv;

/* Parameters of a net of width w on d inputs. */
static size_t ts3_count(size_t d, size_t w)
{
    return w * d + w * w + 3 * w + 1;
}

/* The parts of θ for width w. */
typedef struct ts3_view {
    const double *W1, *b1, *W2, *b2, *a, *c;
} ts3_view;

static ts3_view ts3_split(const double *th, size_t d, size_t w)
{
    ts3_view v;
    v.W1 = th;
    v.b1 = v.W1 + w * d;
    v.W2 = v.b1 + w;
    v.b2 = v.W2 + w * w;
    v.a = v.b2 + w;
    v.c = v.a + w;
    return v;
}

/* The forward pass: z1, z2 (w each) and h. */
static double ts3_forward(const double *th, size_t d, size_t w,
                          const double *x, double *z1, double *z2)
{
    ts3_view v = ts3_split(th, d, w);
    for (size_t j = 0; j < w; j++) {
        double z = v.b1[j];
        for (size_t i = 0; i < d; i++)
            z += v.W1[j * d + i] * x[i];
        z1[j] = z;
    }
    double h = v.c[0];
    for (size_t l = 0; l < w; l++) {
        double z = v.b2[l];
        for (size_t j = 0; j < w; j++)
            z += v.W2[l * w + j] * (z1[j] > 0.0 ? z1[j] : 0.0);
        z2[l] = z;
        h += v.a[l] * (z > 0.0 ? z : 0.0);
    }
    return h;
}

/* out += f·∇_θ h at x, given the forward pass's z1, z2 at the same θ.
 * Every vector is computed before the first write, so out may be θ
 * itself: with f = −2ηr this is the fused SGD step, all from the old θ. */
static void ts3_backward(const double *th, size_t d, size_t w,
                         const double *x, const double *z1,
                         const double *z2, double f, double *out)
{
    ts3_view v = ts3_split(th, d, w);
    double h1[WMAX], h2[WMAX], fd2[WMAX], fd1[WMAX];
    for (size_t j = 0; j < w; j++)
        h1[j] = z1[j] > 0.0 ? z1[j] : 0.0;
    for (size_t l = 0; l < w; l++) {
        h2[l] = z2[l] > 0.0 ? z2[l] : 0.0;
        fd2[l] = z2[l] > 0.0 ? f * v.a[l] : 0.0;
    }
    for (size_t j = 0; j < w; j++) {
        double e = 0.0;
        for (size_t l = 0; l < w; l++)
            e += v.W2[l * w + j] * fd2[l];
        fd1[j] = z1[j] > 0.0 ? e : 0.0;
    }
    double *oW1 = out, *ob1 = oW1 + w * d, *oW2 = ob1 + w,
           *ob2 = oW2 + w * w, *oa = ob2 + w, *oc = oa + w;
    for (size_t j = 0; j < w; j++) {
        for (size_t i = 0; i < d; i++)
            oW1[j * d + i] += fd1[j] * x[i];
        ob1[j] += fd1[j];
    }
    for (size_t l = 0; l < w; l++) {
        for (size_t j = 0; j < w; j++)
            oW2[l * w + j] += fd2[l] * h1[j];
        ob2[l] += fd2[l];
        oa[l] += f * h2[l];
    }
    oc[0] += f;
}

/* PyTorch's default bias of a layer with fan_in inputs. */
static double ts3_bias(rng *g, size_t fan_in)
{
    double s = 1.0 / sqrt((double)fan_in);
    return s * (2.0 * rng_uniform(g) - 1.0);
}

/* Draw order from g, layer by layer: weights (scale·N(0,1), row by row),
 * then biases (ts3_bias), for layer 1, layer 2, the output layer. */
static void ts3_draw(double *th, size_t d, size_t w, double scale, rng *g)
{
    double *W1 = th, *b1 = W1 + w * d, *W2 = b1 + w, *b2 = W2 + w * w,
           *a = b2 + w, *c = a + w;
    for (size_t q = 0; q < w * d; q++)
        W1[q] = scale * rng_normal(g);
    for (size_t j = 0; j < w; j++)
        b1[j] = ts3_bias(g, d);
    for (size_t q = 0; q < w * w; q++)
        W2[q] = scale * rng_normal(g);
    for (size_t j = 0; j < w; j++)
        b2[j] = ts3_bias(g, w);
    for (size_t j = 0; j < w; j++)
        a[j] = scale * rng_normal(g);
    c[0] = ts3_bias(g, w);
}

static int ts3_create(model *m, const model_params *prm, rng *data,
                      rng *probe, char *err, size_t errlen)
{
    if (prm->data || prm->test_data) {
        snprintf(err, errlen, "ts3 draws its own inputs: no data files");
        return -1;
    }
    if (prm->d < 2 || prm->m < 1 || prm->m > WMAX || prm->n < 1 ||
        prm->n_test < 0 || prm->teacher < 1 || prm->teacher > WMAX) {
        snprintf(err, errlen, "ts3: need d >= 2, 1 <= m <= %d, n >= 1, "
                 "n_test >= 0 and 1 <= teacher <= %d (got d=%d m=%d n=%d "
                 "n_test=%d teacher=%d)", WMAX, WMAX, prm->d, prm->m, prm->n,
                 prm->n_test, prm->teacher);
        return -1;
    }
    size_t d = (size_t)prm->d, nn = (size_t)prm->m, k = (size_t)prm->teacher;
    if (ts3_count(d, nn) > TEACHER_P_MAX) {
        snprintf(err, errlen, "ts3: %zu parameters is above %d",
                 ts3_count(d, nn), TEACHER_P_MAX);
        return -1;
    }
    if ((size_t)prm->n * d > MODEL_DATA_MAX ||
        (size_t)prm->n_test * d > MODEL_DATA_MAX) {
        snprintf(err, errlen, "ts3: n*d and n_test*d must be at most %d",
                 MODEL_DATA_MAX);
        return -1;
    }
    m->dim = d;
    m->p = ts3_count(d, nn);
    m->n = (size_t)prm->n;
    m->n_test = (size_t)prm->n_test;
    m->loss_coef = 1.0;
    size_t np = model_probe_count(prm, m->p);
    m->n_probe = np;
    m->ntk_rows = np;
    m->ntk_cols = m->p;

    ts3_priv *pv = calloc(1, sizeof *pv);
    m->priv = pv;
    if (!pv)
        goto oom;
    pv->d = d;
    pv->nn = nn;
    pv->k = k;
    size_t pt = ts3_count(d, k), ns = METRICS_SPARSITY_SCRATCH(m->n, nn);
    pv->T = malloc(pt * sizeof *pv->T);
    pv->act = malloc(m->n * nn * sizeof *pv->act);
    pv->act2 = malloc(m->n * nn * sizeof *pv->act2);
    pv->size = malloc(nn * sizeof *pv->size);
    pv->scratch = malloc(ns * sizeof *pv->scratch);
    m->x = malloc(m->n * d * sizeof *m->x);
    m->y = malloc(m->n * sizeof *m->y);
    m->xt = m->n_test ? malloc(m->n_test * d * sizeof *m->xt) : NULL;
    m->yt = m->n_test ? malloc(m->n_test * sizeof *m->yt) : NULL;
    m->probe = malloc(np * d * sizeof *m->probe);
    if (!pv->T || !pv->act || !pv->act2 || !pv->size || !pv->scratch ||
        !m->x || !m->y || (m->n_test && (!m->xt || !m->yt)) || !m->probe)
        goto oom;
    m->bytes = sizeof *pv + sizeof(double) *
               (pt + 2 * m->n * nn + nn + ns + m->n * (d + 1) +
                m->n_test * (d + 1) + np * d);

    /* The notebook's order: training inputs, test inputs, the teacher. */
    teacher_sphere(data, m->x, m->n, d);
    teacher_sphere(data, m->xt, m->n_test, d);
    ts3_draw(pv->T, d, k, 1.0, data);
    double z1[WMAX], z2[WMAX];
    for (size_t i = 0; i < m->n; i++)
        m->y[i] = ts3_forward(pv->T, d, k, m->x + i * d, z1, z2);
    for (size_t i = 0; i < m->n_test; i++)
        m->yt[i] = ts3_forward(pv->T, d, k, m->xt + i * d, z1, z2);
    teacher_sphere(probe, m->probe, np, d);
    return 0;
oom:
    snprintf(err, errlen, "ts3: out of memory (m=%zu, d=%zu)", nn, d);
    return -1;
}

static void ts3_destroy(model *m)
{
    ts3_priv *pv = m->priv;
    if (pv) {
        free(pv->T);
        free(pv->act);
        free(pv->act2);
        free(pv->size);
        free(pv->scratch);
        free(pv);
    }
    m->priv = NULL;
    model_free_points(m);
}

static void ts3_init_theta(const model *m, double *theta, rng *g)
{
    const ts3_priv *pv = m->priv;
    ts3_draw(theta, pv->d, pv->nn, m->prm.init_w, g);
}

static double ts3_predict(const model *m, const double *theta,
                          const double *x)
{
    const ts3_priv *pv = m->priv;
    double z1[WMAX], z2[WMAX];
    return ts3_forward(theta, pv->d, pv->nn, x, z1, z2);
}

static void ts3_feature(const model *m, const double *theta, const double *x,
                        double *row)
{
    const ts3_priv *pv = m->priv;
    double z1[WMAX], z2[WMAX];
    ts3_forward(theta, pv->d, pv->nn, x, z1, z2);
    memset(row, 0, m->p * sizeof *row);
    ts3_backward(theta, pv->d, pv->nn, x, z1, z2, 1.0, row);
}

static double ts3_grad_add(const model *m, const double *theta,
                           const double *x, double y, double scale,
                           double *g)
{
    const ts3_priv *pv = m->priv;
    double z1[WMAX], z2[WMAX];
    double r = ts3_forward(theta, pv->d, pv->nn, x, z1, z2) - y;
    ts3_backward(theta, pv->d, pv->nn, x, z1, z2, 2.0 * scale * r, g);
    return r;
}

static double ts3_sgd1(const model *m, double *theta, const double *x,
                       double y, double eta)
{
    const ts3_priv *pv = m->priv;
    double z1[WMAX], z2[WMAX];
    double r = ts3_forward(theta, pv->d, pv->nn, x, z1, z2) - y;
    ts3_backward(theta, pv->d, pv->nn, x, z1, z2, -2.0 * eta * r, theta);
    return r;
}

/* H v, c = 1, almost everywhere (relu'' dropped), by forward-over-reverse:
 * the R-operator R{·} = d/dε (·)(θ + εv) at ε = 0 through the forward
 * pass gives q = R{h} = ∇h·v, and through the backward pass R{∇h} =
 * ∇²h v; then out = 2/n Σ_i (q_i ∇h_i + r_i ∇²h_i v).  With v split like
 * θ into (V1, vb1, V2, vb2, va, vc):
 *   R z1 = V1 x + vb1,          R h1 = D1 ⊙ R z1,
 *   R z2 = V2 h1 + W2 R h1 + vb2, R h2 = D2 ⊙ R z2,
 *   q = va·h2 + a·R h2 + vc,
 *   R δ2 = va ⊙ D2,             R δ1 = D1 ⊙ (V2ᵀ δ2 + W2ᵀ R δ2),
 *   R ∂W1 = R δ1 xᵀ, R ∂b1 = R δ1, R ∂W2 = R δ2 h1ᵀ + δ2 R h1ᵀ,
 *   R ∂b2 = R δ2, R ∂a = R h2, R ∂c = 0. */
static void ts3_hvp(const model *m, const double *theta, const double *v,
                    double *out)
{
    const ts3_priv *pv = m->priv;
    size_t d = pv->d, w = pv->nn;
    ts3_view t = ts3_split(theta, d, w), u = ts3_split(v, d, w);
    double *oW1 = out, *ob1 = oW1 + w * d, *oW2 = ob1 + w,
           *ob2 = oW2 + w * w, *oa = ob2 + w, *oc = oa + w;
    double z1[WMAX], z2[WMAX], h1[WMAX], h2[WMAX], Rh1[WMAX], Rh2[WMAX];
    double d2[WMAX], Rd2[WMAX], d1[WMAX], Rd1[WMAX];
    double k2 = 2.0 / (double)m->n;
    memset(out, 0, m->p * sizeof *out);
    for (size_t i = 0; i < m->n; i++) {
        const double *x = m->x + i * d;
        double r = ts3_forward(theta, d, w, x, z1, z2) - m->y[i];
        for (size_t j = 0; j < w; j++) {
            double Rz = u.b1[j];
            for (size_t c = 0; c < d; c++)
                Rz += u.W1[j * d + c] * x[c];
            h1[j] = z1[j] > 0.0 ? z1[j] : 0.0;
            Rh1[j] = z1[j] > 0.0 ? Rz : 0.0;
        }
        double q = u.c[0];
        for (size_t l = 0; l < w; l++) {
            double Rz = u.b2[l];
            for (size_t j = 0; j < w; j++)
                Rz += u.W2[l * w + j] * h1[j] + t.W2[l * w + j] * Rh1[j];
            int on = z2[l] > 0.0;
            h2[l] = on ? z2[l] : 0.0;
            Rh2[l] = on ? Rz : 0.0;
            d2[l] = on ? t.a[l] : 0.0;
            Rd2[l] = on ? u.a[l] : 0.0;
            q += u.a[l] * h2[l] + t.a[l] * Rh2[l];
        }
        for (size_t j = 0; j < w; j++) {
            double e = 0.0, Re = 0.0;
            for (size_t l = 0; l < w; l++) {
                e += t.W2[l * w + j] * d2[l];
                Re += u.W2[l * w + j] * d2[l] + t.W2[l * w + j] * Rd2[l];
            }
            d1[j] = z1[j] > 0.0 ? e : 0.0;
            Rd1[j] = z1[j] > 0.0 ? Re : 0.0;
        }
        /* out += k2 (q ∇h + r R{∇h}) */
        double qk = k2 * q, rk = k2 * r;
        for (size_t j = 0; j < w; j++) {
            double g1 = qk * d1[j] + rk * Rd1[j];
            for (size_t c = 0; c < d; c++)
                oW1[j * d + c] += g1 * x[c];
            ob1[j] += g1;
        }
        for (size_t l = 0; l < w; l++) {
            for (size_t j = 0; j < w; j++)
                oW2[l * w + j] += qk * d2[l] * h1[j] +
                                  rk * (Rd2[l] * h1[j] + d2[l] * Rh1[j]);
            ob2[l] += qk * d2[l] + rk * Rd2[l];
            oa[l] += qk * h2[l] + rk * Rh2[l];
        }
        oc[0] += qk;
    }
}

/* p ≤ TEACHER_P_MAX: the feature matrix on the probes is the factor. */
static void ts3_ntk_factor(const model *m, const double *theta, double *F,
                           size_t *rows, size_t *cols)
{
    for (size_t i = 0; i < m->n_probe; i++)
        ts3_feature(m, theta, m->probe + i * m->dim, F + i * m->p);
    *rows = m->n_probe;
    *cols = m->p;
}

/* ‖column j of W2‖: how strongly first-layer neuron j feeds layer 2. */
static double ts3_out_norm(const double *W2, size_t w, size_t j)
{
    double s = 0.0;
    for (size_t l = 0; l < w; l++)
        s += W2[l * w + j] * W2[l * w + j];
    return sqrt(s);
}

static void ts3_extras(const model *m, const double *theta,
                       const extras_cfg *c, model_extras *out)
{
    const ts3_priv *pv = m->priv;
    size_t d = pv->d, w = pv->nn;
    ts3_view t = ts3_split(theta, d, w);
    out->l0 = NAN;
    out->l0_nb = NAN;
    out->kinks = NAN;
    double z1[WMAX], z2[WMAX];
    for (size_t i = 0; i < m->n; i++) {
        ts3_forward(theta, d, w, m->x + i * d, z1, z2);
        for (size_t j = 0; j < w; j++) {
            pv->act[i * w + j] = z1[j] > 0.0 ? z1[j] : 0.0;
            pv->act2[i * w + j] = z2[j] > 0.0 ? z2[j] : 0.0;
        }
    }
    for (size_t j = 0; j < w; j++) {
        double s = 0.0;
        for (size_t i = 0; i < d; i++)
            s += t.W1[j * d + i] * t.W1[j * d + i];
        pv->size[j] = sqrt(s) * ts3_out_norm(t.W2, w, j);
    }
    out->teacher_angle = teacher_angle_mean(t.W1, pv->size, w, d, pv->act,
                                            m->n, pv->T, pv->k);
    out->feature_sparsity = metrics_feature_sparsity(pv->act, m->n, w,
                                                     c->corr, pv->scratch);
    out->feature_sparsity2 = metrics_feature_sparsity(pv->act2, m->n, w,
                                                      c->corr, pv->scratch);
}

/* d = 2: the input plane, x and y axes; d > 2: the plane of the first two
 * teacher first-layer rows (teacher_plane), *projected = 1.  Neuron j's
 * point is ‖W2[:, j]‖·w1_j in that plane. */
static void ts3_neurons(const model *m, const double *theta, double *xy,
                        size_t max, size_t *count, double *txy, size_t tmax,
                        size_t *tcount, int *projected)
{
    const ts3_priv *pv = m->priv;
    size_t d = pv->d, w = pv->nn;
    ts3_view t = ts3_split(theta, d, w);
    double e[2][TEACHER_P_MAX];
    if (d == 2) {
        e[0][0] = 1.0, e[0][1] = 0.0, e[1][0] = 0.0, e[1][1] = 1.0;
        *projected = 0;
    } else {
        teacher_plane(pv->T, pv->k, d, e[0], e[1]);
        *projected = 1;
    }
    for (size_t j = 0; j < w && j < max; j++) {
        double s = ts3_out_norm(t.W2, w, j), u = 0.0, v = 0.0;
        for (size_t i = 0; i < d; i++) {
            u += t.W1[j * d + i] * e[0][i];
            v += t.W1[j * d + i] * e[1][i];
        }
        xy[2 * j] = s * u;
        xy[2 * j + 1] = s * v;
    }
    for (size_t q = 0; q < pv->k && q < tmax; q++) {
        double u = 0.0, v = 0.0;
        for (size_t i = 0; i < d; i++) {
            u += pv->T[q * d + i] * e[0][i];
            v += pv->T[q * d + i] * e[1][i];
        }
        double nv = hypot(u, v);
        txy[2 * q] = nv > 0.0 ? u / nv : 0.0;
        txy[2 * q + 1] = nv > 0.0 ? v / nv : 0.0;
    }
    *count = w;
    *tcount = pv->k;
}

const double *ts3_teacher_params(const model *m, size_t *k)
{
    if (!m || m->ops != &model_ts3_ops || !m->priv)
        return NULL;
    const ts3_priv *pv = m->priv;
    *k = pv->k;
    return pv->T;
}

const model_ops model_ts3_ops = {
    .name = "ts3",
    .summary = "three-layer ReLU teacher-student on the unit sphere "
               "(Fig. 5)",
    .create = ts3_create,
    .destroy = ts3_destroy,
    .init_theta = ts3_init_theta,
    .predict = ts3_predict,
    .feature = ts3_feature,
    .grad_add = ts3_grad_add,
    .sgd1 = ts3_sgd1,
    .sample = NULL,
    .pop_loss = NULL,
    .pop_grad = NULL,
    .hvp = ts3_hvp,
    .ntk_factor = ts3_ntk_factor,
    .extras = ts3_extras,
    .picture = MODEL_PICTURE_NEURONS,
    .neurons = ts3_neurons,
};

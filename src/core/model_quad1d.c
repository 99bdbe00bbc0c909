/* model_quad1d.c — the 1-D quadratic parametrization of Proposition 2
 * (spec §1.1): θ ∈ R, h_θ(x) = x θ², y = x θ*², x ~ U[a, b], loss
 * F(θ) = ¼ E (y − x θ²)², so one SGD step is θ ← θ + η θ x (y − x θ²).
 *
 * Online by default (prm->n = 0: a fresh x each step, population loss);
 * prm->n > 0 draws a fixed training set from the data stream instead. */
#include "model.h"
#include "model_registry.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* E[x²] for x ~ U[a, b]. */
static double quad1d_ex2(const model *m)
{
    double a = m->prm.a, b = m->prm.b;
    return (a * a + a * b + b * b) / 3.0;
}

static int quad1d_create(model *m, const model_params *prm, rng *data,
                         rng *probe, char *err, size_t errlen)
{
    if (!isfinite(prm->a) || !isfinite(prm->b) || !(prm->a <= prm->b)) {
        snprintf(err, errlen, "quad1d: need finite a <= b (got a=%g, b=%g)",
                 prm->a, prm->b);
        return -1;
    }
    if (!isfinite(prm->theta_star) || !isfinite(prm->theta0)) {
        snprintf(err, errlen, "quad1d: theta_star and theta0 must be finite");
        return -1;
    }
    if (prm->n < 0) {
        snprintf(err, errlen, "quad1d: n must be >= 0 (0 = online)");
        return -1;
    }
    m->p = 1;
    m->dim = 1;
    m->n = (size_t)prm->n;
    m->n_test = 0; /* the population loss is the test loss */
    m->loss_coef = 0.25;
    m->n_probe = 1;
    m->ntk_rows = m->ntk_cols = 1;
    m->bytes = (2 * m->n + 1) * sizeof(double);

    double ts2 = prm->theta_star * prm->theta_star;
    if (m->n > 0) {
        m->x = malloc(m->n * sizeof *m->x);
        m->y = malloc(m->n * sizeof *m->y);
        if (!m->x || !m->y)
            goto oom;
        for (size_t i = 0; i < m->n; i++) {
            m->x[i] = prm->a + (prm->b - prm->a) * rng_uniform(data);
            m->y[i] = m->x[i] * ts2;
        }
    }
    m->probe = malloc(sizeof *m->probe);
    if (!m->probe)
        goto oom;
    m->probe[0] = prm->a + (prm->b - prm->a) * rng_uniform(probe);
    return 0;
oom:
    snprintf(err, errlen, "quad1d: out of memory");
    return -1;
}

static void quad1d_destroy(model *m)
{
    free(m->x);
    free(m->y);
    free(m->probe);
    m->x = m->y = m->probe = NULL;
}

static void quad1d_init_theta(const model *m, double *theta, rng *g)
{
    theta[0] = m->prm.theta0;
}

static double quad1d_predict(const model *m, const double *theta,
                             const double *x)
{
    return x[0] * theta[0] * theta[0];
}

static void quad1d_feature(const model *m, const double *theta,
                           const double *x, double *row)
{
    row[0] = 2.0 * x[0] * theta[0];
}

/* ∇ℓ = 2c r ∂h/∂θ = 2·¼·r·2xθ = r x θ. */
static double quad1d_grad_add(const model *m, const double *theta,
                              const double *x, double y, double scale,
                              double *g)
{
    double t = theta[0];
    double r = x[0] * t * t - y;
    g[0] += scale * r * x[0] * t;
    return r;
}

static double quad1d_sgd1(const model *m, double *theta, const double *x,
                          double y, double eta)
{
    double t = theta[0];
    double r = x[0] * t * t - y;
    theta[0] = t - eta * r * x[0] * t;
    return r;
}

static void quad1d_sample(const model *m, rng *g, double *x, double *y)
{
    x[0] = m->prm.a + (m->prm.b - m->prm.a) * rng_uniform(g);
    *y = x[0] * m->prm.theta_star * m->prm.theta_star;
}

/* F(θ) = ¼ E[x²] (θ*² − θ²)². */
static double quad1d_pop_loss(const model *m, const double *theta)
{
    double d = m->prm.theta_star * m->prm.theta_star - theta[0] * theta[0];
    return 0.25 * quad1d_ex2(m) * d * d;
}

/* F'(θ) = −E[x²] θ (θ*² − θ²). */
static void quad1d_pop_grad(const model *m, const double *theta, double *g)
{
    double d = m->prm.theta_star * m->prm.theta_star - theta[0] * theta[0];
    g[0] = -quad1d_ex2(m) * theta[0] * d;
}

/* ℓ = ¼ r², r = xθ² − y: ℓ'' = ½ (2xθ)² + ½ r·2x = 2x²θ² + r x.
 * Online: F''(θ) = E[x²] (3θ² − θ*²) exactly (y = xθ*²). */
static void quad1d_hvp(const model *m, const double *theta, const double *v,
                       double *out)
{
    double t = theta[0], h = 0.0;
    if (m->n == 0) {
        double ts = m->prm.theta_star;
        h = quad1d_ex2(m) * (3.0 * t * t - ts * ts);
    } else {
        for (size_t i = 0; i < m->n; i++) {
            double x = m->x[i], r = x * t * t - m->y[i];
            h += 2.0 * x * x * t * t + r * x;
        }
        h /= (double)m->n;
    }
    out[0] = h * v[0];
}

static void quad1d_ntk_factor(const model *m, const double *theta, double *F,
                              size_t *rows, size_t *cols)
{
    F[0] = 2.0 * m->probe[0] * theta[0];
    *rows = *cols = 1;
}

static void quad1d_extras(const model *m, const double *theta,
                          const extras_cfg *c, model_extras *out)
{
    out->l0 = NAN;
    out->l0_nb = NAN;
    out->feature_sparsity = NAN;
    out->kinks = NAN;
    out->feature_sparsity2 = NAN;
    out->teacher_angle = NAN;
}

const model_ops model_quad1d_ops = {
    .name = "quad1d",
    .summary = "1-D quadratic parametrization h(x) = x theta^2 (Prop. 2)",
    .create = quad1d_create,
    .destroy = quad1d_destroy,
    .init_theta = quad1d_init_theta,
    .predict = quad1d_predict,
    .feature = quad1d_feature,
    .grad_add = quad1d_grad_add,
    .sgd1 = quad1d_sgd1,
    .sample = quad1d_sample,
    .pop_loss = quad1d_pop_loss,
    .pop_grad = quad1d_pop_grad,
    .hvp = quad1d_hvp,
    .ntk_factor = quad1d_ntk_factor,
    .extras = quad1d_extras,
    .picture = MODEL_PICTURE_THETA2,
};

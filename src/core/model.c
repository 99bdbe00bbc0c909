/* model.c — the model registry and the functions every model shares,
 * written once on top of model_ops; see model.h. */
#include "model.h"
#include "model_registry.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Registration order is listing order (--list, scene errors). */
static const model_ops *const registry[] = {
    &model_quad1d_ops,
    &model_diagnet_ops,
    &model_relu1d_ops,
    &model_ts2_ops,
    &model_ts3_ops,
};

#define REGISTRY_LEN (sizeof registry / sizeof registry[0])

const model_ops *model_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < REGISTRY_LEN; i++)
        if (strcmp(registry[i]->name, name) == 0)
            return registry[i];
    return NULL;
}

const model_ops *model_at(size_t i)
{
    return i < REGISTRY_LEN ? registry[i] : NULL;
}

size_t model_probe_count(const model_params *prm, size_t p)
{
    size_t cap = prm->probe_max > 0 ? (size_t)prm->probe_max
                                    : (size_t)MODEL_PROBE_MAX;
    return p < cap ? p : cap;
}

int model_create(model *m, const model_ops *ops, const model_params *prm,
                 rng *data, rng *probe, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    if (errlen)
        err[0] = '\0';
    m->ops = ops;
    m->prm = *prm;
    if (ops->create(m, prm, data, probe, err, errlen) != 0) {
        /* Each destroy copes with a half-built model (NULL pointers). */
        ops->destroy(m);
        memset(m, 0, sizeof *m);
        return -1;
    }
    return 0;
}

void model_free_points(model *m)
{
    free(m->x);
    free(m->y);
    free(m->xt);
    free(m->yt);
    free(m->probe);
    m->x = m->y = m->xt = m->yt = m->probe = NULL;
}

void model_destroy(model *m)
{
    if (m->ops && m->ops->destroy)
        m->ops->destroy(m);
    memset(m, 0, sizeof *m);
}

double model_loss_on(const model *m, const double *theta, const double *x,
                     const double *y, size_t count)
{
    if (count == 0)
        return NAN;
    double s = 0.0;
    for (size_t i = 0; i < count; i++) {
        double r = m->ops->predict(m, theta, x + i * m->dim) - y[i];
        s += r * r;
    }
    return m->loss_coef * s / (double)count;
}

double model_train_loss(const model *m, const double *theta)
{
    if (m->n == 0)
        return m->ops->pop_loss ? m->ops->pop_loss(m, theta) : NAN;
    return model_loss_on(m, theta, m->x, m->y, m->n);
}

double model_test_loss(const model *m, const double *theta)
{
    if (m->n_test > 0)
        return model_loss_on(m, theta, m->xt, m->yt, m->n_test);
    /* A model that knows its population loss (quad1d, online or with a
     * fixed sample) reports that: it is the test loss of infinitely many
     * fresh points. */
    if (m->ops->pop_loss)
        return m->ops->pop_loss(m, theta);
    return NAN;
}

void model_full_grad(const model *m, const double *theta, double *g)
{
    if (m->n == 0) {
        if (m->ops->pop_grad)
            m->ops->pop_grad(m, theta, g);
        else
            for (size_t k = 0; k < m->p; k++)
                g[k] = NAN;
        return;
    }
    /* ∇(c/n Σ r_i²) = 1/n Σ ∇ℓ_i: accumulate with scale 1/n, no scratch. */
    memset(g, 0, m->p * sizeof *g);
    double scale = 1.0 / (double)m->n;
    for (size_t i = 0; i < m->n; i++)
        m->ops->grad_add(m, theta, m->x + i * m->dim, m->y[i], scale, g);
}

void model_hvp(const model *m, const double *theta, const double *v,
               double *out)
{
    m->ops->hvp(m, theta, v, out);
}

void model_line_begin(model_line *l, const model *m, const double *theta,
                      const double *dir, double *scratch)
{
    l->m = m;
    l->theta = theta;
    l->dir = dir;
    l->th = scratch;
    l->fast = m->ops->line_begin && m->n * m->p >= MODEL_LINE_MIN;
    if (l->fast)
        m->ops->line_begin(m, theta, dir);
}

double model_line_loss(const model_line *l, double s)
{
    const model *m = l->m;
    if (l->fast)
        return m->ops->line_loss(m, s);
    for (size_t j = 0; j < m->p; j++)
        l->th[j] = l->theta[j] + s * l->dir[j];
    return model_train_loss(m, l->th);
}

void model_feature_matrix(const model *m, const double *theta,
                          const double *x, size_t count, double *phi)
{
    for (size_t i = 0; i < count; i++)
        m->ops->feature(m, theta, x + i * m->dim, phi + i * m->p);
}

/* surface.c — the loss surface's plane, grid and paths; see surface.h. */
#include "surface.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model_registry.h"

static const char *const kind_names[SURF_COUNT] = {"none", "own", "fig3"};

const char *surface_kind_name(surf_kind k)
{
    return (unsigned)k < SURF_COUNT ? kind_names[k] : NULL;
}

int surface_kind_parse(const char *name)
{
    for (int k = 0; k < SURF_COUNT; k++)
        if (strcmp(name, kind_names[k]) == 0)
            return k;
    return -1;
}

const char *surface_refusal(surf_kind k, const char *model_name, int d,
                            double init_u, double init_v, int has_beta_star,
                            char *buf, size_t cap)
{
    int diag = strcmp(model_name, "diagnet") == 0;
    if (k == SURF_OWN) {
        if (!diag)
            snprintf(buf, cap, "surface = own: %s's parameters have no 2-D "
                     "plane of their own (diagnet with d = 2 and init_u = "
                     "init_v has one)", model_name);
        else if (d != 2)
            snprintf(buf, cap, "surface = own: diagnet with d = %d has %d "
                     "parameters, no 2-D plane of its own (d = 2 and "
                     "init_u = init_v have one)", d, 2 * d);
        else if (init_u != init_v)
            snprintf(buf, cap, "surface = own needs balanced layers: "
                     "init_u (%g) must equal init_v (%g), so u = v stays on "
                     "the plane", init_u, init_v);
        else
            return NULL;
        return buf;
    }
    if (k == SURF_FIG3) {
        if (!diag)
            snprintf(buf, cap, "surface = fig3 is the diagonal net's plane "
                     "through w* = (sqrt(beta*), sqrt(beta*)); %s has none",
                     model_name);
        else if (!has_beta_star)
            snprintf(buf, cap, "surface = fig3 needs beta*, which a data "
                     "file does not give");
        else
            return NULL;
        return buf;
    }
    return NULL;
}

static double dot(const double *x, const double *y, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i] * y[i];
    return s;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void surface_free(surface *s)
{
    free(s->o);
    free(s->e1);
    free(s->e2);
    free(s->loss);
    free(s->lg);
    free(s->scratch);
    memset(s, 0, sizeof *s);
}

/* The own plane of a balanced d = 2 diagonal net: θ = (a, b, a, b). */
static void plane_own(surface *s, const model *m)
{
    memset(s->o, 0, s->p * sizeof *s->o);
    s->e1[0] = s->e1[2] = 1;
    s->e2[1] = s->e2[3] = 1;
    s->xlabel = "u1";
    s->ylabel = "u2";
    const double *bs = diagnet_beta_star(m);
    s->star_a = bs ? sqrt(fabs(bs[0])) : NAN;
    s->star_b = bs ? sqrt(fabs(bs[1])) : NAN;
}

/* The fig3 plane; the gradient-flow reference run steps in e2 (and
 * scratch as its gradient), then e1 and e2 are made orthonormal. */
static int plane_fig3(surface *s, const model *m, const double *theta0,
                      uint64_t steps, char *err, size_t errlen)
{
    size_t p = s->p, d = p / 2;
    const double *bs = diagnet_beta_star(m);
    double t0 = now_ms();
    memcpy(s->o, theta0, p * sizeof *s->o);
    /* w_GF: GD at SURFACE_GF_ETA from w₀ for the scene's steps */
    double *w = s->e2, *g = s->scratch;
    memcpy(w, theta0, p * sizeof *w);
    for (uint64_t t = 0; t < steps; t++) {
        model_full_grad(m, w, g);
        for (size_t i = 0; i < p; i++)
            w[i] -= SURFACE_GF_ETA * g[i];
    }
    s->gf_ms = now_ms() - t0;
    /* e1 = (w* − w₀)/‖·‖ */
    for (size_t j = 0; j < d; j++) {
        double r = sqrt(fabs(bs[j]));
        s->e1[j] = r - theta0[j];
        s->e1[d + j] = r - theta0[d + j];
    }
    double n1 = sqrt(dot(s->e1, s->e1, p));
    /* e2: the part of w_GF − w₀ orthogonal to e1, as the notebook (its
     * w_GF as it is, not |w_GF|) */
    for (size_t i = 0; i < p; i++)
        w[i] -= theta0[i];
    if (!(n1 > 0) || !isfinite(n1)) {
        snprintf(err, errlen, "surface = fig3: w0 is w* already");
        return -1;
    }
    for (size_t i = 0; i < p; i++)
        s->e1[i] /= n1;
    double c = dot(w, s->e1, p);
    for (size_t i = 0; i < p; i++)
        w[i] -= c * s->e1[i];
    double n2 = sqrt(dot(w, w, p));
    if (!(n2 > 1e-12 * (n1 + 1)) || !isfinite(n2)) {
        snprintf(err, errlen, "surface = fig3: the gradient-flow run ends on "
                 "the line from w0 to w*, so it spans no plane");
        return -1;
    }
    for (size_t i = 0; i < p; i++)
        w[i] /= n2;
    s->abs_theta = 1;
    s->xlabel = "e1 (w0 to w*)";
    s->ylabel = "e2 (to gradient flow's end)";
    s->star_a = n1;
    s->star_b = 0;
    return 0;
}

int surface_create(surface *s, surf_kind k, const model *m,
                   const double *theta0, double lo, double hi, double clip,
                   int g, uint64_t steps, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    char why[256];
    const model_params *mp = &m->prm;
    if (k == SURF_NONE || k >= SURF_COUNT) {
        snprintf(err, errlen, "no surface");
        return -1;
    }
    if (surface_refusal(k, m->ops->name, mp->d, mp->init_u, mp->init_v,
                        diagnet_beta_star(m) != NULL, why, sizeof why)) {
        snprintf(err, errlen, "%s", why);
        return -1;
    }
    s->kind = k;
    s->p = m->p;
    s->lo = lo;
    s->hi = hi;
    s->clip = clip;
    s->o = calloc(s->p, sizeof *s->o);
    s->e1 = calloc(s->p, sizeof *s->e1);
    s->e2 = calloc(s->p, sizeof *s->e2);
    s->scratch = calloc(s->p, sizeof *s->scratch);
    if (!s->o || !s->e1 || !s->e2 || !s->scratch) {
        surface_free(s);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (k == SURF_OWN)
        plane_own(s, m);
    else if (plane_fig3(s, m, theta0, steps, err, errlen)) {
        surface_free(s);
        return -1;
    }
    s->n11 = dot(s->e1, s->e1, s->p);
    s->n12 = dot(s->e1, s->e2, s->p);
    s->n22 = dot(s->e2, s->e2, s->p);
    if (surface_grid(s, m, g)) {
        surface_free(s);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

void surface_point(const surface *s, double a, double b, double *theta)
{
    for (size_t i = 0; i < s->p; i++)
        theta[i] = s->o[i] + a * s->e1[i] + b * s->e2[i];
}

void surface_project(const surface *s, const double *theta, double *a,
                     double *b)
{
    double c1 = 0, c2 = 0;
    for (size_t i = 0; i < s->p; i++) {
        double x = (s->abs_theta ? fabs(theta[i]) : theta[i]) - s->o[i];
        c1 += x * s->e1[i];
        c2 += x * s->e2[i];
    }
    double det = s->n11 * s->n22 - s->n12 * s->n12;
    *a = (c1 * s->n22 - c2 * s->n12) / det;
    *b = (c2 * s->n11 - c1 * s->n12) / det;
}

int surface_grid(surface *s, const model *m, int g)
{
    if (g < 2)
        g = 2;
    if (s->loss && g == s->g)
        return 0;
    if (g > s->g || !s->loss) {
        size_t gg = (size_t)g * (size_t)g;
        double *l = realloc(s->loss, gg * sizeof *l);
        if (l)
            s->loss = l;
        double *q = l ? realloc(s->lg, gg * sizeof *q) : NULL;
        if (!q)
            return -1;
        s->lg = q;
    }
    s->g = g;
    double t0 = now_ms(), step = (s->hi - s->lo) / (g - 1);
    s->lmin = INFINITY;
    s->lmax = 0;
    for (int j = 0; j < g; j++)
        for (int i = 0; i < g; i++) {
            surface_point(s, s->lo + i * step, s->lo + j * step, s->scratch);
            double L = model_train_loss(m, s->scratch);
            if (!(L <= s->clip)) /* above the clip, or not finite */
                L = s->clip;
            s->loss[(size_t)j * (size_t)g + (size_t)i] = L;
            if (L > 0 && L < s->lmin)
                s->lmin = L;
            if (L > s->lmax)
                s->lmax = L;
        }
    if (!isfinite(s->lmin))
        s->lmin = s->lmax > 0 ? s->lmax : 1;
    /* log10 once here, so a frame's interpolations need none (an exact
     * zero is drawn at the smallest positive loss) */
    for (size_t k = 0; k < (size_t)g * (size_t)g; k++)
        s->lg[k] = log10(s->loss[k] > 0 ? s->loss[k] : s->lmin);
    s->grid_ms = now_ms() - t0;
    return 0;
}

double surface_grid_at(const surface *s, int i, int j)
{
    if (i < 0 || j < 0 || i >= s->g || j >= s->g)
        return NAN;
    return s->loss[(size_t)j * (size_t)s->g + (size_t)i];
}

static double lg(const surface *s, int i, int j)
{
    return s->lg[(size_t)j * (size_t)s->g + (size_t)i];
}

double surface_loss_at(const surface *s, double a, double b)
{
    return pow(10.0, surface_lg_at(s, a, b));
}

double surface_lg_at(const surface *s, double a, double b)
{
    if (!s->loss || !(a >= s->lo && a <= s->hi && b >= s->lo && b <= s->hi))
        return NAN;
    double step = (s->hi - s->lo) / (s->g - 1);
    double fx = (a - s->lo) / step, fy = (b - s->lo) / step;
    int i = (int)fx, j = (int)fy;
    if (i > s->g - 2)
        i = s->g - 2;
    if (j > s->g - 2)
        j = s->g - 2;
    double tx = fx - i, ty = fy - j;
    double v = (1 - tx) * (1 - ty) * lg(s, i, j) + tx * (1 - ty) * lg(s, i + 1, j) +
               (1 - tx) * ty * lg(s, i, j + 1) + tx * ty * lg(s, i + 1, j + 1);
    return v;
}

/* ---- paths ------------------------------------------------------------ */

int surface_path_init(surface_path *pa, size_t cap, uint64_t every)
{
    memset(pa, 0, sizeof *pa);
    if (cap < 2)
        cap = 2;
    pa->xy = malloc(cap * 2 * sizeof *pa->xy);
    pa->step = malloc(cap * sizeof *pa->step);
    if (!pa->xy || !pa->step) {
        surface_path_free(pa);
        return -1;
    }
    pa->cap = cap;
    pa->stride = 1;
    pa->every = every ? every : 1;
    return 0;
}

void surface_path_free(surface_path *pa)
{
    free(pa->xy);
    free(pa->step);
    memset(pa, 0, sizeof *pa);
}

void surface_path_clear(surface_path *pa)
{
    pa->n = 0;
    pa->stride = 1;
}

static int on_stride(const surface_path *pa, uint64_t step, uint64_t stride)
{
    return step % pa->every == 0 && (step / pa->every) % stride == 0;
}

/* Keeps the points on twice the stride: half of a full path (at least:
 * an off-stride newest point never stays past the next push). */
static void thin(surface_path *pa)
{
    pa->stride *= 2;
    size_t k = 0;
    for (size_t i = 0; i < pa->n; i++)
        if (on_stride(pa, pa->step[i], pa->stride)) {
            pa->step[k] = pa->step[i];
            pa->xy[2 * k] = pa->xy[2 * i];
            pa->xy[2 * k + 1] = pa->xy[2 * i + 1];
            k++;
        }
    pa->n = k;
}

void surface_path_push(surface_path *pa, uint64_t step, double a, double b)
{
    if (!pa->cap)
        return;
    while (pa->n > 0 && pa->step[pa->n - 1] >= step)
        pa->n--;
    /* the newest point off the stride gives way to a later one */
    if (pa->n > 0 && !on_stride(pa, pa->step[pa->n - 1], pa->stride))
        pa->n--;
    while (pa->n >= pa->cap)
        thin(pa);
    pa->step[pa->n] = step;
    pa->xy[2 * pa->n] = a;
    pa->xy[2 * pa->n + 1] = b;
    pa->n++;
}

int surface_path_copy(surface_path *dst, const surface_path *src)
{
    if (dst->cap != src->cap)
        return -1;
    memcpy(dst->xy, src->xy, src->n * 2 * sizeof *dst->xy);
    memcpy(dst->step, src->step, src->n * sizeof *dst->step);
    dst->n = src->n;
    dst->stride = src->stride;
    dst->every = src->every;
    return 0;
}

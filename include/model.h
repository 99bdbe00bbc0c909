/* model.h — the small interface every toy model of the paper implements.
 *
 * A model owns its data (training set, test set, probe inputs for the NTK
 * spectrum) and knows how to evaluate h_θ(x), the per-sample gradient and
 * the NTK feature row ∇_θ h_θ(x).  It never allocates once created, and it
 * never does I/O.
 *
 * Conventions, shared by all models (see ../shared/spec/experiments.md):
 *   residual      r = h_θ(x) − y
 *   loss          L = c/n Σ_i r_i²      (c = loss_coef: ¼ quad1d, ½ diagnet,
 *                                         1 relu1d)
 *   sample grad   ∇ℓ_i = 2c r_i ∇_θ h_θ(x_i)
 * Inputs are stored row-major, `dim` doubles per point. */
#ifndef SGDSCOPE_MODEL_H
#define SGDSCOPE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

#define MODEL_MAX_POINTS 64 /* relu1d points given in a scene */

/* The NTK matrix is evaluated on as many fresh probe inputs as there are
 * parameters (spec §4), but on at most MODEL_PROBE_MAX of them: its
 * spectrum costs O(probes² · columns) per evaluation and the app shows it
 * ten times a second, so above this (diagnet d > 256, relu1d m > 170) the
 * probes are the first MODEL_PROBE_MAX of the p the stream would draw, and
 * the panel and the summary say how many. */
#define MODEL_PROBE_MAX 512

/* The most entries an input matrix of diagnet may hold: n·d and
 * n_test·d (2^22 doubles, 32 MiB: n = 1024 at d = 4096).  The app reads
 * the training set a few dozen times a frame (the loss, the valley's
 * trail) and a full-batch step reads it twice, so past this nothing is
 * interactive any more; scene_finalize refuses it with the numbers. */
#define MODEL_DATA_MAX 4194304

/* Points read from a file (a scene's `data` or `test_data`, datafile.h):
 * n rows of dim inputs and a label.  Loaded before any model exists,
 * immutable, and shared by reference by every run that names the file;
 * a model copies what it needs at create and never reads the file. */
typedef struct model_data {
    size_t n, dim;
    const double *x; /* n × dim, row-major */
    const double *y; /* n */
} model_data;

/* Every model parameter a scene can set; each model reads its own. */
typedef struct model_params {
    /* quad1d: x ~ U[a, b], y = x θ*², θ0 the initial iterate.
     * n = 0 means online (a fresh x each step, population loss). */
    double a, b, theta_star, theta0;
    /* training points: quad1d (0 = online), diagnet; relu1d ignores it */
    int n;
    /* diagnet: d inputs, r non-zeros in β*, n_test test points,
     * init u = init_u·1, v = init_v·1 */
    int d, r, n_test;
    double init_u, init_v;
    /* relu1d: m neurons; init w = ±init_w, b = init_b·N(0,1),
     * a = init_a·N(0,1); npoints > 0 replaces the paper's 12 points */
    int m;
    double init_w, init_b, init_a;
    int npoints;
    double px[MODEL_MAX_POINTS], py[MODEL_MAX_POINTS];
    /* ts2, ts3 (which reuse d, n, n_test, m, init_w, init_a): neurons of
     * the teacher (ts3: of each of its two hidden layers) */
    int teacher;
    /* probe cap: 0 means MODEL_PROBE_MAX (no scene sets it; the tests
     * lower it to check the capped path against the full one) */
    int probe_max;
    /* Points from files (NULL: none).  data replaces diagnet's drawn
     * training set (n and d must match it; β* is then unknown) or
     * relu1d's points; test_data replaces diagnet's drawn test set
     * (n_test must match it). */
    const model_data *data, *test_data;
} model_params;

/* Model-specific metrics; NaN where a metric does not apply. */
typedef struct model_extras {
    double l0;               /* diagnet: #{j : |u_j v_j| > l0_tol} */
    double l0_nb;            /* diagnet: the same at the notebook's
                                METRICS_L0_TOL_NB, on the same β */
    double feature_sparsity; /* relu1d, ts2, ts3 (first hidden layer): see
                                metrics_feature_sparsity */
    double feature_sparsity2;/* ts3: the same for the second hidden layer */
    double kinks;            /* relu1d: distinct kinks inside the data range */
    double teacher_angle;    /* ts2, ts3: mean angle in degrees between each
                                active first-layer student neuron and its
                                nearest teacher direction (model file says
                                what "active" means) */
} model_extras;

/* The picture of the predictor a model has; the view keeps one table from
 * picture to panel (src/view/panel_predictor.c), so a model with an
 * existing picture needs no view code at all. */
typedef enum model_picture {
    MODEL_PICTURE_THETA2 = 0, /* quad1d: θ² against θ*² */
    MODEL_PICTURE_BETA,       /* diagnet: the bars of β = u⊙v, β* marked */
    MODEL_PICTURE_CURVE,      /* relu1d: h(x) over the 1-D inputs, kinks */
    MODEL_PICTURE_NEURONS,    /* ts2, ts3: first-layer student neurons as
                                 points in a plane, teacher directions as
                                 rays (model_ops.neurons) */
} model_picture;

/* Most neurons model_ops.neurons reports (the panel draws at most these). */
#define MODEL_NEURONS_MAX 4096

/* Tolerances the model-specific metrics use. */
typedef struct extras_cfg {
    double l0_tol;   /* threshold on |β_j| */
    double corr;     /* Pearson threshold of the sparsity coefficient */
} extras_cfg;

typedef struct model model;

typedef struct model_ops {
    const char *name;     /* as written in scenes: "quad1d" */
    const char *summary;  /* one line for --help and --list */

    /* Allocates data and draws it from `data` (training/test sets) and
     * `probe` (the n_probe = model_probe_count(p) fresh inputs of the NTK
     * matrix).  Sets p, n, dim, n_test, loss_coef, n_probe, ntk_rows,
     * ntk_cols and bytes.  Returns 0, or −1 with a message in err. */
    int (*create)(model *m, const model_params *prm, rng *data, rng *probe,
                  char *err, size_t errlen);
    /* Frees what create allocated. */
    void (*destroy)(model *m);
    /* Initial parameters (p doubles), random parts drawn from g. */
    void (*init_theta)(const model *m, double *theta, rng *g);
    /* h_θ(x) for one input x (dim doubles). */
    double (*predict)(const model *m, const double *theta, const double *x);
    /* row[0..p) = ∇_θ h_θ(x). */
    void (*feature)(const model *m, const double *theta, const double *x,
                    double *row);
    /* g += scale · ∇_θ ℓ(x, y) with ℓ = c r²; returns r = h_θ(x) − y. */
    double (*grad_add)(const model *m, const double *theta, const double *x,
                       double y, double scale, double *g);
    /* Fused single-sample SGD step θ ← θ − η ∇ℓ(x, y), all from the old θ.
     * Returns r.  Must agree with grad_add to rounding. */
    double (*sgd1)(const model *m, double *theta, const double *x, double y,
                   double eta);
    /* Online models only (n == 0): draw one training pair; NULL otherwise. */
    void (*sample)(const model *m, rng *g, double *x, double *y);
    /* Online models only: exact population loss and gradient (g = ∇L). */
    double (*pop_loss)(const model *m, const double *theta);
    void (*pop_grad)(const model *m, const double *theta, double *g);
    /* Writes into F (row-major, at most ntk_rows × ntk_cols) a matrix whose
     * non-zero singular values equal those of ϕ_θ(P), the n_probe × p NTK
     * feature matrix on the probe inputs, but that is cheaper to factor
     * (the structure of ϕϕᵀ): never p × p.  Sets *rows, *cols. */
    void (*ntk_factor)(const model *m, const double *theta, double *F,
                       size_t *rows, size_t *cols);
    /* out[0..p) = ∇²L(θ) v: the Hessian of the training loss (the
     * population loss for online models) times v, analytic:
     *   ∇²L = 2c/n Σ_i (∇h_i ∇h_iᵀ + r_i ∇²h_i).
     * ReLU nets use the Hessian almost everywhere (relu'' = 0 off the
     * kinks).  No allocation (a model may use scratch it owns, like
     * extras: not re-entrant); out must not alias v. */
    void (*hvp)(const model *m, const double *theta, const double *v,
                double *out);
    /* Model-specific metrics. */
    void (*extras)(const model *m, const double *theta, const extras_cfg *c,
                   model_extras *out);
    /* Optional (NULL: model_line_loss evaluates L at θ + s·dir, O(n·p)
     * each): the training loss along the line θ + s·dir as something
     * cheaper to evaluate — diagnet's residuals are quadratic in s, so
     * after one O(n·d) pass each point costs O(n).  The valley panel
     * evaluates a few hundred points of the line per frame.  line_begin
     * keeps what it needs in the model's scratch (not re-entrant, like
     * extras); line_loss gives L(θ + s·dir) for the last line begun, equal
     * to the direct evaluation to rounding. */
    void (*line_begin)(const model *m, const double *theta,
                       const double *dir);
    double (*line_loss)(const model *m, double s);
    /* The predictor picture the view draws for this model. */
    model_picture picture;
    /* MODEL_PICTURE_NEURONS only (NULL otherwise).  The picture's plane
     * is the input plane when dim = 2, else the plane spanned by the
     * first two teacher directions (orthonormalized, *projected = 1).
     * Writes student neuron j's point (its first-layer weight vector in
     * that plane, scaled by the size of its output weights: |a_j|·w_j for
     * a two-layer net) to xy[2j], xy[2j+1] for j < min(count, max);
     * then the teacher's first-layer directions, unit length in the
     * plane, to txy[2k], txy[2k+1] for k < min(tcount, tmax).  Sets
     * *count and *tcount to the true numbers.  No allocation. */
    void (*neurons)(const model *m, const double *theta, double *xy,
                    size_t max, size_t *count, double *txy, size_t tmax,
                    size_t *tcount, int *projected);
} model_ops;

struct model {
    const model_ops *ops;
    model_params prm;
    size_t p;         /* parameter count */
    size_t n;         /* training points; 0 = online (fresh draw each step) */
    size_t dim;       /* input dimension */
    size_t n_test;    /* test points (0: no test set; the population loss
                         serves as test loss for online models) */
    double loss_coef; /* c in L = c/n Σ r² */
    double *x, *y;    /* training set: n × dim, n */
    double *xt, *yt;  /* test set: n_test × dim, n_test */
    double *probe;    /* n_probe × dim fresh inputs for the NTK matrix */
    size_t n_probe;   /* probe inputs: min(p, the cap), see MODEL_PROBE_MAX */
    size_t ntk_rows;  /* the largest shape ntk_factor writes, */
    size_t ntk_cols;  /*   so the run sizes its SVD once */
    size_t bytes;     /* what create allocated, for the memory figures */
    void *priv;       /* model-owned precomputation and scratch */
};

/* The probe count for p parameters under prm's cap: min(p, probe_max or
 * MODEL_PROBE_MAX). */
size_t model_probe_count(const model_params *prm, size_t p);

/* The registry: the model called `name`, or NULL. */
const model_ops *model_find(const char *name);
/* The i-th registered model, NULL past the end (for listings). */
const model_ops *model_at(size_t i);

/* Builds m from prm using ops; see model_ops.create. */
int model_create(model *m, const model_ops *ops, const model_params *prm,
                 rng *data, rng *probe, char *err, size_t errlen);
/* For a model's destroy: frees the points create allocated (x, y, xt,
 * yt, probe) and sets them to NULL; safe on a half-built model. */
void model_free_points(model *m);
/* Releases a created model (safe on a zeroed one). */
void model_destroy(model *m);

/* Training loss L(θ) (population loss for online models). */
double model_train_loss(const model *m, const double *theta);
/* Test loss on the test set; for online models the population loss;
 * NaN if the model has neither. */
double model_test_loss(const model *m, const double *theta);
/* Loss c/count Σ r² over `count` points (x row-major, dim each). */
double model_loss_on(const model *m, const double *theta, const double *x,
                     const double *y, size_t count);
/* Full-batch gradient g = ∇L(θ) (population gradient if online). */
void model_full_grad(const model *m, const double *theta, double *g);
/* out = ∇²L(θ) v (population Hessian if online); see model_ops.hvp. */
void model_hvp(const model *m, const double *theta, const double *v,
               double *out);
/* The training loss along a line θ + s·dir (the valley panel's slice):
 * model_line_begin once per line, then model_line_loss for each s —
 * through the model's line ops when it has them and n·p ≥ MODEL_LINE_MIN,
 * else directly at θ + s·dir in scratch (p doubles).  Below that size the
 * direct evaluation costs little, and it keeps the frames of smaller runs
 * exactly as they were: at a converged run's floor the slice is rounding
 * noise, which the two forms round differently.  theta, dir and scratch
 * must outlive the line; one line at a time per model. */
#define MODEL_LINE_MIN 65536
typedef struct model_line {
    const model *m;
    const double *theta, *dir;
    double *th;
    int fast; /* through the model's line ops */
} model_line;
void model_line_begin(model_line *l, const model *m, const double *theta,
                      const double *dir, double *scratch);
/* L(θ + s·dir) on the line begun in l. */
double model_line_loss(const model_line *l, double s);

/* Phi (row-major count × p) = ϕ_θ(x): rows ∇_θ h_θ(x_k). */
void model_feature_matrix(const model *m, const double *theta,
                          const double *x, size_t count, double *phi);

#endif

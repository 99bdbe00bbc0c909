/* surface.h — a plane through parameter space, the training loss on a
 * grid over it, and the runs' paths projected onto it (the loss-surface
 * panel, Fig. 3 and Fig. 7 of the paper).
 *
 *   plane    θ(a, b) = o + a·e1 + b·e2 for (a, b) in [lo, hi]²
 *   project  θ ↦ (a, b): the least-squares coordinates of θ − o (for the
 *            fig3 plane, of |θ| − o: the notebook plots SGD's iterates as
 *            (|u|, |v|), and every run on that plane is projected the same
 *            way so they can be compared)
 *   grid     G × G training losses L(θ(a, b)), clipped at `clip` as the
 *            notebook does, computed once per plane (surface_create)
 *   path     a run's projected iterates, one per metric evaluation, in a
 *            buffer of fixed capacity: when it is full every other point
 *            is dropped and the stride doubles (deterministic: which steps
 *            are kept depends only on the steps evaluated)
 *
 * Two planes (scene field `surface`):
 *   own   the model's own 2-D parameter plane: diagnet with d = 2 and
 *         balanced layers (u = v, which GD, SGD and the SDE keep), where
 *         θ = (u1, u2, u1, u2): coordinates (u1, u2)
 *   fig3  the spec's plane: through w₀ = θ at step 0, e1 = (w* − w₀)/‖·‖
 *         with w* = (√β*, √β*), e2 = the part of (w_GF − w₀) orthogonal to
 *         e1, normalized, w_GF the end of a gradient-flow reference run
 *         (GD, η = SURFACE_GF_ETA, for the scene's steps from w₀)
 *
 * Core: no terminal code; nothing allocates after surface_create /
 * surface_path_init. */
#ifndef SGDSCOPE_SURFACE_H
#define SGDSCOPE_SURFACE_H
#include <stddef.h>
#include <stdint.h>
#include "model.h"

typedef enum { SURF_NONE, SURF_OWN, SURF_FIG3, SURF_COUNT } surf_kind;

/* The gradient-flow reference run of the fig3 plane: GD at this step
 * size, as the notebook's gamma_gf. */
#define SURFACE_GF_ETA 0.03
/* Points a path keeps (each 2 doubles and a step). */
#define SURFACE_PATH_CAP 1024
/* Grid sizes a scene may ask for (surface_grid). */
#define SURFACE_GRID_MIN 8
#define SURFACE_GRID_MAX 400
/* Work the scene checks refuse above: grid² · n · dim multiply-adds for
 * the grid, steps · n · dim · 4 for the fig3 reference run (≈ 1 s). */
#define SURFACE_WORK_MAX 2e9

/* "none", "own", "fig3"; NULL past the end. */
const char *surface_kind_name(surf_kind k);
/* The kind called name, or −1. */
int surface_kind_parse(const char *name);

/* Why a plane can't be built for this model and its settings (into buf,
 * returned), or NULL if it can: the scene checks (file:line:col) and
 * surface_create share it.  model_name, d (diagnet's input dimension),
 * init_u, init_v and has_beta_star (β* known: not read from a file) are
 * what they look at. */
const char *surface_refusal(surf_kind k, const char *model_name, int d,
                            double init_u, double init_v, int has_beta_star,
                            char *buf, size_t cap);

typedef struct surface {
    surf_kind kind;
    size_t p;
    double *o, *e1, *e2;     /* p each: the plane */
    double n11, n12, n22;    /* Gram matrix of e1, e2 (projection) */
    int abs_theta;           /* project |θ| (fig3) */
    double lo, hi;           /* both coordinates range over [lo, hi] */
    double clip;             /* losses above it are drawn at it */
    const char *xlabel, *ylabel; /* the coordinates' names */
    /* the grid: loss[j·g + i] at a = lo + i·(hi−lo)/(g−1), b likewise
     * with j; lmin (smallest positive) and lmax its range */
    int g;
    double *loss;
    double *lg;              /* log10 of loss (0 → lmin), for drawing */
    double lmin, lmax;
    /* marks on the plane: w* (fig3) or β*'s point (own); NaN if none */
    double star_a, star_b;
    double gf_ms;            /* time the fig3 reference run took, ms */
    double grid_ms;          /* time the grid took, ms */
    double *scratch;         /* p: a point of the plane; |θ| */
} surface;

/* Builds the plane of kind k for model m from theta0 (the runs' step-0
 * parameters; fig3's w₀) and computes its grid: g × g points over
 * [lo, hi]², losses clipped at clip; steps is the fig3 reference run's
 * length.  Returns 0, or −1 with a message in err (surface_refusal's,
 * or allocation).  s is zeroed first; free it with surface_free. */
int surface_create(surface *s, surf_kind k, const model *m,
                   const double *theta0, double lo, double hi, double clip,
                   int g, uint64_t steps, char *err, size_t errlen);
/* Releases it (safe on a zeroed one). */
void surface_free(surface *s);
/* θ's coordinates on the plane (no allocation). */
void surface_project(const surface *s, const double *theta, double *a,
                     double *b);
/* Writes the point θ(a, b) of the plane into theta (p doubles). */
void surface_point(const surface *s, double a, double b, double *theta);
/* The grid's loss at grid point (i, j) (clipped), and the loss at (a, b)
 * by bilinear interpolation of log10 of the grid's losses (NaN outside
 * [lo, hi]²). */
double surface_grid_at(const surface *s, int i, int j);
double surface_loss_at(const surface *s, double a, double b);
/* log10 of it, without the power (what a frame draws). */
double surface_lg_at(const surface *s, double a, double b);
/* Recomputes the grid at g × g (a no-op when g is the grid's size).
 * Allocates only when g grows.  Returns 0 or −1 (allocation). */
int surface_grid(surface *s, const model *m, int g);

/* A run's path on the plane. */
typedef struct surface_path {
    double *xy;        /* cap × 2 */
    uint64_t *step;    /* cap */
    size_t n, cap;
    uint64_t stride;   /* keeps evaluations whose index is a multiple */
    uint64_t every;    /* the run's metric cadence (index = step/every) */
} surface_path;

/* Allocates a path of cap points for a run evaluated every `every`
 * steps (0 is taken as 1).  Returns 0 or −1. */
int surface_path_init(surface_path *pa, size_t cap, uint64_t every);
void surface_path_free(surface_path *pa);
/* Forgets every point (a restart). */
void surface_path_clear(surface_path *pa);
/* Records (a, b) at step: a point at a step not after the newest one
 * first drops the points from that step on (a rewind, or the same step
 * evaluated again).  Steps off the stride are skipped, but the newest
 * step is always kept until a later one comes (so the path ends where
 * the run was last evaluated).  No allocation. */
void surface_path_push(surface_path *pa, uint64_t step, double a, double b);
/* Copies src into dst (same cap).  Returns 0, or −1 if the caps differ. */
int surface_path_copy(surface_path *dst, const surface_path *src);

#endif

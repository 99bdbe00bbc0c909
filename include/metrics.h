/* metrics.h — the quantities the panels and summaries show, computed from
 * plain arrays so each can be tested on hand-built inputs.  The run (run.h)
 * decides when to evaluate them; none of these allocate. */
#ifndef SGDSCOPE_METRICS_H
#define SGDSCOPE_METRICS_H

#include <stddef.h>

/* Rank of a spectrum: #{k : sv[k]/sv[0] > tol}, sv sorted descending.
 * 0 when sv[0] is 0 or not finite. */
size_t metrics_rank(const double *sv, size_t k, double tol);

/* ‖β‖₀ at a threshold: #{j : |beta[j]| > tol}. */
size_t metrics_l0(const double *beta, size_t d, double tol);

/* Feature sparsity coefficient of the paper (Sec. 3.2, spec §4).
 * act is n × m row-major: act[i*m + j] = relu(w_j x_i + b_j) ≥ 0.
 * Each sample's activation vector is normalized to unit norm (zero rows
 * stay zero); neurons zero on every sample are dropped; then, greedily in
 * index order, a neuron whose activations have Pearson correlation above
 * `corr` with an already kept neuron is dropped.  Returns the number of
 * non-zero entries among the kept neurons divided by n·m.
 * scratch must hold n·m + m doubles. */
double metrics_feature_sparsity(const double *act, size_t n, size_t m,
                                double corr, double *scratch);

/* Number of distinct kinks of h(x) = Σ a_j relu(w_j x + b_j) strictly
 * inside (lo, hi).  Neuron j has a kink at −b_j/w_j (w_j ≠ 0) with slope
 * change a_j |w_j|.  Kinks closer than 1e-3·(hi − lo) are merged into one;
 * a merged kink counts when the absolute sum of its slope changes exceeds
 * 1e-2 times the largest |a_j w_j| (so cancelling, dead or negligible
 * neurons — kinks no one could see in the plot — do not
 * count).  scratch must hold 2·m doubles; on return its first entries
 * hold the counted kinks' positions, ascending (what the plot marks). */
size_t metrics_kinks(const double *w, const double *b, const double *a,
                     size_t m, double lo, double hi, double *scratch);

/* Quantile q ∈ [0, 1] of v[0..k) by linear interpolation between order
 * statistics (type 7).  Sorts a copy in scratch (k doubles).  NaN if k = 0. */
double metrics_quantile(const double *v, size_t k, double q, double *scratch);

/* Bounce cosine of two consecutive updates d1 = θ1 − θ0, d2 = θ2 − θ1:
 * ⟨d1, d2⟩ / (‖d1‖ ‖d2‖), −1 for a perfect side-to-side bounce.
 * 0 if either update is zero. */
double metrics_bounce_cos(const double *th0, const double *th1,
                          const double *th2, size_t p);

/* Bouncing along the valley's steep direction, measured from recent steps.
 * states[0..k] are consecutive iterates (p doubles each, any order of
 * time as long as it is consistent), giving k updates Δ_i = states[i+1] −
 * states[i].  The steep direction is the dominant direction of the
 * updates: v = Σ w_i Δ_i for w the top eigenvector of their Gram matrix
 * G_ij = ⟨Δ_i, Δ_j⟩ (deterministic power iteration).  Returns the share of
 * consecutive updates whose components along v have opposite signs (1: the
 * iterate jumps across the valley every step; about ½ for a random walk),
 * or NaN if k < 2 or every update is zero.  dir (p doubles, may be NULL)
 * receives v normalized.  gram needs k·k + 2k doubles. */
double metrics_bounce(const double *const *states, size_t k, size_t p,
                      double *gram, double *dir);

#endif

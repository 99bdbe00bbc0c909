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

/* The thresholds of the authors' notebooks (spec §4), reported next to
 * the readable scene defaults (rank_tol, l0_tol) so a number can be
 * compared with the paper's: the diagonal-net notebook counts σ_k/σ_1 >
 * 1e-15 and |β_j| > 1e-50. */
#define METRICS_RANK_TOL_NB 1e-15
#define METRICS_L0_TOL_NB 1e-50

/* Feature sparsity coefficient of the paper (Sec. 3.2, spec §4), as the
 * authors' fc_nets.py feature_sparsity computes it.  act is n × m
 * row-major: act[i*m + j] = relu(w_j x_i + b_j) ≥ 0.  Each sample's
 * activation vector is normalized to unit norm (zero rows stay zero);
 * neurons positive on no sample are dropped; C is the Pearson correlation
 * (np.corrcoef) of the remaining columns; walking them in index order,
 * neuron i is deleted when |C_ij| > corr for any other neuron j still
 * there, so of a correlated group the last survives.  A constant column's
 * correlations are NaN: it is never deleted and deletes nothing.  Returns
 * the number of non-zero entries in the surviving columns divided by n·m
 * (0 if n or m is 0, NaN if an activation is not finite).
 * scratch must hold n·m + 2·m doubles (METRICS_SPARSITY_SCRATCH); on a
 * finite return, scratch[n·m + m + j] is neuron j's number of non-zero
 * entries if it survived and 0 if not (which neurons the rule kept). */
#define METRICS_SPARSITY_SCRATCH(n, m) ((n) * (m) + 2 * (m))
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
/* Quantiles q1 and q2 of v[0..k) into *out1, *out2, exactly as two
 * metrics_quantile calls would give them, from one sort (the loss band
 * needs both at every evaluation).  scratch holds k doubles. */
void metrics_quantile_pair(const double *v, size_t k, double q1, double q2,
                           double *scratch, double *out1, double *out2);

/* Minimizer of f on [lo, hi] (lo < hi) by Brent's method (golden section
 * with parabolic steps), down to a bracket of about 4e-9 (hi − lo) plus
 * 8ε|s|, in at most METRICS_LINE_EVALS + 1 evaluations of f (about a
 * dozen for a smooth valley, where golden section alone needs 45): exact
 * for a unimodal f up to that width and to the rounding of f; otherwise
 * some local minimizer.  A minimum outside the bracket gives the nearer
 * end.  Deterministic.  Used to find the valley floor along the Hessian's
 * top direction. */
#define METRICS_LINE_EVALS 100
double metrics_line_min(double (*f)(void *ctx, double s), void *ctx,
                        double lo, double hi);

/* Crossing share of a sequence of signed components c[0..k) (consecutive
 * iterates' offsets from the valley floor along the steep direction): the
 * share of the k − 1 consecutive pairs with strictly opposite signs (1: the
 * iterate jumps across the floor every step; about ½ for a random walk
 * around it; 0 on one side).  A component exactly 0 crosses nothing.
 * NaN if k < 2. */
double metrics_cross_share(const double *c, size_t k);

#endif

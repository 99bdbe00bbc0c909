/* kernel_body.h — internal to the core: the hot B = 1 SGD steps of diagnet
 * and relu1d and the fixed-order sums they share with their models.
 *
 * This is a template, not an ordinary header: it has no include guard and
 * is included once per instruction-set level.  Before including it define
 *   KERNEL_FN(name)  the name of a function at this level (a suffix), and
 *   KERNEL_ATTR_DIAGNET, KERNEL_ATTR_RELU1D
 *                    the attributes of each model's functions here (a
 *                    target attribute, or nothing for the portable build;
 *                    two, because the best vector width differs, see
 *                    kernels.c),
 * then #undef all three.  kernels.c includes it for portable, x86-64-v3 and
 * x86-64-v4; model_diagnet.c and model_relu1d.c include it once, portable,
 * for the sums (their predictions and gradients), through kernel_sums.h.
 *
 * Why the results are the same bits at every level: the source is the same,
 * only the width of the vectors the compiler picks differs.  Every sum has
 * a fixed order written out in C (independent partial sums, folded in a
 * stated order, the tail last), so a wider vector only computes more of the
 * independent lanes at once; without -ffast-math the compiler may not
 * reassociate, and with -ffp-contract=off (Makefile) it may not fuse a
 * multiply and an add into an FMA, which rounds once instead of twice.
 * tests/test_kernels.c checks this on every level the CPU has. */

#include <stddef.h>

/* Σ_j u_j v_j x_j with 8 independent partial sums: without -ffast-math a
 * single accumulator is a serial dependency chain the compiler may not
 * reorder; eight chains vectorize and hide the add latency.  The fold
 * ((a0+a4)+(a1+a5))+((a2+a6)+(a3+a7)) and the tail after it are part of
 * the numbers (goldens pin them). */
KERNEL_ATTR_DIAGNET static inline double
KERNEL_FN(diagnet_dot3)(const double *restrict u, const double *restrict v,
                        const double *restrict x, size_t d)
{
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t j = 0;
    for (; j + 8 <= d; j += 8)
        for (size_t k = 0; k < 8; k++)
            acc[k] += u[j + k] * v[j + k] * x[j + k];
    double s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) +
               ((acc[2] + acc[6]) + (acc[3] + acc[7]));
    for (; j < d; j++)
        s += u[j] * v[j] * x[j];
    return s;
}

/* diagnet's step, θ = (u, v) = theta[0..d), theta[d..2d):
 * u ← u − η r (x ⊙ v), v ← v − η r (x ⊙ u), both from the old (u, v);
 * returns r = ⟨u ⊙ v, x⟩ − y before the step. */
KERNEL_ATTR_DIAGNET static inline double
KERNEL_FN(diagnet_sgd1)(double *theta, const double *x, double y, double eta,
                        size_t d)
{
    double *restrict u = theta, *restrict v = theta + d;
    const double *restrict xx = x;
    double r = KERNEL_FN(diagnet_dot3)(u, v, xx, d) - y;
    double s = eta * r;
    for (size_t j = 0; j < d; j++) {
        double uo = u[j];
        double sx = s * xx[j];
        u[j] = uo - sx * v[j];
        v[j] = v[j] - sx * uo;
    }
    return r;
}

/* relu1d's h(x) = Σ_j a_j relu(w_j x + b_j) with 4 independent partial
 * sums (see diagnet_dot3), folded (a0+a2)+(a1+a3), the tail last. */
KERNEL_ATTR_RELU1D static inline double
KERNEL_FN(relu1d_eval)(const double *restrict w, const double *restrict b,
                       const double *restrict a, size_t nn, double x)
{
    double acc[4] = {0, 0, 0, 0};
    size_t j = 0;
    for (; j + 4 <= nn; j += 4)
        for (size_t k = 0; k < 4; k++) {
            double z = w[j + k] * x + b[j + k];
            acc[k] += a[j + k] * (z > 0.0 ? z : 0.0);
        }
    double s = (acc[0] + acc[2]) + (acc[1] + acc[3]);
    for (; j < nn; j++) {
        double z = w[j] * x + b[j];
        s += a[j] * (z > 0.0 ? z : 0.0);
    }
    return s;
}

/* relu1d's step, θ = (w, b, a) in thirds of theta, nn neurons, MSE (c = 1):
 * θ ← θ − 2η r ∇h, every neuron's update from its own old (w, b, a);
 * returns r = h(x) − y before the step.  The indicator is a select of
 * constants, not a branch around a multiply, so the loop has no control
 * flow and vectorizes. */
KERNEL_ATTR_RELU1D static inline double
KERNEL_FN(relu1d_sgd1)(double *theta, double x, double y, double eta,
                       size_t nn)
{
    double *restrict w = theta, *restrict b = theta + nn,
                    *restrict a = theta + 2 * nn;
    double r = KERNEL_FN(relu1d_eval)(w, b, a, nn, x) - y;
    double s = 2.0 * eta * r;
    for (size_t j = 0; j < nn; j++) {
        double z = w[j] * x + b[j];
        double on = z > 0.0 ? 1.0 : 0.0, zp = z > 0.0 ? z : 0.0;
        double sa = s * a[j] * on;
        w[j] -= sa * x;
        b[j] -= sa;
        a[j] -= s * zp;
    }
    return r;
}

/* teacher.h — what the two teacher–student models (model_ts2.c,
 * model_ts3.c, spec §1.4) share: inputs on the unit sphere, the picture's
 * plane, and the angle between student neurons and teacher directions.
 * None of these allocate. */
#ifndef SGDSCOPE_TEACHER_H
#define SGDSCOPE_TEACHER_H

#include <stddef.h>

#include "rng.h"

/* Most parameters a teacher–student model may have: the NTK spectrum is an
 * SVD of an n_probe × p matrix (n_probe = min(p, MODEL_PROBE_MAX)) that the
 * app redoes ten times a second, and past this one evaluation takes about
 * a second.  The scene refuses more with the numbers. */
#define TEACHER_P_MAX 2048

/* Widest hidden layer of ts3 (student and teacher): its per-sample passes
 * keep the layer on the stack, so the stepping loop never allocates. */
#define TEACHER_WIDTH_MAX 64

/* A student neuron counts as active for the teacher angle when its size
 * (ts2: |a_j|·‖w_j‖, ts3: ‖w_j‖·‖column j of W2‖) is at least this share
 * of the largest size among neurons live on the training set. */
#define TEACHER_ACTIVE_FRAC 0.1

/* count points x ~ N(0, I_d) normalized to unit norm, row-major into x
 * (count × d): d normals per point from g, in order (a point of norm 0,
 * which has probability 0, is drawn again). */
void teacher_sphere(rng *g, double *x, size_t count, size_t d);

/* The angle in degrees, in [0, 180], between the ray of w (d doubles) and
 * the nearest of the k rays t[0..k) (rows of d doubles, any non-zero
 * norm).  NaN if w is 0 or k is 0. */
double teacher_nearest_angle(const double *w, const double *t, size_t k,
                             size_t d);

/* The mean teacher angle over the active student neurons.  W is m × d
 * (first-layer weight rows), size[j] neuron j's size (see
 * TEACHER_ACTIVE_FRAC), act the n × m matrix of first-layer activations
 * relu(z) on the training inputs.  Neuron j is live when act is non-zero
 * in column j on some input — a neuron dead on every training input
 * cannot take part in the fit, whatever its direction; among live
 * neurons it is active when size[j] ≥ TEACHER_ACTIVE_FRAC · max size.
 * Averages teacher_nearest_angle against the k teacher rows T (k × d).
 * NaN when no neuron is active (all dead, or all of size 0). */
double teacher_angle_mean(const double *W, const double *size, size_t m,
                          size_t d, const double *act, size_t n,
                          const double *T, size_t k);

/* An orthonormal basis e1, e2 (d doubles each, d ≥ 2) of the picture's
 * plane: the plane of the first two teacher rows t[0], t[1] (Gram–Schmidt
 * on them).  With one teacher row, or two parallel ones, e2 is the
 * coordinate axis least aligned with e1, orthonormalized.  d = 2 gives
 * the input plane itself, but in whatever orientation the teacher has:
 * the models use the coordinate axes for it instead. */
void teacher_plane(const double *t, size_t k, size_t d, double *e1,
                   double *e2);

#endif

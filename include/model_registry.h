/* model_registry.h — the concrete models behind model.h's registry, and the
 * few model-specific accessors the view needs.  Adding a model: one file
 * src/core/model_NAME.c exporting a model_ops, one line here and one line
 * in model.c's table. */
#ifndef SGDSCOPE_MODEL_REGISTRY_H
#define SGDSCOPE_MODEL_REGISTRY_H

#include "model.h"

/* 1-D quadratic parametrization h_θ(x) = x θ² (spec §1.1). */
extern const model_ops model_quad1d_ops;
/* Diagonal linear network h(x) = ⟨u ⊙ v, x⟩, θ = (u, v) (spec §1.2). */
extern const model_ops model_diagnet_ops;
/* Two-layer ReLU net on 1-D data, θ = (w, b, a) (spec §1.3). */
extern const model_ops model_relu1d_ops;
/* Two-layer ReLU teacher-student, θ = (W, a), no biases (spec §1.4). */
extern const model_ops model_ts2_ops;
/* Three-layer ReLU teacher-student with biases (spec §1.4, Fig. 5). */
extern const model_ops model_ts3_ops;

/* diagnet's planted predictor β* (d doubles, unit norm, r non-zeros first);
 * NULL if m is not a created diagnet, or if its training set came from a
 * file (model_params.data): then no β* exists. */
const double *diagnet_beta_star(const model *m);

/* ts2's teacher first-layer rows (k × d, unit norm), *k set; NULL if m is
 * not a created ts2. */
const double *ts2_teacher_rows(const model *m, size_t *k);
/* ts3's teacher: its parameters in the student's layout at width *k (the
 * first k·d entries are its first-layer rows); NULL if m is not a created
 * ts3. */
const double *ts3_teacher_params(const model *m, size_t *k);

#endif

/* scene_data.c — the scene's data fields at finalize: `data` and
 * `test_data` load CSV points (datafile.h) once, before anything runs,
 * and set what the points decide (d, n, n_test), so every error comes
 * from the scene, not from a run.  See sgdscope-scene(5), DATA FILES. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "datafile.h"
#include "sanitize.h"
#include "scene_value.h"

/* Field numbers by name: scene.c's table is the one place that orders
 * them. */
typedef struct data_fields {
    int data, test, n, d, r, n_test, points, m;
} data_fields;

/* Blames field i (scene_blame) with a formatted message: returns −1. */
static int field_fail(const scene *s, int i, scene_err *e, const char *hint,
                      const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int field_fail(const scene *s, int i, scene_err *e, const char *hint,
                      const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    scene_blame(s, i, e);
    sanitize_text(e->msg, sizeof e->msg, msg);
    sanitize_text(e->hint, sizeof e->hint, hint);
    return -1;
}

/* Appends to e's hint where field i named the file, so an error inside a
 * data file leads back to the scene line that chose it. */
static void named_by(const scene *s, int i, scene_err *e)
{
    scene_err at;
    char hint[1024]; /* cut to e->hint by sanitize_text */
    scene_blame(s, i, &at);
    if (!at.line)
        return;
    const char *sep = e->hint[0] ? "; " : "";
    if (strcmp(at.file, "--set") == 0)
        snprintf(hint, sizeof hint, "%s%s%s named by --set", e->hint, sep,
                 scene_field_name((size_t)i));
    else
        snprintf(hint, sizeof hint, "%s%s%s named at %s:%d:%d", e->hint,
                 sep, scene_field_name((size_t)i), at.file, at.line, at.col);
    sanitize_text(e->hint, sizeof e->hint, hint);
}

static const datafile *load(const scene *s, int i, const char *path,
                            scene_err *e)
{
    const datafile *df = datafile_load(path, e);
    if (!df)
        named_by(s, i, e);
    return df;
}

/* A file whose columns do not fit the model: the error is at the file's
 * first data row, column 1. */
static int cols_fail(const scene *s, int i, const datafile *df,
                     scene_err *e, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static int cols_fail(const scene *s, int i, const datafile *df,
                     scene_err *e, const char *hint, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    scene_fail(e, df->path, df->first_line, 1, hint, "%s", msg);
    named_by(s, i, e);
    return -1;
}

static int relu1d_data(scene *s, const data_fields *f, const datafile *tr,
                       scene_err *e)
{
    model_params *mp = &s->mp;
    if (tr->cols != 2)
        return cols_fail(s, f->data, tr, e, "write x,y on each row",
                         "%zu columns, relu1d needs 2 (x, y)", tr->cols);
    if (s->set_line[f->n] && (size_t)mp->n != tr->md.n)
        return field_fail(s, f->n, e, "leave n unset: the file sets it",
                          "n = %d, but %s has %zu rows", mp->n, tr->path,
                          tr->md.n);
    /* the sparsity metric keeps rows × m activations */
    if ((uint64_t)tr->md.n * (uint64_t)mp->m > MODEL_DATA_MAX)
        return field_fail(s, scene_later(s, f->data, f->m), e, NULL,
                          "%zu rows times m = %d neurons is above %d: the "
                          "metrics keep every activation", tr->md.n, mp->m,
                          MODEL_DATA_MAX);
    double lo = tr->md.x[0], hi = lo;
    for (size_t k = 1; k < tr->md.n; k++) {
        lo = tr->md.x[k] < lo ? tr->md.x[k] : lo;
        hi = tr->md.x[k] > hi ? tr->md.x[k] : hi;
    }
    if (!(hi > lo))
        return cols_fail(s, f->data, tr, e, "h(x) is drawn over the data's "
                         "x range", "every x is %g: relu1d needs two "
                         "different x", lo);
    mp->n = (int)tr->md.n;
    mp->data = &tr->md;
    return 0;
}

/* diagnet: d from the files unless the scene sets it, n from data, n_test
 * from test_data; with data β* is unknown, so nothing may draw from it. */
static int diagnet_data(scene *s, const data_fields *f, const datafile *tr,
                        const datafile *te, scene_err *e)
{
    model_params *mp = &s->mp;
    int dset = s->set_line[f->d] != 0;
    const datafile *src = tr ? tr : te;
    if (!dset)
        mp->d = (int)(src->cols - 1);
    const datafile *both[2] = {tr, te};
    for (int k = 0; k < 2; k++) {
        const datafile *df = both[k];
        if (!df || df->cols - 1 == (size_t)mp->d)
            continue;
        char hint[1024];
        scene_err at;
        scene_blame(s, f->d, &at);
        if (dset)
            snprintf(hint, sizeof hint, "d is set at %s:%d; leave it unset "
                     "to take d from the file", at.file, at.line);
        else
            snprintf(hint, sizeof hint, "data and test_data need the same "
                     "columns");
        return cols_fail(s, k ? f->test : f->data, df, e, hint,
                         "%zu columns, diagnet with d = %d needs %d "
                         "(x1..x%d, y)", df->cols, mp->d, mp->d + 1, mp->d);
    }
    if (tr) {
        if (s->set_line[f->n] && (size_t)mp->n != tr->md.n)
            return field_fail(s, f->n, e, "leave n unset: the file sets it",
                              "n = %d, but %s has %zu rows", mp->n, tr->path,
                              tr->md.n);
        if (s->set_line[f->r])
            return field_fail(s, f->r, e, "delete r",
                              "r sets beta*'s support, and with data "
                              "beta* is unknown");
        if (!te && s->set_line[f->n_test] && mp->n_test > 0)
            return field_fail(s, f->n_test, e, "give test_data = FILE, or "
                              "set n_test = 0",
                              "n_test draws test points from beta*, and "
                              "with data beta* is unknown");
        mp->n = (int)tr->md.n;
        if (mp->r > mp->d)
            mp->r = mp->d; /* unused: β* is unknown; keeps r <= d */
        if (!te)
            mp->n_test = 0;
    }
    if (te) {
        if (s->set_line[f->n_test] && (size_t)mp->n_test != te->md.n)
            return field_fail(s, f->n_test, e, "leave n_test unset: the "
                              "file sets it", "n_test = %d, but %s has %zu "
                              "rows", mp->n_test, te->path, te->md.n);
        mp->n_test = (int)te->md.n;
    }
    mp->data = tr ? &tr->md : NULL;
    mp->test_data = te ? &te->md : NULL;
    return 0;
}

int scene_data_finalize(scene *s, scene_err *e)
{
    model_params *mp = &s->mp;
    data_fields f = {
        scene_field_index("data"), scene_field_index("test_data"),
        scene_field_index("n"), scene_field_index("d"),
        scene_field_index("r"), scene_field_index("n_test"),
        scene_field_index("points"), scene_field_index("m"),
    };
    mp->data = mp->test_data = NULL;
    if (!s->data[0] && !s->test_data[0])
        return 0;
    int diag = strcmp(s->model, "diagnet") == 0;
    int relu = strcmp(s->model, "relu1d") == 0;
    int which = s->data[0] ? f.data : f.test;
    if (strcmp(s->model, "ts2") == 0 || strcmp(s->model, "ts3") == 0)
        return field_fail(s, scene_later(s, which, scene_field_index("model")),
                          e, "drop the file, or use diagnet (x1..xd, y) or "
                          "relu1d (x, y)",
                          "%s draws its inputs on the unit sphere and labels "
                          "them with its teacher: it takes no data files",
                          s->model);
    if (!diag && !relu)
        return field_fail(s, scene_later(s, which, scene_field_index("model")),
                          e, "use diagnet (x1..xd, y) or relu1d (x, y)",
                          "%s draws its own x: data files are for diagnet "
                          "and relu1d", s->model);
    if (relu && s->test_data[0])
        return field_fail(s, f.test, e, "drop test_data, or use diagnet",
                          "relu1d has no test set: test_data is for "
                          "diagnet");
    if (relu && !s->data[0])
        return 0;
    if (relu && mp->npoints > 0)
        return field_fail(s, scene_later(s, f.data, f.points), e,
                          "delete one of the two",
                          "data and points both give relu1d's training "
                          "points");
    const datafile *tr = NULL, *te = NULL;
    if (s->data[0] && !(tr = load(s, f.data, s->data, e)))
        return -1;
    if (s->test_data[0] && !(te = load(s, f.test, s->test_data, e)))
        return -1;
    return relu ? relu1d_data(s, &f, tr, e) : diagnet_data(s, &f, tr, te, e);
}

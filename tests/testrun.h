/* testrun.h — a run built the way the app builds one, for the test files
 * that step runs (after testutil.h). */
#ifndef SGDSCOPE_TESTRUN_H
#define SGDSCOPE_TESTRUN_H

#include "run.h"

/* A finalized scene: the file at path (NULL: the defaults), then the
 * KEY=VALUE settings of the NULL-terminated kv (may be NULL).  Fails the
 * test on any error. */
static inline scene test_scene(const char *path, const char *const *kv)
{
    scene s;
    scene_err e;
    scene_init(&s);
    if (path && scene_load_file(&s, path, &e) != 0)
        fail_msg("%s: %s", path, e.msg);
    for (; kv && *kv; kv++)
        if (scene_set(&s, *kv, &e) != 0)
            fail_msg("scene_set(%s): %s", *kv, e.msg);
    if (scene_finalize(&s, &e) != 0)
        fail_msg("scene_finalize: %s", e.msg);
    return s;
}

/* A run of test_scene(path, kv); fails the test if it cannot be made. */
static inline run *test_run(const char *path, const char *const *kv)
{
    scene s = test_scene(path, kv);
    char err[256];
    run *r = run_create(&s, err, sizeof err);
    if (!r)
        fail_msg("run_create: %s", err);
    return r;
}

#endif

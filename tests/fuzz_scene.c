/* fuzz_scene.c — libFuzzer target for the scene parser (`make fuzz`):
 * any bytes as a scene file, then finalize, then the first line again as
 * a --set; and the same as a comparison (run blocks, NAME.KEY sets, the
 * cross-run checks).  Errors are expected; crashes, leaks, undefined
 * behaviour and out-of-range error positions are not. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "comparison.h"
#include "scene.h"

/* A key table for scene_check_keys: the fuzzer need not know the app's. */
static int fuzz_is_key(int c)
{
    return c != 'Z';
}

/* Error positions must be inside the text: a line past the end or a
 * negative column means the parser lost its place. */
static void check_err(const scene_err *e, int nlines)
{
    if (e->line < 0 || e->col < 0 || e->line > nlines + 1 ||
        !memchr(e->msg, '\0', sizeof e->msg) ||
        !memchr(e->hint, '\0', sizeof e->hint))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The scene is big (a timeline of 128 events with captions): keep it
     * off the fuzzer's stack. */
    static scene s;
    scene_err e;
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    int nlines = 1;
    for (size_t i = 0; i < size; i++)
        nlines += data[i] == '\n';

    scene_init(&s);
    if (scene_load_string(&s, buf, "fuzz", &e) == 0) {
        if (scene_finalize(&s, &e) == 0)
            scene_check_keys(&s, fuzz_is_key, &e);
        else
            check_err(&e, nlines);
    } else {
        check_err(&e, nlines);
    }

    /* The first line (up to a NUL or newline) as a --set. */
    char *nl = strchr(buf, '\n');
    if (nl)
        *nl = '\0';
    if (scene_set(&s, buf, &e) == 0)
        scene_finalize(&s, &e);
    else
        check_err(&e, 1);

    /* And as a --script, over whatever timeline the scene had. */
    char err[256];
    scene_finalize(&s, &e);
    timeline_parse_script(&s.tl, buf, fuzz_is_key, err, sizeof err);

    /* The whole text as a comparison, its first line as a --set (KEY=V or
     * NAME.KEY=V), then every run alone. */
    static comparison c;
    if (nl)
        *nl = '\n';
    if (comparison_load_string(&c, buf, "fuzz", &e) != 0) {
        check_err(&e, nlines);
    } else {
        if (nl)
            *nl = '\0';
        int rc = comparison_set(&c, buf, &e);
        if (rc)
            check_err(&e, 1);
        if (comparison_finalize(&c, &e) == 0) {
            if (comparison_check_keys(&c, fuzz_is_key, fuzz_is_key, &e))
                check_err(&e, nlines);
            comparison_add_script(&c, buf, fuzz_is_key, err, sizeof err);
            for (size_t i = 0; i < c.n; i++)
                comparison_run_scene(&c, i, &s);
        } else {
            check_err(&e, nlines);
        }
    }
    free(buf);
    return 0;
}

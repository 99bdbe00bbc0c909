/* fuzz_cli.c — libFuzzer target for the command line (`make fuzz`): the
 * input is an argument vector, its words separated by NUL bytes, given
 * to cli_parse; a command line that parses then goes through what main
 * does with it before anything runs: --set/--model/--seed/--steps onto
 * the built-in scene, finalize, --at against the run length, and the
 * --script string over the scene's timeline.
 *
 * Errors are expected; crashes, leaks, undefined behaviour, and messages
 * that are not sanitized (a control character, a C1 or bidi control, a
 * byte that is not UTF-8: what could drive the user's terminal) are not.
 * Each argument also goes through sanitize_text itself, checked for the
 * same, for its bound, and for giving the same text when sanitized
 * again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sanitize.h"
#include "scene.h"
#include "timeline.h"

#define FUZZ_MAX_ARGS 64

/* A key table for scripts and timelines: the fuzzer need not know the
 * app's. */
static int fuzz_is_key(int c)
{
    return c > ' ' && c < 0x7F && c != 'Z' && c != 'e';
}

/* A message that reaches stderr: terminated, and clean. */
static void check_text(const char *s, size_t cap)
{
    if (!memchr(s, '\0', cap) || !sanitize_is_clean(s))
        abort();
}

static void check_scene_err(const scene_err *e)
{
    check_text(e->file, sizeof e->file);
    check_text(e->msg, sizeof e->msg);
    check_text(e->hint, sizeof e->hint);
}

/* sanitize_text on arg: clean, within cap, cut only when it has to be,
 * and sanitizing its own output changes nothing. */
static void check_sanitize(const char *arg, size_t cap)
{
    char out[256], again[256];
    if (cap > sizeof out)
        cap = sizeof out;
    size_t need = sanitize_text(out, cap, arg);
    if (cap == 0)
        return;
    size_t len = strlen(out);
    if (len >= cap || len > need || (need < cap && len != need) ||
        !sanitize_is_clean(out))
        abort();
    sanitize_text(again, sizeof again, out);
    if (strcmp(again, out) != 0)
        abort();
    size_t clip = sanitize_clip(arg, strlen(arg), cap);
    if (clip > cap || clip > strlen(arg))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the options and the scene are large: off the fuzzer's stack */
    static cli_opts o;
    static scene sc;
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *argv[FUZZ_MAX_ARGS + 2];
    int argc = 0;
    argv[argc++] = "sgdscope";
    for (size_t i = 0; i <= size && argc <= FUZZ_MAX_ARGS;) {
        argv[argc++] = buf + i;
        i += strlen(buf + i) + 1;
    }
    argv[argc] = NULL;
    for (int k = 1; k < argc; k++)
        check_sanitize(argv[k], size > 0 ? data[0] : 0);

    char err[512];
    cli_result rc = cli_parse(&o, argc, argv, err, sizeof err);
    if (rc == CLI_ERROR) {
        if (!err[0])
            abort();
        check_text(err, sizeof err);
    }
    if (rc != CLI_RUN) {
        free(buf);
        return 0;
    }
    if (o.nsets > CLI_MAX_SETS || o.fps < 1 || o.fps > 240 ||
        o.size_w < 1 || o.size_w > 1000 || o.size_h < 1 || o.size_h > 1000)
        abort();

    /* main's build_scene, without the scene file (no file system) */
    scene_err e;
    scene_init(&sc);
    for (size_t i = 0; i < o.nsets; i++)
        if (scene_set(&sc, o.sets[i], &e) != 0) {
            check_scene_err(&e);
            free(buf);
            return 0;
        }
    if (scene_finalize(&sc, &e) != 0 ||
        scene_check_keys(&sc, fuzz_is_key, &e) != 0) {
        check_scene_err(&e);
        free(buf);
        return 0;
    }
    uint64_t at;
    if (cli_resolve_at(&o, sc.steps, &at, err, sizeof err) != 0)
        check_text(err, sizeof err);
    else if (at > sc.steps)
        abort();
    if (o.script) {
        size_t before = sc.tl.n;
        if (timeline_parse_script(&sc.tl, o.script, fuzz_is_key, err,
                                  sizeof err) != 0) {
            check_text(err, sizeof err);
            if (sc.tl.n != before) /* an error leaves the timeline alone */
                abort();
        } else {
            if (sc.tl.n > TL_MAX_EVENTS)
                abort();
            for (size_t k = 1; k < sc.tl.n; k++)
                if (sc.tl.ev[k].step < sc.tl.ev[k - 1].step)
                    abort();
        }
    }
    free(buf);
    return 0;
}

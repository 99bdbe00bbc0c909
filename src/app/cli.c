/* cli.c — the command line; see cli.h. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"

const char cli_usage[] =
    "usage: sgdscope [OPTIONS] [SCENE]\n"
    "       sgdscope --headless [SCENE] [--csv FILE|-] [--every N] [--summary]\n"
    "                [--at N|P%]\n"
    "       sgdscope --snapshot [SCENE] [--steps N] [--at N|P%] "
    "[--size COLSxROWS]\n"
    "       sgdscope --headless --record FILE.cast [--size COLSxROWS]\n"
    "                [--at N|P%] [SCENE]\n"
    "       sgdscope --sweep SCENE|FILE.sweep [--vary KEY=A:B:N|KEY=V1,V2...]\n"
    "                [--seeds 1-20] -o FILE.jsonl|- [-j N] [--sorted]\n"
    "                [--shard K/N]\n"
    "       sgdscope --map FILE.jsonl [--metric NAME] [--x KEY] [--y KEY]\n"
    "\n"
    "Steps SGD on the toy models of \"SGD with large step sizes learns sparse\n"
    "features\".  SCENE is a path or the name of a shipped scene (--list);\n"
    "a comparison scene steps up to 6 runs in lockstep (man sgdscope:\n"
    "COMPARISONS; in the app Tab focuses a run, f forks it, c compares).\n"
    "\n"
    "  --headless        run without a terminal; print CSV and/or a summary\n"
    "  --model NAME      quad1d, diagnet, relu1d, ts2 or ts3\n"
    "                    (same as --set model=NAME)\n"
    "  --set KEY=VALUE   set any scene field; repeatable, applied after SCENE\n"
    "  --seed N          the run's seed: initialization and sample order\n"
    "                    (same as --set seed=N); the data stays\n"
    "  --data-seed N     the data's seed: training/test sets, beta*\n"
    "                    (same as --set data_seed=N)\n"
    "  --steps N         run length (same as --set steps=N); decays at a\n"
    "                    share of the run (30%) refer to it\n"
    "  --at N|P%         stop at step N, or at P% of the run, keeping the\n"
    "                    run length: the --snapshot frame, the last frame\n"
    "                    of a headless --record, the end of --csv/--summary\n"
    "  --csv FILE|-      write metrics as CSV to FILE or stdout\n"
    "  --every N         a CSV row every N steps (0: only at the end)\n"
    "  --summary         print one JSON line of final metrics per run\n"
    "  --snapshot        print one frame as plain text (at --at, by default\n"
    "                    the end of the run) and exit\n"
    "  --size COLSxROWS  frame size for --snapshot and --record (100x30)\n"
    "  --record FILE     record the session as asciicast v2 (FILE.cast)\n"
    "  --script SCRIPT   press keys at steps: 'STEP:KEY STEP:KEY ...'\n"
    "  --ghost FILE[:RUN]  draw a saved run's loss (a CSV of --csv or e)\n"
    "                    behind the live runs\n"
    "  --sweep SCENE     run a grid of headless runs, one JSON line each\n"
    "                    (SCENE or a FILE.sweep naming it; man sgdscope:\n"
    "                    SWEEPS); rerun with the same -o to resume\n"
    "  --vary KEY=SPEC   a swept scene field: A:B:N (N evenly spaced values)\n"
    "                    or V1,V2,... (scene values); repeatable\n"
    "  --seeds LIST      sampling seeds of every grid point: 1-20, 1,3,5-9\n"
    "  -o FILE|-         the sweep's output (JSON lines; - is stdout)\n"
    "  -j N              jobs at once, 1..64 (default: the processors)\n"
    "  --sorted          write the sweep's lines in grid order\n"
    "  --shard K/N       run the K-th of N parts of the grid (1 <= K <= N)\n"
    "  --map FILE        draw a sweep: divergence against eta and a heat\n"
    "                    map of --metric over --x and --y\n"
    "  --metric NAME     test_loss (default), train_loss, l0, rank,\n"
    "                    feature_sparsity, diverged, verdict\n"
    "  --x KEY, --y KEY  the swept fields on the map's axes\n"
    "  --list            list the shipped scenes and exit\n"
    "  --fps N           frames per second of the view and recordings (30)\n"
    "  --unicode         braille plots whatever the locale\n"
    "  --ascii           plain ASCII plots\n"
    "  --block           quadrant-block plots (fonts without braille)\n"
    "  --no-color        no colour (NO_COLOR in the environment also)\n"
    "  --help            show this help\n"
    "  --version         show the version\n"
    "\n"
    "Exit status: 0 success (a diverged run is a result, not an error),\n"
    "1 runtime failure (a failed write too), 2 bad usage, a bad scene or a\n"
    "refused output path, 128+N ended by signal N (man sgdscope: FILES,\n"
    "SIGNALS).\n";

/* Writes the reason for a bad command line: fmt with one string argument
 * (an argument of the command line, so sanitized) and returns
 * CLI_ERROR. */
static cli_result cli_fail(char *err, size_t errlen, const char *fmt,
                           const char *arg)
{
    char raw[1024];
    snprintf(raw, sizeof raw, fmt, arg);
    sanitize_text(err, errlen, raw);
    return CLI_ERROR;
}

static int parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

enum { OPT_HEADLESS = 256, OPT_MODEL, OPT_SET, OPT_SEED, OPT_STEPS, OPT_CSV,
       OPT_EVERY, OPT_SUMMARY, OPT_HELP, OPT_VERSION, OPT_SNAPSHOT, OPT_SIZE,
       OPT_FPS, OPT_UNICODE, OPT_ASCII, OPT_NOCOLOR, OPT_RECORD, OPT_SCRIPT,
       OPT_LIST, OPT_BLOCK, OPT_AT, OPT_GHOST, OPT_DATA_SEED, OPT_SWEEP,
       OPT_VARY, OPT_SEEDS, OPT_SORTED, OPT_SHARD, OPT_MAP, OPT_METRIC,
       OPT_X, OPT_Y };

static const struct option long_opts[] = {
    {"headless", no_argument, 0, OPT_HEADLESS},
    {"model", required_argument, 0, OPT_MODEL},
    {"set", required_argument, 0, OPT_SET},
    {"seed", required_argument, 0, OPT_SEED},
    {"data-seed", required_argument, 0, OPT_DATA_SEED},
    {"steps", required_argument, 0, OPT_STEPS},
    {"at", required_argument, 0, OPT_AT},
    {"csv", required_argument, 0, OPT_CSV},
    {"every", required_argument, 0, OPT_EVERY},
    {"summary", no_argument, 0, OPT_SUMMARY},
    {"snapshot", no_argument, 0, OPT_SNAPSHOT},
    {"size", required_argument, 0, OPT_SIZE},
    {"record", required_argument, 0, OPT_RECORD},
    {"script", required_argument, 0, OPT_SCRIPT},
    {"ghost", required_argument, 0, OPT_GHOST},
    {"list", no_argument, 0, OPT_LIST},
    {"sweep", required_argument, 0, OPT_SWEEP},
    {"vary", required_argument, 0, OPT_VARY},
    {"seeds", required_argument, 0, OPT_SEEDS},
    {"sorted", no_argument, 0, OPT_SORTED},
    {"shard", required_argument, 0, OPT_SHARD},
    {"map", required_argument, 0, OPT_MAP},
    {"metric", required_argument, 0, OPT_METRIC},
    {"x", required_argument, 0, OPT_X},
    {"y", required_argument, 0, OPT_Y},
    {"fps", required_argument, 0, OPT_FPS},
    {"unicode", no_argument, 0, OPT_UNICODE},
    {"ascii", no_argument, 0, OPT_ASCII},
    {"block", no_argument, 0, OPT_BLOCK},
    {"no-color", no_argument, 0, OPT_NOCOLOR},
    {"help", no_argument, 0, OPT_HELP},
    {"version", no_argument, 0, OPT_VERSION},
    {0, 0, 0, 0}};

/* Optimal-string-alignment distance between a and b (at most 31 bytes
 * each are compared): Levenshtein plus adjacent transpositions, because
 * the usual typo of a flag is two swapped letters ("--fsp"). */
static size_t osa_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 31)
        n = 31;
    if (m > 31)
        m = 31;
    size_t d[32][32];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[n][m];
}

/* The known long option nearest to arg ("--fsp" or "--fsp=3"), or NULL
 * when none is close: within 2 edits, and fewer than the name's length so
 * that a short word is not "corrected" into an unrelated one. */
static const char *nearest_option(const char *arg)
{
    char word[32];
    while (*arg == '-')
        arg++;
    size_t k = strcspn(arg, "=");
    if (k == 0 || k >= sizeof word)
        return NULL;
    memcpy(word, arg, k);
    word[k] = 0;
    const char *best = NULL;
    size_t bd = 3;
    for (const struct option *op = long_opts; op->name; op++) {
        size_t d = osa_distance(word, op->name);
        if (d < bd && d < k) {
            bd = d;
            best = op->name;
        }
    }
    return best;
}

/* --at N or --at P% (P a number 0..100).  Returns 0 or −1. */
static int parse_at(cli_opts *o, const char *arg)
{
    size_t len = strlen(arg);
    o->at_arg = arg;
    if (len > 1 && arg[len - 1] == '%') {
        char num[64], *end;
        if (len - 1 >= sizeof num || arg[0] == '-' || arg[0] == '+')
            return -1;
        memcpy(num, arg, len - 1);
        num[len - 1] = 0;
        errno = 0;
        double p = strtod(num, &end);
        if (errno || *end || end == num || !(p >= 0.0 && p <= 100.0))
            return -1;
        o->at_pct = p;
        return 0;
    }
    o->at_pct = -1.0;
    return parse_u64(arg, &o->at_step);
}

int cli_resolve_at(const cli_opts *o, uint64_t steps, uint64_t *at,
                   char *err, size_t errlen)
{
    if (!o->at_arg) {
        *at = steps;
        return 0;
    }
    uint64_t n = o->at_pct >= 0.0
                     ? (uint64_t)llround(o->at_pct / 100.0 * (double)steps)
                     : o->at_step;
    if (n > steps) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "--at %%s is past the end of the run (steps = %llu); "
                 "--steps sets the run length",
                 (unsigned long long)steps);
        cli_fail(err, errlen, msg, o->at_arg);
        return -1;
    }
    *at = n;
    return 0;
}

/* --shard K/N.  Returns 0 or −1. */
static int parse_shard(cli_opts *o, const char *arg)
{
    const char *slash = strchr(arg, '/');
    char k[24];
    uint64_t kv, nv;
    if (!slash || (size_t)(slash - arg) >= sizeof k)
        return -1;
    memcpy(k, arg, (size_t)(slash - arg));
    k[slash - arg] = 0;
    if (parse_u64(k, &kv) || parse_u64(slash + 1, &nv) || kv < 1 ||
        nv < 1 || kv > nv || nv > 100000)
        return -1;
    o->shard_k = (unsigned)kv;
    o->shard_n = (unsigned)nv;
    return 0;
}

/* --size COLSxROWS, each 1..1000.  Returns 0 or −1. */
static int parse_size(cli_opts *o, const char *arg)
{
    char *x;
    long w = strtol(arg, &x, 10), h = 0;
    if (x != arg && (*x == 'x' || *x == 'X')) {
        char *end;
        h = strtol(x + 1, &end, 10);
        if (*end || end == x + 1)
            h = 0;
    }
    if (w < 1 || h < 1 || w > 1000 || h > 1000)
        return -1;
    o->size_w = (int)w;
    o->size_h = (int)h;
    o->size_set = 1;
    return 0;
}

/* An option getopt_long did not know: "unknown option '--fsp' (did you
 * mean '--fps'?)". */
static cli_result unknown_option(int argc, char **argv, char *err,
                                 size_t errlen)
{
    if (optopt && optopt < 256) {
        char shortopt[3] = {'-', (char)optopt, 0};
        return cli_fail(err, errlen, "unknown option '%s'", shortopt);
    }
    /* optind has moved past the offending word (getopt_long counts it
     * even when it is unknown) */
    int k = optind > 0 && optind <= argc ? optind - 1 : 0;
    const char *arg = argv[k] ? argv[k] : "";
    const char *near = nearest_option(arg);
    char msg[128];
    if (near)
        snprintf(msg, sizeof msg,
                 "unknown option '%%s' (did you mean '--%s'?)", near);
    else
        snprintf(msg, sizeof msg, "unknown option '%%s'");
    return cli_fail(err, errlen, msg, arg);
}

cli_result cli_parse(cli_opts *o, int argc, char **argv, char *err,
                     size_t errlen)
{
    memset(o, 0, sizeof *o);
    o->size_w = 100;
    o->size_h = 30;
    o->fps = 30;
    opterr = 0;
    /* 0, not 1: glibc then also forgets the state of a previous parse
     * (the position inside a cluster of short options) */
    optind = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":ho:j:", long_opts, NULL)) != -1) {
        uint64_t v;
        switch (c) {
        case OPT_HEADLESS: o->headless = 1; break;
        case OPT_SNAPSHOT: o->snapshot = 1; break;
        case OPT_LIST: o->list = 1; break;
        case OPT_UNICODE: o->force_unicode = 1; o->force_ascii = 0; break;
        case OPT_ASCII: o->force_ascii = 1; o->force_unicode = 0; break;
        case OPT_BLOCK: o->force_block = 1; o->force_ascii = 0; break;
        case OPT_NOCOLOR: o->no_color = 1; break;
        case OPT_SIZE:
            if (parse_size(o, optarg) != 0)
                return cli_fail(err, errlen, "--size needs COLSxROWS, each "
                                "1..1000, got '%s'", optarg);
            break;
        case OPT_RECORD: o->record_path = optarg; break;
        case OPT_SCRIPT: o->script = optarg; break;
        case OPT_GHOST: o->ghost_arg = optarg; break;
        case OPT_SUMMARY: o->summary = 1; break;
        case OPT_CSV: o->csv_path = optarg; break;
        case OPT_FPS:
            if (parse_u64(optarg, &v) || v < 1 || v > 240)
                return cli_fail(err, errlen, "--fps needs a whole number "
                                "1..240, got '%s'", optarg);
            o->fps = (int)v;
            break;
        case OPT_AT:
            if (parse_at(o, optarg) != 0)
                return cli_fail(err, errlen, "--at needs a step N or a "
                                "share P%% of the run (0..100), got '%s'",
                                optarg);
            break;
        case OPT_EVERY:
            if (parse_u64(optarg, &o->every))
                return cli_fail(err, errlen, "--every needs a whole number "
                                ">= 0, got '%s'", optarg);
            o->every_set = 1;
            break;
        case OPT_MODEL: case OPT_SET: case OPT_SEED: case OPT_STEPS:
        case OPT_DATA_SEED:
            if (o->nsets == CLI_MAX_SETS)
                return cli_fail(err, errlen, "too many --set options%s", "");
            if (c == OPT_SEED && parse_u64(optarg, &v))
                return cli_fail(err, errlen, "--seed needs a whole number, "
                                "got '%s'", optarg);
            if (c == OPT_DATA_SEED && parse_u64(optarg, &v))
                return cli_fail(err, errlen, "--data-seed needs a whole "
                                "number, got '%s'", optarg);
            if (c == OPT_STEPS && (parse_u64(optarg, &v) || v == 0))
                return cli_fail(err, errlen, "--steps needs a whole number "
                                ">= 1, got '%s'", optarg);
            if (c == OPT_SET && !strchr(optarg, '='))
                return cli_fail(err, errlen, "--set needs KEY=VALUE, got "
                                "'%s'", optarg);
            snprintf(o->sets[o->nsets++], sizeof o->sets[0], "%s%s",
                     c == OPT_MODEL ? "model=" : c == OPT_SEED ? "seed="
                     : c == OPT_DATA_SEED ? "data_seed="
                     : c == OPT_STEPS ? "steps=" : "", optarg);
            break;
        case OPT_SWEEP: o->sweep_arg = optarg; break;
        case OPT_VARY:
            if (o->nvary == CLI_MAX_VARY)
                return cli_fail(err, errlen, "too many --vary (6 at most)%s",
                                "");
            o->vary[o->nvary++] = optarg;
            break;
        case OPT_SEEDS: o->seeds_arg = optarg; break;
        case 'o': o->out_path = optarg; break;
        case 'j':
            if (parse_u64(optarg, &v) || v < 1 || v > CLI_MAX_JOBS)
                return cli_fail(err, errlen, "-j needs a whole number "
                                "1..64, got '%s'", optarg);
            o->jobs = (unsigned)v;
            break;
        case OPT_SORTED: o->sorted = 1; break;
        case OPT_SHARD:
            if (parse_shard(o, optarg) != 0)
                return cli_fail(err, errlen, "--shard needs K/N with "
                                "1 <= K <= N <= 100000, got '%s'", optarg);
            break;
        case OPT_MAP: o->map_path = optarg; break;
        case OPT_METRIC: o->metric = optarg; break;
        case OPT_X: o->xkey = optarg; break;
        case OPT_Y: o->ykey = optarg; break;
        case 'h': case OPT_HELP:
            return CLI_HELP;
        case OPT_VERSION:
            return CLI_VERSION;
        case ':':
            return cli_fail(err, errlen, "%s needs a value",
                            optind > 1 && optind - 1 < argc
                                ? argv[optind - 1] : "an option");
        default:
            return unknown_option(argc, argv, err, errlen);
        }
    }
    if (argc - optind > 1)
        return cli_fail(err, errlen, "expected one scene, got also '%s'",
                        argv[optind + 1]);
    if (o->list && argc - optind > 0)
        return cli_fail(err, errlen, "--list takes no scene, got '%s'",
                        argv[optind]);
    o->scene_arg = optind < argc ? argv[optind] : NULL;
    if (o->sweep_arg || o->map_path) {
        const char *mode = o->sweep_arg ? "--sweep" : "--map";
        if (o->sweep_arg && o->map_path)
            return cli_fail(err, errlen, "--sweep and --map do not go "
                            "together (run the sweep, then map its file)%s",
                            "");
        if (argc - optind > 0) {
            char msg[128];
            snprintf(msg, sizeof msg, "%s takes its file as its value; got "
                     "also '%%s'", mode);
            return cli_fail(err, errlen, msg, argv[optind]);
        }
        if (o->headless || o->snapshot || o->record_path || o->csv_path ||
            o->list || o->ghost_arg || o->at_arg || o->script)
            return cli_fail(err, errlen, "%s runs on its own: no --headless, "
                            "--snapshot, --record, --csv, --list, --ghost, "
                            "--at or --script", mode);
        if (o->sweep_arg && !o->out_path)
            return cli_fail(err, errlen, "--sweep needs -o FILE.jsonl (or "
                            "-o - for stdout)%s", "");
    } else if (o->nvary || o->seeds_arg || o->out_path || o->jobs ||
               o->sorted || o->shard_n) {
        return cli_fail(err, errlen, "--vary, --seeds, -o, -j, --sorted and "
                        "--shard need --sweep%s", "");
    }
    if (!o->map_path && (o->metric || o->xkey || o->ykey))
        return cli_fail(err, errlen, "--metric, --x and --y need --map%s", "");
    if (o->record_path && o->snapshot)
        return cli_fail(err, errlen,
                        "--record and --snapshot do not go together%s", "");
    if (o->headless && o->snapshot)
        return cli_fail(err, errlen, "--snapshot needs no --headless%s", "");
    /* A ghost is drawn: a run without a view has nowhere to draw it. */
    if (o->ghost_arg && o->headless && !o->record_path)
        return cli_fail(err, errlen,
                        "--ghost '%s' needs the view (the app, --snapshot or "
                        "--record), not --headless alone",
                        o->ghost_arg);
    /* The interactive view runs on until q: a stop step means nothing
     * there. */
    if (o->at_arg && !o->headless && !o->snapshot)
        return cli_fail(err, errlen,
                        "--at needs --snapshot or --headless, got '%s' alone",
                        o->at_arg);
    return CLI_RUN;
}

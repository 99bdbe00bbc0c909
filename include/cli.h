/* cli.h — the command line: flags and arguments into a cli_opts.
 *
 * Parsing never exits and never prints: a bad command line comes back as
 * CLI_ERROR with a one-line reason, which main prints with the usage and
 * exits 2 on.  So the parser can be tested, and fuzzed (tests/fuzz_cli.c),
 * in-process.  The reasons quote the arguments sanitized (sanitize.h). */
#ifndef SGDSCOPE_CLI_H
#define SGDSCOPE_CLI_H

#include <stddef.h>
#include <stdint.h>

#define CLI_MAX_SETS 256
#define CLI_MAX_VARY 6
#define CLI_MAX_JOBS 64

/* Everything the command line says. */
typedef struct cli_opts {
    int headless, summary, snapshot, list, every_set;
    int size_w, size_h, size_set, fps;
    int force_ascii, force_unicode, force_block, no_color;
    const char *csv_path, *record_path, *script, *scene_arg;
    const char *ghost_arg; /* --ghost FILE[:RUN] */
    const char *at_arg;   /* --at as given; resolved against the scene's
                             steps once the scene is built */
    double at_pct;        /* --at P%: P; < 0 for a step */
    uint64_t at_step;     /* --at N */
    uint64_t every;
    /* sweeps (sweep.h) and their maps */
    const char *sweep_arg;  /* --sweep SCENE|FILE.sweep */
    const char *vary[CLI_MAX_VARY]; /* --vary KEY=SPEC, in order */
    size_t nvary;
    const char *seeds_arg;  /* --seeds LIST */
    const char *out_path;   /* -o FILE|- */
    unsigned jobs;          /* -j N; 0: one per processor */
    int sorted;             /* --sorted */
    unsigned shard_k, shard_n; /* --shard K/N; n = 0: none */
    const char *map_path;   /* --map FILE.jsonl */
    const char *metric;     /* --metric NAME for --map */
    const char *xkey, *ykey; /* --x KEY, --y KEY for --map */
    char sets[CLI_MAX_SETS][512]; /* scene overrides, in command-line
                                     order */
    size_t nsets;
} cli_opts;

/* What the command line asks for. */
typedef enum { CLI_RUN, CLI_HELP, CLI_VERSION, CLI_ERROR } cli_result;

/* The usage, as --help prints it and as it follows a usage error. */
extern const char cli_usage[];

/* Parses argv[1..argc) into o (which keeps pointers into argv; GNU
 * getopt may reorder argv).  Returns CLI_RUN, CLI_HELP or CLI_VERSION,
 * or CLI_ERROR with the reason in err ("--fps needs a whole number
 * 1..240, got 'x'").  Restarts getopt, so it may be called again. */
cli_result cli_parse(cli_opts *o, int argc, char **argv, char *err,
                     size_t errlen);

/* The step --at names in a run of `steps` steps (the end without --at;
 * a share rounds to the nearest step) into *at.  Returns 0, or −1 with
 * the reason in err when it is past the end: the run would have to go
 * on beyond its own length. */
int cli_resolve_at(const cli_opts *o, uint64_t steps, uint64_t *at,
                   char *err, size_t errlen);

#endif

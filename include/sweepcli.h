/* sweepcli.h — the command line's --sweep and --map: from cli_opts to a
 * grid, a sweep and its map (sweep.h, sweepmap.h). */
#ifndef SGDSCOPE_SWEEPCLI_H
#define SGDSCOPE_SWEEPCLI_H

#include "cli.h"

/* --sweep: reads the sweep file or scene, builds the grid from it and
 * the command line, checks every point, then runs it.  Returns the exit
 * status (0; 1 a failed job or write; 2 bad input, nothing ran); after a
 * terminating signal it dies of it. */
int sweepcli_run(const cli_opts *o);

/* --map: reads a sweep's JSON lines and prints its map to stdout.
 * Returns the exit status. */
int sweepcli_map(const cli_opts *o);

#endif

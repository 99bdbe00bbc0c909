/* scenedir.h — where shipped scenes live and how a scene argument is
 * found: a path, or a name looked up in $SGDSCOPE_SCENES (a list of
 * directories separated by ':'), ./scenes and the installed data
 * directory (in that order), with or without ".scene".
 *
 * One ordered list of scenes (scenedir_collect) feeds both `--list` and
 * the app's `m`/`M`/picker, so they can never disagree. */
#ifndef SGDSCOPE_SCENEDIR_H
#define SGDSCOPE_SCENEDIR_H

#include <stddef.h>
#include <stdio.h>

#include "scene.h"

#define SCENEDIR_MAX_DIRS 16
#define SCENEDIR_MAX 256

/* One scene found on the search path. */
typedef struct scenedir_entry {
    char name[SCENE_NAME_MAX];  /* file name without ".scene" */
    char title[SCENE_NAME_MAX]; /* its title, or why it does not load
                                   (raw text: sanitize to show it) */
    char path[SCENE_PATH_MAX];  /* where it was found */
    int ok;                     /* 1 if it parses */
} scenedir_entry;

/* The directories searched, in order: each of $SGDSCOPE_SCENES, then
 * "scenes", then the data directory.  Writes up to SCENEDIR_MAX_DIRS
 * pointers into dirs (into a static copy of the environment: valid until
 * the next call) and returns the count. */
size_t scenedir_search_path(const char *dirs[SCENEDIR_MAX_DIRS]);

/* Finds a scene by path or name into out (NAME, NAME.scene, or a sweep
 * file NAME.sweep in the same directories).  Returns 0, or −1 (out then
 * holds the argument). */
int scenedir_find(const char *arg, char *out, size_t outlen);

/* The first search directory that exists, or NULL. */
const char *scenedir_first(void);

/* Every scene of the search path (plus `extra`, a directory searched
 * after $SGDSCOPE_SCENES when not NULL), once by name (the first
 * directory that has it wins), sorted by name in natural order (fig2
 * before fig10): the order of --list and of `m`.  Fills up to max entries of out and returns how many. */
size_t scenedir_collect(const char *extra, scenedir_entry *out, size_t max);

/* Prints every scene of scenedir_collect as "NAME  TITLE", both
 * sanitized (sanitize.h): file names and titles are anyone's text.
 * Returns the number listed. */
size_t scenedir_list(FILE *out);

/* Says where scenes were looked for and how to point elsewhere (for the
 * "no scenes found" message of --list). */
void scenedir_explain(FILE *out);

#endif

/* scenedir.h — where shipped scenes live and how a scene argument is
 * found: a path, or a name looked up in $SGDSCOPE_SCENES, ./scenes and the
 * installed data directory (in that order), with or without ".scene". */
#ifndef SGDSCOPE_SCENEDIR_H
#define SGDSCOPE_SCENEDIR_H

#include <stddef.h>
#include <stdio.h>

/* The directories searched, in order; entries may be NULL or "" (unset).
 * n receives the count. */
void scenedir_search_path(const char *dirs[3], size_t *n);

/* Finds a scene by path or name into out.  Returns 0, or −1 (out then
 * holds the argument). */
int scenedir_find(const char *arg, char *out, size_t outlen);

/* The first search directory that exists (for `m`), or NULL. */
const char *scenedir_first(void);

/* Prints every shipped scene once (first found wins), sorted by name:
 * "NAME  TITLE", and a comment line saying where each directory is.
 * Returns the number listed. */
size_t scenedir_list(FILE *out);

#endif

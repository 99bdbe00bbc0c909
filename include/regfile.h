/* regfile.h — reading a file a user named (a scene, a data file): only a
 * regular file, never blocking, never more than a cap.  Files named in
 * scenes are untrusted (scenes are shared between people), so a FIFO, a
 * device or a directory is refused before anything is read from it. */
#ifndef SGDSCOPE_REGFILE_H
#define SGDSCOPE_REGFILE_H

#include <stddef.h>
#include <stdio.h>

/* What went wrong, so each caller can add its own hint. */
typedef enum {
    REGFILE_OK = 0,
    REGFILE_NOT_REGULAR, /* "not a regular file: a FIFO" */
    REGFILE_IO,          /* "cannot open: ..." / "cannot read: ..." */
    REGFILE_TOO_BIG,     /* "file is larger than N bytes" */
    REGFILE_NOMEM        /* "out of memory" */
} regfile_status;

/* Opens path for reading ("rb") if it is a regular file.  Never blocks:
 * opening a FIFO waits for a writer and reading a device may never end,
 * so the file is checked before it is opened, opened non-blocking, and
 * checked again on the descriptor (it may have been replaced in
 * between).  Returns the stream, or NULL with *st and why (the message,
 * without the file name) filled. */
FILE *regfile_open(const char *path, regfile_status *st, char *why,
                   size_t wlen);

/* Reads the whole regular file at path, at most cap bytes, into a
 * malloc'd *text (NUL-terminated after *len bytes; the caller frees it).
 * Returns REGFILE_OK, or another status with why filled. */
regfile_status regfile_read(const char *path, size_t cap, char **text,
                            size_t *len, char *why, size_t wlen);

#endif

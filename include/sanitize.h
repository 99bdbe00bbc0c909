/* sanitize.h — user text made safe to show.
 *
 * Scene files are shared between people, so their names, titles,
 * captions and values are untrusted, and so are command-line arguments
 * echoed in errors.  Every such piece of text goes through
 * sanitize_text before it reaches a terminal (stderr, stdout), a frame
 * or a recording, so none of it can move the cursor, retitle a window,
 * clear a screen or reorder what is shown around it.  What is replaced
 * is written visibly, as in bash's $'...' quoting (so an escaped name
 * can be pasted back to name the file):
 *
 *   TAB LF CR ESC BEL BS VT FF   \t \n \r \e \a \b \v \f
 *   other C0 controls, DEL       \xNN        (two lowercase hex digits)
 *   C1 controls U+0080..U+009F   \uNNNN      (\u009b)
 *   bidi and line controls       \uNNNN      U+061C, U+200E, U+200F,
 *                                            U+2028..U+202E, U+2066..U+2069
 *   bytes that are not UTF-8     \xNN        each byte (\x9b)
 *
 * Everything else, backslashes included, is copied unchanged: sanitizing
 * twice gives the same text, so a message may be sanitized where it is
 * made and again where it is printed.  No terminal code. */
#ifndef SGDSCOPE_SANITIZE_H
#define SGDSCOPE_SANITIZE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Writes src, sanitized, into dst (cap bytes with the NUL; nothing is
 * written when cap is 0).  A text that does not fit is cut before the
 * first character or escape that would not fit whole, never inside one,
 * so dst is always valid UTF-8.  Returns the length the whole sanitized
 * text needs (without the NUL), as snprintf does: ≥ cap means cut.
 * src NULL is the empty text. */
size_t sanitize_text(char *dst, size_t cap, const char *src);

/* The same for the n bytes at src, which may hold NUL bytes (\x00). */
size_t sanitize_textn(char *dst, size_t cap, const char *src, size_t n);

/* The length of the longest prefix of the n bytes at s, at most max
 * bytes, that does not end inside a UTF-8 character: for "%.*s" of text
 * cut to a width (a byte that is not UTF-8 counts as one character). */
size_t sanitize_clip(const char *s, size_t n, size_t max);

/* 1 if sanitize_text would copy s unchanged, 0 if it escapes anything. */
int sanitize_is_clean(const char *s);

/* Writes s to f, sanitized (any length).  Returns 0, or EOF on a write
 * error, as fputs does. */
int sanitize_fputs(const char *s, FILE *f);

/* Length of the valid UTF-8 sequence at s (n ≥ 1 bytes available) with
 * its code point in *cp, or 0 when the bytes there are not one (a stray
 * continuation byte, an overlong form, a surrogate, a code point past
 * U+10FFFF, a sequence cut short). */
size_t sanitize_utf8_seq(const unsigned char *s, size_t n, uint32_t *cp);

#endif

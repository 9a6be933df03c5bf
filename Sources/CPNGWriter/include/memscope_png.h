/* A cairo RGB24 image as PNG, byte for byte what cairo_surface_write_to_png_stream writes
 * (the same libpng calls and settings), with each row's filter chosen here: libpng's own
 * choice tries the five filters on every row through its buffers, which was most of the
 * render's PNG encoding (a third of a 1M-event render's instructions went to libpng and
 * zlib). The choice is libpng's heuristic, computed once per row; a row equal to the one
 * before needs none of it. */
#ifndef MEMSCOPE_PNG_H
#define MEMSCOPE_PNG_H

#include <stddef.h>

/* Receives the PNG's bytes in order. */
typedef void (*ms_png_sink)(void *closure, const unsigned char *bytes, size_t count);

/* Writes the `width` × `height` image whose rows of xRGB pixels (cairo's RGB24, native
 * endian) start `stride` bytes apart at `pixels`. Returns 0, or -1 when libpng failed (the
 * sink may have had part of the file) or the size is not one this writer handles (width
 * or height below 2: the caller uses cairo's writer). */
int ms_png_write_rgb24(const unsigned char *pixels, int width, int height, int stride,
                       ms_png_sink sink, void *closure);

#endif

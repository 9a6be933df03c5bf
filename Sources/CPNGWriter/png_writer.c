#include "memscope_png.h"

#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct sink_state {
    ms_png_sink sink;
    void *closure;
};

static void write_bytes(png_structp png, png_bytep data, size_t size) {
    struct sink_state *state = png_get_io_ptr(png);
    state->sink(state->closure, data, size);
}

static void flush_nothing(png_structp png) { (void)png; }

static void fail(png_structp png, png_const_charp message) {
    (void)message;
    png_longjmp(png, 1);
}

static void ignore_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

/* cairo's transform: native-endian xRGB to R, G, B, 0 (libpng then drops the filler). */
static void xrgb_to_bytes(png_structp png, png_row_infop row_info, png_bytep data) {
    (void)png;
    for (size_t i = 0; i < row_info->rowbytes; i += 4) {
        uint8_t *b = &data[i];
        uint32_t pixel;
        memcpy(&pixel, b, sizeof pixel);
        b[0] = (uint8_t)((pixel & 0xff0000) >> 16);
        b[1] = (uint8_t)((pixel & 0x00ff00) >> 8);
        b[2] = (uint8_t)(pixel & 0x0000ff);
        b[3] = 0;
    }
}

/* The row as libpng filters it: R, G, B per pixel. */
static void rgb_row(const unsigned char *pixels, int width, unsigned char *out) {
    for (int x = 0; x < width; x++) {
        uint32_t pixel;
        memcpy(&pixel, pixels + 4 * (size_t)x, sizeof pixel);
        out[3 * x] = (uint8_t)(pixel >> 16);
        out[3 * x + 1] = (uint8_t)(pixel >> 8);
        out[3 * x + 2] = (uint8_t)pixel;
    }
}

/* A filtered byte's weight in libpng's heuristic: its distance from zero, bytes of 128 or
 * more counted as negative. */
static inline unsigned weight(uint8_t v) { return v < 128 ? v : 256u - v; }

/* The filter libpng's png_write_find_filter picks among all five for `row` after `prev`
 * (both 3-byte pixels, `n` bytes): the smallest sum of weights, the first of equal sums
 * in the order None, Sub, Up, Average, Paeth. Its early stops only skip filters that
 * cannot win, so whole sums pick the same. */
static int libpng_choice(const unsigned char *row, const unsigned char *prev, size_t n) {
    const size_t bpp = 3;
    if (memcmp(row, prev, n) == 0) {
        /* Up's sum is 0; None's (and Sub's) is 0 only for a row of zeros, and None comes first. */
        for (size_t i = 0; i < n; i++) {
            if (row[i] != 0) return PNG_FILTER_UP;
        }
        return PNG_FILTER_NONE;
    }
    /* One loop per filter, each simple enough for the compiler to vectorize. */
    uint32_t none = 0, sub = 0, up = 0, avg = 0, paeth = 0;
    for (size_t i = 0; i < n; i++) none += (uint32_t)weight(row[i]);
    for (size_t i = 0; i < bpp; i++) sub += (uint32_t)weight(row[i]);
    for (size_t i = bpp; i < n; i++) sub += (uint32_t)weight((uint8_t)(row[i] - row[i - bpp]));
    for (size_t i = 0; i < n; i++) up += (uint32_t)weight((uint8_t)(row[i] - prev[i]));
    for (size_t i = 0; i < bpp; i++) avg += (uint32_t)weight((uint8_t)(row[i] - prev[i] / 2));
    for (size_t i = bpp; i < n; i++) avg += (uint32_t)weight((uint8_t)(row[i] - ((unsigned)row[i - bpp] + prev[i]) / 2));
    for (size_t i = 0; i < bpp; i++) paeth += (uint32_t)weight((uint8_t)(row[i] - prev[i]));
    for (size_t i = bpp; i < n; i++) {
        int a = row[i - bpp], b = prev[i], c = prev[i - bpp];
        int p = b - c, q = a - c;
        int pa = p < 0 ? -p : p, pb = q < 0 ? -q : q, pc = (p + q) < 0 ? -(p + q) : p + q;
        /* libpng's (pa <= pb && pa <= pc) ? a : (pb <= pc) ? b : c, without a branch. */
        int useA = (pa <= pb) & (pa <= pc), useB = pb <= pc;
        int predictor = useA ? a : useB ? b : c;
        paeth += (uint32_t)weight((uint8_t)(row[i] - predictor));
    }
    int best = PNG_FILTER_NONE;
    uint32_t least = none;
    if (sub < least) { least = sub; best = PNG_FILTER_SUB; }
    if (up < least) { least = up; best = PNG_FILTER_UP; }
    if (avg < least) { least = avg; best = PNG_FILTER_AVG; }
    if (paeth < least) { best = PNG_FILTER_PAETH; }
    return best;
}

int ms_png_write_rgb24(const unsigned char *pixels, int width, int height, int stride,
                       ms_png_sink sink, void *closure) {
    if (width < 2 || height < 2) return -1;
    size_t n = (size_t)width * 3;
    unsigned char *volatile rows = malloc(2 * n);
    if (rows == NULL) return -1;
    struct sink_state state = { sink, closure };
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, fail, ignore_warning);
    if (png == NULL) {
        free(rows);
        return -1;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(rows);
        return -1;
    }
    /* As cairo's write_png for an RGB24 surface. */
    png_set_write_fn(png, &state, write_bytes, flush_nothing);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_color_16 white;
    memset(&white, 0, sizeof white);
    white.gray = 255;
    white.red = white.green = white.blue = 255;
    png_set_bKGD(png, info, &white);
    png_write_info(png, info);
    png_set_write_user_transform_fn(png, xrgb_to_bytes);
    png_set_filler(png, 0, PNG_FILLER_AFTER);
    /* The first row with every filter, as libpng starts (its buffers for all five are made
     * then, and zlib's strategy is chosen for a filtered image); each later row with the
     * one filter libpng would choose. */
    unsigned char *previous = rows, *current = rows + n;
    for (int y = 0; y < height; y++) {
        const unsigned char *line = pixels + (size_t)y * (size_t)stride;
        if (y > 0) {
            rgb_row(line, width, current);
            png_set_filter(png, PNG_FILTER_TYPE_BASE, libpng_choice(current, previous, n));
            unsigned char *swap = previous;
            previous = current;
            current = swap;
        } else {
            rgb_row(line, width, previous);
        }
        png_write_row(png, (png_const_bytep)line);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(rows);
    return 0;
}

/* A double free, recorded into samples/recorded/image-double-free.msd. An image
 * (a 64-byte header and a 4096-byte pixel buffer) is released twice: glibc
 * detects the second free of the pixels and aborts (SIGABRT). Before that, 20
 * thumbnails of 256 bytes are made and freed. Figures: 22 allocations, 21 frees
 * recorded before the abort (the double free is the 22nd free call), 9,280 bytes
 * allocated, and one memory error with three stacks. */
#include <stdlib.h>
#include <string.h>

struct image {
    unsigned width, height;
    unsigned char *pixels;
    char name[48];
};

__attribute__((noinline)) static struct image *image_load(void) {
    struct image *image = malloc(sizeof *image);
    image->width = image->height = 32;
    image->pixels = malloc(4096);
    memset(image->pixels, 7, 4096);
    return image;
}

__attribute__((noinline)) static void image_release_pixels(struct image *image) {
    free(image->pixels);
}

__attribute__((noinline)) static void make_thumbnails(const struct image *image) {
    for (int i = 0; i < 20; i++) {
        unsigned char *thumbnail = malloc(256);
        memcpy(thumbnail, image->pixels, 256);
        __asm__ volatile("" : : "r"(thumbnail) : "memory"); /* the optimizer may not drop it */
        free(thumbnail);
    }
}

__attribute__((noinline)) static void image_destroy(struct image *image) {
    free(image->pixels); /* already released by image_release_pixels: a double free */
    free(image);
}

int main(void) {
    struct image *image = image_load();
    make_thumbnails(image);
    image_release_pixels(image);
    image_destroy(image);
    return 0;
}

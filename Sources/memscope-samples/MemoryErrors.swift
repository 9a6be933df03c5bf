import MemscopeModel

/// `memory-errors.msd`: `imgconv`, a small C converter from PNG to JPEG, with three bugs:
/// - a realloc of an already-freed pointer: `png_read_chunk` frees a tEXt chunk whose CRC
///   is wrong but leaves the pointer in place, and `png_append_text` reallocs it;
/// - an invalid free: `options_free` frees the default output name, a string literal;
/// - a double free: the palette is shared by the decoder and the image; `png_release`
///   frees it, and `image_destroy` (from `cleanup_and_exit`) frees it again, where
///   glibc aborts ("free(): double free detected in tcache 2"): the process ends by SIGABRT
///   with the image still allocated.
enum MemoryErrors {
    static let pid: UInt32 = 5150
    static let bin = "/usr/local/bin/imgconv"
    static let libc = "/lib/x86_64-linux-gnu/libc.so.6"
    static let libz = "/lib/x86_64-linux-gnu/libz.so.1"
    static let libjpeg = "/lib/x86_64-linux-gnu/libjpeg.so.8"
    /// `DEFAULT_OUTPUT`, the literal "out.jpg" in .rodata.
    static let literal: UInt64 = 0x5555_5555_8004

    static func build() -> [Record] {
        let meta = Metadata(producer: "memscope-record", producerVersion: "0.1.0", pid: pid,
                            startTimeUnixNanoseconds: 1_732_527_935_500_000_000, clockUnitNanoseconds: 1, pointerSize: 8,
                            commandLine: ["imgconv", "--quality", "85", "photos/IMG_2041.png"])
        let b = SampleBuilder(seed: 0xe660_4d0b_0004, meta: meta,
                              modules: [(bin, 0x5555_5555_5000), (libc, 0x7fff_f7c2_8000),
                                        (libjpeg, 0x7fff_f7f0_a000), (libz, 0x7fff_f7f8_2000)],
                              heap: Heap(mainThread: pid))
        run(b)
        return b.records
    }

    private static func run(_ b: SampleBuilder) {
        let tid = pid
        func f(_ name: String, _ location: String) -> Fn { Fn(name, location, in: bin) }
        let base = [
            Fn("_start", in: bin),
            Fn("__libc_start_main_impl", "../csu/libc-start.c:360", in: libc),
            Fn("__libc_start_call_main", "../sysdeps/nptl/libc_start_call_main.h:58", in: libc),
        ]
        func main(_ line: UInt32) -> [Fn] { base + [f("main", "src/main.c:\(line)")] }
        let fopen = Fn("_IO_new_fopen", "./libio/iofopen.c:75", in: libc)
        let fclose = Fn("_IO_new_fclose", "./libio/iofclose.c:74", in: libc)
        let strdup = Fn("__strdup", "./string/strdup.c:42", in: libc)
        let zcalloc = Fn("zcalloc", in: libz)
        let zcfree = Fn("zcfree", in: libz)
        let convert = { (line: UInt32) in main(38) + [f("convert_file", "src/convert.c:\(line)")] }
        let decode = { (line: UInt32) in convert(61) + [f("png_decode", "src/png.c:\(line)")] }

        b.threadStart(tid, parent: 0, name: "imgconv")
        b.elapse(80_000...120_000)

        // parse_args: the options, and the input path; the output name stays DEFAULT_OUTPUT.
        let options = b.malloc(56, thread: tid, main(31) + [f("parse_args", "src/options.c:40")], kind: .calloc)
        b.elapse(2_000...4_000)
        let input = b.malloc(20, thread: tid, main(31) + [f("parse_args", "src/options.c:52"), strdup])
        b.elapse(30_000...60_000)

        // Decode the PNG.
        let file = b.malloc(472, thread: tid, convert(58) + [f("png_open", "src/png.c:88"), fopen])
        b.elapse(20_000...40_000)
        let image = b.malloc(48, thread: tid, decode(140) + [f("image_alloc", "src/image.c:22")])
        b.elapse(1_000...2_000)
        let pixels = b.malloc(640 * 480 * 3, thread: tid, decode(140) + [f("image_alloc", "src/image.c:27")])
        b.elapse(5_000...9_000)
        let palette = b.malloc(768, thread: tid, decode(150) + [f("png_read_palette", "src/png.c:212")])
        b.elapse(3_000...6_000)
        let inflateBegin = decode(158) + [f("inflate_begin", "src/png.c:301")]
        let state = b.malloc(7160, thread: tid, inflateBegin + [Fn("inflateInit2_", in: libz), zcalloc])
        b.elapse(2_000...4_000)

        var window: UInt64 = 0
        var text: UInt64 = 0
        let chunks = 24
        for chunk in 0..<chunks {
            b.elapse(8_000...20_000)
            let size: UInt64 = chunk == chunks - 1 ? 3_517 : 8_192
            let data = b.malloc(size, thread: tid, decode(171) + [f("png_read_chunk", "src/png.c:255")])
            if chunk == 0 {
                b.elapse(1_000...2_000)
                window = b.malloc(32_768, thread: tid, decode(176) + [f("png_inflate_chunk", "src/png.c:320"),
                                                                      Fn("inflate", in: libz), Fn("updatewindow", in: libz), zcalloc])
            }
            b.elapse(40_000...90_000)
            // png_unfilter_row: a scratch copy of the previous row, freed at once.
            let scratch = b.malloc(1_921, thread: tid, decode(178) + [f("png_unfilter_rows", "src/filter.c:64")])
            b.elapse(3_000...8_000)
            b.free(scratch, thread: tid, decode(178) + [f("png_unfilter_rows", "src/filter.c:97")])
            b.elapse(1_000...3_000)
            b.free(data, thread: tid, decode(189) + [f("png_free_chunk", "src/png.c:270")])

            if chunk == 3 {
                // A tEXt chunk with a bad CRC: freed on the error path, pointer kept.
                b.elapse(5_000...9_000)
                let stale = b.malloc(112, thread: tid, decode(171) + [f("png_read_chunk", "src/png.c:255")])
                b.elapse(2_000...4_000)
                b.free(stale, thread: tid, decode(171) + [f("png_read_chunk", "src/png.c:262")])
                b.elapse(3_000...6_000)
                text = b.badRealloc(stale, 224, thread: tid, decode(196) + [f("png_append_text", "src/png.c:331")])
            }
        }
        b.elapse(10_000...20_000)
        let inflateEnd = decode(203) + [f("inflate_finish", "src/png.c:344"), Fn("inflateEnd", in: libz), zcfree]
        b.free(window, thread: tid, inflateEnd)
        b.elapse(1_000...2_000)
        b.free(state, thread: tid, inflateEnd)
        b.elapse(5_000...9_000)
        b.free(file, thread: tid, convert(64) + [f("png_close", "src/png.c:104"), fclose])
        b.elapse(2_000...4_000)
        // png_release frees the decoder's palette, which the image still points to.
        b.free(palette, thread: tid, convert(79) + [f("png_release", "src/png.c:120")])
        b.elapse(50_000...80_000)

        // Encode the JPEG: libjpeg's memory pools, one scratch buffer per strip.
        let jpeg = convert(83) + [f("jpeg_encode", "src/jpeg.c:77")]
        let out = b.malloc(472, thread: tid, jpeg + [f("jpeg_open_output", "src/jpeg.c:51"), fopen])
        var pools: [UInt64] = []
        for (size, line) in [(3_960 as UInt64, 93 as UInt32), (16_000, 96), (1_048, 96), (30_720, 101), (2_176, 101)] {
            b.elapse(2_000...5_000)
            let innermost = line == 101
                ? [Fn("jpeg_start_compress", in: libjpeg), Fn("jinit_compress_master", in: libjpeg),
                   Fn("alloc_sarray", in: libjpeg), Fn("jpeg_get_large", in: libjpeg)]
                : [Fn(line == 93 ? "jpeg_CreateCompress" : "jpeg_set_defaults", in: libjpeg),
                   Fn("alloc_small", in: libjpeg), Fn("jpeg_get_small", in: libjpeg)]
            pools.append(b.malloc(size, thread: tid, convert(83) + [f("jpeg_encode", "src/jpeg.c:\(line)")] + innermost))
        }
        for _ in 0..<15 {
            b.elapse(60_000...110_000)
            let strip = b.malloc(5_760, thread: tid, jpeg + [f("encode_strip", "src/jpeg.c:120")])
            b.elapse(20_000...45_000)
            b.free(strip, thread: tid, jpeg + [f("encode_strip", "src/jpeg.c:141")])
        }
        for (index, pool) in pools.enumerated().reversed() {
            b.elapse(1_000...3_000)
            let release = index >= 3 ? "jpeg_free_large" : "jpeg_free_small"
            b.free(pool, thread: tid, convert(86) + [f("jpeg_finish", "src/jpeg.c:160"), Fn("jpeg_destroy_compress", in: libjpeg),
                                                     Fn("free_pool", in: libjpeg), Fn(release, in: libjpeg)])
        }
        b.elapse(10_000...20_000)
        b.free(out, thread: tid, convert(86) + [f("jpeg_finish", "src/jpeg.c:166"), fclose])
        b.elapse(20_000...30_000)

        // convert_file failed (bad CRC): main frees the options, then cleans up the image.
        b.free(input, thread: tid, main(45) + [f("options_free", "src/options.c:71")])
        b.elapse(500...1_000)
        b.badFree(literal, thread: tid, main(45) + [f("options_free", "src/options.c:72")])
        b.elapse(500...1_000)
        b.free(options, thread: tid, main(45) + [f("options_free", "src/options.c:73")])
        b.elapse(3_000...6_000)
        b.badFree(palette, thread: tid, main(47) + [f("cleanup_and_exit", "src/main.c:141"), f("image_destroy", "src/image.c:41")])
        _ = (image, pixels, text)  // still live when glibc aborts: the leak
        // glibc prints "free(): double free detected in tcache 2" and calls abort().
        b.elapse(90_000...150_000)
        b.processEnd(.signalled, code: 6)
    }
}

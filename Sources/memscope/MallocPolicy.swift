import CMemscopeNative

/// How the C allocator serves memscope's own large arrays.
///
/// glibc raises its mmap threshold each time a large mmapped block is freed (up to
/// 32 MiB), after which large arrays come from the heap and, once freed, stay in the
/// process instead of going back to the system. memscope frees large tables in stages
/// (the reader's tables at end of file, the block table after the analysis, one call tree
/// after another), so with the moving threshold its resident size was the sum of its stages
/// instead of their maximum: 135 MB against 97 MB for a report of a 10M-event heaptrack file.
/// Fixing the threshold keeps every block of 128 KiB or more in its own mapping, which
/// goes back to the system on free.
enum MallocPolicy {
    static func apply() {
        _ = ms_fix_mmap_threshold(128 * 1024)
    }
}

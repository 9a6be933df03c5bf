import MemscopeAnalysis
import Testing

/// `ReadableName.middleCut` keeps a long name's start and end, cut by characters.
@Suite struct MiddleCutTests {
    /// The rule, written plainly on characters.
    func reference(_ text: String, limit: Int) -> String {
        let characters = Array(text)
        guard characters.count > limit, limit >= 3 else { return characters.count > limit ? String(characters.prefix(limit)) : text }
        let kept = limit - 1
        let head = kept * 2 / 5
        return String(characters[..<head]) + "…" + String(characters[(characters.count - (kept - head))...])
    }

    @Test(arguments: [
        "std::vector<int, std::allocator<int> >::_M_realloc_insert<int const&>(__gnu_cxx::__normal_iterator<int*, std::vector<int> >, int const&)",
        "short", "", "exactly twenty chars",
        "名前空間::関数名<テンプレート引数>::とても長い名前の関数(引数)",
        "é́ combining marks é́ repeated é́ until it is long enough é́ to be cut",
        "a\r\nb\r\nc\r\nd\r\ne\r\nf\r\ng\r\nh\r\ni\r\nj\r\nk\r\nl\r\nm\r\nn",
        "👩‍👩‍👧 family emoji 👩‍👩‍👧 in a long long long long name 👩‍👩‍👧",
    ])
    func cutsAsThePlainRuleDoes(text: String) {
        for limit in [0, 1, 2, 3, 4, 10, 20, 21, 40, 200] {
            #expect(ReadableName.middleCut(text, limit: limit) == reference(text, limit: limit), "limit \(limit)")
        }
    }

    @Test func keepsTheStartAndTheEnd() {
        let cut = ReadableName.middleCut("abcdefghijklmnopqrstuvwxyz", limit: 11)
        #expect(cut == "abcd…uvwxyz")
    }
}

import MemscopeModel
import MemscopeOwnership
import MemscopeTestSupport
import Testing

/// The rule added at the fourteenth freeze (docs/OWNERSHIP.md), on hand-built dumps (times in
/// ns; 1 ms between phases), also with its switch off.
@Suite struct FourteenthRulesTests: RuleFixtures {
    /// How the block that owned the codec is freed after the codec's destructor ran.
    enum Teardown {
        /// `delete` in the runtime's deleter: `Device::~Device()` and then `operator delete`,
        /// two calls of `std::default_delete<Device>::operator()`.
        case deleter
        /// Two statements of the program's own function (two lines): a local's destructor, then
        /// another block freed.
        case twoStatements
        /// The second call runs a destructor too (a second member), not a bare free.
        case secondDestructor
    }

    /// Devices (made in `make_device`), each with a codec (made in `make_codec`, another
    /// caller: no creation burst) held through a `unique_ptr` member that nulls itself as it
    /// frees the codec, so no dying word names it. All freed in one cascade, each device's
    /// codec inside `Device::~Device()` before the device.
    func devices(_ count: Int, _ teardown: Teardown) -> DumpBuilder {
        var d = DumpBuilder()
        d.append(Self.marker)
        let device = d.stack("main", "make_device", "device_new")
        let codec = d.stack("main", "make_codec", "codec_new")
        let outer = teardown == .deleter ? "std::default_delete<Device>::operator()(Device*) const" : "main"
        let callDestructor = d.codeFrame(outer, module: "/bin/prog", offset: 0x100, file: "prog.cc", line: 30)
        let callFree = d.codeFrame(outer, module: "/bin/prog", offset: 0x108, file: "prog.cc", line: teardown == .twoStatements ? 31 : 30)
        let main = d.frame("main")
        let codecFree = d.stack(frames: [d.frame("__libc_start_call_main")] + (teardown == .deleter ? [main] : []) + [callDestructor] + [
            "Device::~Device()", "std::unique_ptr<Codec, std::default_delete<Codec> >::~unique_ptr()",
            "std::default_delete<Codec>::operator()(Codec*) const", "operator delete(void*, unsigned long)", "free",
        ].map { d.frame($0) })
        let deviceFree = d.stack(frames: [d.frame("__libc_start_call_main")] + (teardown == .deleter ? [main] : []) + [callFree]
            + (teardown == .secondDestructor ? ["Filter::~Filter()"] : []).map { d.frame($0) }
            + ["operator delete(void*, unsigned long)", "free"].map { d.frame($0) })
        func x(_ i: Int) -> UInt64 { UInt64(0x100000 + i * 0x100) }
        func c(_ i: Int) -> UInt64 { UInt64(0x800000 + i * 0x100) }
        var t: UInt64 = 1_000
        for i in 0..<count {
            d.alloc(ts: t, address: x(i), size: 32, stack: device)
            t += Self.separate
            d.alloc(ts: t, address: c(i), size: 64, stack: codec)
            t += Self.separate
        }
        for i in 0..<count {
            d.free(ts: t, address: c(i), stack: codecFree)
            t += 10
            d.free(ts: t, address: x(i), stack: deviceFree)
            t += 10
        }
        d.end(ts: t + Self.separate)
        return d
    }

    @Test func aBlockFreedInsideTheDestructorRunJustBeforeItsHoldersFreeIsOwned() throws {
        #expect(OwnershipOptions.default.destructorTeardowns)
        var thirteenth = OwnershipOptions.default
        thirteenth.destructorTeardowns = false
        let g = graph(devices(6, .deleter))
        let owns = try #require(edge(g, .owns, "device_new", "codec_new"), "each codec freed inside ~Device, right before its device")
        #expect(owns.provenance == .inferred && owns.basis == .destructorTeardown)
        #expect(owns.evidence == 6 && owns.contradictions == 0)
        #expect(owns.confidence < 1)
        // Every owner holds its target's address (sixth rules): an inferred reference with it.
        #expect(edge(g, .references, "device_new", "codec_new")?.provenance == .inferred)
        // The rule off: nothing shows the devices holding their codecs.
        #expect(edge(graph(devices(6, .deleter), options: thirteenth), .owns, "device_new", "codec_new") == nil)
        // Two statements of the program (two lines), or a second destructor where the owner's
        // memory should be freed: no owner is read off the stacks.
        #expect(edge(graph(devices(6, .twoStatements)), .owns, "device_new", "codec_new") == nil)
        #expect(edge(graph(devices(6, .secondDestructor)), .owns, "device_new", "codec_new") == nil)
    }

    /// A `std::vector<std::unique_ptr<Device>>`'s buffer (made in `make_devices`) and its
    /// devices (made in `make_device`): at the end the vector's destructor destroys each
    /// element (`~unique_ptr` nulls itself and deletes the device: no dying word names it),
    /// then its base class, of `base`'s template arguments, frees the buffer.
    func deviceVector(_ count: Int, base: String) -> DumpBuilder {
        var d = DumpBuilder()
        d.append(Self.marker)
        let buffer = d.stack("main", "make_devices", "devices_buf")
        let device = d.stack("main", "make_device", "device_new")
        let vector = "std::vector<std::unique_ptr<Device, std::default_delete<Device> >, std::allocator<std::unique_ptr<Device, std::default_delete<Device> > > >::~vector()"
        let destroy = d.codeFrame(vector, module: "/usr/lib/libstdc++.so.6", offset: 0x200, file: "/usr/include/c++/12/bits/stl_vector.h", line: 730)
        let deallocate = d.codeFrame(vector, module: "/usr/lib/libstdc++.so.6", offset: 0x208, file: "/usr/include/c++/12/bits/stl_vector.h", line: 733)
        let main = [d.frame("__libc_start_call_main"), d.frame("main")]
        let deviceFree = d.stack(frames: main + [destroy] + [
            "std::_Destroy<std::unique_ptr<Device, std::default_delete<Device> >*>(std::unique_ptr<Device, std::default_delete<Device> >*, std::unique_ptr<Device, std::default_delete<Device> >*)",
            "std::unique_ptr<Device, std::default_delete<Device> >::~unique_ptr()",
            "std::default_delete<Device>::operator()(Device*) const", "operator delete(void*, unsigned long)", "free",
        ].map { d.frame($0) })
        let bufferFree = d.stack(frames: main + [deallocate] + [
            base + "::~_Vector_base()", "std::_Vector_base<std::unique_ptr<Device>>::_M_deallocate(std::unique_ptr<Device>*, unsigned long)",
            "operator delete(void*, unsigned long)", "free",
        ].map { d.frame($0) })
        func x(_ i: Int) -> UInt64 { UInt64(0x100000 + i * 0x100) }
        var t: UInt64 = 1_000
        d.alloc(ts: t, address: 0x900000, size: 64, stack: buffer)
        t += Self.separate
        for i in 0..<count {
            d.alloc(ts: t, address: x(i), size: 32, stack: device)
            t += Self.separate
        }
        for i in 0..<count {
            d.free(ts: t, address: x(i), stack: deviceFree)
            t += 10
        }
        d.free(ts: t, address: 0x900000, stack: bufferFree)
        d.end(ts: t + Self.separate)
        return d
    }

    @Test func aContainersStorageFreedByItsBaseAfterItsElementsOwnsThem() throws {
        let same = "std::_Vector_base<std::unique_ptr<Device, std::default_delete<Device> >, std::allocator<std::unique_ptr<Device, std::default_delete<Device> > > >"
        let owns = try #require(edge(graph(deviceVector(6, base: same)), .owns, "devices_buf", "device_new"))
        #expect(owns.provenance == .inferred && owns.basis == .destructorTeardown && owns.evidence == 6)
        var thirteenth = OwnershipOptions.default
        thirteenth.destructorTeardowns = false
        #expect(edge(graph(deviceVector(6, base: same), options: thirteenth), .owns, "devices_buf", "device_new") == nil)
        // A destructor of another class (a member's, not the container's base) frees no storage
        // of the elements.
        let member = "std::_Vector_base<int, std::allocator<int> >"
        #expect(edge(graph(deviceVector(6, base: member)), .owns, "devices_buf", "device_new") == nil)
    }

    /// A `std::set<std::unique_ptr<Item>>`'s nodes (made in `insert_item`) and each item's
    /// name (made in `make_item`): the tree drops a node by destroying its `unique_ptr`, whose
    /// `Item::~Item()` frees the name itself (the stack ends in `~Item`: the string's destructor
    /// is the library's), and then frees the node. The item is not freed there (it was
    /// released elsewhere later).
    func setNodes(_ count: Int) -> DumpBuilder {
        var d = DumpBuilder()
        d.append(Self.marker)
        let node = d.stack("main", "insert_item", "node_new")
        let name = d.stack("main", "make_item", "name_new")
        let drop = "std::_Rb_tree<std::unique_ptr<Item>, std::unique_ptr<Item>, std::_Identity<std::unique_ptr<Item> >, ByKey, std::allocator<std::unique_ptr<Item> > >::_M_drop_node(std::_Rb_tree_node<std::unique_ptr<Item> >*)"
        let destroy = d.codeFrame(drop, module: "/usr/lib/libstdc++.so.6", offset: 0x300, file: "/usr/include/c++/12/bits/stl_tree.h", line: 631)
        let put = d.codeFrame(drop, module: "/usr/lib/libstdc++.so.6", offset: 0x308, file: "/usr/include/c++/12/bits/stl_tree.h", line: 632)
        let main = [d.frame("__libc_start_call_main"), d.frame("main")]
        let nameFree = d.stack(frames: main + [destroy] + [
            "std::unique_ptr<Item, std::default_delete<Item> >::~unique_ptr()", "std::default_delete<Item>::operator()(Item*) const", "Item::~Item()",
        ].map { d.frame($0) })
        let nodeFree = d.stack(frames: main + [put] + ["std::_Rb_tree<std::unique_ptr<Item>>::_M_put_node(std::_Rb_tree_node<std::unique_ptr<Item> >*)"].map { d.frame($0) })
        func n(_ i: Int) -> UInt64 { UInt64(0x100000 + i * 0x100) }
        func m(_ i: Int) -> UInt64 { UInt64(0x800000 + i * 0x100) }
        var t: UInt64 = 1_000
        for i in 0..<count {
            d.alloc(ts: t, address: m(i), size: 48, stack: name)
            t += Self.separate
            d.alloc(ts: t, address: n(i), size: 40, stack: node)
            t += Self.separate
        }
        for i in 0..<count {
            d.free(ts: t, address: m(i), stack: nameFree)
            t += 10
            d.free(ts: t, address: n(i), stack: nodeFree)
            t += 10
        }
        d.end(ts: t + Self.separate)
        return d
    }

    @Test func aMemberADestructorFreedItselfIsOnlyItsObjectsNotAnOuterContainers() {
        // The name's stack ends in `Item::~Item()`: a member of the item, whose own free (by
        // `default_delete<Item>`, the destructor's caller) would own it. The tree's node, freed
        // by `_M_drop_node` further out, does not.
        #expect(edge(graph(setNodes(6)), .owns, "node_new", "name_new") == nil)
    }
}

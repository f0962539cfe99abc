import CKernels
import Testing
@testable import S2SNumerics

/// Tensor storage: zero-filled and aligned for vector loads; large blocks on 2 MiB boundaries
/// so the kernel can back them with huge pages.
@Test(arguments: [1, 1000, 1 << 20, 3 << 20])
func tensorStorageIsZeroedAndAligned(count: Int) {
    let t = Tensor(shape: [count])
    let address = UInt(bitPattern: t.data)
    #expect(address % 64 == 0)
    if count * 4 >= 4 << 20 { #expect(address % (2 << 20) == 0) }
    #expect((0..<count).allSatisfy { t.data[$0] == 0 })
    t.data[count - 1] = 1   // the whole block is writable
    #expect(t.data[count - 1] == 1)
}

@Test func zeroByteAllocationIsUsable() {
    guard let p = s2s_alloc_zeroed(0) else { Issue.record("no memory"); return }
    defer { s2s_free(p) }
    #expect(UInt(bitPattern: p) % 64 == 0)
}

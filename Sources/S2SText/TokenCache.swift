#if canImport(Glibc)
import Glibc
#endif

/// A cache from a token's UTF-8 bytes to its BPE pieces and their ids, probed with the bytes
/// the tokenizer hands out, so the hot path builds no `String` and no Swift hashing runs
/// (SipHash over a `String` cost more than ICU's word breaking on short lines).
///
/// Open addressing with linear probing; keys live back to back in one byte arena, ids in one
/// Int32 arena, so a hit is a hash, a memcmp and a copy of a few ids.
struct TokenCache {
    private var slots: [Int32]             // entry index, or -1
    private var mask: Int
    private var hashes: [UInt64] = []
    private var keyStart: [Int] = []
    private var keyLength: [Int32] = []
    private var keys: [UInt8] = []
    private var idStart: [Int32] = []
    private var idCount: [Int32] = []
    private(set) var ids: [Int32] = []
    private(set) var pieces: [[String]] = []

    init() {
        slots = [Int32](repeating: -1, count: 1024)
        mask = 1023
    }

    /// A placeholder with no storage (nothing is allocated), to swap with.
    init(empty: Void) {
        slots = []
        mask = 0
    }

    var count: Int { hashes.count }

    /// A 64-bit hash of the bytes: 8 bytes per multiply, then a murmur3 finalizer.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let base = bytes.baseAddress else { return 0x9E37_79B9_7F4A_7C15 }
        let raw = UnsafeRawPointer(base)
        let n = bytes.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        var i = 0
        while i + 8 <= n {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(base[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0xFF51_AFD7_ED55_8CCD
        }
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    /// The entry for `bytes`, if cached.
    @inline(__always)
    func find(_ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int? {
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[slot])
            if e < 0 { return nil }
            if hashes[e] == h && Int(keyLength[e]) == bytes.count {
                let same = keys.withUnsafeBufferPointer { k in
                    bytes.count == 0 || memcmp(k.baseAddress! + keyStart[e], bytes.baseAddress!, bytes.count) == 0
                }
                if same { return e }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Entries kept at most; past it the cache starts over (a corpus with millions of distinct
    /// tokens would otherwise hold them all).
    static let capacity = 1 << 20

    /// Adds an entry (the caller checked it is missing) and returns its index.
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt64, pieces p: [String], ids i: [Int32]) -> Int {
        if hashes.count >= Self.capacity { self = TokenCache() }
        if (hashes.count + 1) * 2 > slots.count { grow() }
        let e = hashes.count
        hashes.append(h)
        keyStart.append(keys.count)
        keyLength.append(Int32(bytes.count))
        keys.append(contentsOf: bytes)
        idStart.append(Int32(ids.count))
        idCount.append(Int32(i.count))
        ids.append(contentsOf: i)
        pieces.append(p)
        place(e)
        return e
    }

    /// The ids of entry `e`.
    @inline(__always)
    func idRange(_ e: Int) -> Range<Int> {
        let s = Int(idStart[e])
        return s..<(s + Int(idCount[e]))
    }

    private mutating func place(_ e: Int) {
        var slot = Int(truncatingIfNeeded: hashes[e]) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(e)
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for e in hashes.indices { place(e) }
    }
}

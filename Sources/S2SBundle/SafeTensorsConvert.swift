import S2SModel
/// Element conversions between in-memory values (Float, Int64) and safetensors' little-endian
/// bytes. Narrowing rounds to nearest even (as numpy/torch do); a finite value that would
/// overflow to infinity in the narrower type is an error rather than a silent `inf` in a
/// shipped model.
enum SafeTensorsConvert {
    /// Encodes `count` floats from `src` as `dtype` into `dst` (which holds count × size bytes).
    /// Returns the index of the first finite value that overflowed, or nil.
    static func encode(_ src: UnsafePointer<Float>, count: Int, as dtype: SafeTensorsDType,
                       into dst: UnsafeMutableRawPointer) -> Int? {
        switch dtype {
        case .f32:
            for i in 0..<count { dst.storeBytes(of: src[i].bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self) }
        case .f64:
            for i in 0..<count { dst.storeBytes(of: Double(src[i]).bitPattern.littleEndian, toByteOffset: 8 * i, as: UInt64.self) }
        case .f16:
            for i in 0..<count {
                let h = Float16(src[i])
                if h.isInfinite && src[i].isFinite { return i }
                dst.storeBytes(of: h.bitPattern.littleEndian, toByteOffset: 2 * i, as: UInt16.self)
            }
        case .bf16:
            for i in 0..<count {
                let b = bfloat16Bits(src[i])
                if b & 0x7FFF == 0x7F80 && src[i].isFinite { return i }
                dst.storeBytes(of: b.littleEndian, toByteOffset: 2 * i, as: UInt16.self)
            }
        default:
            preconditionFailure("SafeTensorsConvert.encode: \(dtype) is not a float type")
        }
        return nil
    }

    /// Decodes `count` elements of `dtype` from `src` into floats. Returns the index of the
    /// first finite F64 value too large for Float, or nil.
    static func decode(_ src: UnsafeRawPointer, count: Int, as dtype: SafeTensorsDType,
                       into dst: UnsafeMutablePointer<Float>) -> Int? {
        switch dtype {
        case .f32:
            for i in 0..<count { dst[i] = Float(bitPattern: UInt32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
        case .f64:
            for i in 0..<count {
                let d = Double(bitPattern: UInt64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
                let f = Float(d)
                if f.isInfinite && d.isFinite { return i }
                dst[i] = f
            }
        case .f16:
            for i in 0..<count {
                dst[i] = Float(Float16(bitPattern: UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))))
            }
        case .bf16:
            for i in 0..<count {
                let b = UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                dst[i] = Float(bitPattern: UInt32(b) << 16)
            }
        default:
            preconditionFailure("SafeTensorsConvert.decode: \(dtype) is not a float type")
        }
        return nil
    }

    /// Encodes integers as I64, I32 or I8 (the caller checked the range when the values were set).
    static func encode(_ src: ArraySlice<Int64>, as dtype: SafeTensorsDType, into dst: UnsafeMutableRawPointer) {
        var i = 0
        for v in src {
            if dtype == .i64 {
                dst.storeBytes(of: v.littleEndian, toByteOffset: 8 * i, as: Int64.self)
            } else if dtype == .i8 {
                dst.storeBytes(of: Int8(truncatingIfNeeded: v), toByteOffset: i, as: Int8.self)
            } else {
                dst.storeBytes(of: Int32(truncatingIfNeeded: v).littleEndian, toByteOffset: 4 * i, as: Int32.self)
            }
            i += 1
        }
    }

    /// Decodes I64, I32 or I8 elements.
    static func decodeIntegers(_ src: UnsafeRawPointer, count: Int, as dtype: SafeTensorsDType) -> [Int64] {
        if dtype == .i8 { return (0..<count).map { Int64(src.load(fromByteOffset: $0, as: Int8.self)) } }
        return (0..<count).map { i in
            dtype == .i64
                ? Int64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))
                : Int64(Int32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
        }
    }

    /// fp32 → bfloat16 bits, round to nearest even; NaN stays a (quiet) NaN.
    @inline(__always)
    static func bfloat16Bits(_ x: Float) -> UInt16 {
        let bits = x.bitPattern
        if x.isNaN { return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040 }
        let rounding = UInt32(0x7FFF) + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import S2SModel
import S2SNumerics

/// Reading and writing safetensors files with POSIX calls: positioned reads straight into
/// tensor storage (no second copy of the file in memory), and writes that either complete or
/// leave the old file untouched.
extension SafeTensorsFile {
    /// Bytes converted per chunk when a dtype needs converting (keeps the scratch buffer small).
    static let chunkBytes = 1 << 22

    /// Reads and validates `path`. Every problem — a short file, a header length past the end,
    /// a non-JSON header, unknown dtypes, offsets out of range or overlapping, a shape that does
    /// not match its byte count, an I/O error — is a `SafeTensorsError` naming the file.
    package static func read(from path: String) throws(SafeTensorsError) -> SafeTensorsFile {
        func fail(_ p: SafeTensorsError.Problem) -> SafeTensorsError { SafeTensorsError(path: path, problem: p) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw fail(.io("cannot open: \(errnoText())")) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw fail(.io("cannot stat: \(errnoText())")) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw fail(.io("not a regular file")) }
        let fileSize = Int(st.st_size)
        guard fileSize >= 8 else { throw fail(.truncated(fileSize: fileSize)) }

        var lengthBytes = [UInt8](repeating: 0, count: 8)
        try readFully(fd, into: &lengthBytes, at: 0, path: path)
        let headerLength = lengthBytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= SafeTensorsLayout.maxHeaderSize else { throw fail(.headerTooLarge(headerLength)) }
        guard headerLength <= UInt64(fileSize - 8) else {
            throw fail(.headerBeyondFile(headerLength: headerLength, fileSize: fileSize))
        }
        var header = [UInt8](repeating: 0, count: Int(headerLength))
        try readFully(fd, into: &header, at: 8, path: path)
        let dataStart = 8 + Int(headerLength)
        let layout: (metadata: [String: String], slots: [SafeTensorsLayout.Slot])
        do {
            layout = try SafeTensorsLayout.decode(header, dataSize: fileSize - dataStart)
        } catch {
            throw fail(error)
        }

        var entries: [String: Entry] = [:]
        for slot in layout.slots {
            let count = slot.elementCount
            if slot.dtype.isFloatingPoint {
                let tensor = Tensor(shape: slot.shape)
                if slot.dtype == .f32 && 1.littleEndian == 1 {
                    try readFully(fd, into: UnsafeMutableRawPointer(tensor.data), count: slot.end - slot.begin,
                                  at: dataStart + slot.begin, path: path)
                } else {
                    try readConverted(fd, slot: slot, dataStart: dataStart, into: tensor.data, path: path)
                }
                entries[slot.name] = Entry(dtype: slot.dtype, shape: slot.shape, values: .float(tensor))
            } else {
                var raw = [UInt8](repeating: 0, count: slot.end - slot.begin)
                try readFully(fd, into: &raw, at: dataStart + slot.begin, path: path)
                let values = count == 0 ? [] : raw.withUnsafeBytes {
                    SafeTensorsConvert.decodeIntegers($0.baseAddress!, count: count, as: slot.dtype)
                }
                entries[slot.name] = Entry(dtype: slot.dtype, shape: slot.shape, values: .integer(values))
            }
        }
        return SafeTensorsFile(metadata: layout.metadata, entries: entries, path: path)
    }

    /// Writes every tensor and the metadata to `path` atomically: a temp file in the same
    /// directory, fsync, rename over `path`, fsync of the directory. On any failure the temp
    /// file is removed and `path` keeps whatever it held before.
    package func write(to path: String) throws(SafeTensorsError) {
        func fail(_ p: SafeTensorsError.Problem) -> SafeTensorsError { SafeTensorsError(path: path, problem: p) }
        let current = allEntries.map { item -> (name: String, entry: Entry) in
            var e = item.entry
            if case let .float(t) = e.values { e.shape = t.shape }  // a Tensor may have been reshaped since `set`
            return (item.name, e)
        }
        if current.contains(where: { $0.name == "__metadata__" }) {
            throw fail(.badHeader("a tensor cannot be named __metadata__ (the format reserves it)"))
        }
        let byName = Dictionary(uniqueKeysWithValues: current.map { ($0.name, $0.entry) })
        let slots = SafeTensorsLayout.plan(current.map { ($0.name, $0.entry.dtype, $0.entry.shape) })
        let header = SafeTensorsLayout.encodeHeader(metadata: metadata, slots: slots)

        let (directory, base) = Self.split(path)
        let temp = "\(directory)/.\(base).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw fail(.io("cannot create \(temp): \(errnoText())")) }
        var closed = false
        var renamed = false
        defer {
            if !closed { close(fd) }
            if !renamed { unlink(temp) }
        }

        var prefix = [UInt8](repeating: 0, count: 8)
        for i in 0..<8 { prefix[i] = UInt8(truncatingIfNeeded: UInt64(header.count) >> (8 * UInt64(i))) }
        try writeFully(fd, prefix + header, path: temp)
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: Self.chunkBytes, alignment: 64)
        defer { scratch.deallocate() }
        for slot in slots {
            guard let entry = byName[slot.name] else { continue }
            switch entry.values {
            case let .float(tensor):
                if slot.dtype == .f32 && 1.littleEndian == 1 {
                    try writeFully(fd, UnsafeRawPointer(tensor.data), tensor.count * 4, path: temp)
                    continue
                }
                let perChunk = Self.chunkBytes / slot.dtype.byteSize
                var start = 0
                while start < tensor.count {
                    let n = min(perChunk, tensor.count - start)
                    let overflow = SafeTensorsConvert.encode(tensor.data + start, count: n, as: slot.dtype, into: scratch)
                    if let i = overflow {
                        throw fail(.valueOutOfRange(tensor: slot.name,
                                                    "value \(tensor.data[start + i]) at index \(start + i) overflows \(slot.dtype.rawValue)"))
                    }
                    try writeFully(fd, scratch, n * slot.dtype.byteSize, path: temp)
                    start += n
                }
            case let .integer(values):
                let perChunk = Self.chunkBytes / slot.dtype.byteSize
                var start = 0
                while start < values.count {
                    let n = min(perChunk, values.count - start)
                    SafeTensorsConvert.encode(values[start..<(start + n)], as: slot.dtype, into: scratch)
                    try writeFully(fd, scratch, n * slot.dtype.byteSize, path: temp)
                    start += n
                }
            }
        }
        guard fsync(fd) == 0 else { throw fail(.io("fsync failed: \(errnoText())")) }
        closed = true
        guard close(fd) == 0 else { throw fail(.io("close failed: \(errnoText())")) }
        guard rename(temp, path) == 0 else { throw fail(.io("cannot rename \(temp) into place: \(errnoText())")) }
        renamed = true
        // Make the rename itself durable.
        let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            _ = fsync(dfd)
            close(dfd)
        }
    }

    /// Directory (or ".") and file name of a path.
    static func split(_ path: String) -> (String, String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let dir = String(path[..<slash])
        return (dir.isEmpty ? "/" : dir, String(path[path.index(after: slash)...]))
    }

    /// Reads a converted (non-native) float tensor chunk by chunk.
    private static func readConverted(_ fd: Int32, slot: SafeTensorsLayout.Slot, dataStart: Int,
                                      into dst: UnsafeMutablePointer<Float>, path: String) throws(SafeTensorsError) {
        let size = slot.dtype.byteSize
        let perChunk = chunkBytes / size
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: min(chunkBytes, max(slot.end - slot.begin, 1)), alignment: 64)
        defer { scratch.deallocate() }
        var done = 0
        let count = slot.elementCount
        while done < count {
            let n = min(perChunk, count - done)
            try readFully(fd, into: scratch, count: n * size, at: dataStart + slot.begin + done * size, path: path)
            let overflow = SafeTensorsConvert.decode(scratch, count: n, as: slot.dtype, into: dst + done)
            if let i = overflow {
                throw SafeTensorsError(path: path, problem: .valueOutOfRange(tensor: slot.name,
                                                                             "value at index \(done + i) overflows F32"))
            }
            done += n
        }
    }
}

/// `pread` until `count` bytes have arrived; a file that ends early (shrunk while reading)
/// or an I/O error is an error, never a partial tensor.
private func readFully(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int,
                       path: String) throws(SafeTensorsError) {
    var done = 0
    while done < count {
        let n = pread(fd, buffer + done, count - done, off_t(offset + done))
        if n < 0 {
            if errno == EINTR { continue }
            throw SafeTensorsError(path: path, problem: .io("read failed: \(errnoText())"))
        }
        if n == 0 { throw SafeTensorsError(path: path, problem: .io("file ended while reading (changed underneath?)")) }
        done += n
    }
}

private func readFully(_ fd: Int32, into bytes: inout [UInt8], at offset: Int, path: String) throws(SafeTensorsError) {
    let count = bytes.count
    guard count > 0 else { return }
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 8)
    defer { buffer.deallocate() }
    try readFully(fd, into: buffer, count: count, at: offset, path: path)
    bytes = Array(UnsafeRawBufferPointer(start: buffer, count: count))
}

private func writeFully(_ fd: Int32, _ bytes: [UInt8], path: String) throws(SafeTensorsError) {
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 8)
    defer { buffer.deallocate() }
    buffer.copyMemory(from: bytes, byteCount: bytes.count)
    try writeFully(fd, buffer, bytes.count, path: path)
}

/// `write` until everything is out (short writes and EINTR retried).
private func writeFully(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int, path: String) throws(SafeTensorsError) {
    var done = 0
    while done < count {
        let n = Glibc.write(fd, buffer + done, count - done)
        if n < 0 {
            if errno == EINTR { continue }
            throw SafeTensorsError(path: path, problem: .io("write failed: \(errnoText())"))
        }
        done += n
    }
}

private func errnoText() -> String { String(cString: strerror(errno)) }

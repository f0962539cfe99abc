import CMPI
import Foundation
import S2SNumerics

/// `MPI_COMM_WORLD` of a job started by `mpirun` (Open MPI).
///
/// Collectives are posted non-blocking and waited for with `MPI_Test` against a deadline, so a
/// rank whose peer vanished without the runtime noticing (a hung process, a partitioned host)
/// still ends with one clear line instead of hanging forever. Errors return to us
/// (`MPI_ERRORS_RETURN`) instead of aborting inside the library.
///
/// Summation order: `MPI_SUM` over `MPI_FLOAT` is applied by Open MPI's algorithm for the
/// message size and rank count, both fixed for a run, so repeating a run with the same number
/// of ranks reproduces every bit; and every algorithm Open MPI 4.1 uses for allreduce either
/// distributes one rank's result (ring, reduce + broadcast) or combines the same operand pairs
/// on every rank (recursive doubling, where fp32 addition being commutative makes a+b = b+a), so
/// all ranks hold the same bits. The trainer checks this at every checkpoint anyway.
package final class MPICommunicator: Communicator {
    package let rank: Int
    package let size: Int
    package let hostName: String
    /// Seconds a collective may take before the job is declared broken.
    package var timeout: Double

    private let world: MPI_Comm
    private var halfSum: [GradientCompression: MPI_Op] = [:]
    private var scratch: [UInt16] = []

    /// Whether this process was started by `mpirun` (Open MPI sets these for every rank). A
    /// process started any other way never touches MPI, so the commands that do not train start
    /// as fast as before and work on machines without an MPI runtime.
    package static var launchedByMPI: Bool {
        let env = ProcessInfo.processInfo.environment
        return env["OMPI_COMM_WORLD_SIZE"] != nil || env["PMIX_RANK"] != nil
    }

    /// Initializes MPI (once per process). Only the calling thread makes MPI calls.
    package init(timeout: Double) throws(DistributedError) {
        var provided: Int32 = 0
        var initialized: Int32 = 0
        MPI_Initialized(&initialized)
        if initialized == 0 {
            try Self.check("MPI_Init_thread", MPI_Init_thread(nil, nil, s2s_mpi_thread_funneled(), &provided))
        }
        world = s2s_mpi_comm_world()
        MPI_Comm_set_errhandler(world, s2s_mpi_errors_return())
        var r: Int32 = 0, n: Int32 = 0
        MPI_Comm_rank(world, &r)
        MPI_Comm_size(world, &n)
        rank = Int(r)
        size = Int(n)
        var name = [CChar](repeating: 0, count: Int(s2s_mpi_max_processor_name()) + 1)
        var length: Int32 = 0
        MPI_Get_processor_name(&name, &length)
        hostName = String(decoding: name.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        self.timeout = timeout
    }

    /// Ends MPI cleanly (every rank must call it; after it no MPI call is allowed).
    package func finalize() {
        var finalized: Int32 = 0
        MPI_Finalized(&finalized)
        if finalized == 0 { MPI_Finalize() }
    }

    /// Ends the whole job at once (a rank that cannot go on and cannot tell the others).
    package func abort(code: Int32) -> Never {
        MPI_Abort(world, code)
        exit(code)
    }

    package func allreduceSum(_ buffer: UnsafeMutablePointer<Float>, count: Int,
                             compression: GradientCompression) throws(DistributedError) {
        guard size > 1, count > 0 else { return }
        // MPI counts are Int32: large buffers go in slices.
        let slice = 1 << 28
        var offset = 0
        while offset < count {
            let n = min(slice, count - offset)
            try allreduceSlice(buffer + offset, count: n, compression: compression)
            offset += n
        }
    }

    private func allreduceSlice(_ buffer: UnsafeMutablePointer<Float>, count: Int,
                                compression: GradientCompression) throws(DistributedError) {
        switch compression {
        case .none:
            var request = s2s_mpi_request_null()
            try Self.check("MPI_Iallreduce", MPI_Iallreduce(s2s_mpi_in_place(), buffer, Int32(count), s2s_mpi_float(),
                                                            s2s_mpi_sum(), world, &request))
            try wait(&request, "gradient allreduce")
        case .bf16, .fp16:
            let op = halfOperator(compression)
            let bf16 = compression == .bf16
            if scratch.count < count { scratch = [UInt16](repeating: 0, count: count) }
            try scratch.withUnsafeMutableBufferPointer { (s) throws(DistributedError) in
                let half = s.baseAddress!
                HalfPrecision.encode(buffer, into: half, count: count, bf16: bf16)
                var request = s2s_mpi_request_null()
                try Self.check("MPI_Iallreduce", MPI_Iallreduce(s2s_mpi_in_place(), half, Int32(count), s2s_mpi_uint16(),
                                                                op, world, &request))
                try wait(&request, "gradient allreduce (\(compression.rawValue))")
                HalfPrecision.decode(half, into: buffer, count: count, bf16: bf16)
            }
        }
    }

    /// The commutative MPI operators that sum 16-bit vectors through fp32 (`s2s_half_sum`),
    /// created once per process.
    private func halfOperator(_ kind: GradientCompression) -> MPI_Op {
        if let op = halfSum[kind] { return op }
        var op: MPI_Op?
        if kind == .bf16 {
            MPI_Op_create({ a, b, n, _ in HalfPrecision.sum(a!.assumingMemoryBound(to: UInt16.self), into: b!.assumingMemoryBound(to: UInt16.self), count: Int(n!.pointee), bf16: true) }, 1, &op)
        } else {
            MPI_Op_create({ a, b, n, _ in HalfPrecision.sum(a!.assumingMemoryBound(to: UInt16.self), into: b!.assumingMemoryBound(to: UInt16.self), count: Int(n!.pointee), bf16: false) }, 1, &op)
        }
        halfSum[kind] = op!
        return op!
    }

    package func startAllreduceSum(_ buffer: UnsafeMutablePointer<Float>, count: Int) throws(DistributedError) -> PendingCollective {
        guard size > 1, count > 0 else { return PendingCollective(request: nil, done: true) }
        guard count <= Int(Int32.max) else { throw .mpi(call: "MPI_Iallreduce", code: -1, message: "\(count) values exceed one request") }
        var request = s2s_mpi_request_null()
        try Self.check("MPI_Iallreduce", MPI_Iallreduce(s2s_mpi_in_place(), buffer, Int32(count), s2s_mpi_float(),
                                                        s2s_mpi_sum(), world, &request))
        return PendingCollective(request: request, done: false)
    }

    package func test(_ pending: PendingCollective) throws(DistributedError) -> Bool {
        guard !pending.done else { return true }
        var flag: Int32 = 0
        try Self.check("MPI_Test", MPI_Test(&pending.request, &flag, s2s_mpi_status_ignore()))
        pending.done = flag != 0
        return pending.done
    }

    package func finish(_ pending: PendingCollective) throws(DistributedError) {
        guard !pending.done else { return }
        try wait(&pending.request, "gradient allreduce")
        pending.done = true
    }

    package func allreduceSum(_ values: inout [Double]) throws(DistributedError) {
        guard size > 1, !values.isEmpty else { return }
        try values.withUnsafeMutableBufferPointer { (v) throws(DistributedError) in
            var request = s2s_mpi_request_null()
            try Self.check("MPI_Iallreduce", MPI_Iallreduce(s2s_mpi_in_place(), v.baseAddress, Int32(v.count),
                                                            s2s_mpi_double(), s2s_mpi_sum(), world, &request))
            try wait(&request, "step agreement")
        }
    }

    package func broadcast(_ bytes: inout [UInt8], root: Int) throws(DistributedError) {
        guard size > 1 else { return }
        var length = [UInt64(bytes.count)]
        try length.withUnsafeMutableBufferPointer { (l) throws(DistributedError) in
            var request = s2s_mpi_request_null()
            try Self.check("MPI_Ibcast", MPI_Ibcast(l.baseAddress, 1, s2s_mpi_uint64(), Int32(root), world, &request))
            try wait(&request, "broadcast")
        }
        if rank != root { bytes = [UInt8](repeating: 0, count: Int(length[0])) }
        try chunked(&bytes) { (p, n) throws(DistributedError) in
            var request = s2s_mpi_request_null()
            try Self.check("MPI_Ibcast", MPI_Ibcast(p, Int32(n), s2s_mpi_byte(), Int32(root), world, &request))
            try wait(&request, "broadcast")
        }
    }

    package func allgather(_ bytes: [UInt8]) throws(DistributedError) -> [[UInt8]] {
        guard size > 1 else { return [bytes] }
        // Lengths first, then each rank's bytes broadcast from it: simple, and these messages are
        // small (hashes, error lines, option texts).
        var lengths = [UInt64](repeating: 0, count: size)
        var mine = [UInt64(bytes.count)]
        try lengths.withUnsafeMutableBufferPointer { (all) throws(DistributedError) in
            try mine.withUnsafeMutableBufferPointer { (m) throws(DistributedError) in
                var request = s2s_mpi_request_null()
                try Self.check("MPI_Iallgather", MPI_Iallgather(m.baseAddress, 1, s2s_mpi_uint64(), all.baseAddress, 1,
                                                                s2s_mpi_uint64(), world, &request))
                try wait(&request, "allgather")
            }
        }
        var out: [[UInt8]] = []
        for r in 0..<size {
            var part = r == rank ? bytes : [UInt8](repeating: 0, count: Int(lengths[r]))
            try chunked(&part) { (p, n) throws(DistributedError) in
                var request = s2s_mpi_request_null()
                try Self.check("MPI_Ibcast", MPI_Ibcast(p, Int32(n), s2s_mpi_byte(), Int32(r), world, &request))
                try wait(&request, "allgather")
            }
            out.append(part)
        }
        return out
    }

    /// Runs `body` over ≤ 1 GiB pieces (MPI counts are Int32).
    private func chunked(_ bytes: inout [UInt8],
                         _ body: (UnsafeMutableRawPointer, Int) throws(DistributedError) -> Void) throws(DistributedError) {
        let piece = 1 << 30
        var failure: DistributedError?
        bytes.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let n = min(piece, raw.count - offset)
                do throws(DistributedError) { try body(base + offset, n) } catch { failure = error; return }
                offset += n
            }
        }
        if let failure { throw failure }
    }

    /// Polls a request until it completes or `timeout` passes.
    ///
    /// Open MPI moves a large message in fragments, and only while some rank is inside an MPI
    /// call: a rank that sleeps between polls stalls its peers (a 58 MB allreduce took 150–240
    /// ms with 200 µs naps, see the README). So polls run back to back for `spin` seconds
    /// (gradients, where every rank arrives within milliseconds of the others) and only then
    /// with naps, for the long waits on rank 0's validation, which leave the cores to it.
    private func wait(_ request: inout MPI_Request?, _ operation: String, spin: Double = 2) throws(DistributedError) {
        let start = DispatchTime.now().uptimeNanoseconds
        var done: Int32 = 0
        var polls = 0
        while true {
            try Self.check("MPI_Test", MPI_Test(&request, &done, s2s_mpi_status_ignore()))
            if done != 0 { return }
            polls += 1
            if polls & 0x3FF == 0 {
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                if elapsed > timeout { throw .timeout(operation: operation, seconds: timeout) }
                if elapsed > spin { usleep(1000) }
            }
        }
    }

    static func check(_ call: String, _ code: Int32) throws(DistributedError) {
        guard code != s2s_mpi_success() else { return }
        var text = [CChar](repeating: 0, count: Int(s2s_mpi_max_error_string()) + 1)
        var length: Int32 = 0
        MPI_Error_string(code, &text, &length)
        let message = String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        throw .mpi(call: call, code: code, message: message)
    }
}

import Foundation
import S2SBundle
import Testing
import S2SModel

/// `s2s train` under a real `mpirun` (Open MPI, installed by `make setup`): two ranks on this
/// machine (`--oversubscribe`), compared with one process at the same global batch.
///
/// SGD is used where the parameters are compared: Adam divides each gradient by its own running
/// scale, so it would hide a wrong normalization (every rank dividing by its own token count
/// instead of the global one), while SGD's update is proportional to the gradient.
@Suite(.serialized)
struct MPITrainingTests {
    let fixture: TrainingFixture

    init() throws {
        fixture = try TrainingFixture(train: 160, valid: 12, maxWords: 9, merges: 120)
    }

    /// The flags every run here shares: a tiny model, a global batch of several pairs.
    func flags(out: String, steps: Int, extra: [String] = []) -> [String] {
        ["train", "--db", fixture.database, "--corpus", fixture.corpus, "--vocab", fixture.vocabulary, "--out", out,
         "--emb", "16", "--hidden", "16", "--dec-hidden", "24", "--att-dim", "16", "--batch-tokens", "240",
         "--optimizer", "sgd", "--lr", "0.5", "--clip", "5", "--dropout", "0.3", "--dropout-rec", "0.2", "--label-smoothing", "0.1",
         "--valid-every", "4", "--valid-max-sentences", "6", "--max-steps", "\(steps)", "--threads", "1", "--log-every", "4"] + extra
    }

    @Test func twoRanksEqualOneProcessAndRepeatBitForBit() throws {
        let one = try run(ranks: 1, flags(out: fixture.output("one"), steps: 8))
        #expect(one.status == 0, "\(one.stderr)")
        let two = try run(ranks: 2, flags(out: fixture.output("two"), steps: 8))
        #expect(two.status == 0, "\(two.stderr)")
        #expect(two.stderr.contains("ranks        2"))
        let again = try run(ranks: 2, flags(out: fixture.output("again"), steps: 8))
        #expect(again.status == 0, "\(again.stderr)")

        let a = try parameters(fixture.output("one")), b = try parameters(fixture.output("two"))
        let c = try parameters(fixture.output("again"))
        #expect(a.keys.sorted() == b.keys.sorted())
        let difference = maxRelativeDifference(a, b)
        // fp32 summation order only (measured ~2e-7); a normalization or share bug is ≥ 1e-2.
        #expect(difference < 1e-5, "largest relative difference \(difference)")
        #expect(difference > 0 || a == b)
        #expect(b == c, "two 2-rank runs differ")
    }

    /// Batches of one pair leave one rank without data in a step; it must still take part in
    /// every collective, in the same order (the early output-layer allreduce included).
    @Test func ranksWithoutPairsInAStepStayInStep() throws {
        let extra = ["--batch-tokens", "8", "--valid-every", "5"]
        let one = try run(ranks: 1, flags(out: fixture.output("single1"), steps: 10, extra: extra))
        #expect(one.status == 0, "\(one.stderr)")
        let two = try run(ranks: 2, flags(out: fixture.output("single2"), steps: 10, extra: extra))
        #expect(two.status == 0, "\(two.stderr)")
        let difference = maxRelativeDifference(try parameters(fixture.output("single1")), try parameters(fixture.output("single2")))
        #expect(difference < 1e-5, "largest relative difference \(difference)")
    }

    @Test func accumulationAndCompressionUnderMPI() throws {
        // --accumulate: 2 ranks equal one process at the same K (and so the same global batch).
        let one = try run(ranks: 1, flags(out: fixture.output("acc1"), steps: 4, extra: ["--accumulate", "2"]))
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stderr.contains("× 2 accumulated"))
        let two = try run(ranks: 2, flags(out: fixture.output("acc2"), steps: 4, extra: ["--accumulate", "2"]))
        #expect(two.status == 0, "\(two.stderr)")
        let a = try parameters(fixture.output("acc1"))
        #expect(maxRelativeDifference(a, try parameters(fixture.output("acc2"))) < 1e-5)
        // An accumulated step is not a plain one: the comparison above could not pass by accident.
        let plain = try run(ranks: 1, flags(out: fixture.output("plain"), steps: 4))
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(maxRelativeDifference(a, try parameters(fixture.output("plain"))) > 1e-3)

        // bf16 gradients: close to fp32, not equal (each sum is rounded to 8 bits of mantissa).
        let bf16 = try run(ranks: 2, flags(out: fixture.output("bf16"), steps: 4, extra: ["--accumulate", "2", "--gradient-compression", "bf16"]))
        #expect(bf16.status == 0, "\(bf16.stderr)")
        let d = maxRelativeDifference(a, try parameters(fixture.output("bf16")))
        #expect(d > 0 && d < 2e-2, "bf16 vs fp32: \(d)")
    }

    @Test func resumesAcrossRankCounts() throws {
        let straight = try run(ranks: 1, flags(out: fixture.output("straight"), steps: 10))
        #expect(straight.status == 0, "\(straight.stderr)")
        let first = try run(ranks: 2, flags(out: fixture.output("split"), steps: 6))
        #expect(first.status == 0, "\(first.stderr)")
        let second = try run(ranks: 1, flags(out: fixture.output("split"), steps: 10, extra: ["--resume"]))
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("resuming") && second.stderr.contains("at step 6"))
        let difference = maxRelativeDifference(try parameters(fixture.output("straight")),
                                               try parameters(fixture.output("split")))
        #expect(difference < 1e-5, "largest relative difference \(difference)")

        // The other way, with Adam: its moments travel from rank 0 to rank 1 at the start.
        let adam = ["--optimizer", "adam", "--lr", "0.01"]
        let straightAdam = try run(ranks: 1, flags(out: fixture.output("straight-adam"), steps: 10, extra: adam))
        #expect(straightAdam.status == 0, "\(straightAdam.stderr)")
        let firstAdam = try run(ranks: 1, flags(out: fixture.output("grow"), steps: 6, extra: adam))
        #expect(firstAdam.status == 0, "\(firstAdam.stderr)")
        let secondAdam = try run(ranks: 2, flags(out: fixture.output("grow"), steps: 10, extra: adam + ["--resume"]))
        #expect(secondAdam.status == 0, "\(secondAdam.stderr)")
        let grown = maxRelativeDifference(try parameters(fixture.output("straight-adam")), try parameters(fixture.output("grow")))
        #expect(grown < 1e-4, "largest relative difference \(grown)")
    }

    /// --bpe-dropout: every rank segments the whole global batch for its epoch, so two ranks
    /// equal one process, and a run resumed with another rank count continues it, across epochs.
    @Test func bpeDropoutUnderMPIEqualsOneProcess() throws {
        let extra = ["--bpe-dropout", "0.1"]
        let one = try run(ranks: 1, flags(out: fixture.output("bpe1"), steps: 12, extra: extra))
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stderr.contains("bpe-dropout 0.1"))
        let two = try run(ranks: 2, flags(out: fixture.output("bpe2"), steps: 12, extra: extra))
        #expect(two.status == 0, "\(two.stderr)")
        let a = try parameters(fixture.output("bpe1"))
        let difference = maxRelativeDifference(a, try parameters(fixture.output("bpe2")))
        #expect(difference < 1e-5, "largest relative difference \(difference)")

        let first = try run(ranks: 2, flags(out: fixture.output("bpe-split"), steps: 6, extra: extra))
        #expect(first.status == 0, "\(first.stderr)")
        let second = try run(ranks: 1, flags(out: fixture.output("bpe-split"), steps: 12, extra: extra + ["--resume"]))
        #expect(second.status == 0, "\(second.stderr)")
        let resumed = maxRelativeDifference(a, try parameters(fixture.output("bpe-split")))
        #expect(resumed < 1e-5, "largest relative difference \(resumed)")

        // The segmentation did change what was trained on: the comparisons above could not pass
        // by dropout doing nothing.
        let plain = try run(ranks: 1, flags(out: fixture.output("bpe0"), steps: 12))
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(maxRelativeDifference(a, try parameters(fixture.output("bpe0"))) > 1e-3)
    }

    @Test func ranksThatDisagreeAreRefusedNamingTheItem() throws {
        let base = flags(out: fixture.output("disagree"), steps: 4)
        let r = try run(mpmd: [base, base + ["--lr", "0.25"]])
        #expect(r.status != 0)
        #expect(r.stderr.contains("rank 1 on") && r.stderr.contains("differs from rank 0 in its options: learningRate"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fixture.output("disagree") + "/latest.safetensors"))

        let missing = try run(mpmd: [flags(out: fixture.output("nodb"), steps: 4),
                                     flags(out: fixture.output("nodb"), steps: 4) + ["--db", fixture.root + "/none.sqlite"]])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("rank 1 on") && missing.stderr.contains("no corpus database"), "\(missing.stderr)")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: fixture.output("nodb"))) ?? []
        #expect(left.isEmpty, "written despite the failure: \(left)")
    }

    @Test func aKilledRankEndsTheJobAndTheCheckpointResumes() throws {
        let out = fixture.output("killed")
        let job = try launch(ranks: 2, flags(out: out, steps: 100_000, extra: ["--valid-every", "10"]))
        // Wait for a checkpoint past step 0, then kill rank 1 as an OOM killer or a crash would.
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, job.process.isRunning, (try? checkpointStep(out)) ?? 0 < 10 { Thread.sleep(forTimeInterval: 0.2) }
        try #require(job.process.isRunning, "the job ended before the kill: \(job.output())")
        let victim = try #require(rankPID(1, marker: out), "rank 1 not found")
        kill(victim, SIGKILL)
        let killedAt = Date()
        job.process.waitUntilExit()
        let waited = Date().timeIntervalSince(killedAt)
        let stderr = job.output()
        #expect(job.process.terminationStatus != 0)
        #expect(waited < 30, "the job took \(waited) s to end")
        #expect(stderr.contains("process rank 1") && stderr.contains("signal 9"), "\(stderr)")
        let step = try checkpointStep(out)
        #expect(step >= 10)
        let resumed = try run(ranks: 1, flags(out: out, steps: step + 2, extra: ["--resume", "--valid-every", "10"]))
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try checkpointStep(out) == step + 2)
    }

    // MARK: Support

    struct Outcome { var status: Int32; var stderr: String }

    final class Job {
        let process = Process()
        let log: String
        init(_ log: String) { self.log = log }
        func output() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
    }

    func mpirunArguments() -> [String] {
        // Root is refused without these; shared-memory single copy needs ptrace rights that
        // containers often lack.
        ["--oversubscribe", "--bind-to", "none", "--mca", "btl_vader_single_copy_mechanism", "none"]
    }

    func launch(ranks: Int, _ arguments: [String]) throws -> Job {
        try launch(mpmd: Array(repeating: arguments, count: ranks), mpi: ranks > 1)
    }

    func launch(mpmd programs: [[String]], mpi: Bool = true) throws -> Job {
        let exe = try #require(trainingS2SExecutable, "s2s executable not built")
        let job = Job(fixture.root + "/job-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: job.log, contents: nil)
        if mpi {
            job.process.executableURL = URL(fileURLWithPath: try #require(which("mpirun"), "mpirun not installed (make setup)"))
            var args = mpirunArguments()
            for (i, program) in programs.enumerated() {
                if i > 0 { args.append(":") }
                args += ["-np", "1", exe] + program
            }
            job.process.arguments = args
        } else {
            job.process.executableURL = URL(fileURLWithPath: exe)
            job.process.arguments = programs[0]
        }
        var env = ProcessInfo.processInfo.environment
        env["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        env["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        job.process.environment = env
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: job.log))
        job.process.standardOutput = handle
        job.process.standardError = handle
        try job.process.run()
        return job
    }

    func run(ranks: Int, _ arguments: [String]) throws -> Outcome {
        let job = try launch(ranks: ranks, arguments)
        job.process.waitUntilExit()
        return Outcome(status: job.process.terminationStatus, stderr: job.output())
    }

    func run(mpmd: [[String]]) throws -> Outcome {
        let job = try launch(mpmd: mpmd)
        job.process.waitUntilExit()
        return Outcome(status: job.process.terminationStatus, stderr: job.output())
    }

    /// Parameter values of a run's checkpoint (optimizer state left out), as raw bit patterns.
    func parameters(_ out: String) throws -> [String: [Float]] {
        let (file, _) = try ModelBundle.read(out + "/latest.safetensors")
        var out: [String: [Float]] = [:]
        for name in file.names where !name.hasPrefix("optimizer.") { out[name] = try file.tensor(name).array }
        return out
    }

    func checkpointStep(_ out: String) throws -> Int {
        try ModelBundle.read(out + "/latest.safetensors").info.metadata.step
    }

    /// max |a − b| / max |a| over every tensor.
    func maxRelativeDifference(_ a: [String: [Float]], _ b: [String: [Float]]) -> Double {
        var worst = 0.0
        for (name, x) in a {
            guard let y = b[name], y.count == x.count else { return .infinity }
            let scale = Double(x.map { abs($0) }.max() ?? 0)
            let diff = zip(x, y).map { Double(abs($0 - $1)) }.max() ?? 0
            worst = max(worst, scale > 0 ? diff / scale : diff)
        }
        return worst
    }

    /// The pid of the `s2s` process that is rank `rank` of a job writing to `marker`.
    func rankPID(_ rank: Int, marker: String) -> pid_t? {
        let procs = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in procs {
            guard let pid = pid_t(entry),
                  let cmd = try? String(contentsOfFile: "/proc/\(entry)/cmdline", encoding: .utf8),
                  cmd.contains(marker), !cmd.contains("mpirun"),
                  let env = FileManager.default.contents(atPath: "/proc/\(entry)/environ") else { continue }
            let vars = env.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if vars.contains("OMPI_COMM_WORLD_RANK=\(rank)") { return pid }
        }
        return nil
    }

    func which(_ tool: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

/// The `s2s` executable next to the test bundle (swift test builds every product).
let trainingS2SExecutable: String? = {
    var candidates: [String] = []
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        candidates.append((exe as NSString).deletingLastPathComponent + "/s2s")
    }
    candidates.append(FileManager.default.currentDirectoryPath + "/.build/debug/s2s")
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

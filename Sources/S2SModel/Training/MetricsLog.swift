import Foundation

/// One line of the training metrics log (JSON lines next to the checkpoint), the file
/// `s2s plot` renders. Training lines carry throughput and the learning rate; validation lines
/// carry the validation loss, perplexity and BLEU.
public struct MetricsRecord: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable { case train, valid }
    public var kind: Kind
    public var step: Int
    public var epoch: Int
    public var timeSeconds: Double
    public var loss: Double
    public var perplexity: Double
    public var learningRate: Double?
    public var tokensPerSecond: Double?
    public var teacherForcingRatio: Double?
    public var bleu: Double?

    enum CodingKeys: String, CodingKey {
        case kind, step, epoch, loss, bleu, lr
        case timeSeconds = "time_s", perplexity = "ppl", tokensPerSecond = "tokens_per_s", teacherForcingRatio = "tf_ratio"
    }

    public init(kind: Kind, step: Int, epoch: Int, timeSeconds: Double, loss: Double, perplexity: Double,
                learningRate: Double? = nil, tokensPerSecond: Double? = nil, teacherForcingRatio: Double? = nil,
                bleu: Double? = nil) {
        self.kind = kind
        self.step = step
        self.epoch = epoch
        self.timeSeconds = timeSeconds
        self.loss = loss
        self.perplexity = perplexity
        self.learningRate = learningRate
        self.tokensPerSecond = tokensPerSecond
        self.teacherForcingRatio = teacherForcingRatio
        self.bleu = bleu
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(Kind.self, forKey: .kind)
        step = try c.decode(Int.self, forKey: .step)
        epoch = try c.decodeIfPresent(Int.self, forKey: .epoch) ?? 0
        timeSeconds = try c.decodeIfPresent(Double.self, forKey: .timeSeconds) ?? 0
        loss = try c.decode(Double.self, forKey: .loss)
        perplexity = try c.decodeIfPresent(Double.self, forKey: .perplexity) ?? Foundation.exp(loss)
        learningRate = try c.decodeIfPresent(Double.self, forKey: .lr)
        tokensPerSecond = try c.decodeIfPresent(Double.self, forKey: .tokensPerSecond)
        teacherForcingRatio = try c.decodeIfPresent(Double.self, forKey: .teacherForcingRatio)
        bleu = try c.decodeIfPresent(Double.self, forKey: .bleu)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(step, forKey: .step)
        try c.encode(epoch, forKey: .epoch)
        try c.encode(timeSeconds, forKey: .timeSeconds)
        try c.encode(loss, forKey: .loss)
        try c.encode(perplexity, forKey: .perplexity)
        try c.encodeIfPresent(learningRate, forKey: .lr)
        try c.encodeIfPresent(tokensPerSecond, forKey: .tokensPerSecond)
        try c.encodeIfPresent(teacherForcingRatio, forKey: .teacherForcingRatio)
        try c.encodeIfPresent(bleu, forKey: .bleu)
    }
}

/// Appends metrics records to a JSON-lines file, one flushed line per record, so a crash loses
/// at most the line being written.
public final class MetricsLog {
    public let url: URL
    private let handle: FileHandle
    private let encoder: JSONEncoder

    public init(url: URL) throws {
        self.url = url
        if !FileManager.default.fileExists(atPath: url.path) {
            FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
    }

    deinit { try? handle.close() }

    public func append(_ record: MetricsRecord) throws {
        var line = try encoder.encode(record)
        line.append(0x0A)
        try handle.write(contentsOf: line)
    }

    /// Reads every record of a log (used by `s2s plot` and by resume to rebuild the history).
    public static func read(_ url: URL) throws -> [MetricsRecord] {
        let text = try String(contentsOf: url, encoding: .utf8)
        let decoder = JSONDecoder()
        return try text.split(separator: "\n").map { try decoder.decode(MetricsRecord.self, from: Data($0.utf8)) }
    }
}

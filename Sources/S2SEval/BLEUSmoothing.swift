/// BLEU's smoothing of orders without a match (Chen & Cherry 2014), as sacrebleu 2.6.0 names
/// them: `exp` (method 3, NIST mteval: the k-th zero-match order counts 1/(2^k · total)),
/// `floor` (method 1: a zero count becomes `value`), `add-k` (method 2: k added to the matches
/// and totals of orders 2 and up) and `none`.
package enum BLEUSmoothing: Sendable, Equatable {
    case none
    case floor(Double)
    case addK(Double)
    case exp

    /// The method names sacrebleu's `--smooth-method` accepts.
    package enum Method: String, Sendable, CaseIterable {
        case none, floor
        case addK = "add-k"
        case exp
    }

    /// `method` with `value`, or sacrebleu's default value (floor 0.1, add-k 1) when nil.
    /// A value given to `exp` or `none` is ignored, as sacrebleu ignores it.
    package init(_ method: Method, value: Double? = nil) {
        switch method {
        case .none: self = .none
        case .exp: self = .exp
        case .floor: self = .floor(value ?? 0.1)
        case .addK: self = .addK(value ?? 1)
        }
    }

    package var method: Method {
        switch self {
        case .none: .none
        case .floor: .floor
        case .addK: .addK
        case .exp: .exp
        }
    }

    /// The signature's `smooth:` value: "exp", "none", "floor[0.10]", "add-k[1.00]".
    package var signature: String {
        switch self {
        case .none, .exp: method.rawValue
        case let .floor(v), let .addK(v): "\(method.rawValue)[\(ScoreFormat.fixed(v, 2))]"
        }
    }
}

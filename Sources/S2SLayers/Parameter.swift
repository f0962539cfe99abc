import S2SNumerics

/// A trainable tensor with its gradient buffer, named as in a PyTorch `state_dict`
/// (`enc.weight_ih_l0_reverse`), so checkpoints and reference fixtures line up by name.
package final class Parameter: @unchecked Sendable {
    package let name: String
    /// The values, row-major (`[out, in]` for weights).
    package let value: Tensor
    /// dLoss/dvalue, accumulated by the backward passes until `zeroGrad`.
    package let grad: Tensor

    package init(name: String, shape: [Int]) {
        self.name = name
        value = Tensor(shape: shape)
        grad = Tensor(shape: shape)
    }

    package var shape: [Int] { value.shape }
    package var count: Int { value.count }
}

/// The ordered collection of a model's parameters: creation order is the order of
/// optimizer state, checkpoints and gradient-norm sums, so runs are reproducible.
package final class ParameterSet: @unchecked Sendable {
    package private(set) var all: [Parameter] = []
    private var index: [String: Int] = [:]

    package init() {}

    /// Creates and registers a zero-initialized parameter. Names must be unique.
    @discardableResult
    package func add(_ name: String, shape: [Int]) -> Parameter {
        precondition(index[name] == nil, "ParameterSet: duplicate parameter name \(name)")
        let p = Parameter(name: name, shape: shape)
        index[name] = all.count
        all.append(p)
        return p
    }

    package subscript(name: String) -> Parameter? { index[name].map { all[$0] } }

    package var names: [String] { all.map(\.name) }

    /// Number of scalar parameters (what "a 14.5 M parameter model" counts).
    package var scalarCount: Int { all.reduce(0) { $0 + $1.count } }

    package func zeroGrad() { for p in all { p.grad.zero() } }

    /// Marks every value as changed (after an optimizer step or a load), so cached packed
    /// copies used by reduced-precision GEMMs are rebuilt.
    package func bumpVersions() { for p in all { p.value.bumpVersion() } }

    /// Copies values from named tensors (a checkpoint, a fixture). Every parameter must be
    /// present with exactly its shape; tensors that are not parameters are reported too, so a
    /// checkpoint of another architecture is never half-loaded.
    package func load(_ tensors: [String: Tensor], allowExtra: Bool = false) throws(LayerError) {
        for p in all {
            guard let t = tensors[p.name] else { throw .missingTensor(name: p.name, expectedShape: p.shape) }
            guard t.shape == p.shape else { throw .shapeMismatch(name: p.name, expected: p.shape, found: t.shape) }
        }
        if !allowExtra, let extra = tensors.keys.sorted().first(where: { index[$0] == nil }) {
            throw .unexpectedTensor(name: extra)
        }
        for p in all { p.value.copy(from: tensors[p.name]!) }
        bumpVersions()
    }

    /// The values as named tensors (shared, not copied).
    package var namedValues: [(name: String, tensor: Tensor)] { all.map { ($0.name, $0.value) } }
}

/// Shape and configuration errors, with the names and shapes involved.
package enum LayerError: Error, CustomStringConvertible, Equatable {
    case missingTensor(name: String, expectedShape: [Int])
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    case unexpectedTensor(name: String)
    case invalidConfiguration(String)
    case invalidBatch(String)

    package var description: String {
        switch self {
        case let .missingTensor(name, shape): return "missing tensor \(name) (expected shape \(shape))"
        case let .shapeMismatch(name, expected, found): return "tensor \(name) has shape \(found), expected \(expected)"
        case let .unexpectedTensor(name): return "unexpected tensor \(name) (not a parameter of this model)"
        case let .invalidConfiguration(message): return "invalid configuration: \(message)"
        case let .invalidBatch(message): return "invalid batch: \(message)"
        }
    }
}

/// The recurrent cells of the seed texts, each selectable for the encoder (and, later, the
/// decoder). Every kind stores its weights as PyTorch's `nn.RNN` / `nn.LSTM` / `nn.GRU` do:
/// `weight_ih` [G·H, in], `weight_hh` [G·H, H], `bias_ih` and `bias_hh` [G·H], with G gate blocks.
/// The equations and their derivatives sit beside the kernels, one C file per cell
/// (`CKernels/rnn.c`, `gated_rnn.c`, `lstm.c`, `gru.c`) and in docs/MODEL.md.
package enum RecurrentCellKind: String, Codable, Sendable, CaseIterable {
    /// Goodfellow et al. Eq. 10.8: `h_t = tanh(b + W h_{t−1} + U x_t)`.
    case rnn
    /// The lecture notes' simple gated RNN: `s_t = (1 − g) ⊙ s_{t−1} + g ⊙ tanh(…)`, one gate.
    case gated
    /// Long short-term memory, gates i, f, g, o and a memory cell c.
    case lstm
    /// Gated recurrent unit, gates r, z, n.
    case gru

    /// G: gate blocks of H rows in `weight_ih` and `weight_hh`.
    package var gateCount: Int {
        switch self {
        case .rnn: 1
        case .gated: 2
        case .lstm: 4
        case .gru: 3
        }
    }

    /// The names `--enc-cell` accepts, for messages.
    package static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

import CKernels
#if canImport(Glibc)
import Glibc
#endif

extension Kernels {
    /// One Adam / AdamW step with bias correction, PyTorch semantics (`torch.optim.Adam`,
    /// `torch.optim.AdamW`, single-tensor path, same operation order). `decoupled = false`:
    /// L2 weight decay added to the gradient (Adam); `decoupled = true`: `param *= 1 - lr·wd`
    /// before the update (AdamW). `step` is the 1-based count including this update.
    /// `grad` is not modified. All buffers [count]. Hyperparameters are `Double` like PyTorch's
    /// Python floats: derived scalars are computed in double and rounded to fp32 once.
    package static func adamUpdate(
        param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
        m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int,
        lr: Double, beta1: Double, beta2: Double, eps: Double, weightDecay: Double,
        decoupled: Bool, step: Int
    ) {
        precondition(step >= 1, "adamUpdate: step must be ≥ 1, got \(step)")
        // PyTorch computes these scalars in Python floats (double), then applies them as fp32.
        let bc1 = 1 - pow(beta1, Double(step))
        let bc2 = 1 - pow(beta2, Double(step))
        s2s_adam_update(param, grad, m, v, Int64(count), Float(1 - beta1), Float(beta2), Float(1 - beta2),
                        Float(eps), Float(weightDecay), decoupled ? 1 : 0, Float(1 - lr * weightDecay),
                        Float(lr / bc1), Float(bc2.squareRoot()))
    }
}

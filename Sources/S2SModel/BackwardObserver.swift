import S2SLayers

/// Watches a backward pass: told when a group of parameters has its final gradient for this
/// pass, and once per decoder step while the rest runs.
///
/// Data-parallel training uses it to start summing the output layer's gradient (the largest,
/// and the first to be final) over the ranks while the decoder and encoder are still being
/// differentiated, and to keep that transfer moving (MPI progresses only inside MPI calls).
package protocol BackwardObserver: AnyObject {
    /// `parameters` will receive no further gradient in this pass.
    func gradientsFinal(_ parameters: [Parameter])
    /// Called between steps of the decoder's backward loop.
    func backwardProgress()
}

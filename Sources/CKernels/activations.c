// Whole-array activations with the recurrent cells' own tanh and σ (rnn_math.h), so the bridge's
// tanh (h0 = tanh(bridge(...))) rounds exactly as the cells' and training equals decoding.
#include "rnn_cells.h"
#include "rnn_math.h"

S2S_CLONES
void s2s_tanh_array(const float *x, float *y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] = s2s_tanhf(x[i]);
}

S2S_CLONES
void s2s_sigmoid_array(const float *x, float *y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] = s2s_sigmoidf(x[i]);
}

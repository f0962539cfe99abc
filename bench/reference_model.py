"""The default s2s model (docs/MODEL.md) in PyTorch, written for speed with PyTorch's own modules:
the reference that `make bench` times s2s against.

BiLSTM encoder (nn.LSTM on packed sequences), bridge h0 = tanh(W_b [->h_last; <-h_first] + b_b),
additive attention v . tanh(W_k enc_j + W_q h + b_q) over each sentence's real positions, one
nn.GRUCell decoder layer with input feeding ([e_t; ctx_{t-1}], ctx_0 = 0) and the output layer
over [h_t; ctx_t; e_t]. Parameter names and shapes are MODEL.md's (and so s2s's safetensors'),
initialization PyTorch's defaults, which MODEL.md follows. Dropout and label smoothing are left
out: the benchmarks run without them on both sides.

Sizes in comments: B sentences, S source and T target positions, E embedding, H encoder state per
direction, D = 2H, Hd decoder state, A attention size, V target vocabulary.
"""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

PAD, UNK, BOS, EOS = 0, 1, 2, 3


class ReferenceSeq2Seq(nn.Module):
    def __init__(self, src_vocab, tgt_vocab, emb, hidden, dec_hidden=0, att_dim=0, layers=1):
        super().__init__()
        hd = dec_hidden or hidden
        a = att_dim or hd
        d = 2 * hidden
        # Created in MODEL.md's order: src_emb, tgt_emb, enc, bridge, att, cell, out.
        self.src_emb = nn.Embedding(src_vocab, emb, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(tgt_vocab, emb, padding_idx=PAD)
        self.enc = nn.LSTM(emb, hidden, num_layers=layers, bidirectional=True, batch_first=True)
        self.bridge = nn.Linear(d, hd)
        self.att_k = nn.Linear(d, a, bias=False)
        self.att_q = nn.Linear(hd, a)
        self.att_v = nn.Linear(a, 1, bias=False)
        self.cell = nn.GRUCell(emb + d, hd)
        self.out = nn.Linear(hd + d + emb, tgt_vocab)

    def encode(self, src, lengths):
        """src [B, S], lengths [B] -> enc [B, S, D] (zeros at padding), keys [B, S, A],
        mask [B, S] (True at real positions), h0 [B, Hd]."""
        S = src.size(1)
        x = self.src_emb(src)
        if bool((lengths == S).all()):
            # Nothing to pack: the same result without the packing's gathers.
            enc, (h_n, _) = self.enc(x)
        else:
            packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
            out, (h_n, _) = self.enc(packed)
            enc, _ = pad_packed_sequence(out, batch_first=True, total_length=S)
        # h_n [layers * 2, B, H]: the top layer's forward state at each sentence's last token and
        # its backward state at the first.
        h0 = torch.tanh(self.bridge(torch.cat([h_n[-2], h_n[-1]], -1)))
        mask = torch.arange(S)[None, :] < lengths[:, None]
        return enc, self.att_k(enc), mask, h0

    def step(self, y, h, ctx, enc, keys, mask):
        """One decoder step: previous tokens y [R], state h [R, Hd], previous context ctx [R, D]
        -> (h [R, Hd], ctx [R, D], features [R, Hd + D + E]) for the output layer."""
        e = self.tgt_emb(y)
        h = self.cell(torch.cat([e, ctx], -1), h)
        score = self.att_v(torch.tanh(keys + self.att_q(h).unsqueeze(1))).squeeze(-1)  # [R, S]
        alpha = torch.softmax(score.masked_fill(~mask, float("-inf")), -1)
        ctx = torch.bmm(alpha.unsqueeze(1), enc).squeeze(1)
        return h, ctx, torch.cat([h, ctx, e], -1)

    def forward(self, src, lengths, tgt_in, own):
        """Training logits [B, T, V]. own [B, T] (bool) marks the inputs replaced by the model's
        own argmax of the step before (scheduled sampling; no gradient flows through the choice).
        The output layer runs once over all steps; only the rows that feed themselves are
        projected inside the loop."""
        enc, keys, mask, h = self.encode(src, lengths)
        B, T = tgt_in.shape
        ctx = enc.new_zeros(B, enc.size(-1))
        features = []
        for t in range(T):
            y = tgt_in[:, t]
            if t > 0:
                rows = own[:, t].nonzero().squeeze(1)
                if rows.numel() > 0:
                    with torch.no_grad():
                        y = y.clone()
                        y[rows] = self.out(features[-1][rows]).argmax(-1)
            h, ctx, f = self.step(y, h, ctx, enc, keys, mask)
            features.append(f)
        return self.out(torch.stack(features, 1))

    def scores(self, features, forbid_end, normalize=True):
        """Log-probabilities [R, V] (logits when not normalize, enough for an argmax); <pad> and
        <s> (and </s> while forbid_end) are excluded from the choice and from the normalizer, as
        s2s's search does."""
        logits = self.out(features).float()
        logits[:, PAD] = float("-inf")
        logits[:, BOS] = float("-inf")
        if forbid_end:
            logits[:, EOS] = float("-inf")
        return torch.log_softmax(logits, -1) if normalize else logits

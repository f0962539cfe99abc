"""Greedy and beam search for the reference model, batched over sentences, with the rules of
s2s's GreedySearch and BeamSearch (Sources/S2SDecode):

- <pad> and <s> are never chosen, </s> not before min_len; each is left out of the normalizer.
- Beam: the 2K best extensions of a sentence's beams; a </s> among the K best ranks finishes a
  hypothesis (while fewer than K have finished), the K best others stay live. A sentence stops when
  K hypotheses have finished or at max_len, where its live beams compete as unfinished ones.
  Hypotheses are ranked by logP / ((5 + |Y|) / 6)^alpha, |Y| counting </s>.
- A sentence that stops leaves the batch.

Sizes: R rows (live beams of the unfinished sentences), G unfinished sentences, K beam size.
"""
import torch

from reference_model import BOS, EOS


def greedy(model, src, lengths, max_len, min_len=0):
    """Token lists (without </s>) for each sentence of src [B, S]."""
    enc, keys, mask, h = model.encode(src, lengths)
    B = src.size(0)
    alive = torch.arange(B)
    ctx = enc.new_zeros(B, enc.size(-1))
    y = torch.full((B,), BOS, dtype=torch.long)
    out = [[] for _ in range(B)]
    for t in range(max_len):
        h, ctx, f = model.step(y, h, ctx, enc, keys, mask)
        y = model.scores(f, t < min_len, normalize=False).argmax(-1)
        ended = y == EOS
        for s, token in zip(alive.tolist(), y.tolist()):
            if token != EOS:
                out[s].append(token)
        if bool(ended.any()):
            keep = (~ended).nonzero().squeeze(1)
            if keep.numel() == 0:
                break
            alive, y, h, ctx, enc, keys, mask = (x[keep] for x in (alive, y, h, ctx, enc, keys, mask))
    return out


def beam(model, src, lengths, k, alpha, max_len, min_len=0):
    """The best hypothesis's tokens (without </s>) for each sentence of src [B, S]."""
    enc, keys, mask, h = model.encode(src, lengths)
    B = src.size(0)
    V = model.out.out_features
    penalty = lambda n: ((5.0 + n) / 6.0) ** alpha
    sentence = torch.arange(B)              # [G] the unfinished sentences
    per = 1                                 # rows per sentence: 1 at the start, then K
    log_prob = torch.zeros(B)               # [R]
    history = torch.zeros(B, 0, dtype=torch.long)
    ctx = enc.new_zeros(B, enc.size(-1))
    y = torch.full((B,), BOS, dtype=torch.long)
    finished = torch.zeros(B, dtype=torch.long)  # finished hypotheses per sentence
    ended = [[] for _ in range(B)]          # (score, tokens) per sentence
    for t in range(max_len):
        h, ctx, f = model.step(y, h, ctx, enc, keys, mask)
        G = sentence.numel()
        cand = (log_prob[:, None] + model.scores(f, t < min_len)).view(G, per * V)
        top, index = cand.topk(min(2 * k, per * V), dim=1)       # [G, 2K], best first
        parent, token = index // V, index % V
        is_end = token == EOS
        first_k = torch.zeros_like(is_end)
        first_k[:, :k] = True
        before = finished[sentence]
        done_now = is_end & first_k & torch.isfinite(top) & (before < k)[:, None]
        if bool(done_now.any()):
            for g, j in done_now.nonzero().tolist():
                row = g * per + parent[g, j].item()
                ended[sentence[g].item()].append((top[g, j].item() / penalty(t + 1), history[row].tolist()))
            finished[sentence] += done_now.sum(1)
        live, pick = top.masked_fill(is_end, float("-inf")).topk(k, dim=1)     # [G, K]
        rows = (torch.arange(G)[:, None] * per + parent.gather(1, pick)).view(-1)
        y = token.gather(1, pick).view(-1)
        log_prob = live.view(-1)
        history = torch.cat([history[rows], y[:, None]], 1)
        h, ctx = h[rows], ctx[rows]
        if per == 1:
            enc, keys, mask = (x.repeat_interleave(k, 0) for x in (enc, keys, mask))
            per = k
        stop = (finished[sentence] >= k) | ~torch.isfinite(live[:, 0]) | (t + 1 >= max_len)
        if bool(stop.any()):
            for g in stop.nonzero().squeeze(1).tolist():
                for j in range(k):
                    score = live[g, j].item()
                    if score != float("-inf"):
                        ended[sentence[g].item()].append((score / penalty(t + 1), history[g * k + j].tolist()))
            keep_g = (~stop).nonzero().squeeze(1)
            if keep_g.numel() == 0:
                break
            keep = (keep_g[:, None] * k + torch.arange(k)[None, :]).view(-1)
            sentence = sentence[keep_g]
            y, log_prob, history, h, ctx, enc, keys, mask = (
                x[keep] for x in (y, log_prob, history, h, ctx, enc, keys, mask))
    return [max(e, key=lambda p: p[0])[1] if e else [] for e in ended]

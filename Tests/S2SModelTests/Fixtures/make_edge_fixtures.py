"""Writes edge-case fixtures in the format of ../shared/peers/fixtures (float64, torch_seq2seq.Seq2Seq).

Run with the peers venv from the package root: $PEERS_VENV/bin/python Tests/S2SModelTests/Fixtures/make_edge_fixtures.py
(edge_3layer: length-1 source, a target that is only </s>, 3 encoder layers; edge_batch1: one sentence
of one token with an empty target). Not run by the tests; the JSON files it wrote are bundled.
"""
import json, sys, torch
sys.path.insert(0, '../shared/peers')
import torch_seq2seq as ts
import torch.nn.functional as F

def make(path, vs, vt, emb, hid, hdec, att, layers, srcs, tgts, seed):
    torch.manual_seed(seed)
    m = ts.Seq2Seq(vs, vt, emb, hid, hdec, att, layers).double()
    B = len(srcs); S = max(len(s) for s in srcs); T = max(len(t) for t in tgts) + 1
    src = torch.tensor([s + [0] * (S - len(s)) for s in srcs])
    lens = torch.tensor([len(s) for s in srcs])
    tin = torch.tensor([[2] + t + [0] * (T - 1 - len(t)) for t in tgts])
    tout = torch.tensor([t + [3] + [0] * (T - 1 - len(t)) for t in tgts])
    enc, keys, mask, h0 = m.encode(src, lens)
    h, ctx, atts, logits = h0, enc.new_zeros(B, enc.size(-1)), [], []
    for t in range(T):
        e = m.tgt_emb(tin[:, t]); h = m.cell(torch.cat([e, ctx], -1), h)
        score = m.att_v(torch.tanh(keys + m.att_q(h).unsqueeze(1))).squeeze(-1)
        a = torch.softmax(score.masked_fill(~mask, float('-inf')), -1)
        ctx = torch.bmm(a.unsqueeze(1), enc).squeeze(1)
        atts.append(a); logits.append(m.out(torch.cat([h, ctx, e], -1)))
    lg = torch.stack(logits, 1)
    loss = F.cross_entropy(lg.reshape(-1, vt), tout.reshape(-1), ignore_index=0)
    loss.backward()
    arr = lambda x: {'shape': list(x.shape), 'data': [float(v) for v in x.detach().flatten().tolist()]}
    with torch.no_grad():
        greedy = m.greedy(src, lens, 8)
    d = {'description': 'generated for s2s check-fixture edge cases (torch float64)',
         'config': dict(src_vocab=vs, tgt_vocab=vt, emb=emb, hidden=hid, dec_hidden=hdec, att_dim=att, layers=layers, pad=0, bos=2, eos=3),
         'batch': dict(src=src.tolist(), src_lengths=lens.tolist(), tgt_in=tin.tolist(), tgt_out=tout.tolist()),
         'params': {k: arr(v) for k, v in m.state_dict().items()},
         'intermediate': dict(encoder_outputs=arr(enc), decoder_h0=arr(h0), attention=arr(torch.stack(atts, 1)), logits=arr(lg)),
         'loss': loss.item(), 'grads': {k: arr(p.grad) for k, p in m.named_parameters()}, 'greedy': greedy}
    json.dump(d, open(path, 'w'))

# Edge cases: length-1 sources, a target that is only </s>, 3 layers, batch of 1, odd sizes.
make('Tests/S2SModelTests/Fixtures/edge_3layer.json', 9, 10, 3, 4, 5, 2, 3, [[4], [5, 6, 7], [8, 4]], [[], [5, 6], [9]], 1)
make('Tests/S2SModelTests/Fixtures/edge_batch1.json', 7, 8, 5, 2, 3, 4, 1, [[4]], [[]], 2)

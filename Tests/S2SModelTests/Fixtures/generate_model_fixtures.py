"""Writes the model fixtures `model_*.json`: s2s's model (docs/MODEL.md) written independently in
PyTorch float64, with its loss, every parameter gradient and a greedy decode, for each recurrent
cell in encoder and decoder position, deep and residual stacks, input feeding on and off and every
attention kind. `s2s check-fixture FILE` and Seq2SeqFixtureTests compare s2s against them.

Self-contained (PyTorch and the standard library only). Regenerate from the package root:
    make bench-env     # .build/bench-venv with torch and numpy (bench/requirements.txt)
    .build/bench-venv/bin/python Tests/S2SModelTests/Fixtures/generate_model_fixtures.py
The cells are written out by hand because the simple gated cell and residual stacks have no
PyTorch module; `check_against_torch_modules` first holds the hand-written encoder equal to
nn.RNN / nn.LSTM / nn.GRU on packed sequences, so the hand-written code is PyTorch's semantics.
"""
import json
import os
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

torch.set_default_dtype(torch.float64)
GATES = {'rnn': 1, 'gated': 2, 'lstm': 4, 'gru': 3}
PAD, BOS, EOS = 0, 2, 3
HERE = os.path.dirname(os.path.abspath(__file__))


def cell_step(kind, x, h, c, w_ih, w_hh, b_ih, b_hh):
    """One step of a cell; returns (h', c'). c is None except for the LSTM."""
    gi, gh = x @ w_ih.T + b_ih, h @ w_hh.T + b_hh
    H = h.shape[-1]
    if kind == 'rnn':
        return torch.tanh(gi + gh), None
    if kind == 'gated':
        a = gi + gh
        g, u = torch.sigmoid(a[:, :H]), torch.tanh(a[:, H:])
        return (1 - g) * h + g * u, None
    if kind == 'lstm':
        a = gi + gh
        i, f = torch.sigmoid(a[:, :H]), torch.sigmoid(a[:, H:2 * H])
        g, o = torch.tanh(a[:, 2 * H:3 * H]), torch.sigmoid(a[:, 3 * H:])
        c2 = f * c + i * g
        return o * torch.tanh(c2), c2
    r = torch.sigmoid(gi[:, :H] + gh[:, :H])
    z = torch.sigmoid(gi[:, H:2 * H] + gh[:, H:2 * H])
    n = torch.tanh(gi[:, 2 * H:] + r * gh[:, 2 * H:])
    return (1 - z) * n + z * h, None


class Model(nn.Module):
    def __init__(s, cfg):
        super().__init__()
        s.cfg = cfg
        E, H, Hd, A, V, W = cfg['emb'], cfg['hidden'], cfg['dec_hidden'], cfg['att_dim'], cfg['src_vocab'], cfg['tgt_vocab']
        D = 2 * H
        tying = cfg.get('tying', 'none')
        if tying != 'all':
            s.src_emb = nn.Embedding(V, E, padding_idx=PAD)
        s.tgt_emb = nn.Embedding(W, E, padding_idx=PAD)
        s.enc = nn.Module()
        Ge, Gd = GATES[cfg['enc_cell']], GATES[cfg['dec_cell']]
        for l in range(cfg['layers']):
            for suffix in ('', '_reverse'):
                inp = E if l == 0 else D
                for name, shape in (('weight_ih', (Ge * H, inp)), ('weight_hh', (Ge * H, H)), ('bias_ih', (Ge * H,)), ('bias_hh', (Ge * H,))):
                    s.enc.register_parameter(f'{name}_l{l}{suffix}', nn.Parameter(torch.empty(shape).uniform_(-0.5, 0.5)))
        s.bridge = nn.Linear(D, Hd)
        att = cfg['attention']
        if att in ('additive', 'concat'):
            s.att_k = nn.Linear(D, A, bias=False)
            s.att_q = nn.Linear(Hd, A, bias=att == 'additive')
            s.att_v = nn.Linear(A, 1, bias=False)
        elif att == 'bilinear':
            s.att_k = nn.Linear(D, Hd, bias=False)
        s.cell = nn.Module()
        for l in range(cfg['dec_layers']):
            sfx = '' if l == 0 else f'_l{l}'
            inp = (E + (D if cfg['input_feeding'] else 0)) if l == 0 else Hd
            for name, shape in (('weight_ih', (Gd * Hd, inp)), ('weight_hh', (Gd * Hd, Hd)), ('bias_ih', (Gd * Hd,)), ('bias_hh', (Gd * Hd,))):
                s.cell.register_parameter(f'{name}{sfx}', nn.Parameter(torch.empty(shape).uniform_(-0.5, 0.5)))
        if tying == 'none':
            s.out = nn.Linear(Hd + D + E, W)
        else:
            # Tied: t = tanh(out_proj(F)), logits = t · tgt_emb.weightᵀ + out.bias.
            s.out_proj = nn.Linear(Hd + D + E, E)
            s.out = nn.Module()
            s.out.bias = nn.Parameter(torch.zeros(W))

    def source_embedding(s, src):
        return s.tgt_emb(src) if s.cfg.get('tying', 'none') == 'all' else s.src_emb(src)

    def output(s, feats):
        if s.cfg.get('tying', 'none') == 'none':
            return s.out(feats)
        return torch.tanh(s.out_proj(feats)) @ s.tgt_emb.weight.T + s.out.bias

    def encode(s, src, lens):
        cfg, H = s.cfg, s.cfg['hidden']
        B, S = src.shape
        x = s.source_embedding(src)
        active = (torch.arange(S)[None, :] < lens[:, None]).double()  # [B, S]
        finals = None
        for l in range(cfg['layers']):
            outs = []
            for d, suffix in enumerate(('', '_reverse')):
                p = lambda n: getattr(s.enc, f'{n}_l{l}{suffix}')
                h = x.new_zeros(B, H)
                c = x.new_zeros(B, H) if cfg['enc_cell'] == 'lstm' else None
                ys = [None] * S
                for t in (range(S) if d == 0 else reversed(range(S))):
                    h2, c2 = cell_step(cfg['enc_cell'], x[:, t], h, c, p('weight_ih'), p('weight_hh'), p('bias_ih'), p('bias_hh'))
                    m = active[:, t:t + 1]
                    # An inactive row writes h = c = 0: the reverse direction then starts at each
                    # sentence's own last token, and padded outputs are 0 (packed sequences).
                    h, c = h2 * m, (c2 * m if c2 is not None else None)
                    ys[t] = h
                outs.append(torch.stack(ys, 1))
            y = torch.cat(outs, -1)
            if l == cfg['layers'] - 1:
                last = (lens - 1)
                finals = torch.cat([outs[0][torch.arange(B), last], outs[1][:, 0]], -1)
            if cfg['residual'] and l > 0:
                y = y + x
            x = y
        return x, torch.tanh(s.bridge(finals))

    def attend(s, o, enc, keys, mask):
        att = s.cfg['attention']
        if att in ('additive', 'concat'):
            score = s.att_v(torch.tanh(keys + s.att_q(o).unsqueeze(1))).squeeze(-1)
        else:
            score = torch.bmm(keys, o.unsqueeze(-1)).squeeze(-1)
        a = torch.softmax(score.masked_fill(~mask, float('-inf')), -1)
        return a, torch.bmm(a.unsqueeze(1), enc).squeeze(1)

    def keys(s, enc):
        return enc if s.cfg['attention'] == 'dot' else s.att_k(enc)

    def start(s, h0):
        L, lstm = s.cfg['dec_layers'], s.cfg['dec_cell'] == 'lstm'
        return [h0] * L, ([h0] * L if lstm else [None] * L)

    def step(s, y, hs, cs, ctx, enc, keys, mask):
        cfg = s.cfg
        e = s.tgt_emb(y)
        inp = torch.cat([e, ctx], -1) if cfg['input_feeding'] else e
        hs, cs = list(hs), list(cs)
        for l in range(cfg['dec_layers']):
            sfx = '' if l == 0 else f'_l{l}'
            p = lambda n: getattr(s.cell, f'{n}{sfx}')
            hs[l], cs[l] = cell_step(cfg['dec_cell'], inp, hs[l], cs[l], p('weight_ih'), p('weight_hh'), p('bias_ih'), p('bias_hh'))
            inp = hs[l] + inp if (cfg['residual'] and l > 0) else hs[l]
        a, ctx = s.attend(inp, enc, keys, mask)
        return hs, cs, ctx, a, s.output(torch.cat([inp, ctx, e], -1))

    def forward(s, src, lens, tin):
        enc, h0 = s.encode(src, lens)
        keys, mask = s.keys(enc), torch.arange(src.shape[1])[None, :] < lens[:, None]
        hs, cs = s.start(h0)
        ctx = enc.new_zeros(src.shape[0], enc.shape[-1])
        atts, logits = [], []
        for t in range(tin.shape[1]):
            hs, cs, ctx, a, lg = s.step(tin[:, t], hs, cs, ctx, enc, keys, mask)
            atts.append(a)
            logits.append(lg)
        return enc, h0, torch.stack(atts, 1), torch.stack(logits, 1)

    @torch.no_grad()
    def greedy(s, src, lens, n):
        enc, h0 = s.encode(src, lens)
        keys, mask = s.keys(enc), torch.arange(src.shape[1])[None, :] < lens[:, None]
        B = src.shape[0]
        hs, cs = s.start(h0)
        ctx, y = enc.new_zeros(B, enc.shape[-1]), torch.full((B,), BOS)
        out, done = [[] for _ in range(B)], [False] * B
        for _ in range(n):
            hs, cs, ctx, _, lg = s.step(y, hs, cs, ctx, enc, keys, mask)
            lg[:, PAD] = lg[:, BOS] = float('-inf')
            best = lg.argmax(-1)
            for b in range(B):
                if done[b] or best[b].item() == EOS:
                    done[b] = True
                    y[b] = PAD
                else:
                    out[b].append(best[b].item())
                    y[b] = best[b]
            if all(done):
                break
        return out


def check_against_torch_modules():
    """The hand-written packed encoder equals PyTorch's own recurrent modules on packed input."""
    torch.manual_seed(0)
    src = torch.tensor([[4, 5, 6, 7], [8, 0, 0, 0], [9, 4, 5, 0]])
    lens = torch.tensor([4, 1, 3])
    for kind, module in (('rnn', nn.RNN), ('lstm', nn.LSTM), ('gru', nn.GRU)):
        cfg = dict(emb=3, hidden=4, dec_hidden=5, att_dim=3, src_vocab=10, tgt_vocab=10, layers=2, enc_cell=kind,
                   dec_cell='gru', dec_layers=1, input_feeding=True, residual=False, attention='additive')
        m = Model(cfg)
        ref = module(3, 4, num_layers=2, bidirectional=True, batch_first=True)
        ref.load_state_dict({k: v for k, v in m.enc.state_dict().items()})
        packed = pack_padded_sequence(m.src_emb(src), lens, batch_first=True, enforce_sorted=False)
        y, _ = pad_packed_sequence(ref(packed)[0], batch_first=True, total_length=4)
        mine, _ = m.encode(src, lens)
        assert torch.allclose(mine, y, atol=1e-12), kind


def make(name, seed, enc_cell='lstm', dec_cell='gru', layers=1, dec_layers=1, residual=False, input_feeding=True,
         attention='additive', tying='none', srcs=((4, 5, 6, 7), (8,), (9, 4, 5)), tgts=((5, 6, 7), (), (8, 4))):
    torch.manual_seed(seed)
    cfg = dict(src_vocab=12 if tying == 'all' else 11, tgt_vocab=12, emb=4, hidden=3, dec_hidden=6 if attention == 'dot' else 5, att_dim=4,
               layers=layers, pad=PAD, bos=BOS, eos=EOS, enc_cell=enc_cell, dec_cell=dec_cell, dec_layers=dec_layers,
               input_feeding=input_feeding, residual=residual, attention=attention)
    if tying != 'none':
        cfg['tying'] = tying
    m = Model(cfg)
    with torch.no_grad():
        for n, p in m.named_parameters():
            p.uniform_(-0.6, 0.6)
        if tying != 'all':
            m.src_emb.weight[PAD].zero_()
        m.tgt_emb.weight[PAD].zero_()
    B, S, T = len(srcs), max(map(len, srcs)), max(map(len, tgts)) + 1
    src = torch.tensor([list(x) + [PAD] * (S - len(x)) for x in srcs])
    lens = torch.tensor([len(x) for x in srcs])
    tin = torch.tensor([[BOS] + list(t) + [PAD] * (T - 1 - len(t)) for t in tgts])
    tout = torch.tensor([list(t) + [EOS] + [PAD] * (T - 1 - len(t)) for t in tgts])
    enc, h0, att, lg = m(src, lens, tin)
    loss = F.cross_entropy(lg.reshape(-1, cfg['tgt_vocab']), tout.reshape(-1), ignore_index=PAD)
    loss.backward()
    arr = lambda x: {'shape': list(x.shape), 'data': [float(v) for v in x.detach().flatten().tolist()]}
    fixture = {
        'description': f'{name}: s2s model in PyTorch float64 (generate_model_fixtures.py)',
        'config': cfg,
        'batch': dict(src=src.tolist(), src_lengths=lens.tolist(), tgt_in=tin.tolist(), tgt_out=tout.tolist()),
        'params': {k: arr(v) for k, v in m.named_parameters()},
        'intermediate': dict(encoder_outputs=arr(enc), decoder_h0=arr(h0), attention=arr(att), logits=arr(lg)),
        'loss': loss.item(),
        'grads': {k: arr(p.grad) for k, p in m.named_parameters()},
        'greedy': m.greedy(src, lens, 8),
    }
    with open(os.path.join(HERE, f'model_{name}.json'), 'w') as f:
        json.dump(fixture, f)


if __name__ == '__main__':
    check_against_torch_modules()
    # Each cell in encoder and in decoder position; deep and residual stacks; every attention kind;
    # input feeding off.
    make('enc_rnn', 1, enc_cell='rnn')
    make('enc_gated', 2, enc_cell='gated', layers=2)
    make('enc_gru_residual', 3, enc_cell='gru', layers=3, residual=True)
    make('dec_rnn', 4, dec_cell='rnn', attention='bilinear')
    make('dec_gated', 5, dec_cell='gated', attention='concat')
    make('dec_lstm_deep', 6, dec_cell='lstm', dec_layers=2, residual=True, layers=2)
    make('dec_gru_deep_dot', 7, dec_layers=3, residual=True, attention='dot')
    make('no_input_feeding', 8, enc_cell='gru', dec_cell='lstm', input_feeding=False, dec_layers=2)
    # Edge cases of the default model: length-1 sources, a target that is only </s>, three encoder
    # layers; a batch of one sentence of one token with an empty target.
    make('edge_3layer', 9, layers=3, srcs=((4,), (5, 6, 7), (8, 4)), tgts=((), (5, 6), (9,)))
    make('edge_batch1', 10, srcs=((4,),), tgts=((),))
    # Tied embeddings: target = output projection; three-way with one vocabulary.
    make('tied_target', 11, tying='target')
    make('tied_all', 12, tying='all', layers=2, dec_layers=2, residual=True)

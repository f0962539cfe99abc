/// The page at `/`: a text box, the model picker, the translation and its attention heatmap.
/// One self-contained document (no external scripts, fonts or styles), calling the JSON API.
enum WebPage {
    static let html = """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>s2s translate</title>
    <style>
      body { font-family: system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1d2430; }
      header { background: #1d2430; color: #fff; padding: 12px 24px; font-size: 18px; }
      header span { color: #9fb3c8; font-size: 14px; margin-left: 12px; }
      main { max-width: 1000px; margin: 20px auto; padding: 0 24px; }
      textarea { width: 100%; box-sizing: border-box; height: 80px; font-size: 16px; padding: 10px;
                 border: 1px solid #c5ccd6; border-radius: 6px; }
      .row { display: flex; gap: 12px; align-items: center; margin: 10px 0 18px; }
      select, button { font-size: 15px; padding: 6px 12px; border-radius: 6px; border: 1px solid #c5ccd6; }
      button { background: #2f6fde; color: #fff; border-color: #2f6fde; cursor: pointer; }
      #out { font-size: 20px; background: #fff; border: 1px solid #dde2e8; border-radius: 6px;
             padding: 12px; min-height: 28px; }
      #meta { color: #5b6675; font-size: 13px; margin: 6px 0 14px; }
      #plot svg { max-width: 100%; height: auto; background: #fff; border: 1px solid #dde2e8; border-radius: 6px; }
      .error { color: #b00020; }
    </style>
    </head>
    <body>
    <header>s2s <span>sequence-to-sequence translation</span></header>
    <main>
      <textarea id="src" aria-label="sentence to translate">A man in a blue shirt is standing on a ladder cleaning a window.</textarea>
      <div class="row">
        <label>model <select id="model"></select></label>
        <label>beam <select id="beam"><option>1</option><option>3</option><option selected>5</option><option>8</option></select></label>
        <button id="go">Translate</button>
      </div>
      <div id="out" aria-live="polite"></div>
      <div id="meta"></div>
      <div id="plot"></div>
    </main>
    <script>
    const $ = (id) => document.getElementById(id);
    async function loadModels() {
      const r = await fetch('/v1/models');
      const j = await r.json();
      if (!r.ok) { $('meta').textContent = j.error.message; $('meta').className = 'error'; return; }
      for (const m of j.models) {
        const o = document.createElement('option');
        o.value = m.name; o.textContent = m.name + ' (' + m.source + '→' + m.target + ')';
        $('model').appendChild(o);
      }
    }
    async function translate() {
      const text = $('src').value.trim();
      if (!text) return;
      $('meta').className = ''; $('meta').textContent = 'translating…';
      const body = { src: [text], model: $('model').value, beam: Number($('beam').value), attention: true };
      const r = await fetch('/v1/translate', { method: 'POST', headers: { 'content-type': 'application/json' },
                                               body: JSON.stringify(body) });
      const j = await r.json();
      if (!r.ok) { $('out').textContent = ''; $('plot').textContent = '';
                   $('meta').className = 'error'; $('meta').textContent = r.status + ': ' + j.error.message; return; }
      const t = j.translations[0];
      $('out').textContent = t.text;
      $('meta').textContent = j.model + ' · beam ' + body.beam + ' · score ' + (t.score ?? 0).toFixed(3) +
                              ' · ' + j.time_ms + ' ms' + (t.warnings ? ' · ' + t.warnings.join('; ') : '');
      // The SVG comes from our own AttentionPlot, which escapes every label.
      $('plot').innerHTML = t.attention && t.attention.svg ? t.attention.svg : '';
    }
    $('go').addEventListener('click', translate);
    $('src').addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); translate(); } });
    loadModels().then(() => { if (new URLSearchParams(location.search).has('auto')) translate(); });
    </script>
    </body>
    </html>
    """
}

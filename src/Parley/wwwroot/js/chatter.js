// Keeps live parts of a page current (an open chatter, a mailing's progress): the server says "changed" on the
// part's data-live stream, we fetch its data-refresh URL again.
(() => {
  const live = (part) => {
    // A change announced while a fetch is under way may have been committed after that fetch read the
    // data: fetch once more when it is done, rather than dropping the announcement.
    let running = false;
    let again = false;
    const refresh = async () => {
      if (running) { again = true; return; }
      running = true;
      try {
        do {
          again = false;
          const res = await fetch(part.dataset.refresh, { headers: { 'X-Requested-With': 'fetch' } });
          if (res.ok) part.innerHTML = await res.text();
        } while (again);
      } finally {
        running = false;
      }
    };
    const source = new EventSource(part.dataset.live);
    source.addEventListener('changed', refresh);
    // Once subscribed (and after every reconnect), catch up on what changed before the stream was open.
    source.addEventListener('open', refresh);
  };
  if (window.EventSource) document.querySelectorAll('[data-live][data-refresh]').forEach(live);

  const composer = document.getElementById('composer');
  if (!composer) return;
  const setMode = () => {
    const mode = composer.querySelector('input[name=Mode]:checked')?.value;
    composer.classList.toggle('mode-note', mode === 'note');
    document.getElementById('send').textContent = mode === 'note' ? 'Log note' : 'Send';
  };
  // The mode the user chose (email or note) is kept across a send and a reload, unless the server re-shows a
  // form that failed (its mode is the one just tried).
  const modeKey = 'parley.composer.mode';
  const remembered = localStorage.getItem(modeKey);
  const answering = composer.querySelector('input[name=ReplyTo]');
  if (remembered && !answering && !composer.querySelector(".field-error:not([hidden]):not(#contact-suppressed)")) {
    const radio = composer.querySelector(`input[name=Mode][value="${remembered === 'note' ? 'note' : 'email'}"]`);
    if (radio) radio.checked = true;
  }
  composer.querySelectorAll('input[name=Mode]').forEach(r => r.addEventListener('change', () => {
    localStorage.setItem(modeKey, r.value);
    setMode();
  }));
  setMode();

  const select = document.getElementById('template');
  const error = document.getElementById('template-error');
  select?.addEventListener('change', async () => {
    error.hidden = true;
    if (!select.value) return;
    const res = await fetch(`${location.pathname}?handler=Preview&templateId=${encodeURIComponent(select.value)}`);
    const data = await res.json();
    if (!res.ok) { error.textContent = data.error; error.hidden = false; return; }
    document.getElementById('subject').value = data.subject;
    document.getElementById('body').value = data.body;
    predict();
  });

  // The live spam score: the pre-send checks of the draft, asked once the writer pauses.
  const predicted = document.getElementById('predicted-score');
  let timer = 0;
  let asked = 0;
  async function predict() {
    if (!predicted) return;
    const ask = ++asked;
    const res = await fetch(`${location.pathname}?handler=Predict`, { method: 'POST', body: new FormData(composer) });
    if (!res.ok || ask !== asked) return;
    const data = await res.json();
    if (data.score === null) { predicted.hidden = true; return; }
    const value = document.getElementById('predicted-value');
    value.textContent = data.score.toFixed(1);
    predicted.className = `email-only predicted-score band-${data.band}`;
    const list = document.getElementById('predicted-reasons');
    list.replaceChildren(...data.reasons.map(r => {
      const li = document.createElement('li');
      li.dataset.id = r.id;
      li.textContent = `−${r.lost} ${r.title}${r.fix ? ': ' + r.fix : ''}`;
      return li;
    }));
    predicted.hidden = false;
  }
  const later = () => { clearTimeout(timer); timer = setTimeout(predict, 500); };
  if (predicted) {
    ['subject', 'body'].forEach(id => document.getElementById(id)?.addEventListener('input', later));
    if (document.getElementById('body').value.trim()) predict();
  }
})();

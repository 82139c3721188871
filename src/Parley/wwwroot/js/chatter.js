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
  composer.querySelectorAll('input[name=Mode]').forEach(r => r.addEventListener('change', setMode));
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
  });
})();

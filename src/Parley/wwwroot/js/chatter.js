// Keeps an open chatter current: the server says "changed", we fetch the timeline again.
(() => {
  const timeline = document.getElementById('timeline');
  if (timeline && window.EventSource) {
    // A change announced while a fetch is under way may have been committed after that fetch read the
    // timeline: fetch once more when it is done, rather than dropping the announcement.
    let running = false;
    let again = false;
    const refresh = async () => {
      if (running) { again = true; return; }
      running = true;
      try {
        do {
          again = false;
          const res = await fetch(timeline.dataset.refresh, { headers: { 'X-Requested-With': 'fetch' } });
          if (res.ok) timeline.innerHTML = await res.text();
        } while (again);
      } finally {
        running = false;
      }
    };
    const source = new EventSource(timeline.dataset.live);
    source.addEventListener('changed', refresh);
    // Once subscribed (and after every reconnect), catch up on what changed before the stream was open.
    source.addEventListener('open', refresh);
  }

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

// The kanban board: drag a card to another stage's column; the server changes the stage (and writes it in the chatter),
// and the card stays where it was dropped only once the server said yes.
(() => {
  const board = document.getElementById('board');
  if (!board) return;
  const token = document.querySelector('#board-token input[name=__RequestVerificationToken]')?.value ?? '';
  const error = document.getElementById('board-error');
  let dragged = null;

  const recount = () => board.querySelectorAll('.board-column').forEach(col => {
    col.querySelector('[data-count]').textContent = col.querySelectorAll('.board-card').length;
    const empty = col.querySelector('.column-empty');
    if (empty) empty.hidden = col.querySelectorAll('.board-card').length > 0;
  });

  board.addEventListener('dragstart', e => {
    dragged = e.target.closest('.board-card');
    if (!dragged) return;
    e.dataTransfer.setData('text/plain', dragged.dataset.id);
    e.dataTransfer.effectAllowed = 'move';
    dragged.classList.add('dragging');
  });
  board.addEventListener('dragend', () => dragged?.classList.remove('dragging'));
  board.addEventListener('dragover', e => {
    const column = e.target.closest('.board-column');
    if (column && dragged) { e.preventDefault(); column.classList.add('drop-here'); }
  });
  board.addEventListener('dragleave', e => e.target.closest('.board-column')?.classList.remove('drop-here'));
  board.addEventListener('drop', async e => {
    const column = e.target.closest('.board-column');
    if (!column || !dragged) return;
    e.preventDefault();
    column.classList.remove('drop-here');
    const card = dragged;
    const from = card.closest('.board-column');
    if (from === column) return;
    error.hidden = true;
    const body = new URLSearchParams({ id: card.dataset.id, stage: column.dataset.stage, version: card.dataset.version, __RequestVerificationToken: token });
    const res = await fetch(board.dataset.move, { method: 'POST', body, headers: { 'X-Requested-With': 'fetch' } });
    const data = await res.json().catch(() => ({ error: 'The server did not answer; the card was not moved.' }));
    if (!res.ok) { error.textContent = data.error; error.hidden = false; return; }
    card.dataset.version = data.version;
    column.querySelector('.cards').prepend(card);
    recount();
  });
})();

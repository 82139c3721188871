// Behaviour shared by every page. Pages carry no inline script (the Content-Security-Policy forbids it), so what
// used to be onsubmit/onclick attributes is declared with data- attributes and wired here.
(() => {
  // <form data-confirm="Question?"> and <button data-confirm="Question?">: ask before submitting.
  document.addEventListener('submit', e => {
    const question = e.target.dataset?.confirm ?? e.submitter?.dataset?.confirm;
    if (question && !confirm(question)) e.preventDefault();
  });

  // <button class="copy" data-copy="text">: copy to the clipboard.
  document.querySelectorAll('button.copy').forEach(b => b.addEventListener('click', async () => {
    await navigator.clipboard.writeText(b.dataset.copy);
    b.textContent = 'Copied';
    setTimeout(() => b.textContent = 'Copy', 1500);
  }));

  // The doctor's checks take a few seconds (DNS): show that they are running.
  document.querySelectorAll('form.doctor-check-form').forEach(f => f.addEventListener('submit', () => {
    const b = f.querySelector('button.doctor-check');
    b.disabled = true;
    b.classList.add('busy');
    b.textContent = 'Checking…';
  }));

  // A link to something inside a folded <details> (the Domains page after "Check now") opens it.
  const openTarget = () => {
    const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    for (let d = target?.closest('details'); d; d = d.parentElement?.closest('details')) d.open = true;
    target?.scrollIntoView();
  };
  openTarget();
  window.addEventListener('hashchange', openTarget);
})();

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

  // The browser's time zone, sent once while the user has none (the server keeps a zone chosen on the Account page);
  // the next page shows its times in it. No reload: the page the user is reading does not jump under them.
  // The form's token is the sign-out form's.
  const detect = document.body.dataset.detectZone;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const token = document.querySelector('form.logout input[name=__RequestVerificationToken]')?.value;
  if (detect && zone && token) {
    fetch(detect, { method: 'POST', body: new URLSearchParams({ TimeZone: zone, __RequestVerificationToken: token }) });
  }

  // A link to something inside a folded <details> (the Domains page after "Check now") opens it.
  const openTarget = () => {
    const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    for (let d = target?.closest('details'); d; d = d.parentElement?.closest('details')) d.open = true;
    target?.scrollIntoView();
  };
  openTarget();
  window.addEventListener('hashchange', openTarget);
})();

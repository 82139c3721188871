// Inbound → Assign: search contacts as you type (name or email), pick one to fill the contact id. The id field
// stays, so a typed id still works and its error still shows next to it.
(() => {
  document.querySelectorAll('form.contact-picker').forEach(form => {
    const search = form.querySelector('.contact-search');
    const choices = form.querySelector('.contact-choices');
    const id = form.querySelector('input[name=contactId]');
    let asked = 0;
    const show = (contacts) => {
      choices.replaceChildren(...contacts.map(c => {
        const li = document.createElement('li');
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'link contact-choice';
        b.setAttribute('role', 'option');
        b.textContent = `${c.name} <${c.email}>`;
        b.addEventListener('click', () => {
          id.value = c.id;
          search.value = c.name;
          choices.hidden = true;
        });
        li.append(b);
        return li;
      }));
      if (contacts.length === 0) {
        const li = document.createElement('li');
        li.className = 'muted';
        li.textContent = 'No contact matches.';
        choices.append(li);
      }
      choices.hidden = false;
    };
    search.addEventListener('input', async () => {
      const q = search.value.trim();
      const mine = ++asked;
      if (q.length === 0) { choices.hidden = true; return; }
      const res = await fetch(`/inbound?handler=Contacts&q=${encodeURIComponent(q)}`, { headers: { 'X-Requested-With': 'fetch' } });
      // Answers can arrive out of order: only the latest question's answer is shown.
      if (res.ok && mine === asked) show(await res.json());
    });
  });
})();

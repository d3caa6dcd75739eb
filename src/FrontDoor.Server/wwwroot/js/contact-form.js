// The public contact form: posts to the one anonymous write and shows field errors as the API names them.
(function () {
  'use strict';
  const form = document.getElementById('contact-form');
  const errors = document.getElementById('errors');
  const value = (id) => {
    const text = document.getElementById(id).value.trim();
    return text.length > 0 ? text : null;
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.textContent = '';
    const body = {
      summary: value('summary'),
      consentToShare: document.getElementById('consent').checked,
      resident: {
        name: value('name'),
        dateOfBirth: value('dateOfBirth'),
        postcode: value('postcode'),
        phone: value('phone'),
        email: value('email')
      }
    };
    const response = await fetch('/api/public/contacts', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    });
    if (response.status === 201) {
      const sent = await response.json();
      form.hidden = true;
      document.getElementById('reference').textContent = sent.reference;
      document.getElementById('sent').hidden = false;
      return;
    }
    const problem = await response.json().catch(() => ({}));
    const list = document.createElement('ul');
    for (const [field, messages] of Object.entries(problem.errors || { form: [problem.title || 'Something went wrong.'] })) {
      const item = document.createElement('li');
      item.textContent = field + ': ' + messages.join(' ');
      list.appendChild(item);
    }
    errors.appendChild(list);
  });
})();

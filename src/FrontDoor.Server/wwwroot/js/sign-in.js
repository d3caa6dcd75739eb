// Demo sign-in for the embedded default: asks for a token and keeps it for this browser tab only.
(function () {
  'use strict';
  const form = document.getElementById('sign-in-form');
  const result = document.getElementById('result');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const role = form.role.value;
    const body = role === 'worker' ? { role, service: form.service.value } : { role };
    let response;
    try {
      response = await fetch('/api/dev/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body)
      });
    } catch (failure) {
      // The network, not the server, said no: say so rather than leave the button looking dead.
      result.textContent = 'Sign-in failed: FrontDoor could not be reached. Try again.';
      result.className = 'govuk-error-message';
      return;
    }
    if (response.status === 404) {
      result.textContent = 'Demo sign-in is switched off here: sign in through the council\u2019s identity provider.';
      result.className = 'govuk-error-message';
      return;
    }
    if (!response.ok) {
      result.textContent = 'Sign-in failed (' + response.status + ').';
      result.className = 'govuk-error-message';
      return;
    }
    const signedIn = await response.json();
    sessionStorage.setItem('frontdoor.token', signedIn.token);
    sessionStorage.setItem('frontdoor.user', JSON.stringify({ name: signedIn.name, role: signedIn.role, service: signedIn.service }));
    result.className = 'govuk-body';
    result.textContent = 'Signed in as ' + signedIn.name + '.';
    const next = new URLSearchParams(window.location.search).get('next');
    const home = { agent: '/agent/', worker: '/queues/' + signedIn.service, manager: '/wall/' }[signedIn.role];
    if (next && next.startsWith('/') && !next.startsWith('//')) {
      window.location.assign(next);
    } else if (home) {
      window.location.assign(home);
    }
  });
  document.body.dataset.ready = 'true';
})();

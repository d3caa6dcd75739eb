// Demo sign-in for the embedded default: asks for a token and keeps it in this browser until it expires or the
// user signs out, so one sign-in serves every tab.
(function () {
  'use strict';
  const form = document.getElementById('sign-in-form');
  const result = document.getElementById('result');
  const why = new URLSearchParams(window.location.search).get('why');
  const notice = document.getElementById('why');
  if (why === 'expired') {
    notice.textContent = 'Your sign-in has expired. Sign in again to carry on: anything you had typed is kept.';
    notice.parentElement.parentElement.classList.remove('fd-hidden');
  } else if (why === 'signed-out') {
    notice.textContent = 'You have signed out.';
    notice.parentElement.parentElement.classList.remove('fd-hidden');
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const role = form.role.value;
    const body = role === 'worker' ? { role, service: form.service.value } : { role };
    const desk = form.desk.value.trim();
    if (desk) {
      if (!/^[0-9]{1,3}$/.test(desk) || Number(desk) < 1) {
        result.textContent = 'A desk is a number from 1 to 999.';
        result.className = 'govuk-error-message';
        return;
      }
      body.desk = Number(desk);
    }
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
    localStorage.setItem('frontdoor.user', JSON.stringify({ id: signedIn.userId, name: signedIn.name, role: signedIn.role, service: signedIn.service }));
    localStorage.setItem('frontdoor.token', signedIn.token);
    result.className = 'govuk-body';
    result.textContent = 'Signed in as ' + signedIn.name + '.';
    const next = sameSitePath(new URLSearchParams(window.location.search).get('next'));
    const home = { agent: '/agent/', worker: '/queues/' + signedIn.service, manager: '/wall/' }[signedIn.role];
    if (next) {
      window.location.assign(next);
    } else if (home) {
      window.location.assign(home);
    }
  });
  document.body.dataset.ready = 'true';

  // The page to go back to, only if it is on this site. Prefix checks on the raw text are not enough: browsers
  // read a backslash as a slash and drop tabs and newlines, so "/\\evil.example" or "/\t/evil.example" leave the
  // site. Let the URL parser decide, then insist on this origin and a path that starts with exactly one slash.
  function sameSitePath(next) {
    if (!next) {
      return null;
    }
    let url;
    try {
      url = new URL(next, window.location.origin);
    } catch (failure) {
      return null;
    }
    if (url.origin !== window.location.origin || !url.pathname.startsWith('/') || url.pathname.startsWith('//')) {
      return null;
    }
    // The absolute address, so nothing re-reads it relative to anything else.
    return url.href;
  }
})();

// Shared by FrontDoor's staff pages: the signed-in user, API calls with ProblemDetails handling, and the hub.
//
// One sign-in serves every tab: the token is kept in the browser's local storage until it expires or the user signs
// out (in any tab: the others follow). It is a bearer token for the API, never a cookie, so another site cannot
// send it. Drafts stay in the tab (session storage) and are kept for the same user only.
const tokenKey = 'frontdoor.token';
const userKey = 'frontdoor.user';
const services = ['adult-social-care', 'housing', 'poverty-support', 'early-help', 'front-door-triage'];

function token() {
  return localStorage.getItem(tokenKey);
}

/// The header a request to the API signs in with, for a fetch that is not JSON (a download).
export function authorization() {
  return 'Bearer ' + token();
}

/// When the token stops being accepted, from its own `exp` claim (seconds since the epoch); null when it has none.
function expiresAt(value) {
  try {
    const payload = JSON.parse(atob(value.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return typeof payload.exp === 'number' ? payload.exp * 1000 : null;
  } catch {
    return null;
  }
}

function expired(value) {
  const at = expiresAt(value);
  return at !== null && at <= Date.now();
}

/// Back to the sign-in page, and from there back here. `why` is said on the sign-in page: 'expired' or 'signed-out'.
export function signInAgain(why) {
  const failed = token();
  if (why === 'expired' && failed) {
    localStorage.removeItem(tokenKey);
  }
  const here = window.location.pathname + window.location.search + window.location.hash;
  window.location.assign('/sign-in/?next=' + encodeURIComponent(here) + (why ? '&why=' + why : ''));
  throw new Error('Not signed in.');
}

export function currentUser() {
  const value = token();
  const user = localStorage.getItem(userKey);
  if (!value || !user) {
    signInAgain(null);
  }
  if (expired(value)) {
    signInAgain('expired');
  }
  return JSON.parse(user);
}

export function signOut() {
  localStorage.removeItem(tokenKey);
  localStorage.removeItem(userKey);
  sessionStorage.clear();
  window.location.assign('/sign-in/?why=signed-out');
}

// Signing out (or in as someone else) in another tab applies here too.
window.addEventListener('storage', (event) => {
  if (event.storageArea !== localStorage || (event.key !== tokenKey && event.key !== userKey) || pageUser === null) {
    return;
  }
  if (!localStorage.getItem(tokenKey) || !localStorage.getItem(userKey)) {
    signInAgainQuietly('signed-out');
  } else if (localStorage.getItem(userKey) !== pageUser.json) {
    window.location.reload();
  }
});

/// Whether the API still takes this tab's sign-in; true when the API cannot be reached (that is not a sign-in matter).
async function signedInStill() {
  try {
    const response = await fetch('/api/sites', { headers: { Authorization: authorization() } });
    return response.status !== 401;
  } catch {
    return true;
  }
}

// The storage event is the browser's notice; a background tab can miss it (seen under load), so a page also looks
// for the token now and then and follows a sign-out within two seconds either way.
setInterval(() => {
  if (pageUser !== null && (!localStorage.getItem(tokenKey) || !localStorage.getItem(userKey))) {
    signInAgainQuietly('signed-out');
  }
}, 2000);

function signInAgainQuietly(why) {
  try {
    signInAgain(why);
  } catch {
    // Leaving the page.
  }
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || ('Request failed (' + status + ')'));
    this.status = status;
    this.problem = problem;
  }
}

/// A key for one create, kept until the server has answered it, so a retry of the same create is recognised.
export function newIdempotencyKey() {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function api(path, { method = 'GET', body, ifMatch, idempotencyKey } = {}) {
  const headers = { Authorization: authorization() };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (ifMatch !== undefined) {
    headers['If-Match'] = '"' + ifMatch + '"';
  }
  if (idempotencyKey) {
    headers['Idempotency-Key'] = idempotencyKey;
  }
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401) {
    signInAgain('expired');
  }
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new ApiError(response.status, json || {});
  }
  return { body: json, etag: response.headers.get('ETag') };
}

/// Explains a failed request in the words a worker needs, never as a stack trace.
export function explain(error) {
  if (!(error instanceof ApiError)) {
    return 'Something went wrong. Try again.';
  }
  if (error.status === 412 || error.problem.code === 'concurrency.stale-version') {
    return 'Someone else changed this referral first. The list has been refreshed; check it and try again.';
  }
  if (error.problem.errors) {
    return Object.values(error.problem.errors).flat().join(' ');
  }
  return error.message;
}

const pageTitle = document.title;

/// The GOV.UK error summary: a linked list of what is wrong at the top, the same message at each field it is about,
/// and "Error:" first in the title. Each problem is { text, target }, target being the id of the input to correct.
export function showProblems(summary, problems) {
  clearFieldErrors();
  const list = summary.querySelector('[data-error-list]');
  list.replaceChildren(...problems.map((p) => element('li', {}, p.target ? element('a', { href: '#' + p.target, text: p.text }) : p.text)));
  for (const problem of problems.filter((p) => p.target)) {
    markField(problem.target, problem.text);
  }
  summary.classList.remove('fd-hidden');
  document.title = 'Error: ' + pageTitle;
  summary.focus();
}

export function showError(summary, message) {
  showProblems(summary, [{ text: message }]);
}

export function hideError(summary) {
  summary.classList.add('fd-hidden');
  clearFieldErrors();
  document.title = pageTitle;
}

/// What a failed request says is wrong, field by field where the API named the fields (keys as the API names them,
/// mapped to the inputs that hold them by `targets`).
export function problemsOf(error, targets = {}) {
  if (error instanceof ApiError && error.problem.errors && error.status !== 412) {
    return Object.entries(error.problem.errors).map(([field, messages]) => ({ text: messages.join(' '), target: targets[field] || targets[field.replace(/\[\d+\]$/, '')] }));
  }
  return [{ text: explain(error) }];
}

function markField(id, text) {
  const input = document.getElementById(id);
  const group = input && (input.closest('.govuk-date-input') ? input.closest('fieldset').parentElement : input.closest('.govuk-form-group'));
  if (!group) return;
  group.classList.add('govuk-form-group--error');
  const message = element('p', { class: 'govuk-error-message', id: id + '-error', 'data-field-error': '' }, element('span', { class: 'govuk-visually-hidden', text: 'Error: ' }), text);
  const anchor = group.querySelector('.govuk-date-input, input, select, textarea, .govuk-checkboxes, .govuk-radios');
  anchor.before(message);
  if (input.matches('input, select, textarea')) {
    input.classList.add(input.tagName === 'SELECT' ? 'govuk-select--error' : input.tagName === 'TEXTAREA' ? 'govuk-textarea--error' : 'govuk-input--error');
    input.setAttribute('aria-describedby', ((input.getAttribute('aria-describedby') || '') + ' ' + id + '-error').trim());
  }
}

function clearFieldErrors() {
  for (const message of document.querySelectorAll('[data-field-error]')) {
    const id = message.id;
    message.remove();
    const input = document.getElementById(id.replace(/-error$/, ''));
    if (input) {
      input.classList.remove('govuk-input--error', 'govuk-select--error', 'govuk-textarea--error');
      const described = (input.getAttribute('aria-describedby') || '').split(' ').filter((d) => d && d !== id).join(' ');
      if (described) input.setAttribute('aria-describedby', described); else input.removeAttribute('aria-describedby');
    }
  }
  for (const group of document.querySelectorAll('.govuk-form-group--error')) {
    group.classList.remove('govuk-form-group--error');
  }
}

/// A GOV.UK date input (`{prefix}-day`, `-month`, `-year`): { value: 'yyyy-mm-dd' } or { value: null } when left
/// empty, or { problem: { text, target } } — what was typed is never dropped for being incomplete or impossible.
export function readDate(prefix, name = 'Date of birth') {
  const parts = ['day', 'month', 'year'].map((part) => ({ part, text: document.getElementById(prefix + '-' + part).value.trim() }));
  const missing = parts.filter((p) => p.text === '');
  if (missing.length === 3) return { value: null };
  const refuse = (text, part) => ({ problem: { text, target: prefix + '-' + part } });
  if (missing.length > 0) return refuse(name + ' must include a ' + missing.map((p) => p.part).join(' and '), missing[0].part);
  const [day, month, year] = parts.map((p) => (/^\d+$/.test(p.text) ? Number(p.text) : NaN));
  if (!(day >= 1 && day <= 31)) return refuse(name + ' must be a real date: the day is a number from 1 to 31', 'day');
  if (!(month >= 1 && month <= 12)) return refuse(name + ' must be a real date: the month is a number from 1 to 12', 'month');
  if (!/^\d{4}$/.test(parts[2].text)) return refuse('Year must include 4 numbers', 'year');
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCDate() !== day) return refuse(name + ' must be a real date', 'day');
  if (date.getTime() > Date.now()) return refuse(name + ' must be in the past', 'day');
  if (year < 1900) return refuse(name + ' must be after 1900', 'year');
  return { value: parts[2].text + '-' + String(month).padStart(2, '0') + '-' + String(day).padStart(2, '0') };
}

/// Connects to the triage hub; `onConnected` runs on every (re)connection so the page re-joins and catches up.
export async function connectHub(handlers, onConnected) {
  const connection = new window.signalR.HubConnectionBuilder()
    .withUrl('/hubs/triage', { accessTokenFactory: () => token() })
    .withAutomaticReconnect([0, 1000, 2000, 5000, 10000])
    .build();
  for (const [name, handler] of Object.entries(handlers)) {
    connection.on(name, handler);
  }
  connection.onreconnected(() => onConnected(connection));
  connection.onclose(() => setTimeout(() => start(), 2000));
  const status = document.getElementById('connection-status');
  connection.onreconnecting(() => { if (status) status.textContent = 'Reconnecting…'; });
  async function start() {
    // A hub that lost its sign-in cannot come back by retrying: the page asks for it again instead.
    if (!token() || expired(token())) {
      signInAgainQuietly('expired');
      return;
    }
    try {
      await connection.start();
      await onConnected(connection);
    } catch {
      // The hub's client does not say why a connection was refused; the API does (any staff endpoint will do).
      if (await signedInStill()) {
        setTimeout(start, 2000);
      } else {
        signInAgainQuietly('expired');
      }
    }
  }
  await start();
  window.frontDoorHub = connection;
  return connection;
}

export function label(code) {
  return (code || '').replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

export function formatDue(dueAt) {
  const ms = new Date(dueAt).getTime() - Date.now();
  const minutes = Math.round(Math.abs(ms) / 60000);
  const text = minutes < 120 ? minutes + ' min' : (minutes < 2880 ? Math.round(minutes / 60) + ' h' : Math.round(minutes / 1440) + ' days');
  return ms >= 0 ? 'due in ' + text : 'overdue by ' + text;
}

export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    node.append(child);
  }
  return node;
}

let pageUser = null;

/// The pages a role may open, in the header menu's order.
export function pagesFor(user) {
  const pages = [];
  if (user.role === 'agent') pages.push({ text: 'Record a contact', href: '/agent/' });
  if (user.role === 'worker') pages.push({ text: label(user.service) + ' queue', href: '/queues/' + user.service });
  if (user.role === 'agent') pages.push({ text: 'Front door queue', href: '/queues/front-door-triage' });
  if (user.role === 'worker' || user.role === 'agent') pages.push({ text: 'My work', href: '/my-work/' });
  if (user.role === 'manager') {
    pages.push({ text: 'Wall', href: '/wall/' });
    pages.push(...services.map((s) => ({ text: label(s), href: '/queues/' + s })));
  }
  if (user.role === 'agent' || user.role === 'manager') pages.push({ text: 'Residents', href: '/residents/' });
  return pages;
}

/// Signs the page in: the header says who is signed in and holds the menu of what their role may open, and a sign-out.
/// A role that may not open this page gets a page that says so, with where they can go, and the page's script stops.
export function signedInBanner(roles) {
  const user = currentUser();
  pageUser = { json: localStorage.getItem(userKey) };
  const banner = document.getElementById('signed-in');
  if (banner) {
    banner.textContent = 'Signed in as ' + user.name;
  }
  const menu = document.getElementById('staff-menu');
  if (menu) {
    const here = window.location.pathname.replace(/\/$/, '');
    const signOutLink = element('a', { class: 'govuk-service-navigation__link', href: '/sign-in/', id: 'sign-out', text: 'Sign out' });
    signOutLink.addEventListener('click', (event) => { event.preventDefault(); signOut(); });
    menu.replaceChildren(
      ...pagesFor(user).map((page) => {
        const current = page.href.replace(/\/$/, '') === here;
        const link = element('a', { class: 'govuk-service-navigation__link', href: page.href, text: page.text });
        if (current) link.setAttribute('aria-current', 'page');
        return element('li', { class: 'govuk-service-navigation__item' + (current ? ' govuk-service-navigation__item--active' : '') }, link);
      }),
      element('li', { class: 'govuk-service-navigation__item' }, signOutLink));
    document.getElementById('staff-nav').classList.remove('fd-hidden');
  }
  if (roles && !roles.includes(user.role)) {
    notForThisRole(user);
  }
  return user;
}

/// The page a signed-in person sees where their role has no business: what happened and where they can go.
export function notForThisRole(user, detail) {
  const main = document.getElementById('main-content');
  const pages = pagesFor(user);
  main.replaceChildren(
    element('h1', { class: 'govuk-heading-l', text: 'You cannot open this page' }),
    element('p', { class: 'govuk-body', text: detail || ('You are signed in as ' + user.name + ', and this page is not for your role.') }),
    ...(pages.length > 0
      ? [element('p', { class: 'govuk-body', text: 'You can open:' }), element('ul', { class: 'govuk-list', id: 'allowed-pages' }, ...pages.map((p) => element('li', {}, element('a', { class: 'govuk-link', href: p.href, text: p.text }))))]
      : [element('p', { class: 'govuk-body', text: 'None of FrontDoor\u2019s pages are for your role. Sign out and sign in as someone else.' })]));
  document.title = 'You cannot open this page \u2013 FrontDoor';
  document.body.dataset.ready = 'true';
  document.body.dataset.refused = 'true';
  throw new Error('This page is not for the signed-in role.');
}

/// `read` run one at a time: a call while it runs makes it run once more afterwards, so a burst of pushes ends in one
/// read that saw all of them, and an older answer never lands after a newer one.
export function coalesced(read) {
  let running = false;
  let again = false;
  return async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await read();
      } while (again);
    } finally {
      running = false;
    }
  };
}

// Shared by FrontDoor's staff pages: the signed-in user, API calls with ProblemDetails handling, and the hub.
const tokenKey = 'frontdoor.token';

export function currentUser() {
  const token = sessionStorage.getItem(tokenKey);
  const user = sessionStorage.getItem('frontdoor.user');
  if (!token || !user) {
    window.location.assign('/sign-in/?next=' + encodeURIComponent(window.location.pathname));
    throw new Error('Not signed in.');
  }
  return JSON.parse(user);
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || ('Request failed (' + status + ')'));
    this.status = status;
    this.problem = problem;
  }
}

export async function api(path, { method = 'GET', body, ifMatch } = {}) {
  const headers = { Authorization: 'Bearer ' + sessionStorage.getItem(tokenKey) };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (ifMatch !== undefined) {
    headers['If-Match'] = '"' + ifMatch + '"';
  }
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401) {
    sessionStorage.removeItem(tokenKey);
    currentUser();
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
    .withUrl('/hubs/triage', { accessTokenFactory: () => sessionStorage.getItem(tokenKey) })
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
    try {
      await connection.start();
      await onConnected(connection);
    } catch {
      setTimeout(start, 2000);
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

export function signedInBanner() {
  const user = currentUser();
  const banner = document.getElementById('signed-in');
  if (banner) {
    banner.textContent = 'Signed in as ' + user.name;
  }
  return user;
}

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

export function showError(summary, message) {
  summary.querySelector('[data-error-text]').textContent = message;
  summary.classList.remove('fd-hidden');
  summary.focus();
}

export function hideError(summary) {
  summary.classList.add('fd-hidden');
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

// A team's queue, live: a snapshot on (re)connect, then pushes newer than it; actions carry the version shown.
import { api, coalesced, connectHub, element, formatDue, hideError, label, notForThisRole, problemsOf, showProblems, signedInBanner } from '/js/frontdoor.js';
import { actionsFor, nameOf, openReferralForm, wireReferralForms } from '/js/referral-forms.js';

const service = decodeURIComponent(window.location.pathname.split('/').filter(Boolean)[1] || '');
const items = new Map();
const names = {};
let position = 0;
let acting = null;
const errorSummary = document.getElementById('error-summary');

const user = signedInBanner(['worker', 'manager', 'agent']);
if (user.role === 'worker' && user.service !== service) {
  notForThisRole(user, 'This is the ' + label(service) + ' queue; you work on the ' + label(user.service) + ' queue.');
}
if (user.role === 'agent' && service !== 'front-door-triage') {
  notForThisRole(user, 'This is the ' + label(service) + ' queue; the contact centre works the front door triage queue.');
}
// Check-backs are the contact centre's to do: they ring the resident.
const checksBack = user.role === 'agent' && service === 'front-door-triage';
let checkingBack = null;
document.getElementById('queue-title').textContent = label(service) + ' queue';
if (user.role === 'manager') {
  document.querySelector('#team-link a').href = '/teams/' + encodeURIComponent(service);
  document.getElementById('team-link').classList.remove('fd-hidden');
}
document.title = label(service) + ' queue – FrontDoor';

// What has the keyboard's focus in the table, by what it is rather than which node: the rows are drawn again on every
// push, and a keyboard user must not lose their place to someone else's change.
function focusedControl() {
  const focused = document.activeElement;
  if (!focused || !document.getElementById('queue-items').contains(focused)) {
    return null;
  }
  return focused.dataset.case ? `a[data-case="${focused.dataset.case}"]`
    : focused.dataset.action === 'check-back' ? `button[data-action="check-back"][data-contact="${focused.dataset.contact}"]`
      : focused.dataset.action ? `button[data-action="${focused.dataset.action}"][data-referral="${focused.dataset.referral}"]` : null;
}

function render() {
  const body = document.getElementById('queue-items');
  const focused = focusedControl();
  body.replaceChildren();
  const rank = { immediate: 3, urgent: 2, standard: 1 };
  const sorted = [...items.values()].sort((a, b) => (rank[b.priority] - rank[a.priority]) || (new Date(a.dueAt) - new Date(b.dueAt)));
  for (const item of sorted) {
    const due = element('td', { class: 'govuk-table__cell' + (item.overdue ? ' fd-overdue' : ''), 'data-label': 'Due', 'data-due': item.dueAt, text: formatDue(item.dueAt) });
    const actions = element('td', { class: 'govuk-table__cell fd-actions' });
    if (item.kind === 'referral') {
      for (const action of availableActions(item)) {
        const button = element('button', { type: 'button', class: 'govuk-button govuk-button--secondary', 'data-action': action, 'data-referral': item.referralId, text: label(action) });
        button.addEventListener('click', () => act(item, action));
        actions.append(button);
      }
    } else if (checksBack) {
      const button = element('button', { type: 'button', class: 'govuk-button govuk-button--secondary', 'data-action': 'check-back', 'data-contact': item.contactId, text: 'Check back' });
      button.addEventListener('click', () => openCheckBack(item));
      actions.append(button);
    }
    const priority = element('td', { class: 'govuk-table__cell', 'data-label': 'Priority' });
    priority.append(element('strong', { class: 'govuk-tag' + (item.priority === 'immediate' ? ' govuk-tag--red' : item.priority === 'urgent' ? ' govuk-tag--orange' : ' govuk-tag--grey'), text: (item.safeguarding ? 'Safeguarding – ' : '') + label(item.priority) }));
    const row = element('tr', { class: 'govuk-table__row' + (item.safeguarding || item.priority === 'immediate' ? ' fd-safeguarding' : ''), 'data-referral': item.referralId || '', 'data-contact': item.contactId },
      priority,
      needsCell(item),
      element('td', { class: 'govuk-table__cell', 'data-label': 'Status', 'data-status': item.status, text: label(item.status) + (item.claimedBy ? ' by ' + nameOf(names, item.claimedBy) : '') }),
      due,
      actions);
    body.append(row);
  }
  document.getElementById('queue-empty').classList.toggle('fd-hidden', items.size > 0);
  if (focused) {
    body.querySelector(focused)?.focus();
  }
}

// The needs name the case, and open it: a link, so the keyboard reaches it like any other.
function needsCell(item) {
  const text = item.needs.map(label).join(', ') || (item.kind === 'follow-up' ? 'Check back with the resident' : 'To triage');
  const cell = element('td', { class: 'govuk-table__cell', 'data-label': 'Needs' });
  cell.append(item.kind === 'referral' ? element('a', { class: 'govuk-link', href: '/cases/' + item.referralId, 'data-case': item.referralId, text }) : text);
  return cell;
}

// Handing work to a colleague is done from the case page, where there is room to choose them.
function availableActions(item) {
  return actionsFor(user, { ...item, service }).filter((action) => action !== 'assign');
}

function key(item) {
  return item.referralId || ('follow-up:' + item.contactId);
}

async function act(item, action) {
  hideError(errorSummary);
  if (action === 'return' || action === 'complete') {
    acting = item;
    openReferralForm(action, errorSummary);
    return;
  }
  await send(item, action);
}

async function send(item, action, body, targets = {}) {
  try {
    await api('/api/referrals/' + item.referralId + '/' + action, { method: 'POST', body, ifMatch: item.version });
    await refresh(item.referralId);
    return true;
  } catch (error) {
    showProblems(errorSummary, problemsOf(error, targets));
    await refresh(item.referralId);
    return false;
  }
}

async function refresh(referralId) {
  try {
    const { body } = await api('/api/referrals/' + referralId);
    Object.assign(names, body.names || {});
    const open = ['raised', 'claimed', 'accepted'].includes(body.status) && body.service === service;
    const existing = items.get(referralId);
    if (open) {
      items.set(referralId, { ...(existing || {}), kind: 'referral', referralId, contactId: body.contactId, priority: body.priority, status: body.status, dueAt: body.dueAt, overdue: body.overdue, safeguarding: body.needs.some((n) => n.endsWith('safeguarding')), claimedBy: body.claimedBy, needs: body.needs, version: body.version });
    } else {
      items.delete(referralId);
    }
  } catch {
    items.delete(referralId);
  }
  render();
}

function wireForms() {
  wireReferralForms(errorSummary, (action, body, targets) => send(acting, action, body, targets));
  document.getElementById('check-back-cancel').addEventListener('click', () => document.getElementById('check-back-panel').classList.add('fd-hidden'));
  document.getElementById('check-back-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    hideError(errorSummary);
    const helped = document.querySelector('#check-back-form input[name=helped]:checked')?.value;
    const note = document.getElementById('check-back-note').value.trim();
    const problems = [];
    if (!helped) problems.push({ text: 'Say whether the resident was helped.', target: 'check-back-helped' });
    if (!note) problems.push({ text: 'Record what the resident said.', target: 'check-back-note' });
    if (problems.length > 0) {
      showProblems(errorSummary, problems);
      return;
    }
    try {
      await api('/api/contacts/' + checkingBack.contactId + '/follow-up', { method: 'POST', body: { helped: helped === 'yes', note } });
      document.getElementById('check-back-panel').classList.add('fd-hidden');
      document.getElementById('check-back-form').reset();
      await refreshCheckBacks();
    } catch (error) {
      showProblems(errorSummary, problemsOf(error, { helped: 'check-back-helped', note: 'check-back-note' }));
    }
  });
}

function openCheckBack(item) {
  hideError(errorSummary);
  checkingBack = item;
  document.getElementById('check-back-title').textContent = 'Check back with the resident (reference ' + item.contactId.slice(0, 8).toUpperCase() + ')';
  document.getElementById('check-back-panel').classList.remove('fd-hidden');
  document.getElementById('check-back-helped').focus();
}

// The check-backs as the queue holds them now: a change to one is pushed without its details, which the queue read
// has for every kind of reader (a contact's own view is not open to every team).
const refreshCheckBacks = coalesced(async () => {
  const { body } = await api('/api/queues/' + encodeURIComponent(service));
  for (const existing of [...items.keys()].filter((k) => k.startsWith('follow-up:'))) {
    items.delete(existing);
  }
  for (const item of body.items.filter((i) => i.kind === 'follow-up')) {
    items.set(key(item), item);
  }
  render();
});

async function join(connection) {
  const snapshot = await connection.invoke('WatchQueue', service, position || null);
  items.clear();
  Object.assign(names, snapshot.names || {});
  for (const item of snapshot.items) {
    items.set(key(item), item);
  }
  position = snapshot.position;
  document.getElementById('connection-status').textContent = 'Live';
  document.body.dataset.position = String(position);
  render();
  document.body.dataset.ready = 'true';
}

wireForms();
setInterval(render, 30000);
await connectHub({
  followUpChanged: async (change) => {
    if (change.position <= position || service !== 'front-door-triage') {
      return;
    }
    position = change.position;
    document.body.dataset.position = String(position);
    await refreshCheckBacks();
  },
  queueChanged: async (change) => {
    if (change.position <= position) {
      return;
    }
    position = change.position;
    document.body.dataset.position = String(position);
    await refresh(change.referralId);
    // Tell us once: whoever holds the referral hears that the resident has been in touch again.
    if (change.change === 'contact-attached') {
      const notice = document.getElementById('queue-notice');
      notice.textContent = 'A resident has contacted us again: their new contact joined the ' + label(change.service) + ' referral first made under reference ' + change.contactId.slice(0, 8).toUpperCase() + '.';
      notice.dataset.referral = change.referralId;
      notice.classList.remove('fd-hidden');
    }
  },
}, join);

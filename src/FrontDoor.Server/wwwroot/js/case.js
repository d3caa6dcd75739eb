// A case: one referral with the contact behind it, its notes and history, and the team's actions on it. Live: a change
// by anyone else is pushed to the service's queue group, and the page reads the case again and says so.
import { api, connectHub, element, formatDue, hideError, label, newIdempotencyKey, problemsOf, showProblems, signedInBanner } from '/js/frontdoor.js';
import { actionsFor, fillColleagues, nameOf, openReferralForm, wireReferralForms } from '/js/referral-forms.js';

const referralId = decodeURIComponent(window.location.pathname.split('/').filter(Boolean)[1] || '');
const errorSummary = document.getElementById('error-summary');
const user = signedInBanner(['worker', 'manager', 'agent']);
const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/London' });
let referral = null;
let contactShown = null;
let position = 0;
let ownChange = false;

function row(list, key, value, attributes = {}) {
  list.append(element('div', { class: 'govuk-summary-list__row' },
    element('dt', { class: 'govuk-summary-list__key', text: key }),
    element('dd', { class: 'govuk-summary-list__value', ...attributes }, value)));
}

function renderDetails(contact) {
  const title = label(referral.service) + ' case ' + referral.contactId.slice(0, 8).toUpperCase();
  document.getElementById('case-title').textContent = title;
  document.title = title + ' – FrontDoor';
  document.getElementById('back-to-queue').href = '/queues/' + referral.service;
  document.getElementById('case-safeguarding').classList.toggle('fd-hidden', !referral.needs.some((n) => n.endsWith('safeguarding')));
  document.getElementById('case-summary').textContent = contact
    ? (contact.summaryErased ? 'Erased at the resident\u2019s request.' : contact.summary)
    : 'Not available.';

  const details = document.getElementById('case-details');
  details.replaceChildren();
  row(details, 'Status', label(referral.status), { 'data-status': referral.status });
  row(details, 'Held by', referral.claimedBy
    ? nameOf(referral.names, referral.claimedBy) + (referral.heldSince ? ', since ' + when.format(new Date(referral.heldSince)) : '')
    : 'Nobody yet', { 'data-holder': referral.claimedBy || '' });
  row(details, 'Priority', label(referral.priority));
  row(details, 'Needs', referral.needs.map(label).join(', ') || 'None recorded');
  row(details, 'Due', when.format(new Date(referral.dueAt)) + ' (' + formatDue(referral.dueAt) + ')', { class: 'govuk-summary-list__value' + (referral.overdue ? ' fd-overdue' : '') });
  for (const clock of referral.statutoryClocks) {
    row(details, clock.name, 'By ' + when.format(new Date(clock.deadline)) + ' (' + formatDue(clock.deadline) + '). ' + clock.description, { 'data-clock': clock.code });
  }
  if (contact) {
    row(details, 'How they reached us', label(contact.channel) + (contact.siteId ? ' at ' + label(contact.siteId) : ''));
    row(details, 'Came in', when.format(new Date(contact.receivedAt)));
    row(details, 'Recorded by', contact.history.length > 0 ? contact.history[0].actorName || contact.history[0].actor : 'Unknown');
  }
  if (referral.returnedFrom) {
    const from = referral.returnedFrom;
    row(details, 'Returned work', 'Handed back by ' + label(from.service)
      + (from.returnedAt ? ' on ' + when.format(new Date(from.returnedAt)) : '')
      + (from.returnedBy ? ' (' + nameOf(referral.names, from.returnedBy) + ')' : '')
      + ': ' + (from.reason === null ? 'the reason was erased at the resident’s request.' : from.reason), { 'data-returned-from': from.service });
  }
  if (referral.outcome) {
    row(details, 'Outcome', referral.outcome);
  }

  const resident = document.getElementById('case-resident');
  if (contact && contact.resident && !contact.resident.erased) {
    const list = element('dl', { class: 'govuk-summary-list', id: 'case-resident-details' });
    for (const [key, value] of [['Name', contact.resident.name], ['Date of birth', contact.resident.dateOfBirth], ['Postcode', contact.resident.postcode], ['Phone', contact.resident.phone], ['Email', contact.resident.email]]) {
      row(list, key, value || 'Not given');
    }
    resident.replaceChildren(list);
  } else {
    resident.replaceChildren(element('p', { class: 'govuk-body', id: 'case-no-consent', text: contact && contact.resident && contact.resident.erased
      ? 'The resident\u2019s details were erased at their request.'
      : 'No consent to share details with this service.' }));
  }

  const history = document.getElementById('case-history-items');
  history.replaceChildren(...(contact ? contact.history : []).map((entry) => element('tr', { class: 'govuk-table__row' },
    element('td', { class: 'govuk-table__cell', text: when.format(new Date(entry.at)) }),
    element('td', { class: 'govuk-table__cell', text: entry.actorName || entry.actor }),
    element('td', { class: 'govuk-table__cell', text: entry.description }))));
}

// Tell us once: what else the resident has with the council, where their consent lets this team see it.
async function renderResidentWork() {
  let work = null;
  try {
    work = (await api('/api/referrals/' + referralId + '/resident-work')).body;
  } catch {
    work = null;
  }
  const shared = work !== null && work.shared;
  document.getElementById('case-resident-work').classList.toggle('fd-hidden', !shared);
  if (!shared) {
    return;
  }
  const none = (text) => element('li', { text });
  document.getElementById('case-other-referrals').replaceChildren(...(work.openReferrals.length === 0 ? [none('None.')] : work.openReferrals.map((r) => element('li', { 'data-other-referral': r.referralId },
    label(r.service) + ' (' + label(r.priority) + '): ' + label(r.status)
    + (r.heldBy ? ', held by ' + (r.heldByName || r.heldBy) : ', nobody holds it yet')
    + ', ' + formatDue(r.dueAt)))));
  document.getElementById('case-other-contacts').replaceChildren(...(work.contacts.length === 0 ? [none('None.')] : work.contacts.map((c) => element('li', { 'data-other-contact': c.contactId },
    'Reference ' + c.reference + ': ' + label(c.channel) + (c.siteId ? ' at ' + label(c.siteId) : '') + ', ' + when.format(new Date(c.receivedAt)) + ' (' + label(c.status) + ')'))));
}

function renderNotes() {
  const notes = referral.notes || [];
  document.getElementById('case-notes').replaceChildren(...notes.map((note) => element('li', { class: 'fd-note', 'data-note': note.noteId },
    element('p', { class: 'govuk-body govuk-!-margin-bottom-1', text: note.text === null ? 'Erased at the resident\u2019s request.' : note.text }),
    element('p', { class: 'govuk-body-s fd-note-by', text: nameOf(referral.names, note.by) + ', ' + when.format(new Date(note.at)) }))));
  document.getElementById('case-notes-empty').classList.toggle('fd-hidden', notes.length > 0);
}

function availableActions() {
  return actionsFor(user, referral);
}

// Drawn again only when they change: a push that changes nothing here must not take the keyboard's focus away.
let shownActions = null;

function renderActions() {
  const available = availableActions();
  const signature = referral.status + ':' + referral.claimedBy + ':' + available.join(',');
  if (signature === shownActions) {
    return;
  }
  shownActions = signature;
  const actions = document.getElementById('case-actions');
  actions.replaceChildren(...available.map((action) => {
    const button = element('button', { type: 'button', class: 'govuk-button' + (action === 'return' ? ' govuk-button--secondary' : ''), 'data-action': action, text: label(action) });
    button.addEventListener('click', () => act(action));
    return button;
  }));
  if (actions.childElementCount === 0) {
    actions.append(element('p', { class: 'govuk-body', id: 'case-no-actions', text: referral.status === 'completed' || referral.status === 'returned'
      ? 'This referral is ' + referral.status + '.'
      : referral.claimedBy && (user.role !== 'worker' || user.service === referral.service)
        ? nameOf(referral.names, referral.claimedBy) + ' holds this referral; only they or a manager can act on it.'
        : 'Only the ' + label(referral.service) + ' team acts on this referral.' }));
  }
}

async function load() {
  const { body } = await api('/api/referrals/' + referralId);
  // Reads overlap (a push's, an action's): a slower answer to an earlier one must not draw the case as it was before.
  if (referral && body.version < referral.version) {
    return;
  }
  referral = body;
  let contact = null;
  try {
    contact = (await api('/api/contacts/' + referral.contactId)).body;
  } catch {
    contact = null;
  }
  contactShown = contact;
  // The holder and the buttons that depend on it are drawn together: with a read between them, a person (or a
  // keyboard) could see the new holder and press a button about to be replaced.
  renderDetails(contact);
  renderNotes();
  renderActions();
  await renderResidentWork();
}

async function act(action) {
  hideError(errorSummary);
  if (action === 'assign') {
    try {
      await fillColleagues(document.getElementById('assign-to'), referral.service, referral.claimedBy);
    } catch (error) {
      showProblems(errorSummary, problemsOf(error));
      return;
    }
  }
  if (action === 'return' || action === 'complete' || action === 'assign') {
    openReferralForm(action, errorSummary);
    return;
  }
  send(action);
}

/// Who made a change, by name where the case knows them.
function whoIs(actor) {
  const named = contactShown && contactShown.history.find((entry) => entry.actor === actor && entry.actorName);
  return (referral.names && referral.names[actor]) || (named && named.actorName) || 'Someone else';
}

async function send(action, body, targets = {}) {
  try {
    ownChange = true;
    await api('/api/referrals/' + referralId + '/' + action, { method: 'POST', body, ifMatch: referral.version });
    await load();
    return true;
  } catch (error) {
    showProblems(errorSummary, problemsOf(error, targets));
    await load();
    return false;
  }
}

function wireForms() {
  wireReferralForms(errorSummary, send);
  document.getElementById('note-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    hideError(errorSummary);
    const text = document.getElementById('note-text').value.trim();
    if (!text) {
      showProblems(errorSummary, [{ text: 'Write the note.', target: 'note-text' }]);
      return;
    }
    // One key per note typed, so a retry after a lost answer records it once.
    const form = document.getElementById('note-form');
    form.dataset.key = form.dataset.key || newIdempotencyKey();
    try {
      ownChange = true;
      await api('/api/referrals/' + referralId + '/notes', { method: 'POST', body: { text }, idempotencyKey: form.dataset.key });
      document.getElementById('note-text').value = '';
      delete form.dataset.key;
      await load();
    } catch (error) {
      showProblems(errorSummary, problemsOf(error, { text: 'note-text' }));
    }
  });
}

async function join(connection) {
  if (!referral) {
    return;
  }
  const snapshot = await connection.invoke('WatchQueue', referral.service, position || null);
  position = Math.max(position, snapshot.position);
  document.getElementById('connection-status').textContent = 'Live';
  document.body.dataset.ready = 'true';
}

wireForms();
try {
  await load();
} catch (error) {
  showProblems(errorSummary, problemsOf(error));
  document.getElementById('connection-status').textContent = 'Not available';
  document.body.dataset.ready = 'true';
}
if (referral) {
  await connectHub({
    queueChanged: async (change) => {
      if (change.position <= position || change.referralId !== referralId) {
        return;
      }
      position = change.position;
      const mine = ownChange || change.actor === user.id;
      ownChange = false;
      await load();
      if (!mine) {
        const notice = document.getElementById('case-notice');
        notice.textContent = whoIs(change.actor) + ' just changed this case (' + label(change.change) + '); it now shows their change.';
        notice.classList.remove('fd-hidden');
      }
    },
  }, join);
}

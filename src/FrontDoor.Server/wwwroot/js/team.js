// Who holds what in one team, for its manager: the work nobody holds, then each colleague with what they hold and for
// how long (overdue first), and a way to give any of it to someone with room. Live: read again on every change.
import { api, coalesced, connectHub, element, hideError, label, problemsOf, showProblems, signedInBanner } from '/js/frontdoor.js';
import { caseCell, cell, dueCell, priorityCell, since, workRow } from '/js/work-rows.js';

const service = decodeURIComponent(window.location.pathname.split('/').filter(Boolean)[1] || '');
const user = signedInBanner(['manager']);
const errorSummary = document.getElementById('error-summary');
let position = 0;
let team = null;

document.getElementById('team-title').textContent = 'Who holds what: ' + label(service);
document.title = 'Who holds what: ' + label(service) + ' – FrontDoor';
document.getElementById('back-to-queue').href = '/queues/' + encodeURIComponent(service);

// A select and a button per referral; the select is labelled for screen readers by the case it is for.
function giveCell(item) {
  const id = 'give-' + item.referralId;
  const select = element('select', { class: 'govuk-select', id, 'data-give': item.referralId },
    element('option', { value: '', text: 'Choose a colleague' }),
    ...team.holders.filter((h) => h.userId !== item.claimedBy).map((h) => element('option', { value: h.userId, text: h.name + ' (holds ' + h.open + (team.cap ? ' of ' + team.cap : '') + ')' })));
  const button = element('button', { type: 'button', class: 'govuk-button govuk-button--secondary govuk-!-margin-bottom-0', 'data-assign': item.referralId, text: 'Give' });
  button.addEventListener('click', () => give(item, select));
  return cell('Give to', element('div', { class: 'govuk-form-group govuk-!-margin-bottom-0', id: id + '-group' },
    element('label', { class: 'govuk-label govuk-visually-hidden', for: id, text: 'Give ' + (item.needs.map(label).join(', ') || 'this referral') + ' to' }),
    select, button));
}

function render() {
  const focused = document.activeElement?.id || null;
  const unheld = document.getElementById('unheld-items');
  unheld.replaceChildren(...team.unheld.map((item) => workRow(item, priorityCell(item), caseCell(item), cell('Waiting', since(item.raisedAt)), dueCell(item), giveCell(item))));
  document.getElementById('unheld').classList.toggle('fd-hidden', team.unheld.length === 0);
  document.getElementById('unheld-empty').classList.toggle('fd-hidden', team.unheld.length > 0);

  document.getElementById('holders').replaceChildren(...team.holders.map((holder) => {
    const section = element('section', { class: 'fd-holder', 'data-holder': holder.userId },
      element('h3', { class: 'govuk-heading-s', text: holder.name }),
      element('p', { class: 'govuk-body' + (holder.overdue > 0 ? ' fd-overdue' : ''), 'data-open': String(holder.open), text: holder.open === 0
        ? 'Holds nothing open.'
        : 'Holds ' + holder.open + (team.cap ? ' of ' + team.cap : '') + (holder.overdue > 0 ? ', ' + holder.overdue + ' overdue' : '') + '; the longest for ' + since(holder.heldSince) + '.' }));
    if (holder.items.length > 0) {
      section.append(element('table', { class: 'govuk-table fd-stack' },
        element('caption', { class: 'govuk-table__caption govuk-visually-hidden', text: 'Held by ' + holder.name }),
        element('thead', { class: 'govuk-table__head' }, element('tr', { class: 'govuk-table__row' },
          ...['Priority', 'Case', 'Held for', 'Due', 'Give to'].map((h) => element('th', { scope: 'col', class: 'govuk-table__header', text: h })))),
        element('tbody', { class: 'govuk-table__body' }, ...holder.items.map((item) => workRow(item, priorityCell(item), caseCell(item), cell('Held for', item.heldSince ? since(item.heldSince) : ''), dueCell(item), giveCell(item))))));
    }
    return section;
  }));
  document.getElementById('holders-empty').classList.toggle('fd-hidden', team.holders.length > 0);
  document.getElementById('team-cap').textContent = team.cap ? 'Nobody may hold more than ' + team.cap + ' open referrals.' : 'There is no limit on how many open referrals one person holds.';
  if (focused) {
    document.getElementById(focused)?.focus();
  }
}

const load = coalesced(async () => {
  team = (await api('/api/teams/' + encodeURIComponent(service) + '/work')).body;
  render();
});

async function give(item, select) {
  hideError(errorSummary);
  if (!select.value) {
    showProblems(errorSummary, [{ text: 'Choose who is to hold the referral.', target: select.id }]);
    return;
  }
  try {
    await api('/api/referrals/' + item.referralId + '/assign', { method: 'POST', body: { assignee: select.value }, ifMatch: item.version });
  } catch (error) {
    showProblems(errorSummary, problemsOf(error, { assignee: select.id }));
  }
  await load();
}

async function join(connection) {
  const snapshot = await connection.invoke('WatchQueue', service, position || null);
  position = Math.max(position, snapshot.position);
  await load();
  document.getElementById('connection-status').textContent = 'Live';
  document.body.dataset.ready = 'true';
}

setInterval(() => team && render(), 60000);
if (user.role === 'manager') {
  try {
    await connectHub({
      queueChanged: async (change) => {
        if (change.position <= position) {
          return;
        }
        position = change.position;
        await load();
      },
    }, join);
  } catch (error) {
    showProblems(errorSummary, problemsOf(error));
    document.body.dataset.ready = 'true';
  }
}

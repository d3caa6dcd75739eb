// The list behind one of the wall's figures (overdue, unclaimed, safeguarding nobody holds, returned, check-backs
// due), across services or for one; read again whenever the wall's figures change.
import { api, coalesced, connectHub, label, problemsOf, showProblems, signedInBanner } from '/js/frontdoor.js';
import { nameOf } from '/js/referral-forms.js';
import { caseCell, cell, dueCell, priorityCell, since, workRow } from '/js/work-rows.js';

signedInBanner(['manager']);
const query = new URLSearchParams(window.location.search);
const show = query.get('show') || 'overdue';
const service = query.get('service');
const errorSummary = document.getElementById('error-summary');
const titles = {
  overdue: 'Overdue referrals',
  unclaimed: 'Referrals nobody has claimed',
  'unclaimed-urgent': 'Safeguarding and immediate work nobody holds',
  returned: 'Referrals handed back (wrong door)',
  'check-backs-due': 'Check-backs due',
  'without-owner': 'Contacts without an owner',
};
const title = (titles[show] || 'Work') + (service ? ': ' + label(service) : '');
document.getElementById('work-title').textContent = title;
document.getElementById('work-caption').textContent = title;
document.title = title + ' – FrontDoor';
let position = 0;

function render(list) {
  document.getElementById('work-items').replaceChildren(...list.items.map((item) => workRow(item,
    cell('Team', label(item.service)),
    priorityCell(item),
    item.kind === 'referral' ? caseCell(item)
      : cell('Case', (item.kind === 'contact' ? 'Contact nobody owns' : 'Check back with the resident') + ' (reference ' + item.contactId.slice(0, 8).toUpperCase() + ')'),
    cell('Held by', item.kind === 'contact' ? 'Nobody – received ' + since(item.raisedAt) + ' ago' : item.kind !== 'referral' ? 'Front door' : show === 'returned' ? 'Handed back' : item.claimedBy ? nameOf(list.names, item.claimedBy) + (item.heldSince ? ' for ' + since(item.heldSince) : '') : 'Nobody – waiting ' + since(item.raisedAt)),
    dueCell(item))));
  document.getElementById('work-empty').classList.toggle('fd-hidden', list.items.length > 0);
  document.getElementById('work').classList.toggle('fd-hidden', list.items.length === 0);
  document.body.dataset.count = String(list.items.length);
}

const load = coalesced(async () => {
  try {
    render((await api('/api/work?show=' + encodeURIComponent(show) + (service ? '&service=' + encodeURIComponent(service) : ''))).body);
  } catch (error) {
    showProblems(errorSummary, problemsOf(error));
  }
});

await connectHub({
  wallChanged: async (change) => {
    if (change.position <= position) {
      return;
    }
    position = change.position;
    await load();
  },
}, async (connection) => {
  const snapshot = await connection.invoke('WatchWall', position || null);
  position = snapshot.position;
  await load();
  document.getElementById('connection-status').textContent = 'Live';
  document.body.dataset.ready = 'true';
});

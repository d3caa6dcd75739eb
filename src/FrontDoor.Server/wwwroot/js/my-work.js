// The referrals the signed-in worker holds, most pressing first, live: read again whenever their team's queue changes
// (work assigned to them arrives as a change there), and a note says when someone else gave them work.
import { api, coalesced, connectHub, label, problemsOf, showProblems, signedInBanner } from '/js/frontdoor.js';
import { caseCell, cell, dueCell, priorityCell, since, workRow } from '/js/work-rows.js';

const user = signedInBanner(['worker', 'agent']);
const service = user.role === 'agent' ? 'front-door-triage' : user.service;
const errorSummary = document.getElementById('error-summary');
let position = 0;
let shown = [];

function render() {
  const body = document.getElementById('my-work-items');
  const focused = document.activeElement && body.contains(document.activeElement) ? document.activeElement.dataset.case : null;
  body.replaceChildren(...shown.map((item) => workRow(item,
    priorityCell(item),
    caseCell(item),
    cell('Status', label(item.status), { 'data-status': item.status }),
    cell('Yours for', item.heldSince ? since(item.heldSince) : ''),
    dueCell(item))));
  document.getElementById('my-work-empty').classList.toggle('fd-hidden', shown.length > 0);
  document.getElementById('my-work').classList.toggle('fd-hidden', shown.length === 0);
  if (focused) {
    body.querySelector(`a[data-case="${focused}"]`)?.focus();
  }
}

const load = coalesced(async () => {
  const { body } = await api('/api/my/work');
  shown = body.items;
  render();
});

async function join(connection) {
  const snapshot = await connection.invoke('WatchQueue', service, position || null);
  position = Math.max(position, snapshot.position);
  await load();
  document.getElementById('connection-status').textContent = 'Live';
  document.body.dataset.ready = 'true';
}

setInterval(render, 60000);
try {
  await connectHub({
    queueChanged: async (change) => {
      if (change.position <= position) {
        return;
      }
      position = change.position;
      await load();
      if (change.change === 'assigned' && change.heldBy === user.id && change.actor !== user.id) {
        const notice = document.getElementById('my-work-notice');
        notice.textContent = 'You have been given a ' + label(change.service) + ' referral (' + label(change.priority) + ').';
        notice.classList.remove('fd-hidden');
      }
    },
  }, join);
} catch (error) {
  showProblems(errorSummary, problemsOf(error));
  document.body.dataset.ready = 'true';
}

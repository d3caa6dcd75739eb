// The return and complete forms a team fills in, on the queue and on the case page alike: what is missing is an error
// on its field, and a form closes once the referral took it. And what each person may do with a referral.
import { api, element, hideError, showProblems } from '/js/frontdoor.js';

const fields = { return: 'return-reason', complete: 'complete-outcome', assign: 'assign-to' };

/// Opens the form for `action` ('return', 'complete' or 'assign') with the keyboard in its first field.
export function openReferralForm(action, errorSummary) {
  hideError(errorSummary);
  document.getElementById(action + '-panel').classList.remove('fd-hidden');
  document.getElementById(fields[action]).focus();
}

/// Wires the forms; `send(action, body, targets)` sends the action and answers whether the referral took it.
export function wireReferralForms(errorSummary, send) {
  document.getElementById('return-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const reason = document.getElementById('return-reason').value.trim();
    if (!reason) {
      showProblems(errorSummary, [{ text: 'Say why the referral is coming back.', target: 'return-reason' }]);
      return;
    }
    const body = { reason, suggestedService: document.getElementById('return-service').value || null };
    if (await send('return', body, { reason: 'return-reason', suggestedService: 'return-service' })) {
      close('return');
    }
  });
  document.getElementById('complete-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const outcome = document.getElementById('complete-outcome').value.trim();
    if (!outcome) {
      showProblems(errorSummary, [{ text: 'Record the outcome for the resident.', target: 'complete-outcome' }]);
      return;
    }
    if (await send('complete', { outcome }, { outcome: 'complete-outcome' })) {
      close('complete');
    }
  });
  document.getElementById('assign-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const assignee = document.getElementById('assign-to').value;
    if (!assignee) {
      showProblems(errorSummary, [{ text: 'Choose who is to hold the referral.', target: 'assign-to' }]);
      return;
    }
    if (await send('assign', { assignee }, { assignee: 'assign-to' })) {
      close('assign');
    }
  });
  for (const action of Object.keys(fields)) {
    document.getElementById(action + '-cancel').addEventListener('click', () => document.getElementById(action + '-panel').classList.add('fd-hidden'));
  }
}

function close(action) {
  document.getElementById(action + '-panel').classList.add('fd-hidden');
  document.getElementById(fields[action]).value = '';
}

/// What `user` may do with a referral: their team's own work (held by nobody or by them), and any work for a manager,
/// who gives work to people rather than claiming it. The server keeps the same rule; this only leaves out buttons that
/// would be refused.
export function actionsFor(user, referral) {
  const manager = user.role === 'manager';
  const team = user.role === 'worker' ? user.service === referral.service : user.role === 'agent' && referral.service === 'front-door-triage';
  if (!manager && !(team && (!referral.claimedBy || referral.claimedBy === user.id))) {
    return [];
  }
  switch (referral.status) {
    case 'raised': return manager ? ['assign', 'return'] : ['claim', 'assign', 'return'];
    case 'claimed': return ['accept', 'complete', 'return', 'assign'];
    case 'accepted': return ['complete', 'return', 'assign'];
    default: return [];
  }
}

/// A person's display name from a response's `names`, else their user id.
export function nameOf(names, actor) {
  return (names && names[actor]) || actor;
}

/// Fills `select` with the colleagues who work `service`, but not `except` (who holds it now), each with how much
/// open work they hold, so work goes to whoever has room.
export async function fillColleagues(select, service, except) {
  const { body } = await api('/api/teams/' + encodeURIComponent(service) + '/work');
  const colleagues = body.holders.filter((h) => h.userId !== except).sort((a, b) => a.open - b.open || a.name.localeCompare(b.name));
  select.replaceChildren(element('option', { value: '', text: colleagues.length > 0 ? 'Choose a colleague' : 'Nobody else in the team has signed in yet' }),
    ...colleagues.map((c) => element('option', { value: c.userId, text: c.name + ' (holds ' + c.open + (body.cap ? ' of ' + body.cap : '') + ')' })));
}

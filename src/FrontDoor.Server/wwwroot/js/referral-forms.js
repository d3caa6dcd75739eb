// The return and complete forms a team fills in, on the queue and on the case page alike: what is missing is an error
// on its field, and a form closes once the referral took it.
import { hideError, showProblems } from '/js/frontdoor.js';

const fields = { return: 'return-reason', complete: 'complete-outcome' };

/// Opens the form for `action` ('return' or 'complete') with the keyboard in its first field.
export function openReferralForm(action, errorSummary) {
  hideError(errorSummary);
  document.getElementById(action + '-panel').classList.remove('fd-hidden');
  document.getElementById(fields[action]).focus();
}

/// Wires both forms; `send(action, body, targets)` sends the action and answers whether the referral took it.
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
  for (const action of Object.keys(fields)) {
    document.getElementById(action + '-cancel').addEventListener('click', () => document.getElementById(action + '-panel').classList.add('fd-hidden'));
  }
}

function close(action) {
  document.getElementById(action + '-panel').classList.add('fd-hidden');
  document.getElementById(fields[action]).value = '';
}

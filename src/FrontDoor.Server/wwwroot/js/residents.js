// Residents' records: find a resident, keep their consent to share current, and (managers) answer a subject access
// request or erase their personal data.
import { api, authorization, element, explain, hideError, label, problemsOf, readDate, showError, showProblems, signedInBanner } from '/js/frontdoor.js';

const services = ['adult-social-care', 'housing', 'poverty-support', 'early-help'];
const errorSummary = document.getElementById('error-summary');
const results = document.getElementById('results');
const record = document.getElementById('record');
const user = signedInBanner(['agent', 'manager']);
let current = null;

const value = (id) => document.getElementById(id).value.trim();

const boxes = document.getElementById('consent-services');
for (const service of services) {
  const input = element('input', { class: 'govuk-checkboxes__input', id: 'consent-' + service, type: 'checkbox', value: service });
  boxes.append(element('div', { class: 'govuk-checkboxes__item' }, input, element('label', { class: 'govuk-label govuk-checkboxes__label', for: 'consent-' + service, text: label(service) })));
}

document.getElementById('search-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  hideError(errorSummary);
  const dateOfBirth = readDate('search-dob');
  if (dateOfBirth.problem) {
    showProblems(errorSummary, [dateOfBirth.problem]);
    return;
  }
  const search = {};
  if (value('search-name')) search.name = value('search-name');
  if (dateOfBirth.value) search.dateOfBirth = dateOfBirth.value;
  if (value('search-postcode')) search.postcode = value('search-postcode');
  try {
    const { body } = await api('/api/residents/search', { method: 'POST', body: search });
    showResults(body.residents);
  } catch (error) {
    showProblems(errorSummary, problemsOf(error, { name: 'search-name', dateOfBirth: 'search-dob-day', postcode: 'search-postcode' }));
  }
});

function showResults(residents) {
  if (residents.length === 0) {
    results.replaceChildren(element('p', { class: 'govuk-body', text: 'No resident we know fits.' }));
    return;
  }
  const list = element('ul', { class: 'govuk-list' });
  for (const resident of residents) {
    const open = element('button', { type: 'button', class: 'govuk-button govuk-button--secondary govuk-!-margin-bottom-0', text: 'Open record' });
    open.addEventListener('click', () => openRecord(resident));
    const item = element('li', { 'data-resident-id': resident.residentId },
      element('strong', { text: resident.name }),
      ' ' + (resident.dateOfBirth || '') + ' ' + (resident.postcode || '') + ' – ' + resident.contactCount + ' contact(s) ',
      open);
    // A manager with a record open can merge another record of the same person into it.
    if (user.role === 'manager' && current && current.resident.residentId !== resident.residentId) {
      const merge = element('button', { type: 'button', class: 'govuk-button govuk-button--secondary govuk-!-margin-bottom-0 govuk-!-margin-left-1', 'data-merge': resident.residentId, text: 'Merge into this record' });
      merge.addEventListener('click', () => proposeMerge(resident));
      item.append(merge);
    }
    list.append(item);
  }
  results.replaceChildren(list);
}

async function openRecord(resident) {
  hideError(errorSummary);
  try {
    const { body } = await api('/api/residents/' + resident.residentId + '/consent');
    current = { resident, consent: body };
    document.getElementById('record-heading').textContent = resident.name;
    document.getElementById('record-summary').textContent = [resident.dateOfBirth, resident.postcode].filter(Boolean).join(', ');
    showConsent(body);
    document.getElementById('subject-access-link').replaceChildren();
    document.getElementById('merge-form').classList.add('fd-hidden');
    document.getElementById('merge-status').textContent = '';
    document.getElementById('manager-tools').classList.toggle('fd-hidden', user.role !== 'manager');
    document.getElementById('consent-form').classList.remove('fd-hidden');
    document.getElementById('erasure-form').classList.remove('fd-hidden');
    record.classList.remove('fd-hidden');
    document.getElementById('record-heading').focus();
  } catch (error) {
    showError(errorSummary, explain(error));
  }
}

let mergeCandidate = null;

function proposeMerge(resident) {
  mergeCandidate = resident;
  document.getElementById('merge-candidate').textContent = 'Merge ' + [resident.name, resident.dateOfBirth, resident.postcode].filter(Boolean).join(', ')
    + ' into ' + current.resident.name + '\u2019s record. Their contacts, referrals and history join this record; look-ups then find only this one.';
  document.getElementById('merge-form').classList.remove('fd-hidden');
  document.getElementById('merge-reason').focus();
}

document.getElementById('merge-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  hideError(errorSummary);
  try {
    await api('/api/residents/' + current.resident.residentId + '/merge', { method: 'POST', body: { mergedResidentId: mergeCandidate.residentId, reason: value('merge-reason') } });
    document.getElementById('merge-status').textContent = mergeCandidate.name + '\u2019s other record was merged into this one.';
    document.getElementById('merge-form').classList.add('fd-hidden');
    document.getElementById('merge-reason').value = '';
    document.querySelector('#results li[data-resident-id="' + mergeCandidate.residentId + '"]')?.remove();
    mergeCandidate = null;
  } catch (error) {
    showProblems(errorSummary, problemsOf(error, { reason: 'merge-reason', mergedResidentId: 'merge-reason' }));
  }
});

function showConsent(consent) {
  for (const service of services) {
    document.getElementById('consent-' + service).checked = consent.services.includes(service);
  }
  document.getElementById('consent-status').textContent = consent.services.length === 0
    ? 'Their details are shared with no service.'
    : 'Shared with: ' + consent.services.map(label).join(', ') + '.';
}

document.getElementById('consent-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  hideError(errorSummary);
  const wanted = services.filter((s) => document.getElementById('consent-' + s).checked);
  const method = document.querySelector('input[name=method]:checked').value;
  const give = wanted.filter((s) => !current.consent.services.includes(s));
  const withdraw = current.consent.services.filter((s) => !wanted.includes(s));
  const path = '/api/residents/' + current.resident.residentId + '/consent';
  try {
    if (give.length > 0) {
      current.consent = (await api(path, { method: 'POST', body: { services: give, partners: [], method }, ifMatch: current.consent.version })).body;
    }
    if (withdraw.length > 0) {
      current.consent = (await api(path + '/withdrawal', { method: 'POST', body: { services: withdraw, partners: [], method }, ifMatch: current.consent.version })).body;
    }
    showConsent(current.consent);
  } catch (error) {
    if (error.status === 412) {
      current.consent = (await api(path)).body;
      showConsent(current.consent);
      showError(errorSummary, 'Someone else changed this resident\'s consent first. It has been refreshed: check it and save again.');
      return;
    }
    showError(errorSummary, explain(error));
  }
});

document.getElementById('subject-access').addEventListener('click', async () => {
  hideError(errorSummary);
  const response = await fetch('/api/residents/' + current.resident.residentId + '/subject-access', {
    headers: { Accept: 'text/html', Authorization: authorization() },
  });
  if (!response.ok) {
    showError(errorSummary, 'The subject access response could not be prepared (' + response.status + ').');
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  const link = element('a', { class: 'govuk-link', id: 'subject-access-download', href: url, download: 'subject-access-' + current.resident.residentId + '.html', text: 'Download the subject access response' });
  document.getElementById('subject-access-link').replaceChildren(link);
  link.focus();
});

document.getElementById('erasure-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  hideError(errorSummary);
  if (!document.getElementById('erasure-confirm').checked) {
    showError(errorSummary, 'Confirm that the law allows this erasure.');
    return;
  }
  try {
    const basis = document.querySelector('input[name=erasure-basis]:checked').value;
    const reference = value('erasure-reference');
    const { body } = await api('/api/residents/' + current.resident.residentId + '/erasure', { method: 'POST', body: reference ? { basis, reference } : { basis } });
    document.getElementById('record-heading').textContent = 'Erased resident';
    document.getElementById('record-summary').textContent = 'Erased on ' + new Date(body.erasedAt).toLocaleString('en-GB') + ' by ' + body.erasedBy
      + ' (' + body.basis + (body.reference ? ', reference ' + body.reference : '') + ')';
    document.getElementById('consent-form').classList.add('fd-hidden');
    document.getElementById('erasure-form').classList.add('fd-hidden');
    document.getElementById('subject-access-link').replaceChildren();
    results.querySelector('[data-resident-id="' + current.resident.residentId + '"]')?.remove();
    document.getElementById('record-heading').focus();
  } catch (error) {
    showError(errorSummary, explain(error));
  }
});

document.body.dataset.ready = 'true';

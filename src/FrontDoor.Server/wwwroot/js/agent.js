// The agent console: tell us once (look-up as you type), suggested needs, and the routing outcome as it happens.
import { api, element, hideError, label, newIdempotencyKey, problemsOf, readDate, showProblems, signedInBanner } from '/js/frontdoor.js';

const needs = ['care-and-support', 'carer-support', 'adult-safeguarding', 'homelessness', 'housing-advice', 'money-and-debt', 'food-and-fuel', 'family-support', 'child-safeguarding', 'isolation-and-wellbeing'];
const errorSummary = document.getElementById('error-summary');
const form = document.getElementById('contact-form');
let sites = [];

const user = signedInBanner(['agent']);

const needBoxes = document.getElementById('needs');
for (const need of needs) {
  const input = element('input', { class: 'govuk-checkboxes__input', id: 'need-' + need, type: 'checkbox', value: need, name: 'needs' });
  needBoxes.append(element('div', { class: 'govuk-checkboxes__item' }, input, element('label', { class: 'govuk-label govuk-checkboxes__label', for: 'need-' + need, text: label(need) })));
}

const { body: siteList } = await api('/api/sites');
sites = siteList.sites;

function channel() {
  return form.querySelector('input[name=channel]:checked').value;
}

function showSites() {
  const kind = channel();
  const group = document.getElementById('site-group');
  const select = document.getElementById('site');
  const atSite = kind === 'lets-talk' || kind === 'welcoming-space';
  group.classList.toggle('fd-hidden', !atSite);
  select.replaceChildren(...sites.filter((s) => s.kind === kind).map((s) => element('option', { value: s.id, text: s.name + ', ' + s.town })));
}

for (const radio of form.querySelectorAll('input[name=channel]')) {
  radio.addEventListener('change', showSites);
}
showSites();

// The draft: everything typed, kept in this tab until the contact is saved, through a reload and a sign-in that
// expired. It holds what the resident said, so it stays in this tab's session storage (gone when the tab closes, or
// on signing out) and is given back only to the agent who typed it. Its idempotency key makes a save that is sent
// twice (a double click, a retry after a lost answer) one contact.
const draftKey = 'frontdoor.draft.agent';
const typedFields = ['reference', 'resident-name', 'resident-dob-day', 'resident-dob-month', 'resident-dob-year', 'resident-postcode', 'resident-phone', 'resident-email', 'summary'];
let idempotencyKey = newIdempotencyKey();

function saveDraft() {
  const draft = {
    agent: user.id || user.name,
    key: idempotencyKey,
    channel: channel(),
    site: document.getElementById('site').value,
    fields: Object.fromEntries(typedFields.map((id) => [id, document.getElementById(id).value])),
    needs: [...needBoxes.querySelectorAll('input:checked')].map((i) => i.value),
    consent: document.getElementById('consent').checked,
    chosen,
  };
  sessionStorage.setItem(draftKey, JSON.stringify(draft));
}

function clearDraft() {
  sessionStorage.removeItem(draftKey);
  idempotencyKey = newIdempotencyKey();
}

function restoreDraft() {
  let draft;
  try {
    draft = JSON.parse(sessionStorage.getItem(draftKey));
  } catch {
    draft = null;
  }
  if (!draft || draft.agent !== (user.id || user.name)) {
    sessionStorage.removeItem(draftKey);
    return;
  }
  idempotencyKey = draft.key;
  const radio = document.getElementById('channel-' + draft.channel);
  if (radio) radio.checked = true;
  showSites();
  document.getElementById('site').value = draft.site;
  for (const [id, text] of Object.entries(draft.fields)) {
    document.getElementById(id).value = text;
  }
  for (const box of needBoxes.querySelectorAll('input')) {
    box.checked = draft.needs.includes(box.value);
  }
  document.getElementById('consent').checked = draft.consent;
  if (draft.chosen) choose(draft.chosen);
  if (Object.values(draft.fields).some((v) => v) || draft.needs.length > 0) {
    document.getElementById('draft-restored').classList.remove('fd-hidden');
  }
}

form.addEventListener('input', saveDraft);
form.addEventListener('change', saveDraft);

function debounce(fn, ms) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

const value = (id) => document.getElementById(id).value.trim() || null;

// "Tell us once": the record the agent says this is, whatever details are typed this time.
let chosen = null;

function choose(resident) {
  chosen = resident;
  document.getElementById('chosen').classList.toggle('fd-hidden', resident === null);
  if (resident) {
    const open = resident.openReferrals.map((r) => label(r.service) + ' (' + r.status + ')').join(', ');
    document.getElementById('chosen-text').textContent = resident.name + (resident.dateOfBirth ? ', born ' + resident.dateOfBirth : '')
      + '. This contact will be added to their record' + (open ? '; open referrals: ' + open + '.' : '.');
    document.getElementById('matches').classList.add('fd-hidden');
  }
  saveDraft();
}

document.getElementById('someone-else').addEventListener('click', () => {
  choose(null);
  lookUp();
});

const lookUp = debounce(async () => {
  // Sent in the body, never the address: a URL is kept by proxies, history and request logs.
  const search = {};
  const reference = value('reference');
  if (reference && reference.length === 8) search.reference = reference;
  if (value('resident-name')) search.name = value('resident-name');
  // Only a whole date is looked up; a date still being typed is not an error yet.
  const dateOfBirth = readDate('resident-dob').value;
  if (dateOfBirth) search.dateOfBirth = dateOfBirth;
  if (value('resident-postcode')) search.postcode = value('resident-postcode');
  const panel = document.getElementById('matches');
  if (Object.keys(search).length === 0 || chosen) {
    panel.classList.add('fd-hidden');
    return;
  }
  try {
    const { body } = await api('/api/residents/search', { method: 'POST', body: search });
    panel.replaceChildren();
    if (body.residents.length === 0) {
      if (search.reference) {
        panel.append(element('p', { class: 'govuk-body', text: 'No resident record has a contact with reference ' + search.reference.toUpperCase() + '.' }));
        panel.classList.remove('fd-hidden');
      } else {
        panel.classList.add('fd-hidden');
      }
      return;
    }
    panel.append(element('h2', { class: 'govuk-heading-s', text: 'We may already know this resident' }));
    const list = element('ul', { class: 'govuk-list fd-matches' });
    for (const resident of body.residents) {
      const item = element('li', { 'data-resident': resident.residentId }, element('strong', { text: resident.name }), ' ' + (resident.dateOfBirth || '') + ' ' + (resident.postcode || '') + ' – ' + resident.contactCount + ' earlier contact(s)');
      const open = resident.openReferrals.map((r) => label(r.service) + ' (' + r.status + ')').join(', ');
      if (open) item.append(element('br'), 'Open referrals: ' + open);
      const button = element('button', { type: 'button', class: 'govuk-button govuk-button--secondary govuk-!-margin-bottom-0 govuk-!-margin-top-1', 'data-choose': resident.residentId, text: 'This is the person' });
      button.addEventListener('click', () => choose(resident));
      item.append(element('br'), button);
      list.append(item);
    }
    panel.append(list);
    panel.classList.remove('fd-hidden');
  } catch {
    panel.classList.add('fd-hidden');
  }
}, 300);

for (const id of ['reference', 'resident-name', 'resident-dob-day', 'resident-dob-month', 'resident-dob-year', 'resident-postcode']) {
  document.getElementById(id).addEventListener('input', lookUp);
}

// Suggestions follow the typing; an answer to an older text never replaces the answer to a newer one.
let suggestionsAsked = 0;
const suggest = debounce(async () => {
  const summary = value('summary');
  const panel = document.getElementById('suggestions');
  const asked = ++suggestionsAsked;
  if (!summary) {
    panel.classList.add('fd-hidden');
    return;
  }
  let body;
  try {
    ({ body } = await api('/api/triage/suggest', { method: 'POST', body: { summary } }));
  } catch {
    return;
  }
  if (asked !== suggestionsAsked) {
    return;
  }
  panel.replaceChildren();
  if (body.needs.length === 0) {
    panel.classList.add('fd-hidden');
    return;
  }
  // A possible safeguarding concern is said first and in the GOV.UK warning style, with the words that raised it;
  // the agent still decides.
  for (const concern of body.needs.filter((n) => n.safeguarding)) {
    panel.append(element('div', { class: 'govuk-warning-text', 'data-safeguarding': concern.need },
      element('span', { class: 'govuk-warning-text__icon', 'aria-hidden': 'true', text: '!' }),
      element('strong', { class: 'govuk-warning-text__text' },
        element('span', { class: 'govuk-visually-hidden', text: 'Warning' }),
        'Possible ' + label(concern.need).toLowerCase() + ' concern. ' + concern.because + ' Ask, and record it if it is.')));
  }
  panel.append(element('h2', { class: 'govuk-heading-s', text: 'Suggested needs – confirm with the resident' }));
  const list = element('ul', { class: 'govuk-list' });
  for (const suggestion of body.needs) {
    const button = element('button', { type: 'button', class: 'govuk-button govuk-button--secondary govuk-!-margin-bottom-1', 'data-suggested': suggestion.need, text: 'Add ' + label(suggestion.need) });
    button.addEventListener('click', () => { document.getElementById('need-' + suggestion.need).checked = true; saveDraft(); });
    const item = element('li', {}, button, element('p', { class: 'govuk-body-s govuk-!-margin-bottom-1', text: suggestion.because }));
    if (suggestion.similarTo.length > 0) {
      item.append(element('details', { class: 'govuk-details govuk-!-margin-bottom-2' },
        element('summary', { class: 'govuk-details__summary' }, element('span', { class: 'govuk-details__summary-text', text: 'Similar examples' })),
        element('div', { class: 'govuk-details__text' }, element('ul', { class: 'govuk-list govuk-list--bullet' },
          ...suggestion.similarTo.map((e) => element('li', { text: '\u201c' + e.text + '\u201d' }))))));
    }
    list.append(item);
  }
  panel.append(list);
  panel.classList.remove('fd-hidden');
}, 400);
document.getElementById('summary').addEventListener('input', suggest);

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  hideError(errorSummary);
  const atSite = channel() === 'lets-talk' || channel() === 'welcoming-space';
  const dateOfBirth = readDate('resident-dob');
  if (dateOfBirth.problem) {
    showProblems(errorSummary, [dateOfBirth.problem]);
    return;
  }
  const details = { name: value('resident-name'), dateOfBirth: dateOfBirth.value, postcode: value('resident-postcode'), phone: value('resident-phone'), email: value('resident-email') };
  const typed = Object.values(details).some((v) => v !== null);
  // A resident's record is kept under their name: details typed without one would otherwise be dropped.
  if (typed && !details.name && !chosen) {
    showProblems(errorSummary, [{ text: 'Enter the resident\'s name, or clear the other details', target: 'resident-name' }]);
    return;
  }
  const resident = typed ? details : null;
  const request = {
    channel: channel(),
    siteId: atSite ? document.getElementById('site').value : null,
    resident,
    summary: value('summary'),
    needs: [...needBoxes.querySelectorAll('input:checked')].map((i) => i.value),
    consentToShare: document.getElementById('consent').checked,
    residentId: chosen ? chosen.residentId : null,
  };
  try {
    const { body } = await api('/api/contacts', { method: 'POST', body: request, idempotencyKey });
    clearDraft();
    document.getElementById('draft-restored').classList.add('fd-hidden');
    document.getElementById('outcome-text').textContent = 'Reference ' + body.contactId.slice(0, 8).toUpperCase() + '. Routing…';
    document.getElementById('outcome').classList.remove('fd-hidden');
    document.getElementById('outcome').focus();
    await showRouting(body.contactId, request.resident !== null || request.residentId !== null, request.consentToShare);
    form.reset();
    choose(null);
    document.getElementById('suggestions').classList.add('fd-hidden');
    document.getElementById('matches').classList.add('fd-hidden');
    showSites();
  } catch (error) {
    showProblems(errorSummary, problemsOf(error, fieldTargets));
  }
});

// The API's names for the fields, and the inputs that hold them.
const fieldTargets = {
  channel: 'channel-phone',
  siteId: 'site',
  summary: 'summary',
  needs: 'need-' + needs[0],
  consentToShare: 'consent',
  'resident.name': 'resident-name',
  'resident.dateOfBirth': 'resident-dob-day',
  'resident.postcode': 'resident-postcode',
  'resident.phone': 'resident-phone',
  'resident.email': 'resident-email',
  residentId: 'someone-else',
};

// What the resident's answer about sharing was recorded for: exactly the teams the contact went to.
function consentLine(referrals, consented) {
  const teams = referrals.map((r) => r.service).filter((s) => s !== 'front-door-triage').map((s) => label(s));
  if (teams.length === 0) {
    return [];
  }
  const text = consented
    ? 'Consent to share their details recorded for: ' + teams.join(', ') + ' only.'
    : 'Recorded that they did not agree to share their details with: ' + teams.join(', ') + '.';
  return [element('li', { id: 'outcome-consent', text })];
}

// A signpost as the resident needs to hear it: who, how to reach them and when.
function signpost(s) {
  if (!s.inDirectory) {
    return element('li', { 'data-signpost': s.id, text: 'Signposted to ' + s.id + ' (no longer in the directory)' });
  }
  const item = element('li', { 'data-signpost': s.id }, 'Signposted to ', element('strong', { text: s.name }), s.organization && s.organization !== s.name ? ' (' + s.organization + ')' : '');
  const reach = element('ul', { class: 'govuk-list govuk-list--bullet govuk-!-margin-bottom-2' });
  if (s.phone) reach.append(element('li', { text: 'Phone: ' + s.phone }));
  if (s.url) reach.append(element('li', {}, 'Web: ', element('a', { class: 'govuk-link', href: s.url, rel: 'noreferrer noopener', target: '_blank', text: s.url })));
  if (s.email) reach.append(element('li', { text: 'Email: ' + s.email }));
  if (s.openingTimes) reach.append(element('li', { text: 'Open: ' + s.openingTimes }));
  item.append(reach);
  return item;
}

async function showRouting(contactId, hasResident, consented) {
  const list = document.getElementById('outcome-referrals');
  for (let attempt = 0; attempt < 40; attempt++) {
    const { body } = await api('/api/contacts/' + contactId);
    list.replaceChildren(
      ...body.referrals.map((r) => element('li', { 'data-service': r.service, text: r.joined
        ? 'Added to the resident\'s open ' + label(r.service) + ' referral (' + r.status + ', ' + r.priority + '): the team working it sees this contact too'
        : 'Referred to ' + label(r.service) + ' (' + r.priority + ')' })),
      ...(body.signpostDetails || []).map(signpost),
      ...(hasResident && body.hasOwner ? consentLine(body.referrals, consented) : []));
    if (body.hasOwner) {
      document.getElementById('outcome-text').textContent = 'Reference ' + contactId.slice(0, 8).toUpperCase() + '. Routed.';
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

restoreDraft();
document.body.dataset.ready = 'true';

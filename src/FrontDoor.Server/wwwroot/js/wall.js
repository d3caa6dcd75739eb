// The managers' wall: figures from the log, refreshed by the hub as they change.
import { connectHub, element, label, signedInBanner } from '/js/frontdoor.js';

let position = 0;
signedInBanner(['manager']);

function render(figures) {
  const withoutOwner = document.getElementById('without-owner');
  withoutOwner.textContent = String(figures.contactsWithoutOwner);
  withoutOwner.className = 'fd-big ' + (figures.contactsWithoutOwner > 0 ? 'fd-alert' : 'fd-ok');
  document.getElementById('contacts-today').textContent = String(figures.contactsToday);
  document.getElementById('overdue').textContent = String(figures.overdueReferrals);
  document.getElementById('returns').textContent = String(figures.returnedReferrals);
  document.getElementById('follow-ups').textContent = String(figures.followUpsDue);
  document.getElementById('services').replaceChildren(...figures.services.map((s) => element('tr', { class: 'govuk-table__row', 'data-service': s.service },
    element('th', { scope: 'row', class: 'govuk-table__header', text: label(s.service) }),
    element('td', { class: 'govuk-table__cell govuk-table__cell--numeric', 'data-depth': String(s.queueDepth), text: String(s.queueDepth) }),
    element('td', { class: 'govuk-table__cell govuk-table__cell--numeric', text: String(s.unclaimed) }),
    element('td', { class: 'govuk-table__cell govuk-table__cell--numeric' + (s.overdue > 0 ? ' fd-overdue' : ''), text: String(s.overdue) }),
    element('td', { class: 'govuk-table__cell', text: s.oldestWaitingSince ? new Date(s.oldestWaitingSince).toLocaleString('en-GB') : '–' }))));
  document.getElementById('by-channel').replaceChildren(...figures.contactsTodayByChannel.map((c) => element('li', { text: label(c.key) + ': ' + c.count })));
  document.getElementById('by-site').replaceChildren(...figures.contactsTodayBySite.map((c) => element('li', { text: c.key + ': ' + c.count })));
  const chart = document.getElementById('chart');
  const peak = Math.max(1, ...figures.contactsByHour, ...figures.referralsByHour);
  chart.replaceChildren(...figures.contactsByHour.map((count, hour) => {
    const contacts = element('span', { title: hour + ':00 contacts ' + count });
    contacts.style.height = (100 * count / peak) + '%';
    const referrals = element('span', { class: 'fd-referrals', title: hour + ':00 referrals ' + figures.referralsByHour[hour] });
    referrals.style.height = (100 * figures.referralsByHour[hour] / peak) + '%';
    return element('div', { class: 'fd-chart-pair' }, contacts, referrals);
  }));
  document.body.dataset.position = String(position);
}

await connectHub({
  wallChanged: (change) => {
    if (change.position <= position) {
      return;
    }
    position = change.position;
    render(change.figures);
  },
}, async (connection) => {
  const snapshot = await connection.invoke('WatchWall', position || null);
  position = snapshot.position;
  render(snapshot.figures);
  document.getElementById('connection-status').textContent = 'Live';
  document.body.dataset.ready = 'true';
});

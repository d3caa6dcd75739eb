// The managers' wall: figures from the log, refreshed by the hub as they change. Every figure of work opens the list
// behind it.
import { api, connectHub, element, label, signedInBanner } from '/js/frontdoor.js';
import { since } from '/js/work-rows.js';

let position = 0;
signedInBanner(['manager']);
const siteNames = new Map();
try {
  for (const site of (await api('/api/sites')).body.sites) {
    siteNames.set(site.id, site.name);
  }
} catch {
  // Sites are shown by id until the catalogue can be read.
}

function figureLink(service, show, count, alert) {
  return element('a', { class: 'govuk-link' + (alert ? ' fd-overdue' : ''), href: '/work/?show=' + show + '&service=' + encodeURIComponent(service), 'data-show': show, text: String(count) });
}

function render(figures) {
  const withoutOwner = document.getElementById('without-owner');
  withoutOwner.textContent = String(figures.contactsWithoutOwner);
  withoutOwner.className = 'fd-big ' + (figures.contactsWithoutOwner > 0 ? 'fd-alert' : 'fd-ok');
  const urgent = document.getElementById('unclaimed-urgent');
  urgent.textContent = String(figures.unclaimedUrgent);
  urgent.className = 'fd-big ' + (figures.unclaimedUrgent > 0 ? 'fd-alert' : 'fd-ok');
  const overdue = document.getElementById('overdue');
  overdue.className = 'fd-big' + (figures.overdueReferrals > 0 ? ' fd-alert' : '');
  document.getElementById('contacts-today').textContent = String(figures.contactsToday);
  document.getElementById('overdue').textContent = String(figures.overdueReferrals);
  document.getElementById('returns').textContent = String(figures.returnedReferrals);
  document.getElementById('follow-ups').textContent = String(figures.followUpsDue);
  document.getElementById('services').replaceChildren(...figures.services.map((s) => element('tr', { class: 'govuk-table__row', 'data-service': s.service },
    element('th', { scope: 'row', class: 'govuk-table__header' }, element('a', { class: 'govuk-link', href: '/queues/' + s.service, text: label(s.service) })),
    element('td', { class: 'govuk-table__cell govuk-table__cell--numeric', 'data-label': 'Open', 'data-depth': String(s.queueDepth), text: String(s.queueDepth) }),
    element('td', { class: 'govuk-table__cell govuk-table__cell--numeric', 'data-label': 'Unclaimed' }, figureLink(s.service, 'unclaimed', s.unclaimed, false)),
    element('td', { class: 'govuk-table__cell govuk-table__cell--numeric', 'data-label': 'Overdue' }, figureLink(s.service, 'overdue', s.overdue, s.overdue > 0)),
    element('td', { class: 'govuk-table__cell', 'data-label': 'Longest unclaimed', text: s.oldestWaitingSince ? 'waiting ' + since(s.oldestWaitingSince) : '–' }))));
  document.getElementById('by-channel').replaceChildren(...figures.contactsTodayByChannel.map((c) => element('li', { text: label(c.key) + ': ' + c.count })));
  document.getElementById('by-site').replaceChildren(...figures.contactsTodayBySite.map((c) => element('li', { 'data-site': c.key, text: (siteNames.get(c.key) || c.key) + ': ' + c.count })));
  const chart = document.getElementById('chart');
  const peak = Math.max(1, ...figures.contactsByHour, ...figures.referralsByHour);
  chart.replaceChildren(...figures.contactsByHour.map((count, hour) => {
    const contacts = element('span', { title: hour + ':00 contacts ' + count });
    contacts.style.height = (100 * count / peak) + '%';
    const referrals = element('span', { class: 'fd-referrals', title: hour + ':00 referrals ' + figures.referralsByHour[hour] });
    referrals.style.height = (100 * figures.referralsByHour[hour] / peak) + '%';
    return element('div', { class: 'fd-chart-pair' }, contacts, referrals);
  }));
  // Every third hour is labelled under its bars: enough to read the day by, and it fits a phone.
  document.getElementById('chart-hours').replaceChildren(...figures.contactsByHour.map((_, hour) => element('span', { text: hour % 3 === 0 ? String(hour).padStart(2, '0') : '' })));
  chart.setAttribute('aria-label', 'Contacts and referrals by hour today: ' + figures.contactsByHour
    .map((count, hour) => ({ count, hour, referrals: figures.referralsByHour[hour] }))
    .filter((h) => h.count > 0 || h.referrals > 0)
    .map((h) => String(h.hour).padStart(2, '0') + ':00 ' + h.count + ' contacts, ' + h.referrals + ' referrals')
    .join('; ') || 'none yet');
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

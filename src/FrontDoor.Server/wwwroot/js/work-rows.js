// Rows of open work as the work pages show them: priority (safeguarding first and marked), the case by its needs as a
// link, and times as people say them ("waiting 2 h 10 min", "due in 3 h"), each cell named for phone-width cards.
import { element, formatDue, label } from '/js/frontdoor.js';

/// "2 h 10 min", "3 days": how long since `at`.
export function since(at) {
  const minutes = Math.max(0, Math.round((Date.now() - new Date(at).getTime()) / 60000));
  if (minutes < 60) return minutes + ' min';
  if (minutes < 48 * 60) return Math.floor(minutes / 60) + ' h' + (minutes % 60 ? ' ' + (minutes % 60) + ' min' : '');
  return Math.floor(minutes / 1440) + ' days';
}

export function cell(labelText, content, attributes = {}) {
  return element('td', { class: 'govuk-table__cell', 'data-label': labelText, ...attributes }, content);
}

export function priorityCell(item) {
  return cell('Priority', element('strong', {
    class: 'govuk-tag' + (item.priority === 'immediate' ? ' govuk-tag--red' : item.priority === 'urgent' ? ' govuk-tag--orange' : ' govuk-tag--grey'),
    text: (item.safeguarding ? 'Safeguarding – ' : '') + label(item.priority),
  }));
}

export function caseCell(item) {
  return cell('Case', element('a', { class: 'govuk-link', href: '/cases/' + item.referralId, 'data-case': item.referralId, text: item.needs.map(label).join(', ') || 'To triage' }));
}

export function dueCell(item) {
  return cell('Due', formatDue(item.dueAt), { class: 'govuk-table__cell' + (item.overdue ? ' fd-overdue' : ''), 'data-due': item.dueAt });
}

export function workRow(item, ...cells) {
  return element('tr', { class: 'govuk-table__row' + (item.safeguarding || item.priority === 'immediate' ? ' fd-safeguarding' : ''), 'data-referral': item.referralId }, ...cells);
}

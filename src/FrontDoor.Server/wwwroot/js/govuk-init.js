// Marks the page as JavaScript-enabled (GOV.UK Frontend styles depend on it) and starts its components.
import { initAll } from '/lib/govuk/govuk-frontend.min.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();

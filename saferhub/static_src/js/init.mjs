// Saferhub front-end start-up. A static module file because the CSP forbids
// inline scripts.
import { initAll as initGovuk } from "./govuk-frontend.min.js";
import { initAll as initMoj } from "./moj-frontend.min.js";
import { labelTables } from "./tables.mjs";
import { restoreForms, startTimeoutWarning } from "./timeout.mjs";

document.body.classList.add("js-enabled", "govuk-frontend-supported");

function init(scope) {
  initGovuk({ scope });
  initMoj(scope);
  labelTables(scope);
}

init(document.body);

restoreForms();
const timeoutDialog = document.getElementById("saferhub-timeout");
if (timeoutDialog) startTimeoutWarning(timeoutDialog);

// Content swapped in by htmx needs its components started too; the body itself
// was handled above.
document.body.addEventListener("htmx:load", (event) => {
  const element = event.detail && event.detail.elt;
  if (element instanceof Element && element !== document.body) {
    init(element);
  }
});

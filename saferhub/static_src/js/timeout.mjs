// The idle sign-out warning (WCAG 2.2.1) and keeping half-filled forms across a sign-out.
//
// The server ends a session after `data-seconds` without a request. Two minutes before, a modal
// dialog says so and offers "Stay signed in" (a POST to the keep-alive address, which extends the
// session). If the time runs out, what the person typed into this page's forms is kept in
// sessionStorage (this tab only, gone when it closes), the page reloads to the sign-in page, and after
// signing back in the same page fills the fields in again, says so, and forgets the copy.

const KEPT = "saferhub:kept-forms";
const SKIPPED_TYPES = new Set(["password", "file", "hidden", "submit", "button", "reset", "image"]);

function keptForms() {
  try {
    return JSON.parse(window.sessionStorage.getItem(KEPT) || "null");
  } catch {
    return null;
  }
}

function keepableForms() {
  return [...document.querySelectorAll("main form")].filter(
    (form) => (form.getAttribute("method") || "get").toLowerCase() === "post",
  );
}

// Only what the person typed or chose: never passwords, files, the CSRF token or record versions.
function fieldsOf(form) {
  return [...form.elements].filter(
    (el) => el.name && !SKIPPED_TYPES.has(el.type) && !el.disabled && el.name !== "csrfmiddlewaretoken",
  );
}

export function keepForms() {
  const forms = keepableForms().map((form) =>
    fieldsOf(form).map((el) => {
      if (el.type === "checkbox" || el.type === "radio") return [el.name, el.value, el.checked];
      if (el.multiple) return [el.name, [...el.selectedOptions].map((o) => o.value), null];
      return [el.name, el.value, null];
    }),
  );
  if (forms.some((fields) => fields.length)) {
    window.sessionStorage.setItem(KEPT, JSON.stringify({ path: window.location.pathname, forms }));
  }
}

export function restoreForms() {
  const kept = keptForms();
  if (!kept || kept.path !== window.location.pathname) return false;
  const forms = keepableForms();
  if (!forms.length) return false; // the sign-in page: keep the copy until we are back
  kept.forms.forEach((fields, index) => {
    const form = forms[index];
    if (!form) return;
    const elements = fieldsOf(form);
    for (const [name, value, checked] of fields) {
      for (const el of elements.filter((candidate) => candidate.name === name)) {
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.value === value) el.checked = checked;
        } else if (el.multiple && Array.isArray(value)) {
          for (const option of el.options) option.selected = value.includes(option.value);
        } else if (checked === null) {
          el.value = value;
        }
      }
    }
  });
  window.sessionStorage.removeItem(KEPT);
  const banner = document.createElement("div");
  banner.className = "govuk-notification-banner";
  banner.setAttribute("role", "region");
  banner.setAttribute("aria-labelledby", "saferhub-restored-title");
  banner.innerHTML =
    '<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="saferhub-restored-title">Important</h2></div>' +
    '<div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">We filled in what you had typed before you were signed out. Check it, then save.</p></div>';
  document.querySelector("main")?.prepend(banner);
  return true;
}

function minutesText(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

function csrfToken() {
  const input = document.querySelector('input[name="csrfmiddlewaretoken"]');
  return input ? input.value : "";
}

export function startTimeoutWarning(dialog) {
  const limit = Number(dialog.dataset.seconds) * 1000;
  const warnBefore = Number(dialog.dataset.warnSeconds) * 1000;
  if (!limit || typeof dialog.showModal !== "function") return;
  const countdown = dialog.querySelector(".saferhub-timeout__countdown");
  const spoken = dialog.querySelector(".saferhub-timeout__spoken");
  let deadline = Date.now() + limit;
  let ticker = null;
  let lastSpoken = "";

  const signedOut = () => {
    keepForms();
    window.location.reload();
  };

  const tick = () => {
    const left = deadline - Date.now();
    if (left <= 0) {
      clearInterval(ticker);
      signedOut();
      return;
    }
    if (left <= warnBefore) {
      if (!dialog.open) {
        dialog.showModal();
        dialog.querySelector(".saferhub-timeout__stay").focus();
      }
      countdown.textContent = minutesText(Math.ceil(left / 1000));
      // Screen readers hear the time when the dialog opens, then each minute and near the end.
      const say = left > 20000 ? minutesText(Math.ceil(left / 60000) * 60) : "less than 20 seconds";
      if (say !== lastSpoken) {
        spoken.textContent = say;
        lastSpoken = say;
      }
    }
  };

  const restart = (seconds) => {
    deadline = Date.now() + (seconds ? seconds * 1000 : limit);
    lastSpoken = "";
    if (dialog.open) dialog.close();
  };

  const stay = async () => {
    try {
      const response = await fetch(dialog.dataset.keepAliveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
        credentials: "same-origin",
      });
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok || !type.includes("json")) throw new Error("signed out");
      const body = await response.json();
      restart(body.seconds);
    } catch {
      signedOut();
    }
  };

  dialog.querySelector(".saferhub-timeout__stay").addEventListener("click", stay);
  dialog.querySelector(".saferhub-timeout__sign-out").addEventListener("click", () => {
    document.querySelector(".saferhub-header__form")?.submit();
  });
  // Escape closes a modal dialog: take it as "Stay signed in", as the GOV.UK pattern does.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay();
  });
  // Any request to the server (htmx swaps, polling) extends the session too.
  document.body.addEventListener("htmx:afterRequest", () => restart());
  // Timers sleep with the laptop: check again as soon as the page is seen.
  document.addEventListener("visibilitychange", tick);
  // A form posted after the session ended would be lost at the sign-in page: keep it first.
  document.addEventListener("submit", () => {
    if (Date.now() >= deadline) keepForms();
  });
  ticker = setInterval(tick, 1000);
}

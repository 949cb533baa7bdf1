// The officer's street resolution page (templates/rj/street.html).
//
// Sends the form as JSON to the server. With no signal, the form is encrypted with AES-GCM
// under a non-extractable CryptoKey, both kept in IndexedDB (a CryptoKey is stored as itself,
// so its bytes never reach script), and sent when the connection returns (the `online`
// event, the next page load, or a retry every 20 seconds). Once the server has accepted it,
// the stored form is deleted, and the key too when nothing is left to send: nothing else is
// ever stored on the phone. Each form carries a UUID made on the phone, so a resend of a form
// the server already has never makes a second case. A static module because the CSP forbids
// inline scripts.

const DB_NAME = "saferhub-rj-street";
const KEYS = "keys";
const OUTBOX = "outbox";
const KEY_ID = "device";
const RETRY_MS = 20000;

const form = document.getElementById("rj-street-form");
const banner = document.getElementById("rj-street-status");
const message = document.getElementById("rj-street-message");

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDb() {
  const req = indexedDB.open(DB_NAME, 1);
  req.onupgradeneeded = () => {
    req.result.createObjectStore(KEYS);
    req.result.createObjectStore(OUTBOX, { keyPath: "id" });
  };
  return request(req);
}

async function withStore(name, mode, work) {
  const db = await openDb();
  try {
    const tx = db.transaction(name, mode);
    const result = await work(tx.objectStore(name));
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    return result;
  } finally {
    db.close();
  }
}

async function deviceKey() {
  const found = await withStore(KEYS, "readonly", (store) => request(store.get(KEY_ID)));
  if (found) return found;
  // Non-extractable: script can use the key but never read it out.
  const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
  await withStore(KEYS, "readwrite", (store) => request(store.put(key, KEY_ID)));
  return key;
}

async function keep(payload) {
  const key = await deviceKey();
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(payload));
  const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, plain);
  await withStore(OUTBOX, "readwrite", (store) => request(store.put({ id: payload.client_uuid, iv, data })));
}

async function pending() {
  return withStore(OUTBOX, "readonly", (store) => request(store.getAll()));
}

async function wipe(id) {
  await withStore(OUTBOX, "readwrite", (store) => request(store.delete(id)));
  const left = await withStore(OUTBOX, "readonly", (store) => request(store.count()));
  if (left === 0) {
    await withStore(KEYS, "readwrite", (store) => request(store.delete(KEY_ID)));
  }
}

function csrfToken() {
  const input = form.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

async function send(payload) {
  return fetch(form.dataset.submitUrl, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
    body: JSON.stringify(payload),
  });
}

function show(text, kind) {
  message.textContent = text;
  banner.classList.remove("govuk-!-display-none", "govuk-notification-banner--success");
  if (kind === "success") banner.classList.add("govuk-notification-banner--success");
  banner.focus?.();
}

function newUuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function payloadOf() {
  const payload = {};
  for (const [name, value] of new FormData(form)) {
    if (name !== "csrfmiddlewaretoken") payload[name] = value;
  }
  return payload;
}

function fresh() {
  form.reset();
  form.elements.client_uuid.value = newUuid();
}

let flushing = false;

async function flush() {
  if (flushing || !navigator.onLine) return;
  flushing = true;
  try {
    const key = await withStore(KEYS, "readonly", (store) => request(store.get(KEY_ID)));
    for (const item of await pending()) {
      if (!key) break;
      const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: item.iv }, key, item.data);
      let response;
      try {
        response = await send(JSON.parse(new TextDecoder().decode(plain)));
      } catch {
        return; // still no signal: the next retry sends it
      }
      if (response.ok) {
        const body = await response.json();
        await wipe(item.id);
        show(`A street resolution kept on this phone has been sent: ${body.reference}.`, "success");
      } else {
        show("A street resolution kept on this phone could not be accepted: record it again.", "error");
      }
    }
  } finally {
    flushing = false;
  }
}

async function submit(event) {
  event.preventDefault();
  const payload = payloadOf();
  if (navigator.onLine) {
    let response = null;
    try {
      response = await send(payload);
    } catch {
      response = null;
    }
    if (response && response.ok) {
      const body = await response.json();
      fresh();
      show(`Street resolution sent: ${body.reference}.`, "success");
      return;
    }
    if (response) {
      // The server refused the form: let it show its errors on the page, as without script.
      form.removeEventListener("submit", submit);
      form.submit();
      return;
    }
  }
  await keep(payload);
  fresh();
  show("No signal: the street resolution is kept on this phone, encrypted, and will be sent when the signal returns.", "info");
}

if (form && window.crypto && window.crypto.subtle && window.indexedDB) {
  form.addEventListener("submit", submit);
  window.addEventListener("online", flush);
  setInterval(flush, RETRY_MS);
  flush();
}

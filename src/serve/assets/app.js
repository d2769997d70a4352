/** Wires the page: the event stream into the model, the model onto the page, clicks and keys into actions. */

import { byId } from "./dom.js";
import { details, show } from "./details.js";
import { key, Model } from "./model.js";
import { render } from "./render.js";
import { ago } from "./words.js";

const model = new Model();
const filter = /** @type {HTMLInputElement} */ (byId("filter"));
const dialog = /** @type {HTMLDialogElement} */ (byId("details"));
const announcer = byId("announcer");
/** @type {{host: string, repo: string, opener: HTMLElement | null} | null} */
let open = null;
let drawing = false;

function draw() {
  if (drawing) return;
  drawing = true;
  requestAnimationFrame(() => {
    drawing = false;
    const focused = /** @type {HTMLElement | null} */ (document.activeElement);
    const refocus = focused?.dataset?.open !== undefined
      ? key(focused.dataset.host ?? "", focused.dataset.repo ?? "")
      : null;
    render(model, filter.value);
    if (refocus) findCell(refocus)?.focus();
    if (open) drawDetails();
  });
}

/** @param {string} k @param {string} [within] a section id; the grid when none */
function findCell(k, within = "") {
  const [host, repo] = k.split("\u0000");
  const scope = within ? `#${within} [data-open]` : "#grid [data-open]";
  return [...document.querySelectorAll(scope)].find((el) =>
    /** @type {HTMLElement} */ (el).dataset.host === host && /** @type {HTMLElement} */
      (el).dataset.repo === repo
  ) /** @type {HTMLElement | undefined} */;
}

function drawDetails() {
  if (!open) return;
  byId("details-title").textContent = `${open.repo} on ${open.host}`;
  show(byId("details-body"), details(model, open.host, open.repo));
  const fetchButton = byId("fetch-now");
  fetchButton.hidden = open.host !== model.localHost || !model.repos.has(key(open.host, open.repo));
  const silenced = model.isSilenced(open.host, open.repo);
  const silence = byId("silence");
  silence.textContent = silenced ? "Unsilence" : "Silence";
  // Only what needs attention can be silenced; a silenced cell can always be given back its voice.
  silence.hidden = !silenced && model.attentionOf(open.host, open.repo).length === 0;
  silence.setAttribute("aria-pressed", String(silenced));
}

/** @param {string} host @param {string} repo @param {HTMLElement | null} opener */
function openDetails(host, repo, opener) {
  open = { host, repo, opener };
  byId("action-result").textContent = "";
  drawDetails();
  if (!dialog.open) dialog.showModal();
  byId("details-close").focus();
}

dialog.addEventListener("close", () => {
  const opener = open ? findCell(key(open.host, open.repo)) ?? open.opener : null;
  open = null;
  opener?.focus();
});
byId("details-close").addEventListener("click", () => dialog.close());
dialog.addEventListener("click", (event) => {
  if (event.target === dialog) dialog.close();
});

document.addEventListener("click", (event) => {
  const target = /** @type {HTMLElement} */ (event.target);
  const opener = /** @type {HTMLElement | null} */ (target.closest?.("[data-open]"));
  if (opener && !dialog.contains(opener)) {
    openDetails(opener.dataset.host ?? "", opener.dataset.repo ?? "", opener);
  }
});

filter.addEventListener("input", draw);

/** @param {string} path @param {unknown} body */
async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok && !answer.message) {
    throw new Error(answer.error ?? `the server answered ${response.status}`);
  }
  return answer;
}

byId("fetch-now").addEventListener("click", async () => {
  if (!open) return;
  const { repo } = open;
  const button = /** @type {HTMLButtonElement} */ (byId("fetch-now"));
  const result = byId("action-result");
  button.disabled = true;
  result.textContent = `Fetching ${repo}…`;
  try {
    const answer = await post("/api/actions/fetch", { repo });
    result.textContent = answer.message;
    result.className = `action-result ${answer.ok ? "result-ok" : "result-bad"}`;
  } catch (error) {
    result.textContent = `Fetch now failed: ${/** @type {Error} */ (error).message}`;
    result.className = "action-result result-bad";
  } finally {
    button.disabled = false;
  }
});

byId("silence").addEventListener("click", async () => {
  if (!open) return;
  const { host, repo } = open;
  const result = byId("action-result");
  try {
    const answer = await post("/api/actions/silence", {
      host,
      repo,
      silenced: !model.isSilenced(host, repo),
    });
    model.apply("silenced", answer);
    result.textContent = model.isSilenced(host, repo)
      ? "Silenced on this machine's dashboard."
      : "Unsilenced.";
    result.className = "action-result";
    draw();
  } catch (error) {
    result.textContent = `Silence failed: ${/** @type {Error} */ (error).message}`;
  }
});

function connect() {
  const connection = byId("connection");
  const source = new EventSource("/api/events");
  source.addEventListener("open", () => {
    connection.textContent = "live";
    connection.className = "connection live";
  });
  source.addEventListener("error", () => {
    const closed = source.readyState === EventSource.CLOSED;
    connection.textContent = closed ? "disconnected: reload the page" : "reconnecting…";
    connection.className = "connection down";
  });
  for (
    const name of [
      "snapshot",
      "host",
      "repo",
      "missing",
      "activity",
      "silenced",
      "unreadable",
      "problem",
      "action",
    ]
  ) {
    source.addEventListener(name, (event) => {
      const data = JSON.parse(/** @type {MessageEvent} */ (event).data);
      if (name === "action") return onAction(data);
      model.apply(name, data);
      if (name === "repo" && data.cell?.attention?.length) announce(`${data.repo} on ${data.host} changed`);
      if (name === "activity") announce(data.text);
      draw();
    });
  }
}

/** @param {any} data */
function onAction(data) {
  if (open && open.host === data.host && open.repo === data.repo && data.state !== "running") {
    byId("action-result").textContent = data.message;
  }
}

/** @param {string} text */
function announce(text) {
  announcer.textContent = text;
}

// Ages move on between events: only their text is redrawn, so focus and hover stay where they are.
setInterval(() => {
  if (!model.ready || document.hidden) return;
  for (const el of document.querySelectorAll("[data-at]")) {
    const at = /** @type {HTMLElement} */ (el).dataset.at ?? "";
    el.textContent = `${el.getAttribute("data-prefix") ?? ""}${ago(at, model.now())}`;
  }
  for (const el of document.querySelectorAll("[data-label]")) {
    const updated = ago(el.getAttribute("data-updated"), model.now());
    el.setAttribute("aria-label", `${el.getAttribute("data-label")}, updated ${updated}`);
  }
}, 1000);

connect();

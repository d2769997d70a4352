/** Draws the machines, the attention list, the grid and the activity feed from the model. */

import { byId, fill, h } from "./dom.js";
import { ago, changeCounts, count, KINDS, liveness, modeWord, stateOf } from "./words.js";

/** @typedef {import("./model.js").Model} Model */

/** @param {Model} model @param {string} filter */
export function render(model, filter) {
  const view = model.visible(filter);
  renderMachines(model, view.hosts);
  renderAttention(model, view);
  renderGrid(model, view);
  renderActivity(model, view);
  renderNotices(model, view);
  const problem = byId("problem");
  problem.hidden = model.problem === null && model.unreadable.length === 0;
  problem.textContent = [
    model.problem ?? "",
    ...model.unreadable.map((u) => `record ${u.key} of ${u.hostname} is unreadable: ${u.reason}`),
  ].filter(Boolean).join(" · ");
  byId("no-match").hidden = !model.ready || view.hosts.length > 0 || model.hosts.size === 0;
}

/** @param {Model} model @param {string[]} hosts */
function renderMachines(model, hosts) {
  const now = model.now();
  const items = hosts.map((name) => {
    const host = model.hosts.get(name);
    const repos = [...model.repos.keys()].filter((k) => k.startsWith(`${name}\u0000`));
    const attention = repos.filter((k) => needs(model, k)).length;
    const state = host.online ? "online" : host.stoppedAt ? "stopped" : "offline";
    return h(
      "li",
      { class: `machine ${state}`, "data-host": name },
      h("span", { class: `dot ${state}`, "aria-hidden": "true" }),
      h(
        "div",
        {},
        h("strong", {}, name),
        name === model.localHost ? h("span", { class: "tag" }, "this machine") : null,
        h("div", { class: "muted small" }, liveness(host, now)),
        h(
          "div",
          { class: "muted small" },
          `${modeWord(host.mode)} · ${host.version ? `v${host.version}` : "version unknown"} · ` +
            `${count(repos.length, "repository", "repositories")}` +
            (attention ? ` · ${attention} need${attention === 1 ? "s" : ""} attention` : ""),
        ),
      ),
    );
  });
  if (model.ready && model.hosts.size === 0) {
    items.push(h("li", { class: "muted" }, "No machines have reported yet. Start `gitargus run` on one."));
  }
  fill(byId("machines"), items);
}

/** @param {Model} model @param {string} k */
function needs(model, k) {
  const [host = "", repo = ""] = k.split("\u0000");
  return model.attentionOf(host, repo).length > 0 && !model.isSilenced(host, repo);
}

/** @param {Model} model @param {{hosts: string[], repos: string[]}} view */
function renderAttention(model, view) {
  /** @type {Record<string, number>} */
  const perKind = {};
  const rows = [];
  let silenced = 0;
  for (const repo of view.repos) {
    for (const host of view.hosts) {
      const kinds = model.attentionOf(host, repo);
      if (!kinds.length) continue;
      if (model.isSilenced(host, repo)) {
        silenced++;
        continue;
      }
      for (const kind of kinds) perKind[kind] = (perKind[kind] ?? 0) + 1;
      const notes = model.cells.get(`${host}\u0000${repo}`)?.notes ?? [];
      rows.push({ host, repo, kinds, notes, rank: Object.keys(KINDS).indexOf(kinds[0] ?? "") });
    }
  }
  rows.sort((a, b) => a.rank - b.rank || a.repo.localeCompare(b.repo) || a.host.localeCompare(b.host));
  byId("attention-count").textContent = rows.length ? `(${rows.length})` : "";
  fill(
    byId("attention-kinds"),
    Object.keys(KINDS).filter((k) => perKind[k]).map((k) =>
      h("li", { class: `kind kind-${k}` }, `${KINDS[k]}: `, h("strong", {}, String(perKind[k])))
    ),
  );
  const items = rows.map((row) =>
    h(
      "li",
      {},
      h(
        "button",
        { type: "button", class: "link", "data-open": "", "data-host": row.host, "data-repo": row.repo },
        `${row.repo} on ${row.host}`,
      ),
      ` — ${row.kinds.map((k) => KINDS[k] ?? k).join(", ")}`,
      row.notes.length ? h("span", { class: "muted" }, ` · ${row.notes.join(" · ")}`) : null,
    )
  );
  if (!items.length && model.ready) items.push(h("li", { class: "muted" }, "Nothing needs attention."));
  if (silenced) {
    items.push(
      h("li", { class: "muted small" }, `${count(silenced, "repository", "repositories")} silenced`),
    );
  }
  fill(byId("attention"), items);
}

/** @param {Model} model @param {{hosts: string[], repos: string[]}} view */
function renderGrid(model, view) {
  const now = model.now();
  const head = h(
    "tr",
    {},
    h("th", { scope: "col" }, "Repository"),
    ...view.hosts.map((name) => {
      const host = model.hosts.get(name);
      return h(
        "th",
        { scope: "col", class: host?.online ? "" : "offline" },
        name,
        host?.online ? "" : " (offline)",
      );
    }),
  );
  const body = view.repos.map((repo) =>
    h(
      "tr",
      {},
      h("th", { scope: "row" }, repo),
      ...view.hosts.map((host) =>
        h("td", { class: model.hosts.get(host)?.online ? "" : "offline" }, cell(model, host, repo, now))
      ),
    )
  );
  fill(byId("grid"), [h("thead", {}, head), h("tbody", {}, ...body)]);
}

/** A name as a shell takes it: as it is when plain, else in single quotes. @param {string} text */
function shellWord(text) {
  return /^[\w./@+-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/** @param {Model} model @param {string} host @param {string} repo @param {number} now */
function cell(model, host, repo, now) {
  const status = model.repos.get(`${host}\u0000${repo}`);
  // What the others have and this machine lacks, as `status` says it, with the command that clones it.
  if (!status && host === model.localHost && model.missing.has(repo)) {
    return h(
      "span",
      { class: "missing-here small", "data-missing": repo },
      "missing here",
      h("code", {}, `gitargus clone ${shellWord(repo)}`),
    );
  }
  if (!status) return h("span", { class: "muted small" }, "not here");
  const state = stateOf(status.state);
  const counts = [
    status.ahead ? `↑${status.ahead}` : "",
    status.behind ? `↓${status.behind}` : "",
  ].filter(Boolean).join(" ");
  const changes = changeCounts(status.changes);
  const unpushed = (status.unpushedBranches ?? []).map((/** @type {any} */ b) => `${b.name} +${b.ahead}`);
  const kinds = model.attentionOf(host, repo);
  const silenced = model.isSilenced(host, repo);
  const label = [
    `${repo} on ${host}: ${state.word}`,
    counts,
    changes && `changes ${changes}`,
    status.stashes ? count(status.stashes, "stash", "stashes") : "",
    unpushed.length ? `unpushed ${unpushed.join(", ")}` : "",
    silenced ? "silenced" : "",
  ].filter(Boolean).join(", ");
  return h(
    "button",
    {
      type: "button",
      class: `cell tone-${state.tone}${kinds.length && !silenced ? " needs" : ""}`,
      "data-open": "",
      "data-host": host,
      "data-repo": repo,
      "data-state": String(status.state),
      "aria-label": `${label}, updated ${ago(status.updatedAt, now)}`,
      "data-label": label,
      "data-updated": status.updatedAt,
    },
    h(
      "span",
      { class: "state" },
      h("span", { class: "icon", "aria-hidden": "true" }, state.icon),
      ` ${state.word}`,
    ),
    counts ? h("span", { class: "counts" }, ` ${counts}`) : null,
    h("span", { class: "line muted small" }, status.branch ?? (status.head ? "detached" : "")),
    changes ? h("span", { class: "line small changes" }, changes) : null,
    status.stashes ? h("span", { class: "line small" }, count(status.stashes, "stash", "stashes")) : null,
    unpushed.length ? h("span", { class: "line small unpushed" }, `unpushed: ${unpushed.join(", ")}`) : null,
    h(
      "span",
      {
        class: "line muted small",
        "data-at": status.updatedAt,
        "data-prefix": silenced ? "silenced · " : "",
      },
      `${silenced ? "silenced · " : ""}${ago(status.updatedAt, now)}`,
    ),
  );
}

/** @param {Model} model @param {{hosts: string[], repos: string[]}} view */
function renderActivity(model, view) {
  const now = model.now();
  const shown = model.activity.filter((a) =>
    view.hosts.includes(a.host) && (a.repo === null || view.repos.includes(a.repo))
  );
  const items = shown.slice(0, 50).map((a) =>
    h(
      "li",
      { class: `activity-${a.kind}` },
      a.text,
      h(
        "time",
        { datetime: a.at, class: "muted", "data-at": a.at, "data-prefix": ", " },
        `, ${ago(a.at, now)}`,
      ),
    )
  );
  if (!items.length && model.ready) {
    items.push(h("li", { class: "muted" }, "Nothing has happened since this page opened."));
  }
  fill(byId("activity"), items);
}

/**
 * The items the daemons keep in their host records (a blocked fast-forward, work at risk elsewhere, AWS out
 * of reach), each once however many daemons report it.
 * @param {Model} model @param {{hosts: string[], repos: string[]}} view
 */
export function renderNotices(model, view) {
  const now = model.now();
  /** @type {Map<string, {item: any, by: string[]}>} */
  const items = new Map();
  for (const [hostname, host] of model.hosts) {
    for (const item of Array.isArray(host.attention) ? host.attention : []) {
      if (!view.hosts.includes(item.host) && !view.hosts.includes(hostname)) continue;
      if (item.repo && !view.repos.includes(item.repo)) continue;
      const known = items.get(item.id) ?? { item, by: [] };
      known.by.push(hostname);
      items.set(item.id, known);
    }
  }
  const rows = [...items.values()].map(({ item, by }) =>
    h(
      "li",
      { class: `notice notice-${item.kind}` },
      String(item.summary ?? item.id),
      h("span", { class: "muted" }, ` · since ${ago(item.since, now)} · reported by ${by.join(", ")}`),
    )
  );
  byId("notices-title").hidden = rows.length === 0;
  fill(byId("notices"), rows);
}

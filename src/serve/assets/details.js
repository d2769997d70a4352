/** The drill-down of one cell: everything the record says about a repository on a machine. */

import { fill, h } from "./dom.js";
import { ago, changeCounts, count, KINDS, short, stateOf } from "./words.js";

/** @typedef {import("./model.js").Model} Model */

/** @param {Model} model @param {string} host @param {string} repo @returns {Node[]} */
export function details(model, host, repo) {
  const status = model.repos.get(`${host}\u0000${repo}`);
  if (!status) return [h("p", {}, `${repo} is no longer recorded on ${host}.`)];
  const now = model.now();
  const state = stateOf(status.state);
  const cell = model.cells.get(`${host}\u0000${repo}`) ?? { attention: [], notes: [] };
  const rows = [
    [
      "State",
      h(
        "span",
        { class: `tone-${state.tone}` },
        h("span", { class: "state" }, `${state.icon} ${state.word}`),
      ),
    ],
    ["Branch", `${status.branch ?? "(no branch)"}${status.upstream ? ` → ${status.upstream}` : ""}`],
    ["HEAD", short(status.head)],
    ["Ahead / behind", `${status.ahead} / ${status.behind}`],
    ["Path", status.path],
    ["Recorded", ago(status.updatedAt, now)],
  ];
  /** @type {Node[]} */
  const parts = [
    h("dl", { class: "facts" }, ...rows.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)])),
  ];
  if (cell.attention.length) {
    parts.push(
      h(
        "p",
        { class: "needs-line" },
        "Needs attention: ",
        cell.attention.map((k) => KINDS[k] ?? k).join(", "),
      ),
    );
  }
  if (cell.notes.length) parts.push(section("Notes", cell.notes.map((n) => h("li", {}, n))));
  const changes = status.changes ?? {};
  const entries = changes.entries ?? [];
  if (entries.length) {
    const more = changes.truncated ? [h("li", { class: "muted" }, "… and more")] : [];
    parts.push(
      section(
        `Changed files (${changeCounts(changes)})`,
        [
          ...entries.map((e) =>
            h("li", {}, h("code", {}, e.code), " ", e.from ? `${e.from} → ${e.path}` : e.path)
          ),
          ...more,
        ],
      ),
    );
  }
  const branches = status.unpushedBranches ?? [];
  if (branches.length || status.unpushedCommits) {
    const items = branches.map((b) =>
      h(
        "li",
        {},
        `${b.name}: ${count(b.ahead, "commit")} `,
        b.upstream === null
          ? "never pushed"
          : b.gone
          ? `(upstream ${b.upstream} gone)`
          : `not on ${b.upstream}`,
      )
    );
    if (status.unpushedCommits) {
      items.unshift(
        h("li", {}, `${status.branch ?? "HEAD"}: ${count(status.unpushedCommits, "commit")} on no remote`),
      );
    }
    parts.push(section("Unpushed", items));
  }
  for (const w of status.worktrees ?? []) {
    const what = w.unreadable
      ? "cannot be read"
      : [changeCounts(w.changes), w.operation ? `${w.operation} in progress` : ""].filter(Boolean).join(", ");
    parts.push(h("p", {}, `Worktree ${w.path}${w.branch ? ` (${w.branch})` : ""}: ${what || "clean"}`));
  }
  if (status.sync) {
    const reason = status.sync.reason ? `: ${status.sync.reason}` : "";
    parts.push(
      h("p", {}, `Last fast-forward attempt ${ago(status.sync.at, now)}: ${status.sync.result}${reason}`),
    );
  }
  if (status.lastFetch) {
    parts.push(
      h(
        "p",
        { class: status.lastFetch.ok ? "" : "detail-bad" },
        status.lastFetch.ok
          ? `Last fetch ${ago(status.lastFetch.at, now)}: ok`
          : `Last fetch ${ago(status.lastFetch.at, now)} failed: ${
            status.lastFetch.error ?? "unknown error"
          }`,
      ),
    );
  }
  if (status.error) parts.push(h("p", { class: "detail-bad" }, status.error));
  return parts;
}

/** @param {string} title @param {Node[]} items */
function section(title, items) {
  return h("div", { class: "detail-section" }, h("h3", {}, title), h("ul", {}, ...items));
}

/** @param {HTMLElement} el @param {Node[]} nodes */
export function show(el, nodes) {
  fill(el, nodes);
}

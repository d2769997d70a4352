/** How the page words things: states, kinds, ages, machines. The same words `gitargus status` uses. */

/** @type {Record<string, {icon: string, word: string, tone: string}>} */
export const STATES = {
  UP_TO_DATE: { icon: "✓", word: "up to date", tone: "ok" },
  AHEAD: { icon: "↑", word: "ahead", tone: "ahead" },
  BEHIND: { icon: "↓", word: "behind", tone: "warn" },
  DIVERGED: { icon: "⇅", word: "diverged", tone: "bad" },
  NO_UPSTREAM: { icon: "○", word: "no upstream", tone: "quiet" },
  DETACHED: { icon: "◇", word: "detached", tone: "warn" },
  MISSING: { icon: "—", word: "missing", tone: "quiet" },
  FAILED: { icon: "✕", word: "failed", tone: "bad" },
};

export const UNKNOWN_STATE = { icon: "?", word: "unknown", tone: "quiet" };

/** @type {Record<string, string>} */
export const KINDS = {
  conflict: "conflicts",
  operation: "operation in progress",
  failed: "failed",
  missing: "missing",
  diverged: "diverged",
  uncommitted: "uncommitted changes",
  unpushed: "unpushed commits",
  stash: "stashes",
  behind: "behind",
  detached: "detached HEAD",
};

/** @type {Record<string, string>} */
const MODES = { service: "service", foreground: "terminal", once: "run --once" };

/** @param {unknown} state */
export function stateOf(state) {
  return STATES[String(state)] ?? UNKNOWN_STATE;
}

/**
 * "4 s", "3 min", "2 h", "5 d".
 * @param {string | null | undefined} iso @param {number} now
 */
export function age(iso, now) {
  if (!iso) return "never";
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "unknown";
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
}

/** @param {string | null | undefined} iso @param {number} now */
export function ago(iso, now) {
  const text = age(iso, now);
  return text === "never" || text === "unknown" ? text : `${text} ago`;
}

/**
 * "online · heartbeat 4 s ago", "offline; last seen 3 h ago", "stopped 2 h ago".
 * @param {any} host @param {number} now
 */
export function liveness(host, now) {
  if (host.online) return `online · heartbeat ${ago(host.heartbeatAt, now)}`;
  if (host.stoppedAt) return `stopped ${ago(host.stoppedAt, now)}`;
  if (host.mode === "once") return `last run ${ago(host.heartbeatAt, now)}`;
  return `offline; last seen ${ago(host.heartbeatAt, now)}`;
}

/** @param {unknown} mode */
export function modeWord(mode) {
  return MODES[String(mode)] ?? "unknown";
}

/** "2+ 1~ 3? 1!" for staged, unstaged, untracked, conflicted; "" when clean. @param {any} c */
export function changeCounts(c) {
  if (!c) return "";
  return [
    c.staged ? `${c.staged}+` : "",
    c.unstaged ? `${c.unstaged}~` : "",
    c.untracked ? `${c.untracked}?` : "",
    c.conflicted ? `${c.conflicted}!` : "",
  ].filter(Boolean).join(" ");
}

/** @param {number} n @param {string} one @param {string} [many] */
export function count(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** @param {string | null | undefined} sha */
export function short(sha) {
  return typeof sha === "string" ? sha.slice(0, 7) : "–";
}

/**
 * Credentials embedded in remote URLs (`https://user:token@host/...`, `https://token@host/...`) never reach
 * a log, a store record or the terminal. git hides them in most of its messages, not in all (a `git://`
 * lookup failure prints `user:token@host`), so every text from outside passes through here.
 */

const REDACTED = "***";

/** `scheme://userinfo@`: the password goes; for http(s) the user part too, since it is often a token. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@'"]*)@/gi;

/** `user:secret@host` without a scheme, as git prints it after taking the URL apart. */
const BARE_USERINFO = /(^|[\s'"(=,;])([^\s/:@'"]+):[^\s/@'"]+@(?=[^\s@/]+)/g;

export function redactCredentials(text: string): string {
  if (!text.includes("@")) return text;
  return text
    .replace(URL_USERINFO, (_match, scheme: string, userinfo: string) => {
      if (userinfo === "") return `${scheme}@`;
      const colon = userinfo.indexOf(":");
      if (colon >= 0) return `${scheme}${userinfo.slice(0, colon)}:${REDACTED}@`;
      return /^https?:\/\/$/i.test(scheme) ? `${scheme}${REDACTED}@` : `${scheme}${userinfo}@`;
    })
    .replace(BARE_USERINFO, (_match, before: string, user: string) => `${before}${user}:${REDACTED}@`);
}

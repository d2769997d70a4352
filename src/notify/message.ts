/** What a delivery says, in words (the desktop) and as data (a configured command). */

import { KIND_TITLES } from "../state/attention_item.ts";
import type { Delivery, Notice } from "../attention/quiet.ts";

export interface Message {
  title: string;
  body: string;
}

/** Clears are news for a command (it may close what it opened), not for a pop-up; null: nothing to show. */
export function desktopMessage(delivery: Delivery): Message | null {
  if (!delivery.digest) {
    const { event, item } = delivery.notice;
    if (event === "cleared") return null;
    return { title: `GitArgus: ${KIND_TITLES[item.kind]}`, body: where(delivery.notice) };
  }
  const raised = delivery.notices.filter((n) => n.event === "raised");
  if (raised.length === 0) return null;
  const shown = raised.slice(0, 3).map(where);
  if (raised.length > shown.length) shown.push(`and ${raised.length - shown.length} more`);
  const count = `${raised.length} item${raised.length === 1 ? " needs" : "s need"} attention`;
  return { title: `GitArgus: ${count}`, body: shown.join("\n") };
}

function where(notice: Notice): string {
  return notice.item.summary;
}

/** The JSON a configured command reads on stdin. */
export function commandPayload(delivery: Delivery): Record<string, unknown> {
  if (!delivery.digest) {
    const { event, item } = delivery.notice;
    return {
      v: 1,
      event,
      kind: item.kind,
      title: KIND_TITLES[item.kind],
      message: where(delivery.notice),
      item,
    };
  }
  const count = delivery.notices.length;
  return {
    v: 1,
    event: "digest",
    kind: "digest",
    title: `${count} items need attention`,
    message: delivery.notices.map(where).join("\n"),
    items: delivery.notices.map((n) => ({ event: n.event, item: n.item })),
  };
}

/** The same as variables, for a command that would rather not parse JSON. */
export function commandVariables(delivery: Delivery): Record<string, string> {
  const payload = commandPayload(delivery);
  const vars: Record<string, string> = {
    GITARGUS_EVENT: String(payload.event),
    GITARGUS_ITEM_KIND: String(payload.kind),
    GITARGUS_TITLE: String(payload.title),
    GITARGUS_MESSAGE: String(payload.message),
    GITARGUS_ITEM_COUNT: String(delivery.digest ? delivery.notices.length : 1),
  };
  if (!delivery.digest) {
    const { item } = delivery.notice;
    Object.assign(vars, {
      GITARGUS_ITEM_ID: item.id,
      GITARGUS_ITEM_HOST: item.host,
      GITARGUS_ITEM_REPO: item.repo ?? "",
      GITARGUS_ITEM_SUMMARY: item.summary,
      GITARGUS_ITEM_STATE: item.state,
      GITARGUS_ITEM_SINCE: item.since,
    });
  }
  return vars;
}

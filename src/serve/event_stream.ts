/** `GET /api/events`: server-sent events from the feed, starting with a snapshot or with what was missed. */

import type { Feed, FeedEvent } from "./feed.ts";

const PING_MS = 15_000;
const encoder = new TextEncoder();

export function frame(event: FeedEvent): string {
  return `id: ${event.id}\nevent: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/**
 * `snapshot` builds the first event of a new connection; it is numbered with the feed's latest id, so a
 * reconnect from there replays only what came after it.
 */
export function eventStream(
  feed: Feed,
  lastEventId: string | null,
  snapshot: () => Promise<unknown>,
  closed: AbortSignal,
): ReadableStream<Uint8Array> {
  let stop = () => {};
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const queued: FeedEvent[] = [];
      let live = false;
      const subscription = feed.subscribe(
        (event) => live ? send(frame(event)) : queued.push(event),
        lastEventId,
      );
      const ping = setInterval(() => send(": ping\n\n"), PING_MS);
      stop = () => {
        clearInterval(ping);
        subscription.close();
        closed.removeEventListener("abort", stop);
        try {
          controller.close();
        } catch {
          // Already closed by the client.
        }
      };
      closed.addEventListener("abort", stop);
      // Tell the browser how soon to come back after a dropped connection.
      send("retry: 2000\n\n");
      if (subscription.missed) {
        for (const event of subscription.missed) send(frame(event));
      } else {
        try {
          const data = await snapshot();
          send(frame({ id: feed.lastEventId(), event: "snapshot", data }));
          // What was emitted while the snapshot was built is in it already.
          queued.length = 0;
        } catch (error) {
          send(`event: problem\ndata: ${JSON.stringify({ message: (error as Error).message })}\n\n`);
        }
      }
      live = true;
      for (const event of queued.splice(0)) send(frame(event));
    },
    cancel() {
      stop();
    },
  });
}

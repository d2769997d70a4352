/**
 * `GITARGUS_TEST_CLOCK_OFFSET_MS`: for tests only. Shifts what this process takes as the current time by the
 * given milliseconds (negative is behind), so a test can run the real CLI as a machine whose clock is wrong.
 * Nothing in the product depends on a clock being right; this lets the tests show it. Unset, or not a whole
 * number, it is 0.
 */

let offset: number | undefined;

export function testClockOffsetMs(): number {
  if (offset === undefined) {
    let text: string | undefined;
    try {
      text = Deno.env.get("GITARGUS_TEST_CLOCK_OFFSET_MS");
    } catch {
      // No permission to read it: a runner without the test variable.
    }
    const value = Number(text ?? "0");
    offset = Number.isSafeInteger(value) ? value : 0;
  }
  return offset;
}

/** The current time as this process takes it: the system clock, shifted only by the test offset. */
export function currentTime(): Date {
  return new Date(Date.now() + testClockOffsetMs());
}

/** Time and waiting, behind one interface so logic can be tested with a fake clock. */
export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: currentTime,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

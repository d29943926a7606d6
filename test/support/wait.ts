/** Waits until `done` holds, looking every 5 ms for at most `ms`; whether it came to hold. */
export async function until(done: () => boolean, ms = 10_000): Promise<boolean> {
  for (const end = Date.now() + ms; !done() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 5));
  return done();
}

/** Waits until `condition` holds, checking every 20 ms; fails after `ms`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((tick) => setTimeout(tick, 20));
  }
}

/**
 * Lets the vault worker's other calls in between slices of background work.
 * A message, not a timer: a nested timer waits 4 ms each time.
 */
export function yieldToWorker(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

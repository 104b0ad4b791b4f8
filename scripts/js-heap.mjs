// Sums the JS heap in use across a page and all its workers (nested ones too),
// through the browser's DevTools protocol: `performance.memory` sees only the
// page's main thread, while the vault's work happens in workers.

/** @param {import('playwright').Browser} browser */
export async function jsHeapSampler(browser) {
  const cdp = await browser.newBrowserCDPSession();
  const sessions = new Map(); // targetId → sessionId
  const pending = new Map(); // message id → resolve
  let nextId = 1;
  cdp.on('Target.receivedMessageFromTarget', ({ message }) => {
    const parsed = JSON.parse(message);
    const resolve = pending.get(parsed.id);
    if (resolve) {
      pending.delete(parsed.id);
      resolve(parsed.result);
    }
  });
  cdp.on('Target.detachedFromTarget', ({ targetId }) => sessions.delete(targetId));

  function ask(sessionId, method) {
    const id = nextId++;
    const answer = new Promise((resolve) => {
      pending.set(id, resolve);
      // A target that goes away never answers.
      setTimeout(() => pending.delete(id) && resolve(undefined), 1000);
    });
    void cdp
      .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) })
      .catch(() => undefined);
    return answer;
  }

  /** Asks the page and every worker `method`; the answers, in no order (targets that went away: none). */
  async function askAll(method) {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const wanted = targetInfos.filter((target) => target.type === 'page' || target.type === 'worker');
    const answers = await Promise.all(
      wanted.map(async ({ targetId }) => {
        let sessionId = sessions.get(targetId);
        if (!sessionId) {
          try {
            ({ sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: false }));
          } catch {
            return undefined;
          }
          sessions.set(targetId, sessionId);
        }
        return ask(sessionId, method);
      }),
    );
    return answers.filter((answer) => answer !== undefined);
  }

  /** MiB of JS heap in use, summed over the page and every worker. */
  async function usedMiB() {
    const usages = await askAll('Runtime.getHeapUsage');
    return usages.reduce((bytes, usage) => bytes + usage.usedSize, 0) / 2 ** 20;
  }

  /** A full garbage collection in the page and every worker. */
  async function collectGarbage() {
    await askAll('HeapProfiler.collectGarbage');
  }

  return { usedMiB, collectGarbage };
}

import { describe, expect, it } from 'vitest';
import { countedIn, GiveWay } from '../../../renderer/src/vault/worker/give-way';

const later = () => {
  let settle: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (settle = resolve));
  return { promise, settle };
};

describe('giving way to work under way', () => {
  it('clears at once when nothing is under way, and once what was under way has settled', async () => {
    const way = new GiveWay(0, 60_000);
    await way.clear();
    const first = later();
    const second = later();
    const tracked = [way.track(first.promise), way.track(second.promise)];
    let cleared = false;
    const clearing = way.clear().then(() => (cleared = true));
    first.settle();
    await tracked[0];
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(cleared).toBe(false);
    second.settle();
    await clearing;
    expect(cleared).toBe(true);
  });

  it('counts failed work as settled, and passes its result or failure on', async () => {
    const way = new GiveWay(0, 60_000);
    await expect(way.track(Promise.reject(new Error('failed')))).rejects.toThrow('failed');
    expect(await way.track(Promise.resolve(7))).toBe(7);
    await way.clear();
  });

  it('waits no longer than its longest wait for work that never ends', async () => {
    const way = new GiveWay(0, 50);
    void way.track(new Promise(() => undefined));
    const started = performance.now();
    await way.clear();
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('waits, after the last work settled, until nothing has been under way for a quiet moment', async () => {
    const way = new GiveWay(300, 60_000);
    // Nothing tracked yet: quiet already (answered before any timer).
    const first = await Promise.race([
      way.clear().then(() => 'cleared'),
      new Promise((resolve) => setTimeout(() => resolve('timer'), 0)),
    ]);
    expect(first).toBe('cleared');
    await way.track(Promise.resolve());
    let started = performance.now();
    await way.clear();
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    // Work started during the quiet moment starts it again once it settles.
    await way.track(Promise.resolve());
    const clearing = way.clear();
    await new Promise((resolve) => setTimeout(resolve, 40));
    started = performance.now();
    await way.track(new Promise((resolve) => setTimeout(resolve, 20)));
    await clearing;
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('stops waiting as soon as it is told it need not wait, at the next wake', async () => {
    const way = new GiveWay(60_000, 60_000);
    void way.track(new Promise(() => undefined));
    let wanted = true;
    let cleared = false;
    const clearing = way.clear(() => wanted).then(() => (cleared = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    way.wake();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cleared).toBe(false);
    wanted = false;
    way.wake();
    await clearing;
    expect(cleared).toBe(true);
    // Told so before it starts: it does not wait at all.
    await way.clear(() => false);
  });
});

describe('an API whose calls are counted', () => {
  it('counts each call until it settles, passes results and failures on, and keeps other members', async () => {
    const way = new GiveWay(0, 60_000);
    const pending = later();
    const api = countedIn(way, {
      wait: () => pending.promise.then(() => 'done'),
      fail: (): Promise<never> => {
        throw new Error('refused');
      },
      name: 'vault',
    });
    expect(api.name).toBe('vault');
    const waiting = api.wait();
    let cleared = false;
    const clearing = way.clear().then(() => (cleared = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(cleared).toBe(false);
    pending.settle();
    expect(await waiting).toBe('done');
    await clearing;
    await expect(api.fail()).rejects.toThrow('refused');
    await way.clear();
  });
});

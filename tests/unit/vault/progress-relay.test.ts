import { describe, expect, it } from 'vitest';
import { progressRelay, type CountedProgress } from '../../../renderer/src/vault/worker/progress-relay';

/** A relay on a clock the test moves, and what it sent. */
function relayed(intervalMs = 100) {
  let clock = 0;
  const sent: (CountedProgress & { at: number })[] = [];
  const relay = progressRelay<CountedProgress>((progress) => sent.push({ ...progress, at: clock }), {
    intervalMs,
    now: () => clock,
  });
  return { relay, sent, advance: (ms: number) => (clock += ms) };
}

describe('progress sent from the vault worker', () => {
  it('sends the first step, then at most one step per interval, and always the last', () => {
    const { relay, sent, advance } = relayed();
    for (let done = 0; done <= 1000; done++) {
      relay.report({ done, total: 1000 });
      advance(1); // a step a millisecond: a second of work
    }
    expect(sent[0]).toMatchObject({ done: 0, at: 0 });
    expect(sent.at(-1)).toMatchObject({ done: 1000, total: 1000 });
    // About one a tenth of a second, none closer than that but the last.
    expect(sent.length).toBeGreaterThanOrEqual(10);
    expect(sent.length).toBeLessThanOrEqual(12);
    for (let index = 1; index < sent.length - 1; index++)
      expect(sent[index]!.at - sent[index - 1]!.at).toBeGreaterThanOrEqual(100);
    const values = sent.map((progress) => progress.done);
    expect(values).toEqual([...values].sort((a, b) => a - b));
  });

  it('never goes back, nor past the total', () => {
    const { relay, sent, advance } = relayed();
    relay.report({ done: 40, total: 100 });
    advance(200);
    relay.report({ done: 10, total: 100 }); // the work started over: the bar holds
    advance(200);
    relay.report({ done: 60, total: 50 }); // the total fell below what was done
    expect(sent.map(({ done, total }) => [done, total])).toEqual([
      [40, 100],
      [50, 50],
    ]);
  });

  it('sends nothing new twice, but a new stage at the same figures', () => {
    let sent: unknown[] = [];
    const relay = progressRelay<CountedProgress & { stage: string }>((progress) => (sent = [...sent, progress]));
    relay.report({ stage: 'merging', done: 3, total: 3 });
    relay.report({ stage: 'merging', done: 3, total: 3 });
    relay.report({ stage: 'writing', done: 3, total: 3 });
    expect(sent).toEqual([
      { stage: 'merging', done: 3, total: 3 },
      { stage: 'writing', done: 3, total: 3 },
    ]);
  });

  it('sends what it held back when a stage ends', () => {
    const { relay, sent, advance } = relayed();
    relay.report({ done: 1, total: 10 });
    advance(10);
    relay.report({ done: 2, total: 10 });
    expect(sent).toHaveLength(1);
    relay.flush();
    expect(sent.map((progress) => progress.done)).toEqual([1, 2]);
    relay.flush(); // nothing held: nothing sent twice
    expect(sent).toHaveLength(2);
  });

  it('goes on when the page that listened has gone', async () => {
    const failing = progressRelay<CountedProgress>(() => {
      throw new Error('gone');
    });
    expect(() => failing.report({ done: 1, total: 2 })).not.toThrow();
    let rejected = 0;
    const rejecting = progressRelay<CountedProgress>(() => {
      rejected += 1;
      return Promise.reject(new Error('port closed'));
    });
    rejecting.report({ done: 2, total: 2 });
    await new Promise((resolve) => setTimeout(resolve, 0)); // an unhandled rejection would fail the run
    expect(rejected).toBe(1);
    expect(() => progressRelay<CountedProgress>(undefined).report({ done: 1, total: 1 })).not.toThrow();
  });
});

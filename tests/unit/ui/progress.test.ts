import { createInstance, type i18n } from 'i18next';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18nOptions, numberFormatter, type Language } from '../../../renderer/src/i18n';
import { createProgressMeter, progressDetail, type ProgressSnapshot } from '../../../renderer/src/ui/progress';

const MiB = 1024 * 1024;

describe('progress meter', () => {
  let clock = 0;
  let shown: ProgressSnapshot[] = [];
  const meter = (intervalMs = 250) =>
    createProgressMeter({ onUpdate: (snapshot) => shown.push(snapshot), intervalMs, now: () => clock });
  /** Moves the clock and fires the timers due by then. */
  const advance = (ms: number) => {
    clock += ms;
    vi.advanceTimersByTime(ms);
  };

  beforeEach(() => {
    vi.useFakeTimers();
    clock = 1000;
    shown = [];
  });
  afterEach(() => vi.useRealTimers());

  it('shows the first report at once, then at most one update per interval, always the latest figures', () => {
    const progress = meter();
    progress.report(1 * MiB, 100 * MiB);
    expect(shown.map((s) => s.done)).toEqual([1 * MiB]);
    // Twenty steps of 10 ms: two more updates (at 250 ms), each with the newest count.
    for (let step = 2; step <= 21; step++) {
      advance(10);
      progress.report(step * MiB, 100 * MiB);
    }
    expect(shown.map((s) => s.done)).toEqual([1 * MiB]);
    advance(50); // 250 ms after the first: the waiting update fires with the latest figures
    expect(shown.map((s) => s.done)).toEqual([1 * MiB, 21 * MiB]);
    advance(1000); // nothing new reported: nothing new shown
    expect(shown).toHaveLength(2);
  });

  it('keeps a bar moving at least every interval while steps keep coming, however often', () => {
    const progress = meter();
    let done = 0;
    for (let ms = 0; ms < 3000; ms += 5) {
      done += 4096;
      progress.report(done, 1000 * MiB);
      advance(5);
    }
    // 3 s of steps every 5 ms: 12 or 13 updates, not 600, each further along than the last.
    expect(shown.length).toBeGreaterThanOrEqual(12);
    expect(shown.length).toBeLessThanOrEqual(13);
    for (let index = 1; index < shown.length; index++)
      expect(shown[index]!.done).toBeGreaterThan(shown[index - 1]!.done);
  });

  it('measures the speed over the last seconds, and the time left from it', () => {
    const progress = meter();
    // 10 MiB/s for 6 s, then 2 MiB/s for 6 s.
    let done = 0;
    for (let second = 1; second <= 12; second++) {
      advance(1000);
      done += (second <= 6 ? 10 : 2) * MiB;
      progress.report(done, 100 * MiB);
    }
    const last = shown.at(-1)!;
    expect(last.done).toBe(72 * MiB);
    expect(last.elapsedMs).toBe(12_000);
    expect(last.perSecond).toBeCloseTo(2 * MiB, -3); // the window has forgotten the fast start
    expect(last.secondsLeft).toBeCloseTo(14, 0);
  });

  it('gives no speed until a second of reports is in, and no time left when nothing moves', () => {
    const progress = meter(0);
    advance(400);
    progress.report(5 * MiB, 10 * MiB);
    expect(shown.at(-1)).toMatchObject({ perSecond: null, secondsLeft: null });
    advance(2000);
    progress.report(5 * MiB, 10 * MiB);
    advance(3000);
    progress.report(5 * MiB, 10 * MiB);
    expect(shown.at(-1)!.secondsLeft).toBeNull();
  });

  it('shows the end at once on finish, and nothing after a stop', () => {
    const progress = meter();
    progress.report(1, 10);
    advance(10);
    progress.report(10, 10);
    progress.finish();
    expect(shown.map((s) => s.done)).toEqual([1, 10]);
    progress.report(11, 10); // after the end: ignored
    advance(1000);
    expect(shown).toHaveLength(2);

    const stopped = meter();
    stopped.report(1, 10);
    advance(10);
    stopped.report(2, 10);
    stopped.stop();
    advance(1000);
    expect(shown.map((s) => s.done)).toEqual([1, 10, 1]);
  });
});

describe('progress detail', () => {
  async function started(language: Language): Promise<i18n> {
    const instance = createInstance().use(numberFormatter);
    await instance.init(i18nOptions(language));
    return instance;
  }
  const running = (patch: Partial<ProgressSnapshot>): ProgressSnapshot => ({
    done: 12.5 * MiB,
    total: 300 * MiB,
    elapsedMs: 5000,
    perSecond: 18.4 * MiB,
    secondsLeft: 15.6,
    ...patch,
  });

  it('says the amount, the speed and the time left, in English', async () => {
    const { t } = await started('en');
    expect(progressDetail(t, 'en', running({}), 'bytes')).toBe(
      '12.5 MiB of 300 MiB · 18.4 MiB/s · about 16 seconds left',
    );
    expect(progressDetail(t, 'en', running({ secondsLeft: 0.2 }), 'bytes')).toContain('about 1 second left');
    expect(progressDetail(t, 'en', running({ secondsLeft: 190 }), 'bytes')).toContain('about 3 minutes left');
    expect(progressDetail(t, 'en', running({ secondsLeft: 5400 }), 'bytes')).toContain('about 1.5 hours left');
    expect(
      progressDetail(t, 'en', running({ done: 1200, total: 5000, perSecond: 410.4, secondsLeft: 9.3 }), 'items'),
    ).toBe('1,200 of 5,000 · 410/s · about 9 seconds left');
  });

  it("says only the amount in a task's first seconds, and no time left once done", async () => {
    const { t } = await started('en');
    expect(progressDetail(t, 'en', running({ elapsedMs: 2000 }), 'bytes')).toBe('12.5 MiB of 300 MiB');
    expect(progressDetail(t, 'en', running({ perSecond: null, secondsLeft: null }), 'bytes')).toBe(
      '12.5 MiB of 300 MiB',
    );
    expect(progressDetail(t, 'en', running({ done: 300 * MiB, secondsLeft: 0 }), 'bytes')).toBe(
      '300 MiB of 300 MiB · 18.4 MiB/s',
    );
  });

  it('writes the numbers with Khmer digits in Khmer', async () => {
    const { t } = await started('km');
    expect(progressDetail(t, 'km', running({}), 'bytes')).toBe(
      '១២.៥ MiB ក្នុងចំណោម ៣០០ MiB · ១៨.៤ MiB/វិនាទី · នៅសល់ប្រហែល ១៦ វិនាទី',
    );
  });
});

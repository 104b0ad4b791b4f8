import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SmokeReport, SmokeStep } from '../../electron/host-api';

// The checks themselves need a browser (IndexedDB, canvas, pdf.js): here they are replaced.
vi.mock('../../renderer/src/documents/viewers/pdfjs', () => ({ openPdf: vi.fn() }));

const { runSmoke } = await import('../../renderer/src/smoke/progress');
const { reportMessage, SMOKE_STEP_TIMEOUT_MS } = await import('../../renderer/src/smoke/checks');
const { isSmokeRun } = await import('../../renderer/src/smoke');

type Checks = Record<SmokeStep, () => Promise<string>>;

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('runSmoke', () => {
  it('runs the steps in order and reports each, passing when all pass', async () => {
    const order: string[] = [];
    const checks: Checks = {
      'self-test': () => (order.push('self-test'), Promise.resolve('libsodium 1.0.22')),
      indexeddb: () => (order.push('indexeddb'), Promise.resolve('wrote')),
      'pdf-render': () => (order.push('pdf-render'), Promise.resolve('rendered')),
    };
    const reports: SmokeReport[] = [];
    const onVerdict = vi.fn();
    const { progress, done } = runSmoke(checks, (report) => (reports.push(report), Promise.resolve()), onVerdict);
    expect(progress.snapshot().verdict).toBe('running');
    await expect(done).resolves.toBe('passed');
    expect(order).toEqual(['self-test', 'indexeddb', 'pdf-render']);
    expect(reports).toEqual([
      { step: 'self-test', ok: true, message: 'libsodium 1.0.22' },
      { step: 'indexeddb', ok: true, message: 'wrote' },
      { step: 'pdf-render', ok: true, message: 'rendered' },
    ]);
    expect(onVerdict).toHaveBeenCalledWith('passed');
    expect(progress.snapshot().steps.map((status) => status.state)).toEqual(['passed', 'passed', 'passed']);
  });

  it('goes on after a failed step, reports the failure with its reason, and fails the run', async () => {
    const checks: Checks = {
      'self-test': () => Promise.resolve('ok'),
      indexeddb: () => Promise.reject(new DOMException('no space left', 'QuotaExceededError')),
      'pdf-render': () => Promise.resolve('rendered'),
    };
    const reports: SmokeReport[] = [];
    const { progress, done } = runSmoke(
      checks,
      (report) => (reports.push(report), Promise.resolve()),
      () => {},
    );
    await expect(done).resolves.toBe('failed');
    expect(reports.map((report) => [report.step, report.ok])).toEqual([
      ['self-test', true],
      ['indexeddb', false],
      ['pdf-render', true],
    ]);
    expect(reports[1]?.message).toBe('QuotaExceededError: no space left');
    expect(progress.snapshot().verdict).toBe('failed');
  });

  it('fails a step that never finishes, after the step timeout', async () => {
    vi.useFakeTimers();
    const checks: Checks = {
      'self-test': () => new Promise<string>(() => {}),
      indexeddb: () => Promise.resolve('wrote'),
      'pdf-render': () => Promise.resolve('rendered'),
    };
    const reports: SmokeReport[] = [];
    const { done } = runSmoke(
      checks,
      (report) => (reports.push(report), Promise.resolve()),
      () => {},
    );
    await vi.advanceTimersByTimeAsync(SMOKE_STEP_TIMEOUT_MS);
    await expect(done).resolves.toBe('failed');
    expect(reports[0]).toEqual({
      step: 'self-test',
      ok: false,
      message: 'Error: self-test did not finish within 30 s',
    });
  });

  it('runs without a shell to report to (plain browser), and survives a refused report', async () => {
    const checks: Checks = {
      'self-test': () => Promise.resolve('ok'),
      indexeddb: () => Promise.resolve('ok'),
      'pdf-render': () => Promise.resolve('ok'),
    };
    await expect(runSmoke(checks, null, () => {}).done).resolves.toBe('passed');
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const refused = runSmoke(
      checks,
      () => Promise.reject(new Error('IPC refused')),
      () => {},
    );
    await expect(refused.done).resolves.toBe('passed');
    expect(error).toHaveBeenCalledTimes(3);
  });

  it('notifies subscribers of every change', async () => {
    const checks: Checks = {
      'self-test': () => Promise.resolve('ok'),
      indexeddb: () => Promise.resolve('ok'),
      'pdf-render': () => Promise.resolve('ok'),
    };
    const { progress, done } = runSmoke(checks, null, () => {});
    const listener = vi.fn();
    const unsubscribe = progress.subscribe(listener);
    await done;
    unsubscribe();
    expect(listener).toHaveBeenCalled();
  });
});

describe('reportMessage', () => {
  it('makes one printable line of at most 200 characters', () => {
    expect(reportMessage('a\nb\u001b[2J\tc \u202e d')).toBe('a b [2J c d');
    const long = reportMessage('x'.repeat(500));
    expect(long).toHaveLength(200);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('isSmokeRun', () => {
  it.each([
    ['?smoke=1', true],
    ['?lang=km&smoke=1', true],
    ['', false],
    ['?smoke=0', false],
    ['?smoke', false],
  ])('%s → %s', (search, expected) => {
    expect(isSmokeRun(search)).toBe(expected);
  });
});

import { describe, expect, it, vi } from 'vitest';
import type { VaultHostApi } from '../../../electron/host-api';
import { electronPlatform } from '../../../renderer/src/platform/electron-platform';

/** Only printToPdf is exercised; the other members are never called. */
function hostWith(printToPdf: VaultHostApi['printToPdf']): VaultHostApi {
  return { printToPdf } as Partial<VaultHostApi> as VaultHostApi;
}

describe('electron printToPdf', () => {
  it('returns the check of the saved file', async () => {
    const check = { sha256: 'ab'.repeat(32), size: 1234 };
    const printToPdf = vi.fn(() => Promise.resolve(check));
    const outcome = await electronPlatform(hostWith(printToPdf)).printToPdf('report.pdf');
    expect(outcome).toEqual({ kind: 'saved', check });
    expect(printToPdf).toHaveBeenCalledWith('report.pdf');
  });

  it('reports a cancelled dialog', async () => {
    const outcome = await electronPlatform(hostWith(() => Promise.resolve(null))).printToPdf('report.pdf');
    expect(outcome).toEqual({ kind: 'cancelled' });
  });

  it('passes host errors on', async () => {
    const host = hostWith(() => Promise.reject(new Error('The page could not be printed to PDF.')));
    await expect(electronPlatform(host).printToPdf('report.pdf')).rejects.toThrow(/could not be printed/);
  });
});

describe('electron save names', () => {
  it('hands main a safe name instead of one it would refuse', async () => {
    const beginSave = vi.fn(() => Promise.resolve(null));
    const printToPdf = vi.fn(() => Promise.resolve(null));
    const host = { beginSave, printToPdf } as Partial<VaultHostApi> as VaultHostApi;
    const platform = electronPlatform(host);
    await platform.beginSave('scan\\2025\u0000.pdf', 'application/pdf');
    await platform.printToPdf(`${'ក'.repeat(100)} — report.pdf`);
    expect(beginSave).toHaveBeenCalledWith('scan_2025_.pdf');
    const printed = (printToPdf.mock.calls[0] as unknown as [string])[0];
    expect(new TextEncoder().encode(printed).byteLength).toBeLessThanOrEqual(255);
    expect(printed).toMatch(/^ក+\.pdf$/u);
  });
});

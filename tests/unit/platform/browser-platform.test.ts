import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserPickedFile, browserPlatform } from '../../../renderer/src/platform/browser-platform';

async function collect(iterable: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of iterable) chunks.push(chunk);
  return chunks;
}

describe('browser picked file', () => {
  it('reads a file in bounded chunks, in order', async () => {
    const bytes = Uint8Array.from({ length: 10_001 }, (_, index) => index % 251);
    const file = browserPickedFile(new File([bytes], 'statement.pdf'));
    const chunks = await collect(file.chunks(4096));
    expect(chunks.map((chunk) => chunk.byteLength)).toEqual([4096, 4096, 1809]);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from(bytes));
  });

  it('yields nothing for a 0-byte file', async () => {
    const file = browserPickedFile(new File([], 'empty.txt'));
    expect(await collect(file.chunks(4096))).toEqual([]);
  });

  it('stops when cancelled', async () => {
    const file = browserPickedFile(new File([new Uint8Array(10_000)], 'big.bin'));
    const controller = new AbortController();
    controller.abort();
    await expect(collect(file.chunks(1000, controller.signal))).rejects.toThrow();
  });
});

describe('browser printToPdf', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("opens the browser's print dialog and says so", async () => {
    const print = vi.fn();
    vi.stubGlobal('window', { print });
    await expect(browserPlatform('0.0.0').printToPdf('report.pdf')).resolves.toEqual({ kind: 'print-dialog' });
    expect(print).toHaveBeenCalledTimes(1);
  });
});

describe('browser save names', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('names the download safely', async () => {
    const link = { click: vi.fn(), remove: vi.fn(), download: '', href: '', hidden: false };
    vi.stubGlobal('document', { createElement: () => link, body: { append: vi.fn() } });
    vi.stubGlobal('URL', { createObjectURL: () => 'blob:x', revokeObjectURL: vi.fn() });
    const sink = await browserPlatform('0.0.0').beginSave('CON.txt', 'text/plain');
    await sink!.write(new TextEncoder().encode('text'));
    await sink!.commit();
    expect(link.download).toBe('_CON.txt');
    expect(link.click).toHaveBeenCalled();
  });
});

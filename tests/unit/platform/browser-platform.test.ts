import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  browserPickedFile,
  browserPlatform,
  downloadsBackupTarget,
  pickedFilesBackupSource,
} from '../../../renderer/src/platform/browser-platform';

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

describe('browser backups', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('downloads each committed file under its own name, whole, and nothing of a file ended without commit', async () => {
    const downloads: { name: string; blob: Blob }[] = [];
    const blobs = new Map<string, Blob>();
    vi.stubGlobal('document', {
      createElement: () => {
        const link = {
          download: '',
          href: '',
          hidden: false,
          click: () => downloads.push({ name: link.download, blob: blobs.get(link.href)! }),
          remove: vi.fn(),
        };
        return link;
      },
      body: { append: vi.fn() },
    });
    vi.stubGlobal('URL', {
      createObjectURL: (blob: Blob) => {
        const url = `blob:${blobs.size}`;
        blobs.set(url, blob);
        return url;
      },
      revokeObjectURL: vi.fn(),
    });
    const target = downloadsBackupTarget();
    expect(await target.list()).toBeNull();
    await expect(target.readChunk('x', 0, 1)).rejects.toThrow();
    const name = `evb-${'a'.repeat(32)}-000001.run`;
    const kept = await target.beginFile(name);
    const dropped = await target.beginFile(`evb-${'a'.repeat(32)}-${'b'.repeat(32)}.pack`);
    await target.appendFile(kept, Uint8Array.of(1, 2));
    await target.appendFile(dropped, Uint8Array.of(9));
    await target.appendFile(kept, Uint8Array.of(3));
    await target.endFile(dropped, false);
    await target.endFile(kept, true);
    await target.remove(name);
    expect(downloads.map((download) => download.name)).toEqual([name]);
    expect(new Uint8Array(await downloads[0]!.blob.arrayBuffer())).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('reads picked files by name and slice', async () => {
    const source = pickedFilesBackupSource([
      new File([Uint8Array.of(1, 2, 3, 4, 5)], 'evb-a.pack'),
      new File([Uint8Array.of(7)], 'evb-b.run'),
    ]);
    expect(await source.list()).toEqual([
      { name: 'evb-a.pack', size: 5 },
      { name: 'evb-b.run', size: 1 },
    ]);
    expect(await source.readChunk('evb-a.pack', 1, 3)).toEqual(Uint8Array.of(2, 3, 4));
    expect(await source.readChunk('evb-a.pack', 4, 10)).toEqual(Uint8Array.of(5));
    await expect(source.readChunk('missing.pack', 0, 1)).rejects.toThrow();
  });
});

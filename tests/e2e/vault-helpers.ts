import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

export const PASSPHRASE = 'orchid lantern 47 granite meadow';

/** Creates a vault through the UI; returns the recovery key it showed. */
export async function createVault(page: Page, passphrase = PASSPHRASE): Promise<string> {
  await page.goto('/');
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Confirm passphrase').fill(passphrase);
  await expect(page.getByText('Strong', { exact: false })).toBeVisible();
  await page.getByRole('button', { name: 'Create vault' }).click();
  const recoveryKey = await confirmRecoveryKey(page);
  await expect(page.getByRole('button', { name: 'Lock vault' })).toBeVisible();
  return recoveryKey;
}

/** The recovery key the screen shows, as the worker formats it (groups joined by dashes). */
export async function shownRecoveryKey(page: Page): Promise<string> {
  const key = page.getByRole('list', { name: 'Recovery key', exact: true });
  await expect(key).toBeVisible({ timeout: 30_000 });
  return (await key.getByRole('listitem').allTextContents()).join('-');
}

/** The textboxes the recovery-key check asks for, each with the 1-based group number its label names. */
export async function askedGroups(page: Page): Promise<{ input: Locator; number: number }[]> {
  const inputs = await page.getByRole('group', { name: 'Check your copy' }).getByRole('textbox').all();
  return Promise.all(
    inputs.map(async (input) => {
      const label = await input.evaluate((element) => (element as HTMLInputElement).labels?.[0]?.textContent ?? '');
      return { input, number: Number(/^Group (\d+)$/.exec(label)?.[1]) };
    }),
  );
}

/** Passes the recovery-key screen as a user would: types the groups it asks for, from the key; returns the key. */
export async function confirmRecoveryKey(page: Page): Promise<string> {
  const recoveryKey = await shownRecoveryKey(page);
  const groups = recoveryKey.split('-');
  for (const { input, number } of await askedGroups(page)) await input.fill(groups[number - 1]!);
  await page.getByRole('button', { name: 'Continue' }).click();
  return recoveryKey;
}

export async function unlock(page: Page, passphrase = PASSPHRASE): Promise<void> {
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Lock vault' })).toBeVisible({ timeout: 30_000 });
}

export async function lock(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Lock vault' }).click();
  await expectLocked(page);
}

/**
 * Waits for the unlock screen. A lock ends the vault worker (after up to 2 s for drafts and saves sent, 3 s of grace for
 * work under way) and starts a fresh one, which runs its self-test before the unlock screen shows.
 */
export async function expectLocked(page: Page): Promise<void> {
  await expect(page.getByRole('button', { name: 'Unlock', exact: true })).toBeVisible({ timeout: 20_000 });
}

/** The path of a file in tests/fixtures. */
export const fixture = (name: string) => join(import.meta.dirname, '../fixtures', name);

/** Creates a case called `title` from the case list and waits until it is saved. */
export async function newCase(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: 'New case' }).click();
  await page.getByLabel('Title').fill(title);
  await page.getByRole('button', { name: 'Save case' }).click();
  await expect(page.getByText('All changes saved.')).toBeVisible();
}

/** Attaches files of tests/fixtures to the open case and waits for a row of each. */
export async function attachFixtures(page: Page, names: string[]): Promise<void> {
  // The case page keeps its documents under a tab.
  const documentsTab = page.getByRole('tab', { name: 'Documents', exact: true });
  if (await documentsTab.isVisible()) await documentsTab.click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Attach files' }).click();
  await (await chooser).setFiles(names.map(fixture));
  for (const name of names)
    await expect(page.getByRole('row').filter({ hasText: name }).first()).toBeVisible({ timeout: 30_000 });
}

/** A new case with files of tests/fixtures attached. */
/**
 * A file of `mib` MiB of random bytes, made in the page (no fixture on disk, nothing crosses from the test process),
 * as the DataTransfer of a drop onto the open case's Documents tab: dispatch it with `dropOn`.
 */
export async function randomFileDrop(page: Page, name: string, mib: number) {
  return page.evaluateHandle(
    ([fileName, size]) => {
      const bytes = new Uint8Array(size * 1024 * 1024);
      for (let offset = 0; offset < bytes.length; offset += 65_536)
        crypto.getRandomValues(bytes.subarray(offset, offset + 65_536));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], fileName, { type: 'application/octet-stream' }));
      return transfer;
    },
    [name, mib] as const,
  );
}

export async function newCaseWith(page: Page, title: string, files: string[]): Promise<void> {
  await newCase(page, title);
  await attachFixtures(page, files);
}

/**
 * Every database, store, key, index and value of the page's origin, read
 * with the raw IndexedDB API (none of the app's code), plus local and
 * session storage, serialised to bytes: strings as UTF-8 and UTF-16, binary
 * values as they are.
 */
/**
 * Every row of every store of the origin's databases, as JSON, by "database/store/key": what a step wrote is the
 * rows that differ before and after it.
 */
export async function rawRowsByKey(page: Page): Promise<Map<string, string>> {
  const rows = await page.evaluate(async () => {
    const out: [string, string][] = [];
    const json = (value: unknown) =>
      JSON.stringify(value, (_key, item: unknown) =>
        item instanceof ArrayBuffer
          ? [...new Uint8Array(item)]
          : ArrayBuffer.isView(item)
            ? [...new Uint8Array(item.buffer, item.byteOffset, item.byteLength)]
            : item,
      );
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(info.name!);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('open failed'));
      });
      for (const storeName of Array.from(db.objectStoreNames)) {
        const store = db.transaction(storeName, 'readonly').objectStore(storeName);
        await new Promise<void>((resolve, reject) => {
          const cursor = store.openCursor();
          cursor.onsuccess = () => {
            const current = cursor.result;
            if (!current) return resolve();
            out.push([`${info.name}/${storeName}/${json(current.primaryKey)}`, json(current.value)]);
            current.continue();
          };
          cursor.onerror = () => reject(cursor.error ?? new Error('cursor failed'));
        });
      }
      db.close();
    }
    return out;
  });
  return new Map(rows);
}

export async function rawOriginDump(page: Page): Promise<Buffer> {
  const parts = await page.evaluate(async () => {
    const out: { text?: string; bytes?: number[] }[] = [];
    const visit = (value: unknown, depth = 0): void => {
      if (depth > 20 || value === null || value === undefined) return;
      if (typeof value === 'string') out.push({ text: value });
      else if (typeof value === 'number' || typeof value === 'boolean') out.push({ text: String(value) });
      else if (value instanceof ArrayBuffer) out.push({ bytes: [...new Uint8Array(value)] });
      else if (ArrayBuffer.isView(value))
        out.push({ bytes: [...new Uint8Array(value.buffer, value.byteOffset, value.byteLength)] });
      else if (Array.isArray(value)) value.forEach((item) => visit(item, depth + 1));
      else if (typeof value === 'object')
        for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
          out.push({ text: key });
          visit(item, depth + 1);
        }
    };
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      out.push({ text: info.name });
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(info.name!);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('open failed'));
      });
      for (const storeName of Array.from(db.objectStoreNames)) {
        out.push({ text: storeName });
        const store = db.transaction(storeName, 'readonly').objectStore(storeName);
        out.push(...Array.from(store.indexNames).map((text) => ({ text })));
        await new Promise<void>((resolve, reject) => {
          const cursor = store.openCursor();
          cursor.onsuccess = () => {
            const current = cursor.result;
            if (!current) return resolve();
            visit(current.primaryKey);
            visit(current.value);
            current.continue();
          };
          cursor.onerror = () => reject(cursor.error ?? new Error('cursor failed'));
        });
      }
      db.close();
    }
    for (const storage of [localStorage, sessionStorage])
      for (let index = 0; index < storage.length; index++) {
        const key = storage.key(index)!;
        visit(key);
        visit(storage.getItem(key));
      }
    return out;
  });
  return Buffer.concat(
    parts.flatMap((part) =>
      part.bytes
        ? [Buffer.from(part.bytes), Buffer.from([0])]
        : [
            Buffer.from(part.text ?? '', 'utf8'),
            Buffer.from([0]),
            Buffer.from(part.text ?? '', 'utf16le'),
            Buffer.from([0]),
          ],
    ),
  );
}

/** The forms a marker could take on disk if the app leaked it. */
export function encodingsOf(marker: string): { name: string; bytes: Buffer }[] {
  const utf8 = Buffer.from(marker, 'utf8');
  const forms = [
    { name: 'utf-8', bytes: utf8 },
    { name: 'utf-16le', bytes: Buffer.from(marker, 'utf16le') },
    { name: 'hex', bytes: Buffer.from(utf8.toString('hex')) },
    { name: 'HEX', bytes: Buffer.from(utf8.toString('hex').toUpperCase()) },
  ];
  // Base64 depends on the marker's offset modulo 3: check all three, minus the edge characters.
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), utf8]).toString('base64');
    const start = Math.ceil((shift * 4) / 3) + 1;
    const core = encoded.slice(start, encoded.length - 4);
    // A short core would match by chance: markers must be long enough to test.
    if (core.length < 8) throw new Error(`Marker "${marker}" is too short to look for in base64; use a longer one.`);
    forms.push({ name: `base64+${shift}`, bytes: Buffer.from(core) });
    forms.push({ name: `base64url+${shift}`, bytes: Buffer.from(core.replaceAll('+', '-').replaceAll('/', '_')) });
  }
  return forms;
}

/** Markers found in `haystack`, with the encoding that matched. */
export function leakedMarkers(haystack: Buffer, markers: string[]): string[] {
  return markers.flatMap((marker) =>
    encodingsOf(marker)
      .filter((form) => haystack.includes(form.bytes))
      .map((form) => `${marker} (${form.name})`),
  );
}

/** Selects characters [start, end) of an element's text (across child nodes), as a mouse would. */
export async function selectText(target: Locator, start: number, end: number): Promise<string> {
  return target.evaluate(
    (element, [from, to]) => {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      let seen = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const length = node.textContent?.length ?? 0;
        if (seen <= from! && from! <= seen + length) range.setStart(node, from! - seen);
        if (seen <= to! && to! <= seen + length) {
          range.setEnd(node, to! - seen);
          break;
        }
        seen += length;
      }
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      return selection.toString();
    },
    [start, end],
  );
}

/** Chooses an action from the open case's "More actions" menu (Archive, Restore from archive, Delete case). */
export async function caseMenuAction(page: Page, action: string): Promise<void> {
  await page.getByRole('button', { name: 'More actions for this case' }).click();
  await page.getByRole('menuitem', { name: action }).click();
}

/** Shows one tab of the open case (Details, Documents, Hearings, Timeline). */
export async function openCaseTab(page: Page, tab: 'Details' | 'Documents' | 'Hearings' | 'Timeline'): Promise<void> {
  await page.getByRole('tab', { name: tab }).click();
  await expect(page.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
}

/**
 * Chooses an action from a document row's "More actions" menu (Save a copy, Verify, Delete in a case; Verify, Show
 * case in All documents). The row's one visible action, Open, is a button named "Open <file name>".
 */
export async function documentRowAction(
  page: Page,
  fileName: string,
  action: 'Save a copy' | 'Verify' | 'Delete' | 'Show case',
): Promise<void> {
  await page.getByRole('button', { name: `More actions for ${fileName}`, exact: true }).click();
  await page.getByRole('menuitem', { name: action, exact: true }).click();
}

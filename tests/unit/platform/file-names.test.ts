import { describe, expect, it } from 'vitest';
import { IPC_ARGUMENTS } from '../../../electron/ipc-handlers';
import { IPC } from '../../../electron/host-api';
import { MAX_FILE_NAME_BYTES, safeFileName } from '../../../renderer/src/platform/file-names';

const bytes = (text: string) => new TextEncoder().encode(text).byteLength;
const graphemes = (text: string) =>
  Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), ({ segment }) => segment);
/** Whether the main process takes `name` as a suggested name (its validation stays the backstop). */
const mainAccepts = (name: string) =>
  IPC_ARGUMENTS[IPC.beginSave].safeParse([name]).success && IPC_ARGUMENTS[IPC.printToPdf].safeParse([name]).success;

describe('safeFileName', () => {
  it.each([
    ['a backslash', 'notes\\2025\\report.pdf', 'notes_2025_report.pdf'],
    ['a Windows path', 'C:\\Users\\victim\\evil.exe', 'C__Users_victim_evil.exe'],
    ['a slash', '../../etc/passwd', '_.._etc_passwd'],
    ['control characters', 'report\u0000\u0007\n\u007f\u009b2J.pdf', 'report_____2J.pdf'],
    ['bidi controls', 'evidence\u202efdp.exe\u2066\u200f', 'evidence_fdp.exe__'],
    ['characters Windows reserves', 'a<b>c:d"e|f?g*h.txt', 'a_b_c_d_e_f_g_h.txt'],
    ['line separators', 'one\u2028two\u2029.txt', 'one_two_.txt'],
    ['trailing dots and spaces', 'report. . ', 'report'],
    ['leading dots (a hidden file)', '.bashrc', 'bashrc'],
    ['a Windows device name with an extension', 'CON.txt', '_CON.txt'],
    ['a device name in lower case', 'nul', '_nul'],
    ['a device name with a double extension', 'LPT1.tar.gz', '_LPT1.tar.gz'],
    ['a device name before spaces', 'aux  .pdf', '_aux  .pdf'],
    ['a name of dots only', '...', '_'],
    ['dots and spaces only', '. . .', '_'],
    ['an empty name', '', '_'],
    ['an unpaired surrogate', 'a\ud800b.txt', 'a_b.txt'],
  ])('makes safe %s', (_what, name, expected) => {
    expect(safeFileName(name)).toBe(expected);
    expect(mainAccepts(safeFileName(name))).toBe(true);
  });

  it.each([
    'Case 12 — hearing report.pdf',
    'CONSOLE.txt',
    'សំណុំរឿង ក្រុមហ៊ុន ១២.pdf',
    'Ōno’s notes (draft) #3.md',
    '👩‍⚖️ verdict.jpg',
  ])('leaves a name that is already safe alone: %s', (name) => {
    expect(safeFileName(name)).toBe(name);
  });

  it('shortens a 300-byte Khmer name to 255 bytes between graphemes, keeping the extension', () => {
    const stem = 'ស្រី'.repeat(25);
    expect(bytes(stem)).toBe(300);
    const original = graphemes(stem);
    // Cut by code points at the same length, the last grapheme would be រ without its vowel sign ី.
    expect(original).not.toContain(graphemes(stem.slice(0, 83)).at(-1));
    const safe = safeFileName(`${stem}.pdf`);
    expect(bytes(safe)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
    expect(bytes(safe)).toBeGreaterThan(MAX_FILE_NAME_BYTES - 12);
    expect(safe.endsWith('.pdf')).toBe(true);
    const kept = safe.slice(0, -'.pdf'.length);
    expect(graphemes(kept)).toEqual(original.slice(0, graphemes(kept).length));
    expect(mainAccepts(safe)).toBe(true);
  });

  it('keeps a double extension when shortening', () => {
    const safe = safeFileName(`${'ស'.repeat(120)}.evidence-vault-id.json`);
    expect(bytes(safe)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
    expect(safe).toMatch(/^ស+\.evidence-vault-id\.json$/u);
  });

  it('does not shorten a long name into a device name', () => {
    const safe = safeFileName(`nul${' '.repeat(300)}x.txt`);
    expect(safe).toBe('_nul.txt');
  });

  it('cuts inside a grapheme only when one grapheme alone is over the limit', () => {
    const pile = `a${'\u0301'.repeat(200)}`;
    const safe = safeFileName(`${pile}.txt`);
    expect(bytes(safe)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
    expect(safe.endsWith('.txt')).toBe(true);
    expect(mainAccepts(safe)).toBe(true);
  });
});

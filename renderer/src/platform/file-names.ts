/**
 * The name offered when something is saved ("Save a copy", reports, CSV,
 * identity cards, bundles) comes from evidence: a document's own file name,
 * a case title, a contact's name. The Electron main process refuses names
 * that could escape the folder or mislead (a slash or backslash, control
 * characters, more than 255 UTF-8 bytes: electron/ipc-handlers.ts), and
 * rightly so; the renderer turns every name into one it accepts first, so a
 * save never fails because of the name the file happened to have.
 */

/** Path separators, C0/DEL/C1 controls, Windows-reserved characters, line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- replacing control characters is the point
const UNSAFE_CHARACTERS = /[/\\\u0000-\u001f\u007f-\u009f<>:"|?*\u2028\u2029]/gu;
/** Invisible direction controls can disguise an extension ("evidence‮fdp.exe" shows as "evidence exe.pdf"). */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
/** Half of a surrogate pair: not text; it would reach the disk as U+FFFD, if at all. */
const LONE_SURROGATE = /[\ud800-\udfff]/gu;
/** Names Windows gives to devices, with any extension (and spaces before it): "CON.txt" opens the console. */
const WINDOWS_DEVICE_NAME = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$|clock\$)\s*(?:\..*)?$/iu;
/** What most file systems allow in one name (ext4, APFS count UTF-8 bytes; NTFS 255 UTF-16 units is looser). */
export const MAX_FILE_NAME_BYTES = 255;
/** An extension worth keeping when a name is shortened: one or two dotted parts without spaces (".pdf",
 * ".tar.gz", ".evidence-vault-id.json"). */
const EXTENSION = /(?:\.[^.\s]{1,20}){1,2}$/u;
/** Offered when nothing of the name is left (a name of dots only). */
const EMPTY_NAME = '_';

const encoder = new TextEncoder();
const byteLength = (text: string) => encoder.encode(text).byteLength;

/** Leading dots would hide the file; trailing dots and spaces vanish on Windows. */
const trimEnds = (name: string) => name.replace(/^[.\s]+/u, '').replace(/[.\s]+$/u, '');

/** The longest start of `text` within `maxBytes` UTF-8 bytes that ends between two graphemes. */
function truncateToBytes(text: string, maxBytes: number): string {
  let kept = '';
  let bytes = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    const size = byteLength(segment);
    if (bytes + size > maxBytes) {
      // One grapheme longer than the whole budget (a pile of combining marks): cut it between code points.
      if (kept === '') {
        for (const codePoint of segment) {
          const pointSize = byteLength(codePoint);
          if (bytes + pointSize > maxBytes) break;
          kept += codePoint;
          bytes += pointSize;
        }
      }
      break;
    }
    kept += segment;
    bytes += size;
  }
  return kept;
}

/**
 * A file name every platform and the main process accept, as close to
 * `name` as can be: separators, controls, bidi controls and characters
 * Windows reserves become `_`; leading and trailing dots and spaces go;
 * a Windows device name gets a `_` in front; a name over 255 UTF-8 bytes is
 * shortened between graphemes (no vowel sign or diacritic torn from its
 * letter, no emoji split), keeping its extension.
 */
export function safeFileName(name: string): string {
  let safe = trimEnds(
    name.normalize('NFC').replace(UNSAFE_CHARACTERS, '_').replace(BIDI_CONTROLS, '_').replace(LONE_SURROGATE, '_'),
  );
  if (safe === '') return EMPTY_NAME;
  if (byteLength(safe) > MAX_FILE_NAME_BYTES) {
    const extension = EXTENSION.exec(safe)?.[0] ?? '';
    const stem = safe.slice(0, safe.length - extension.length);
    // Budget one byte less, for a `_` in front should the shortened name be a device name.
    const shortened = trimEnds(truncateToBytes(stem, MAX_FILE_NAME_BYTES - 1 - byteLength(extension)));
    safe = (shortened === '' ? EMPTY_NAME : shortened) + extension;
  }
  return WINDOWS_DEVICE_NAME.test(safe) ? `_${safe}` : safe;
}

/**
 * Text from a bundle (the signer's name, anything from the manifest or the
 * custody log) is whatever its sender put there. Printed raw, a control
 * character could move the cursor, clear the screen or rewrite the lines
 * around it ("Bundle verified." over a refusal), and a bidi control could
 * show a name or a key reversed. So every such field goes through
 * `printable` before it reaches the terminal:
 *
 * - C0 controls (U+0000–U+001F), DEL (U+007F) and C1 controls
 *   (U+0080–U+009F, among them CSI U+009B, which many terminals obey like
 *   ESC [);
 * - bidi marks, embeddings, overrides and isolates: U+061C, U+200E, U+200F,
 *   U+202A–U+202E, U+2066–U+2069;
 * - the line and paragraph separators U+2028 and U+2029;
 * - unpaired surrogates (not text; they would print as U+FFFD);
 *
 * each become a visible escape `\u{…}` (lowercase hex), and a backslash
 * becomes `\\`, so a sender cannot type something that looks like an escape.
 * Everything else (Khmer, accents, emoji, quotes) prints as it is.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\\]|[\ud800-\udfff]/gu;

export function printable(text: string): string {
  return text.replace(UNSAFE, (character) =>
    character === '\\' ? '\\\\' : `\\u{${character.codePointAt(0)!.toString(16)}}`,
  );
}

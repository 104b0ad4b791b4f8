import { z } from 'zod';

// Zod compiles fast parsers with `new Function`, which the app's CSP forbids
// (and reports even when zod catches the refusal). Interpret instead.
z.config({ jitless: true });

export { z };

/** A key kept as bytes of this length (never as text: a string cannot be wiped). Parsing keeps the same array. */
export const keyBytes = (length: number) =>
  z.custom<Uint8Array>((value) => value instanceof Uint8Array && value.byteLength === length, {
    message: `Expected ${length} key bytes.`,
  });

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The absolute path of a built file; throws (never skips) when the build is missing. */
export function builtFile(relative: string): string {
  const absolute = path.join(ROOT, relative);
  if (!existsSync(absolute)) throw new Error(`${relative} is missing: run \`npm run build\` first.`);
  return absolute;
}

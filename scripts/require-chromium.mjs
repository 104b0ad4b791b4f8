// Fails loudly when the Chromium that end-to-end tests and benchmarks drive is
// missing: a test run must never pass by skipping the browser.
import { accessSync, constants } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
try {
  accessSync(chromium, constants.X_OK);
} catch {
  console.error(
    [
      '',
      `ERROR: Chromium not found at ${chromium}.`,
      'End-to-end tests and benchmarks run the app in a real Chromium and cannot be skipped.',
      'Install it (Debian/Ubuntu: sudo apt-get install chromium fonts-khmeros)',
      'or point CHROMIUM_PATH at a Chromium or Chrome binary.',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

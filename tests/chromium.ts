/** The Chromium that end-to-end tests and benchmarks drive: Debian's, or
 * CHROMIUM_PATH. Never a browser downloaded by Playwright. */
export const CHROMIUM_EXECUTABLE = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Flags for a closed network: without them Chromium keeps trying to reach
 * update, sync and safe-browsing hosts. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Chromium's autofill asks a Google server about every form it sees (the
  // Electron shell has no autofill): not the app's traffic, so switched off.
  '--disable-features=AutofillServerCommunication',
];

import { describe, expect, it } from 'vitest';
import { hostOsFromUserAgent } from '../../../renderer/src/platform/host-os';

describe('hostOsFromUserAgent', () => {
  it.each([
    [
      'linux',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) evidence-vault/0.1.0 Chrome/146.0.0.0 Electron/41.0.0 Safari/537.36',
    ],
    ['linux', 'Mozilla/5.0 (X11; Linux aarch64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36'],
    [
      'macos',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) evidence-vault/0.1.0 Chrome/146.0.0.0 Electron/41.0.0 Safari/537.36',
    ],
    [
      'windows',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) evidence-vault/0.1.0 Chrome/146.0.0.0 Electron/41.0.0 Safari/537.36',
    ],
    [
      'other',
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Mobile',
    ],
    ['other', 'Mozilla/5.0 (X11; CrOS x86_64 16093.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0'],
    ['other', ''],
  ] as const)('reads %s', (os, userAgent) => {
    expect(hostOsFromUserAgent(userAgent)).toBe(os);
  });
});

/** The operating system under the renderer, as far as what it protects differs. */
export type HostOs = 'linux' | 'macos' | 'windows' | 'other';

/**
 * Read from the user agent, which the Electron shell leaves as Chromium
 * writes it ("X11; Linux x86_64", "Macintosh; Intel Mac OS X", "Windows NT"):
 * the preload bridge needs no extra call for it. Only used to describe the
 * protections honestly, never to decide one.
 */
export function hostOsFromUserAgent(userAgent: string): HostOs {
  if (/\bWindows\b/.test(userAgent)) return 'windows';
  if (/\bMacintosh\b|\bMac OS X\b/.test(userAgent)) return 'macos';
  if (/\bAndroid\b|\bCrOS\b/.test(userAgent)) return 'other';
  if (/\bLinux\b|\bX11\b/.test(userAgent)) return 'linux';
  return 'other';
}

export function hostOs(): HostOs {
  return hostOsFromUserAgent(typeof navigator === 'undefined' ? '' : navigator.userAgent);
}

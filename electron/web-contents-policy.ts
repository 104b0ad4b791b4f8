/**
 * Rules for every webContents the app ever creates (windows, DevTools, any
 * attempt at a webview or pop-up): it may not leave the app's entry page,
 * open windows, or host a <webview>.
 */
import type { Event, WebContents } from 'electron';
import { isAppIndexUrl } from './app-origin';

/** Main-frame navigation may only reload our own entry page (e.g. to wipe
 * the renderer's memory on lock); subframes may not navigate at all. */
export function isNavigationAllowed(url: string, isMainFrame: boolean): boolean {
  return isMainFrame && isAppIndexUrl(url);
}

export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!isNavigationAllowed(event.url, event.isMainFrame)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isNavigationAllowed(event.url, event.isMainFrame)) event.preventDefault();
  });
  // The app protocol never redirects: any redirect is foreign.
  contents.on('will-redirect', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event: Event) => {
    event.preventDefault();
  });
  // Without a handler Chromium picks the first device found.
  contents.on('select-bluetooth-device', (event, _devices, callback) => {
    event.preventDefault();
    callback('');
  });
}

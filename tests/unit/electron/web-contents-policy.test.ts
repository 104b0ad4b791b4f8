import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { WebContents } from 'electron';
import { hardenWebContents } from '../../../electron/web-contents-policy';
import { APP_ORIGIN } from '../../../electron/host-api';

type OpenHandler = (details: { url: string }) => { action: string };

class FakeWebContents extends EventEmitter {
  openHandler: OpenHandler | undefined;
  setWindowOpenHandler = vi.fn((handler: OpenHandler) => {
    this.openHandler = handler;
  });
}

function setup(): FakeWebContents {
  const contents = new FakeWebContents();
  hardenWebContents(contents as unknown as WebContents);
  return contents;
}

function navigationEvent(
  url: string,
  isMainFrame = true,
): { url: string; isMainFrame: boolean; preventDefault: ReturnType<typeof vi.fn> } {
  return { url, isMainFrame, preventDefault: vi.fn() };
}

describe('navigation', () => {
  it.each([
    'https://example.com/',
    'http://localhost:5173/',
    'file:///etc/passwd',
    'data:text/html,<h1>phish</h1>',
    'javascript:alert(1)',
    'evidence-vault://evil/index.html',
    `${APP_ORIGIN}/assets/app.js`,
    `${APP_ORIGIN}/index.html?next=https://example.com`,
    'about:blank',
  ])('will-navigate to %s is prevented', (url) => {
    const event = navigationEvent(url);
    setup().emit('will-navigate', event);
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it.each([`${APP_ORIGIN}/`, `${APP_ORIGIN}/index.html`])('will-navigate to the app entry %s is allowed', (url) => {
    const event = navigationEvent(url);
    setup().emit('will-navigate', event);
    expect(event.preventDefault).not.toHaveBeenCalled();
  });

  it('prevents any subframe navigation', () => {
    const event = navigationEvent(`${APP_ORIGIN}/index.html`, false);
    setup().emit('will-frame-navigate', event);
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('prevents foreign main-frame navigation via will-frame-navigate', () => {
    const event = navigationEvent('https://example.com/');
    setup().emit('will-frame-navigate', event);
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it.each(['https://example.com/', `${APP_ORIGIN}/index.html`])('will-redirect to %s is prevented', (url) => {
    const event = navigationEvent(url);
    setup().emit('will-redirect', event);
    expect(event.preventDefault).toHaveBeenCalled();
  });
});

describe('windows and webviews', () => {
  it.each(['https://example.com/', `${APP_ORIGIN}/index.html`, 'about:blank'])('window.open(%s) is denied', (url) => {
    const contents = setup();
    expect(contents.setWindowOpenHandler).toHaveBeenCalledTimes(1);
    expect(contents.openHandler?.({ url })).toEqual({ action: 'deny' });
  });

  it('prevents attaching a <webview>', () => {
    const event = { preventDefault: vi.fn() };
    setup().emit('will-attach-webview', event, {}, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('cancels Bluetooth device selection instead of picking the first device', () => {
    const event = { preventDefault: vi.fn() };
    const callback = vi.fn();
    setup().emit('select-bluetooth-device', event, [{ deviceId: 'x' }], callback);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(callback).toHaveBeenCalledWith('');
  });
});

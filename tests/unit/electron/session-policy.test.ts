import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session } from 'electron';
import { applySessionPolicy, isRequestAllowed } from '../../../electron/session-policy';
import { APP_ORIGIN } from '../../../electron/host-api';
import { CONTENT_SECURITY_POLICY } from '../../../electron/csp';

type RequestHandler = (wc: unknown, permission: string, callback: (granted: boolean) => void, details: object) => void;
type CheckHandler = (wc: unknown, permission: string, origin: string, details: object) => boolean;
type BeforeRequest = (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void;
type HeadersReceived = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
) => void;

class FakeSession extends EventEmitter {
  requestHandler: RequestHandler | undefined;
  checkHandler: CheckHandler | undefined;
  beforeRequest: BeforeRequest | undefined;
  headersReceived: HeadersReceived | undefined;
  setPermissionRequestHandler = vi.fn((handler: RequestHandler) => {
    this.requestHandler = handler;
  });
  setPermissionCheckHandler = vi.fn((handler: CheckHandler) => {
    this.checkHandler = handler;
  });
  setDevicePermissionHandler = vi.fn();
  setBluetoothPairingHandler = vi.fn();
  setDisplayMediaRequestHandler = vi.fn();
  setSpellCheckerEnabled = vi.fn();
  webRequest = {
    onBeforeRequest: vi.fn((handler: BeforeRequest) => {
      this.beforeRequest = handler;
    }),
    onHeadersReceived: vi.fn((handler: HeadersReceived) => {
      this.headersReceived = handler;
    }),
  };
}

function setup(allowDevTools = false): FakeSession {
  const fake = new FakeSession();
  applySessionPolicy(fake as unknown as Session, { allowDevTools });
  return fake;
}

const APP_PAGE = `${APP_ORIGIN}/index.html`;

describe('permission handlers', () => {
  let fake: FakeSession;
  beforeEach(() => {
    fake = setup();
  });

  function request(permission: string, requestingUrl = APP_PAGE, isMainFrame = true): boolean {
    let granted: boolean | undefined;
    fake.requestHandler?.(null, permission, (value) => (granted = value), { requestingUrl, isMainFrame });
    if (granted === undefined) throw new Error('callback not called');
    return granted;
  }

  it.each([
    'media',
    'geolocation',
    'notifications',
    'display-capture',
    'clipboard-read',
    'clipboard-sanitized-write',
    'fullscreen',
    'openExternal',
    'midi',
    'midiSysex',
    'hid',
    'serial',
    'usb',
    'pointerLock',
    'keyboardLock',
    'idle-detection',
    'window-management',
    'local-fonts',
    'fileSystem',
    'storage-access',
    'unknown',
  ])('denies a request for %s, even from the app', (permission) => {
    expect(request(permission)).toBe(false);
  });

  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'persistent-storage'])(
    'permission check for %s from another origin returns false',
    (permission) => {
      expect(fake.checkHandler?.(null, permission, 'https://evil.example', { isMainFrame: true })).toBe(false);
    },
  );

  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'fullscreen', 'serial'])(
    'permission check for %s from the app returns false',
    (permission) => {
      expect(fake.checkHandler?.(null, permission, APP_ORIGIN, { isMainFrame: true })).toBe(false);
    },
  );

  it('grants persistent storage only to the app main frame (eviction would lose evidence)', () => {
    expect(request('persistent-storage')).toBe(true);
    expect(request('persistent-storage', 'https://evil.example/')).toBe(false);
    expect(request('persistent-storage', APP_PAGE, false)).toBe(false);
    expect(fake.checkHandler?.(null, 'persistent-storage', APP_ORIGIN, { isMainFrame: true })).toBe(true);
    expect(fake.checkHandler?.(null, 'persistent-storage', APP_ORIGIN, { isMainFrame: false })).toBe(false);
  });

  it('denies device access and screen capture', () => {
    const device = fake.setDevicePermissionHandler.mock.calls[0]?.[0] as () => boolean;
    expect(device()).toBe(false);
    const display = fake.setDisplayMediaRequestHandler.mock.calls[0]?.[0] as (
      request: unknown,
      callback: (streams: unknown) => void,
    ) => void;
    const callback = vi.fn();
    display({}, callback);
    expect(callback).toHaveBeenCalledWith(null);
    const pairing = fake.setBluetoothPairingHandler.mock.calls[0]?.[0] as (
      details: unknown,
      callback: (response: unknown) => void,
    ) => void;
    const pairingCallback = vi.fn();
    pairing({}, pairingCallback);
    expect(pairingCallback).toHaveBeenCalledWith({ confirmed: false });
  });

  it.each(['select-hid-device', 'select-usb-device'])('cancels %s', (eventName) => {
    const event = { preventDefault: vi.fn() };
    const callback = vi.fn();
    fake.emit(eventName, event, {}, callback);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(callback).toHaveBeenCalledWith();
  });

  it('cancels serial port selection', () => {
    const event = { preventDefault: vi.fn() };
    const callback = vi.fn();
    fake.emit('select-serial-port', event, [], {}, callback);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(callback).toHaveBeenCalledWith('');
  });
});

describe('session settings', () => {
  it('turns the spellchecker off', () => {
    expect(setup().setSpellCheckerEnabled).toHaveBeenCalledWith(false);
  });

  it('cancels every download', () => {
    const fake = setup();
    const event = { preventDefault: vi.fn() };
    fake.emit('will-download', event, {}, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('is applied once per session', () => {
    const fake = setup();
    applySessionPolicy(fake as unknown as Session, { allowDevTools: false });
    expect(fake.setPermissionRequestHandler).toHaveBeenCalledTimes(1);
  });
});

describe('network policy (webRequest.onBeforeRequest)', () => {
  function decide(fake: FakeSession, url: string): boolean | undefined {
    let cancel: boolean | undefined;
    fake.beforeRequest?.({ url }, (response) => (cancel = response.cancel));
    return cancel;
  }

  it.each([
    'http://example.com/',
    'https://example.com/exfiltrate?data=1',
    'ws://127.0.0.1:9222/',
    'wss://example.com/socket',
    'file:///etc/passwd',
    'data:text/html,<script>alert(1)</script>',
    'javascript:alert(1)',
    'ftp://example.com/file',
    'filesystem:https://example.com/temporary/x',
    'mailto:someone@example.com',
    'blob:https://evil.example/123',
    'chrome://settings',
    'evidence-vault://evil/index.html',
    'devtools://devtools/bundled/inspector.html',
    'not a url',
  ])('cancels %s', (url) => {
    expect(decide(setup(), url)).toBe(true);
  });

  it.each([`${APP_ORIGIN}/index.html`, `${APP_ORIGIN}/assets/app.js`, `blob:${APP_ORIGIN}/0f3c`])(
    'allows %s',
    (url) => {
      expect(decide(setup(), url)).toBe(false);
    },
  );

  it('allows DevTools only in development', () => {
    expect(isRequestAllowed('devtools://devtools/bundled/inspector.html', { allowDevTools: true })).toBe(true);
    expect(isRequestAllowed('devtools://devtools/bundled/inspector.html', { allowDevTools: false })).toBe(false);
  });

  it('replaces any CSP on responses with ours', () => {
    const fake = setup();
    let headers: Record<string, string[]> | undefined;
    fake.headersReceived?.(
      {
        url: `${APP_ORIGIN}/index.html`,
        responseHeaders: { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] },
      },
      (response) => (headers = response.responseHeaders),
    );
    expect(headers?.['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(headers?.['content-security-policy']).toBeUndefined();
    expect(headers?.['X-Content-Type-Options']).toEqual(['nosniff']);
    expect(headers?.['Content-Type']).toEqual(['text/html']);
  });
});

/** Checks against the one origin the app trusts (see host-api.ts). */
import { APP_HOST, APP_SCHEME } from './host-api';

function parse(rawUrl: string): URL | null {
  try {
    return new URL(rawUrl);
  } catch {
    return null;
  }
}

/** True when `rawUrl` belongs to the app origin. Compared field by field:
 * Node's `URL#origin` is "null" for non-special schemes such as ours. */
export function isAppOriginUrl(rawUrl: string): boolean {
  const url = parse(rawUrl);
  return (
    url !== null &&
    url.protocol === `${APP_SCHEME}:` &&
    url.hostname === APP_HOST &&
    url.port === '' &&
    url.username === '' &&
    url.password === ''
  );
}

/** True only for the renderer's entry document, with nothing appended. */
export function isAppIndexUrl(rawUrl: string): boolean {
  const url = parse(rawUrl);
  return (
    url !== null &&
    isAppOriginUrl(rawUrl) &&
    (url.pathname === '/' || url.pathname === '/index.html') &&
    url.search === '' &&
    url.hash === ''
  );
}

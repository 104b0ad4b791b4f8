/**
 * Names of annotated documents in exports. A document is named by the hash of its bytes as RFC 6920 says
 * (`ni:///sha-256;<base64url, no padding>`), so the same file is recognised in any vault; a PDF also by its pdf.js
 * fingerprint (`urn:x-pdf:<fingerprint>`), the name tools such as Hypothesis match PDFs by. Exports made before
 * RFC 6920 names used `urn:sha256:<hex>`, which imports still read.
 */

const NI_SHA256 = 'ni:///sha-256;';
const LEGACY_SHA256 = 'urn:sha256:';

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The RFC 6920 name of a document whose SHA-256 (hex) is given. */
export function niName(sha256Hex: string): string {
  const bytes = new Uint8Array(32);
  for (let index = 0; index < 32; index++) bytes[index] = parseInt(sha256Hex.slice(index * 2, index * 2 + 2), 16);
  return `${NI_SHA256}${base64url(bytes)}`;
}

/** The pdf.js fingerprint name of a PDF. */
export const pdfFingerprintName = (fingerprint: string) => `urn:x-pdf:${fingerprint}`;

/**
 * The SHA-256 (hex) a document name gives, for either form (RFC 6920, with or without an authority, or the older
 * `urn:sha256:`), or null for any other name. `legacy` says the older form was used (its regions count from the
 * bottom-left).
 */
export function sha256OfName(name: string): { sha256: string; legacy: boolean } | null {
  if (name.startsWith(LEGACY_SHA256)) {
    const hex = name.slice(LEGACY_SHA256.length);
    return /^[0-9a-f]{64}$/.test(hex) ? { sha256: hex, legacy: true } : null;
  }
  const match = /^ni:\/\/[^/]*\/sha-256;([A-Za-z0-9_-]{43})(?:\?.*)?$/.exec(name);
  if (!match) return null;
  const binary = atob(match[1]!.replace(/-/g, '+').replace(/_/g, '/'));
  let hex = '';
  for (let index = 0; index < binary.length; index++) hex += binary.charCodeAt(index).toString(16).padStart(2, '0');
  return hex.length === 64 ? { sha256: hex, legacy: false } : null;
}

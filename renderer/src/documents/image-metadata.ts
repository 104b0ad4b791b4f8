/**
 * Metadata embedded in an image (EXIF, TIFF, GPS, IPTC, XMP), read from the
 * decrypted bytes in memory. Phone photos often carry the exact place they
 * were taken; the viewer shows that plainly so nobody shares one unaware.
 */

import { heifExifTiff } from './heif-exif';

export interface ImageMetadata {
  /** Tag name → readable value, in the order found. */
  fields: [string, string][];
  gps: { latitude: number; longitude: number; altitude: number | null } | null;
}

const MAX_VALUE_LENGTH = 200;

function readable(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (value instanceof Uint8Array) return `${value.byteLength} bytes`;
  if (Array.isArray(value)) return value.map(readable).join(', ');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** Null when the image carries no metadata (or it cannot be read: the image still shows). */
export async function readImageMetadata(bytes: Uint8Array): Promise<ImageMetadata | null> {
  // Loaded on first use: most of the app never needs it.
  const { default: exifr } = await import('exifr');
  let parsed: Record<string, unknown> | undefined;
  try {
    // A HEIC photo's Exif block is found here (see heif-exif.ts); any other image is exifr's to read whole.
    parsed = (await exifr.parse(heifExifTiff(bytes) ?? bytes, {
      tiff: true,
      exif: true,
      gps: true,
      iptc: true,
      xmp: true,
      icc: false,
      makerNote: false,
      mergeOutput: true,
    })) as Record<string, unknown> | undefined;
  } catch {
    return null;
  }
  if (!parsed) return null;
  const fields: [string, string][] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (name === 'latitude' || name === 'longitude') continue;
    const text = readable(value);
    if (text !== '') fields.push([name, text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}…` : text]);
  }
  const { latitude, longitude, GPSAltitude } = parsed;
  const gps =
    typeof latitude === 'number' && typeof longitude === 'number' && Number.isFinite(latitude + longitude)
      ? { latitude, longitude, altitude: typeof GPSAltitude === 'number' ? GPSAltitude : null }
      : null;
  return fields.length === 0 && !gps ? null : { fields, gps };
}

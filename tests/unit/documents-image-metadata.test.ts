import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImageMetadata } from '../../renderer/src/documents/image-metadata';

const fixture = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, '../fixtures', name)));

describe('image metadata', () => {
  it('reads EXIF and calls out the GPS position of a phone photo', async () => {
    const metadata = await readImageMetadata(fixture('photo-with-gps.jpg'));
    const gps = metadata?.gps;
    expect(gps?.latitude).toBeCloseTo(11.5564, 4);
    expect(gps?.longitude).toBeCloseTo(104.9282, 4);
    expect(gps?.altitude).toBe(12);
    const fields = Object.fromEntries(metadata?.fields ?? []);
    expect(fields).toMatchObject({ Make: 'Samsung', Model: 'Galaxy A14' });
    expect(fields.DateTimeOriginal).toMatch(/^2025-07-17T/);
  });

  it('reads the same EXIF from a HEIC photo (libheif keeps the Exif item past a base offset exifr skips)', async () => {
    const heic = fixture('photo-with-gps.heic');
    const metadata = await readImageMetadata(heic);
    expect(metadata?.gps?.latitude).toBeCloseTo(11.5564, 4);
    expect(metadata?.gps?.longitude).toBeCloseTo(104.9282, 4);
    expect(Object.fromEntries(metadata?.fields ?? [])).toMatchObject({ Make: 'Samsung', Model: 'Galaxy A14' });
    // Why heif-exif.ts exists: exifr alone reads this file's Exif at the wrong place.
    const { default: exifr } = await import('exifr');
    expect(await exifr.gps(heic).catch(() => undefined)).toBeUndefined();
  });

  it('reports no metadata for an image without any, and for bytes that are not an image', async () => {
    expect(await readImageMetadata(fixture('photo-of-letter-page1.jpg'))).toBeNull();
    expect(await readImageMetadata(fixture('corrupt-garbage.pdf'))).toBeNull();
    expect(await readImageMetadata(new Uint8Array(0))).toBeNull();
  });
});

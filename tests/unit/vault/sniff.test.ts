import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { sniffType } from '../../../renderer/src/vault/worker/sniff';

/** The first bytes of an ISO base media file whose ftyp box names these brands (major first). */
function ftyp(major: string, ...compatible: string[]): Uint8Array {
  const brands = [major, '\0\0\0\0', ...compatible].join('');
  const box = new Uint8Array(8 + brands.length + 16);
  new DataView(box.buffer).setUint32(0, 8 + brands.length);
  box.set(strToU8(`ftyp${brands}`, true), 4);
  return box;
}

describe('sniffing', () => {
  it('tells HEIF still images (phone photos) from MP4 video by the ftyp brands', () => {
    expect(sniffType(ftyp('heic', 'mif1', 'heic'), 'x')).toEqual({ kind: 'image', mimeType: 'image/heic' });
    expect(sniffType(ftyp('mif1', 'heic'), 'x')).toEqual({ kind: 'image', mimeType: 'image/heic' });
    expect(sniffType(ftyp('mif1', 'miaf'), 'x')).toEqual({ kind: 'image', mimeType: 'image/heif' });
    expect(sniffType(ftyp('hevc', 'msf1'), 'x')).toEqual({ kind: 'image', mimeType: 'image/heic-sequence' });
    expect(sniffType(ftyp('avif', 'mif1'), 'x')).toEqual({ kind: 'image', mimeType: 'image/avif' });
    expect(sniffType(ftyp('isom', 'mp41'), 'photo.heic')).toEqual({ kind: 'video', mimeType: 'video/mp4' });
    expect(sniffType(ftyp('M4A ', 'isom'), 'x')).toEqual({ kind: 'audio', mimeType: 'audio/mp4' });
  });

  it('types zips by their first entries: ODF mimetype, OOXML folders, else a plain zip (names never count)', () => {
    const odt = zipSync({
      mimetype: [strToU8('application/vnd.oasis.opendocument.text'), { level: 0 }],
      'content.xml': strToU8('<x/>'),
    });
    expect(sniffType(odt, 'a.docx')).toEqual({ kind: 'other', mimeType: 'application/vnd.oasis.opendocument.text' });
    const xlsx = zipSync({ '[Content_Types].xml': strToU8('<x/>'), 'xl/workbook.xml': strToU8('<x/>') });
    expect(sniffType(xlsx, 'a.odt')).toEqual({
      kind: 'other',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    const forged = zipSync({ mimetype: [strToU8('text/html<script>'), { level: 0 }] });
    expect(sniffType(forged, 'a.odt')).toEqual({ kind: 'other', mimeType: 'application/zip' });
    expect(sniffType(zipSync({ 'a.txt': strToU8('hi') }), 'report.docx')).toEqual({
      kind: 'other',
      mimeType: 'application/zip',
    });
  });
});

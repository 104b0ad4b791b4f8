import { describe, expect, it } from 'vitest';
import { restorableText } from '../../../renderer/src/session/use-text-draft';

describe('restoring a text draft', () => {
  const saved = { note: 'saved note', transcription: '' };

  it("offers a draft that differs from what is saved, with only the form's fields", () => {
    expect(restorableText({ note: 'typed on', transcription: '', other: 'x' }, saved)).toEqual({
      note: 'typed on',
      transcription: '',
    });
  });

  it('offers nothing when the draft matches what is saved, or is not a draft of these fields', () => {
    expect(restorableText({ ...saved }, saved)).toBeNull();
    expect(restorableText(undefined, saved)).toBeNull();
    expect(restorableText('typed', saved)).toBeNull();
    expect(restorableText({ note: 'typed on' }, saved)).toBeNull(); // a field missing
    expect(restorableText({ note: 'typed on', transcription: 7 }, saved)).toBeNull();
  });
});

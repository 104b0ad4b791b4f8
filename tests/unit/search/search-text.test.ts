import { describe, expect, it } from 'vitest';
import {
  khmerSkeleton,
  khmerSkeletonWithOrigins,
  normaliseForSearch,
  searchTerms,
  skeletonTrigrams,
} from '../../../renderer/src/vault/search-text';

describe('search terms', () => {
  it('folds Latin case and diacritics, reads Khmer digits as ASCII, and drops U+0000 and format characters', () => {
    expect(normaliseForSearch('Pénal CODE ៤៩៤\u0000\u200b')).toBe('penal code 494');
    expect(searchTerms('Articles 494 and 495 of the Criminal Code.')).toEqual([
      'articles',
      '494',
      'and',
      '495',
      'of',
      'the',
      'criminal',
      'code',
    ]);
  });

  it('splits unspaced Khmer into dictionary words', () => {
    expect(searchTerms('នៃក្រមព្រហ្មទណ្ឌ')).toEqual(['នៃ', 'ក្រម', 'ព្រហ្មទណ្ឌ']);
  });

  it('keeps Latin words and unspaced runs apart when they touch, and segments every unspaced script', () => {
    const terms = searchTerms('Art.494ក្រមព្រហ្មទណ្ឌ lawyer’s note ภาษาไทย');
    expect(terms).toEqual(expect.arrayContaining(['art', '494', 'ក្រម', 'ព្រហ្មទណ្ឌ', 'lawyer', 's', 'note']));
    // Thai goes through the same dictionary segmenter: no one token for the whole run.
    expect(terms).not.toContain('ภาษาไทย');
    expect(terms.join('')).toContain('ไทย');
    // A Khmer word found the same way whether typed alone or inside other text.
    expect(searchTerms('វត្តមាន')).toEqual(['វត្តមាន']);
    expect(searchTerms('x វត្តមាន y')).toContain('វត្តមាន');
  });

  it('reduces Khmer to the same skeleton whether typed or as pdf.js returns it (visual order, spaces, U+0000)', () => {
    expect(khmerSkeleton('ក្រមព្រហ្មទណ្ឌ')).toBe('កមពហទណ');
    expect(khmerSkeleton('\u0000ក ម \u0000ព ហ\u0000 ទ ណ \u0000 ។')).toBe('កមពហទណ');
    // Dependent vowels before the consonant (visual order) fall away too.
    expect(khmerSkeleton('េម ធា វី')).toBe(khmerSkeleton('មេធាវី'));
    expect(khmerSkeleton('Khmer ក and ខ')).toBe('ក ខ');
    expect(khmerSkeleton('no Khmer at all')).toBe('');
    // A line break or a no-break space between clusters does not end a run; punctuation does.
    expect(khmerSkeleton('ក\nម\u00a0ព, ហ')).toBe('កមព ហ');
  });

  it('says where each letter of the skeleton is in the text (find in document marks what it matched)', () => {
    const text = 'x \u0000ក្រម\u0000ព, ហ';
    const { skeleton, origins } = khmerSkeletonWithOrigins(text);
    expect(skeleton).toBe('កមព ហ');
    expect([...skeleton].map((letter, index) => (letter === ' ' ? ' ' : text[origins[index]!]))).toEqual([...'កមព ហ']);
    // The run separator is where the punctuation that ended the run is.
    expect(text[origins[3]!]).toBe(',');
  });

  it('cuts skeleton runs into overlapping three-letter pieces', () => {
    expect(skeletonTrigrams('កមពហ ខ')).toEqual(['កមព', 'មពហ', 'ខ']);
  });
});

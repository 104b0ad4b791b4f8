import { describe, expect, it } from 'vitest';
import {
  khmerSkeleton,
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

  it('reduces Khmer to the same skeleton whether typed or as pdf.js returns it (visual order, spaces, U+0000)', () => {
    expect(khmerSkeleton('ក្រមព្រហ្មទណ្ឌ')).toBe('កមពហទណ');
    expect(khmerSkeleton('\u0000ក ម \u0000ព ហ\u0000 ទ ណ \u0000 ។')).toBe('កមពហទណ');
    // Dependent vowels before the consonant (visual order) fall away too.
    expect(khmerSkeleton('េម ធា វី')).toBe(khmerSkeleton('មេធាវី'));
    expect(khmerSkeleton('Khmer ក and ខ')).toBe('ក ខ');
  });

  it('cuts skeleton runs into overlapping three-letter pieces', () => {
    expect(skeletonTrigrams('កមពហ ខ')).toEqual(['កមព', 'មពហ', 'ខ']);
  });
});

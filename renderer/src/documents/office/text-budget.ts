import { OfficeTextError } from './office-text-error';

/** The most text an office file gives (its one stored page). */
export const MAX_OFFICE_TEXT_CHARS = 2_000_000;

/**
 * Counts the text an extractor produces as it grows, and stops it (too-large) past MAX_OFFICE_TEXT_CHARS: crafted
 * content multiplies (a cell far to the right pads its row with thousands of tabs, a space count repeats a space,
 * a shared string is copied into every cell naming it), so checking only the finished text would let the page's
 * memory run out first.
 */
export class TextBudget {
  private used = 0;

  take(characters: number): void {
    this.used += characters;
    if (this.used > MAX_OFFICE_TEXT_CHARS) throw new OfficeTextError('too-large');
  }
}

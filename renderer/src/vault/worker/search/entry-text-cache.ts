import type { SnippetField } from './snippet';

/** What a snippet is cut from: an entry's original text, and the named fields it is made of. */
export interface EntryText {
  /** The envelope tag of the row it was read from: a newer sealing of the row is read again. */
  tag: string;
  text: string;
  fields: SnippetField[] | undefined;
}

/** Characters of entry texts kept (about 8 MB): a results page's snippets read few rows once searches repeat. */
const DEFAULT_BUDGET = 4_000_000;

/**
 * Entry texts kept for snippets, least recently used out first, within a
 * budget of characters: reading a row for a snippet costs a read, its case
 * key, the integrity check and its decryption, and a coordinator's searches
 * keep finding the same pages. Dropped with the index at lock.
 */
export class EntryTextCache {
  private readonly texts = new Map<string, EntryText>();
  private characters = 0;

  constructor(private readonly budget = DEFAULT_BUDGET) {}

  /** The entry's text if it was read from the row as it is now (`tag`). */
  get(id: string, tag: string | undefined): EntryText | undefined {
    const kept = this.texts.get(id);
    if (!kept || kept.tag !== tag) return undefined;
    // Most recently used last.
    this.texts.delete(id);
    this.texts.set(id, kept);
    return kept;
  }

  set(id: string, text: EntryText): void {
    this.drop(id);
    this.texts.set(id, text);
    this.characters += text.text.length;
    for (const oldest of this.texts.keys()) {
      if (this.characters <= this.budget || oldest === id) break;
      this.drop(oldest);
    }
  }

  clear(): void {
    this.texts.clear();
    this.characters = 0;
  }

  private drop(id: string): void {
    const kept = this.texts.get(id);
    if (!kept) return;
    this.texts.delete(id);
    this.characters -= kept.text.length;
  }
}

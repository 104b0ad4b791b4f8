import type { CaseFields, CaseRecord } from '../../vault';
import { emptyCaseFields } from '../../vault';

/** What the case form edits: list fields as typed text, parsed on save. */
export interface CaseFormState extends Omit<CaseFields, 'references' | 'tags'> {
  referencesText: string;
  tagsText: string;
}

function splitList(text: string): string[] {
  return text
    .split(/[,;\n]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export function formFromFields(fields: CaseFields | CaseRecord): CaseFormState {
  const { references, tags, title, summary, status, jurisdiction, court, people, keyDates } = fields;
  return {
    title,
    summary,
    status,
    jurisdiction,
    court,
    people,
    keyDates,
    referencesText: references.join(', '),
    tagsText: tags.join(', '),
  };
}

export function fieldsFromForm(form: CaseFormState): CaseFields {
  const { referencesText, tagsText, ...rest } = form;
  return { ...rest, title: rest.title.trim(), references: splitList(referencesText), tags: splitList(tagsText) };
}

export function emptyForm(): CaseFormState {
  return formFromFields(emptyCaseFields());
}

export function isCaseFormState(value: unknown): value is CaseFormState {
  const candidate = value as Partial<CaseFormState> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.title === 'string' &&
    typeof candidate.referencesText === 'string' &&
    typeof candidate.tagsText === 'string' &&
    Array.isArray(candidate.people) &&
    Array.isArray(candidate.keyDates)
  );
}

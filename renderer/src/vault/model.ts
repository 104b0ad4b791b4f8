import { z } from './zod';

/** Case data as the UI edits it and the worker validates and stores it. */

export const CASE_STATUSES = ['open', 'pre-trial', 'on-trial', 'convicted', 'acquitted', 'released', 'closed'] as const;
export const PERSON_ROLES = [
  'accused',
  'defence-lawyer',
  'judge',
  'prosecutor',
  'witness',
  'victim',
  'source',
] as const;

const MAX_TEXT = 200;
const MAX_LONG_TEXT = 50_000;
const MAX_ITEMS = 500;

const shortText = z.string().trim().max(MAX_TEXT);
const longText = z.string().max(MAX_LONG_TEXT);
/** Year, year-month or full date: sources often give only part of a date. */
export const partialDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/);

export const casePersonSchema = z.object({
  id: z.string().min(1).max(64),
  name: shortText.min(1),
  role: z.enum(PERSON_ROLES),
  sensitive: z.boolean(),
  notes: longText,
});

export const caseKeyDateSchema = z.object({
  id: z.string().min(1).max(64),
  label: shortText.min(1),
  date: partialDate,
});

export const caseFieldsSchema = z.object({
  title: shortText.min(1),
  references: z.array(shortText.min(1)).max(MAX_ITEMS),
  summary: longText,
  status: z.enum(CASE_STATUSES),
  jurisdiction: shortText,
  court: shortText,
  tags: z.array(shortText.min(1)).max(MAX_ITEMS),
  people: z.array(casePersonSchema).max(MAX_ITEMS),
  keyDates: z.array(caseKeyDateSchema).max(MAX_ITEMS),
});

export const caseRecordSchema = caseFieldsSchema.extend({
  id: z.string().regex(/^[0-9a-f]{32}$/),
  archived: z.boolean(),
  createdAt: z.number().int().nonnegative(),
  updatedAt: z.number().int().nonnegative(),
});

export type CaseStatus = (typeof CASE_STATUSES)[number];
export type PersonRole = (typeof PERSON_ROLES)[number];
export type CasePerson = z.infer<typeof casePersonSchema>;
export type CaseKeyDate = z.infer<typeof caseKeyDateSchema>;
export type CaseFields = z.infer<typeof caseFieldsSchema>;
export type CaseRecord = z.infer<typeof caseRecordSchema>;

/** What the case list shows; the full record is loaded on open. */
export interface CaseSummary {
  id: string;
  title: string;
  references: string[];
  status: CaseStatus;
  tags: string[];
  archived: boolean;
  updatedAt: number;
}

export function emptyCaseFields(): CaseFields {
  return {
    title: '',
    references: [],
    summary: '',
    status: 'open',
    jurisdiction: '',
    court: '',
    tags: [],
    people: [],
    keyDates: [],
  };
}

export const settingsSchema = z.object({
  autoLockMinutes: z.number().int().min(1).max(60),
});
export type VaultSettings = z.infer<typeof settingsSchema>;
export const DEFAULT_SETTINGS: VaultSettings = { autoLockMinutes: 5 };

import { approximateDate } from './hearing-model';
import { z } from './zod';

/** What happens to people in these cases, in the order it usually happens. */
export const TIMELINE_EVENT_KINDS = [
  'arrest',
  'summons',
  'charge',
  'detention',
  'bail',
  'hearing',
  'verdict',
  'appeal',
  'release',
  'pardon',
  'forced-apology',
  'exile',
  'other',
] as const;
export type TimelineEventKind = (typeof TIMELINE_EVENT_KINDS)[number];

const recordId = z.string().regex(/^[0-9a-f]{32}$/);

/** A link from a timeline event to what it rests on. */
export const timelineSourceSchema = z.object({
  kind: z.enum(['document', 'annotation', 'hearing']),
  id: recordId,
});
export type TimelineSource = z.infer<typeof timelineSourceSchema>;

export const timelineEventFieldsSchema = z.object({
  kind: z.enum(TIMELINE_EVENT_KINDS),
  /** Year, month, day or a range: sources often give only part of a date. */
  date: approximateDate,
  /** Whom it happened to (a name or pseudonym as the case uses it); empty when it concerns the whole case. */
  person: z.string().trim().max(200),
  description: z.string().max(50_000),
  sources: z.array(timelineSourceSchema).max(200),
});
export type TimelineEventFields = z.infer<typeof timelineEventFieldsSchema>;

export const timelineEventRecordSchema = timelineEventFieldsSchema.extend({
  id: recordId,
  caseId: recordId,
  createdAt: z.number().int().nonnegative(),
  updatedAt: z.number().int().nonnegative(),
});
export type TimelineEventRecord = z.infer<typeof timelineEventRecordSchema>;

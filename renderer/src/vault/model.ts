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
  /**
   * Set on a sensitive person whose name and notes were withheld from a bundle: `name` is a placeholder
   * ("Witness (withheld)") and `notes` empty. An import never lets such a copy replace a name or notes this
   * vault holds (docs/bundle-format.md, "Withheld people").
   */
  withheld: z.literal(true).optional(),
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

/** One legal provision in the vault's editable vocabulary (charges pick from it). */
export const provisionSchema = z.object({
  id: z.string().min(1).max(64),
  /** The law, e.g. "Criminal Code". */
  law: shortText.min(1),
  article: shortText.min(1),
  /** The offence as reported (English renderings vary: keep the source's words). */
  name: shortText,
  nameKm: shortText,
  /** Where this rendering was reported. */
  source: shortText,
});
export type Provision = z.infer<typeof provisionSchema>;

/** Cambodian Criminal Code provisions seen in public reports (the trial-observation guide, §6). */
/**
 * Cambodian Criminal Code provisions seen in public reports (the
 * trial-observation guide, §6), with the offence as reported. Khmer names are
 * left for the team to enter from the official text rather than guessed.
 */
export const SEED_PROVISIONS: Provision[] = [
  ['29', 'accomplice', 'Human Rights Now statement, 8 June 2016'],
  ['88', 'repeat offence (aggravating circumstance)', 'UN SG report, HRC 60 (2025), ¶43'],
  ['437bis', 'lèse-majesté', 'UN SG report, HRC 60 (2025), ¶53'],
  ['443', 'conspiracy with a foreign power', 'IPU Governing Council, 18 Oct 2017 (CMBD/60)'],
  ['453', 'plotting', 'UN SG report, HRC 60 (2025), ¶53'],
  ['494', 'incitement', 'Government reply on Koet Saray, July 2025'],
  ['495', 'incitement to commit a felony or disturb social security', 'UN SG report, HRC 60 (2025), ¶42–43'],
  ['496', 'incitement to discriminate', 'UN SG report, HRC 60 (2025), ¶52'],
  ['548', 'bribing a witness', 'Human Rights Now statement, 8 June 2016'],
].map(([article, name, source]) => ({
  id: `kh-cc-${article}`,
  law: 'Criminal Code',
  article: article!,
  name: name!,
  nameKm: '',
  source: source!,
}));

/** How a charge names a provision, e.g. "Criminal Code art. 494". */
export function provisionLabel(provision: Pick<Provision, 'law' | 'article'>): string {
  return `${provision.law} art. ${provision.article}`;
}

/** The choices of backup reminder, in days (0: never remind). */
export const BACKUP_REMINDER_DAYS = [0, 7, 14, 30] as const;
export type BackupReminderDays = (typeof BACKUP_REMINDER_DAYS)[number];

export const settingsSchema = z.object({
  autoLockMinutes: z.number().int().min(1).max(60),
  provisions: z
    .array(provisionSchema)
    .max(MAX_ITEMS)
    .default(() => SEED_PROVISIONS.map((entry) => ({ ...entry }))),
  /** Years shown in the Buddhist Era (CE + 543), as Cambodian documents write them; settings stored before it read as false. */
  buddhistEra: z.boolean().default(false),
  /** Days after the last backup before the home screen reminds the user to back up (0: never); settings stored
   * before it read as 14. */
  backupReminderDays: z.literal(BACKUP_REMINDER_DAYS).default(14),
});
export type VaultSettings = z.infer<typeof settingsSchema>;
export const DEFAULT_SETTINGS: VaultSettings = {
  autoLockMinutes: 5,
  provisions: SEED_PROVISIONS,
  buddhistEra: false,
  backupReminderDays: 14,
};

export const DOCUMENT_KINDS = ['pdf', 'image', 'text', 'audio', 'video', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Where a document came from: filled in by the user, all encrypted. */
export const provenanceSchema = z.object({
  /** From whom it was obtained (sensitive: may identify a source). */
  obtainedFrom: longText,
  obtainedWhere: shortText,
  originalDate: z.union([partialDate, z.literal('')]),
  description: longText,
  language: shortText,
});
export type Provenance = z.infer<typeof provenanceSchema>;

export function emptyProvenance(): Provenance {
  return { obtainedFrom: '', obtainedWhere: '', originalDate: '', description: '', language: '' };
}

export const documentRecordSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{32}$/),
  caseId: z.string().regex(/^[0-9a-f]{32}$/),
  blobId: z.string().regex(/^[0-9a-f]{32}$/),
  /** The original file name, as the user's system gave it. */
  name: z.string().max(1024),
  size: z.number().int().nonnegative(),
  mimeType: z.string().max(100),
  kind: z.enum(DOCUMENT_KINDS),
  /** SHA-256 of the exact original bytes (hex). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  intakeAt: z.number().int().nonnegative(),
  intakeBy: z.string().max(64),
  provenance: provenanceSchema,
});
export type DocumentRecord = z.infer<typeof documentRecordSchema>;

/** Text extracted from a document at intake, page by page (one page for plain text). */
export const documentTextSchema = z.object({
  /** What extracted it, e.g. "pdf.js 6.5.438" or "utf-8": anchors record this too. */
  extractor: z.string().max(100),
  pages: z
    .array(
      z.object({
        text: z.string().max(2_000_000),
        /** False for a page with no text layer (a scan): it needs region annotations. */
        hasText: z.boolean(),
        /**
         * A PDF page's box in user space, [x0, y0, x1, y1] (pdf.js `page.view`): region rectangles are kept in user
         * space (origin bottom-left), and exports that count from the top-left corner need it. Absent on plain text
         * and on texts stored before it was kept.
         */
        box: z.tuple([z.number().finite(), z.number().finite(), z.number().finite(), z.number().finite()]).optional(),
      }),
    )
    .max(100_000),
  /**
   * A PDF's pdf.js fingerprint (its first: the file identifier's first half, or a hash of the first bytes when it
   * has none): a further name of the document that tools matching PDFs by fingerprint (Hypothesis) use. Absent on
   * texts stored before it was kept.
   */
  fingerprint: z
    .string()
    .regex(/^[0-9a-f]{2,256}$/)
    .optional(),
  /**
   * Set for a PDF that is an XFA form: its pages are what a reader without XFA shows ('dynamic': most often a
   * "Please wait..." placeholder; 'hybrid': the AcroForm version), not the form's own content.
   */
  xfa: z.enum(['hybrid', 'dynamic']).optional(),
});
export type DocumentText = z.infer<typeof documentTextSchema>;

/** The longest PDF password remembered, in UTF-8 bytes (pdf.js reads at most 127; a typed one is far shorter). */
export const MAX_PDF_PASSWORD_BYTES = 1024;

/**
 * A password-protected PDF's password, remembered only when the user asks (the reader's "Remember the password in
 * this vault"). Kept as bytes (UTF-8), never as text in the vault worker: sealed in the byte-field layout
 * (crypto/key-bytes.ts), opened straight into an array that is wiped once handed on.
 */
export const documentPasswordSchema = z.strictObject({
  password: z.custom<Uint8Array>(
    (value) => value instanceof Uint8Array && value.byteLength > 0 && value.byteLength <= MAX_PDF_PASSWORD_BYTES,
    { message: 'Expected the password as 1 to 1024 bytes.' },
  ),
});

// ── annotations ───────────────────────────────────────────────────────────

/** A small fixed palette: colours carry meaning a team agrees on, not decoration. */
export const ANNOTATION_COLORS = ['yellow', 'green', 'blue', 'pink', 'orange'] as const;
export type AnnotationColor = (typeof ANNOTATION_COLORS)[number];

/** A rectangle in PDF user space (points, origin bottom-left) or, on images, in image pixels. */
export const rectSchema = z.object({
  x: z.number().finite(),
  y: z.number().finite(),
  width: z.number().finite().nonnegative(),
  height: z.number().finite().nonnegative(),
});
export type Rect = z.infer<typeof rectSchema>;

const codePointOffset = z.number().int().nonnegative();

/** One page's part of a text selection (W3C TextQuote + TextPosition selectors, and the rectangles drawn). */
export const textSegmentSchema = z
  .object({
    page: z.number().int().nonnegative(),
    start: codePointOffset,
    end: codePointOffset,
    quote: z.object({
      exact: z.string().min(1).max(MAX_LONG_TEXT),
      prefix: z.string().max(200),
      suffix: z.string().max(200),
    }),
    rects: z.array(rectSchema).max(MAX_ITEMS),
  })
  .refine((segment) => segment.end > segment.start, 'A segment must not be empty.');

export const annotationTargetSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('text'),
    segments: z.array(textSegmentSchema).min(1).max(100),
    /** What produced the text the offsets count in (e.g. pdf.js 6.5.438); offsets are code points. */
    extractor: z.string().min(1).max(100),
  }),
  z.object({
    kind: z.literal('region'),
    /** 0-based PDF page; null on an image. */
    page: z.number().int().nonnegative().nullable(),
    rect: rectSchema,
    /** What the user reads in the region (scans have no text layer). */
    transcription: longText,
  }),
]);
export type AnnotationTarget = z.infer<typeof annotationTargetSchema>;

/** What the user edits. */
export const annotationFieldsSchema = z.object({
  documentId: z.string().regex(/^[0-9a-f]{32}$/),
  color: z.enum(ANNOTATION_COLORS),
  note: longText,
  tags: z.array(shortText.min(1)).max(50),
  /** An optional link to a case fact or observation (its id). */
  link: z.string().max(200).nullable(),
  target: annotationTargetSchema,
});
export type AnnotationFields = z.infer<typeof annotationFieldsSchema>;

export const annotationRecordSchema = annotationFieldsSchema.extend({
  id: z.string().regex(/^[0-9a-f]{32}$/),
  caseId: z.string().regex(/^[0-9a-f]{32}$/),
  /** SHA-256 of the annotated document's original bytes: the W3C target source. */
  source: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.number().int().nonnegative(),
  updatedAt: z.number().int().nonnegative(),
  createdBy: z.string().max(64),
});
export type AnnotationRecord = z.infer<typeof annotationRecordSchema>;

/** The annotations of one page of one document, stored together (annotations-service.ts says why). */
export const annotationPageSchema = z.object({
  documentId: z.string().regex(/^[0-9a-f]{32}$/),
  page: z.number().int().nonnegative(),
  annotations: z.array(annotationRecordSchema),
});
export type AnnotationPage = z.infer<typeof annotationPageSchema>;

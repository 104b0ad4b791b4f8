import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../../renderer/src/i18n/locales/en.json';
import km from '../../../renderer/src/i18n/locales/km.json';
import { ERROR_CODES, INPUT_DETAILS } from '../../../renderer/src/ui/error-message';
import {
  BACKUP_REFUSALS,
  BUNDLE_CONTENT_REFUSALS,
  BUNDLE_ERROR_CODES,
  CASE_STATUSES,
  CUSTODY_ACTIONS,
  CUSTODY_TARGET_KINDS,
  HEARING_SEARCH_LABELS,
  HEARING_STAGES,
  IMPORT_REFUSALS,
  INDICATOR_ANSWERS,
  INDICATOR_IDS,
  PERSON_ROLES,
  TIMELINE_EVENT_KINDS,
  TRIAL_GRADES,
  VIOLATION_STATUSES,
} from '../../../renderer/src/vault';

type Catalog = { [key: string]: string | Catalog };

function flatten(catalog: Catalog, prefix = ''): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') entries.set(path, value);
    else for (const [nested, text] of flatten(value, path)) entries.set(nested, text);
  }
  return entries;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1] ?? '').sort();
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

const english = flatten(en);
const khmer = flatten(km);

/**
 * Plurals by each language's rule (i18next picks `key_<category>` with
 * Intl.PluralRules): English has `_one` and `_other`, Khmer only `_other`.
 * A key without its plural suffix, for comparing the two catalogs.
 */
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
const categories = (language: string) => new Intl.PluralRules(language).resolvedOptions().pluralCategories;
const baseKey = (key: string) => key.replace(PLURAL_SUFFIX, '');
const pluralBases = (catalog: Map<string, string>) =>
  new Set([...catalog.keys()].filter((key) => PLURAL_SUFFIX.test(key)).map(baseKey));
/** The text of `key` in `catalog`, or of the form a plural key takes there when the languages' forms differ. */
const textOf = (catalog: Map<string, string>, key: string) =>
  catalog.get(key) ?? (PLURAL_SUFFIX.test(key) ? catalog.get(`${baseKey(key)}_other`) : undefined);

describe('translation catalogs', () => {
  it('have exactly the same keys in English and Khmer', () => {
    const keysOf = (catalog: Map<string, string>) => [...new Set([...catalog.keys()].map(baseKey))].sort();
    expect(keysOf(khmer)).toEqual(keysOf(english));
    expect([...pluralBases(khmer)].sort()).toEqual([...pluralBases(english)].sort());
  });

  it('give every plural exactly the forms its language’s rule has', () => {
    for (const [language, catalog] of [
      ['en', english],
      ['km', khmer],
    ] as const)
      for (const base of pluralBases(catalog)) {
        const forms = [...catalog.keys()].filter((key) => baseKey(key) === base && key !== base);
        expect(forms.map((key) => key.slice(base.length + 1)).sort(), `${language} ${base}`).toEqual(
          [...categories(language)].sort(),
        );
        expect(catalog.has(base), `${language} ${base} without a suffix`).toBe(false);
      }
  });

  it('have no empty translations', () => {
    for (const [key, text] of [...english, ...khmer]) expect(text.trim(), key).not.toBe('');
  });

  it('use the same placeholders in both languages', () => {
    for (const [key, text] of english) expect(placeholders(textOf(khmer, key) ?? ''), key).toEqual(placeholders(text));
  });

  it('translate Khmer strings into Khmer script', () => {
    const khmerScript = /[\u1780-\u17FF]/;
    // Acronyms such as "PDF" or "SHA-256" stay as they are in both languages.
    const acronym = /^[A-Z0-9-]+$/;
    for (const [key, text] of khmer)
      expect(khmerScript.test(text) || (acronym.test(text) && english.get(key) === text), key).toBe(true);
  });

  it('contain every literal key the renderer asks for', () => {
    const used = sourceFiles(join(import.meta.dirname, '../../../renderer/src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([\w.]+)'/g)].map((match) => match[1] ?? ''),
    );
    expect(used.length).toBeGreaterThan(0);
    for (const key of used) expect(english.has(key) || pluralBases(english).has(key), key).toBe(true);
  });

  it('contain every key the renderer builds at run time', () => {
    const built = [
      ...ERROR_CODES.map((code) => `errors.${code}`),
      'errors.internal',
      'errors.backoffWait',
      'errors.wrong-secretWait',
      'errors.record-tamperedAt',
      ...CASE_STATUSES.map((status) => `status.${status}`),
      ...PERSON_ROLES.map((role) => `role.${role}`),
      ...CUSTODY_ACTIONS.map((action) => `log.action.${action}`),
      ...['missing', 'altered', 'out-of-order', 'truncated'].map((reason) => `log.broken.${reason}`),
      ...[0, 1, 2, 3, 4].map((score) => `passphrase.score${score}`),
      ...['electron', 'browser'].map((host) => `app.host.${host}`),
      ...['en', 'km'].map((language) => `language.${language}`),
      ...CUSTODY_TARGET_KINDS.map((kind) => `log.kind.${kind}`),
      ...['pdf', 'image', 'text', 'audio', 'video', 'other'].map((kind) => `documents.kind.${kind}`),
      ...['waiting', 'running', 'done', 'cancelled', 'failed'].map((state) => `documents.state.${state}`),
      ...['empty', 'unsupported', 'too-large', 'pdf-password', 'pdf-invalid', 'pdf-unknown', 'image-broken'].map(
        (reason) => `viewer.noPreview.${reason}`,
      ),
      ...['hybrid', 'dynamic'].flatMap((xfa) => [`viewer.xfa.${xfa}`, `documents.textXfa.${xfa}_other`]),
      ...[...BUNDLE_ERROR_CODES, ...BUNDLE_CONTENT_REFUSALS].map((code) => `errors.bundle.${code}`),
      ...INPUT_DETAILS.map((detail) => `errors.input.${detail}`),
      ...BACKUP_REFUSALS.map((reason) => `errors.backup.${reason}`),
      ...['verified', 'unverified', 'unknown', 'self'].map((status) => `open.signer.${status}`),
      ...['new', 'update', 'same', 'conflict', 'refused'].map((status) => `open.status.${status}`),
      ...IMPORT_REFUSALS.map((refusal) => `open.refusal.${refusal}`),
      ...['case', 'document', 'document-text', 'annotation', 'hearing', 'timeline-event'].map(
        (type) => `open.type.${type}`,
      ),
      ...['mine', 'theirs', 'both'].map((choice) => `open.resolve.${choice}`),
      ...['annotations', 'hearings', 'timeline'].map((part) => `send.part.${part}`),
      ...['case', 'page', 'annotation', 'hearing', 'event', 'document'].map((kind) => `search.kinds.${kind}`),
      ...HEARING_STAGES.map((stage) => `stage.${stage}`),
      ...HEARING_SEARCH_LABELS,
      ...INDICATOR_IDS.map((indicator) => `indicator.${indicator}`),
      ...INDICATOR_ANSWERS.map((answer) => `answer.${answer}`),
      ...VIOLATION_STATUSES.map((status) => `violation.${status}`),
      ...TRIAL_GRADES.map((grade) => `grade.${grade}`),
      ...TIMELINE_EVENT_KINDS.map((kind) => `timeline.kind.${kind}`),
      'timeline.detentionEnded',
      'timeline.detentionOngoing',
      ...['yes', 'no', 'partly', 'unknown'].flatMap((value) => [`yesNo.${value}`, `hearing.counselPresence.${value}`]),
      ...['basics', 'observers', 'accused', 'participants', 'indicators', 'assessment'].map(
        (section) => `hearing.section.${section}`,
      ),
      ...['female', 'male', 'other', 'unknown'].map((sex) => `hearing.sexes.${sex}`),
      ...['detained', 'bailed', 'free', 'unknown'].map((custody) => `hearing.custodies.${custody}`),
      ...['in-person', 'video', 'absent', 'in-absentia', 'unknown'].map((presence) => `hearing.presences.${presence}`),
      ...['chosen', 'state-appointed', 'ngo', 'none', 'unknown'].map((kind) => `hearing.counselKinds.${kind}`),
      ...['expression', 'assembly', 'association'].map((freedom) => `hearing.freedoms.${freedom}`),
      ...['convicted', 'acquitted', 'dismissed', 'requalified', 'pending'].map(
        (outcome) => `hearing.outcomes.${outcome}`,
      ),
      ...['prosecution', 'defence', 'court', 'other', 'unknown'].map((who) => `hearing.requesters.${who}`),
      ...['permitted', 'restricted', 'denied'].map((access) => `hearing.accessLevels.${access}`),
    ];
    for (const key of built) expect(english.has(key), key).toBe(true);
  });
});

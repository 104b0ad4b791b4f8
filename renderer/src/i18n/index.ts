import i18next, { type FormatterModule, type InitOptions } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { formatNumber } from '../ui/format';
import en from './locales/en.json';
import km from './locales/km.json';

export const SUPPORTED_LANGUAGES = ['en', 'km'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

/** Stored outside the vault so the unlock screen speaks the user's language
 * before any key exists. It reveals only the UI language. */
const LANGUAGE_STORAGE_KEY = 'evidence-vault.language';

export const catalogs = { en, km } as const;

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (SUPPORTED_LANGUAGES as readonly string[]).includes(value);
}

function storedLanguage(): Language {
  try {
    const value = localStorage.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(value) ? value : 'en';
  } catch {
    return 'en';
  }
}

function applyDocumentLanguage(language: Language): void {
  document.documentElement.lang = language;
}

/**
 * Writes every number put into a message ("{{count}} documents", "{{n}} days") as ui/format.ts writes numbers in
 * the message's language: Khmer digits in Khmer, which Chromium's ICU would not give. Only the text changes: the
 * plural form is still chosen from the number passed. Messages use no named formats ("{{n, number}}").
 */
export const numberFormatter: FormatterModule = {
  type: 'formatter',
  init: () => undefined,
  add: () => {
    throw new Error('i18n: named formats are not used; numbers are formatted by ui/format.ts');
  },
  addCached: () => {
    throw new Error('i18n: named formats are not used; numbers are formatted by ui/format.ts');
  },
  format: (value: unknown, _format, language) =>
    (typeof value === 'number' && Number.isFinite(value) ? formatNumber(value, language ?? 'en') : value) as string,
};

/** The options the app starts i18next with (unit tests start their own instance with them). */
export function i18nOptions(language: Language): InitOptions {
  return {
    resources: { en: { translation: en }, km: { translation: km } },
    lng: language,
    fallbackLng: false,
    returnNull: false,
    // React escapes already; every interpolated value goes through numberFormatter.
    interpolation: { escapeValue: false, alwaysFormat: true },
    // A missing key is a bug: report it loudly (end-to-end tests fail on it).
    saveMissing: true,
    missingKeyHandler: (languages, _namespace, key) => {
      console.error(`i18n: missing key "${key}" for ${languages.join(', ')}`);
    },
  };
}

export function initI18n(): typeof i18next {
  const language = storedLanguage();
  void i18next.use(initReactI18next).use(numberFormatter).init(i18nOptions(language));
  applyDocumentLanguage(language);
  return i18next;
}

export async function changeLanguage(language: Language): Promise<void> {
  await i18next.changeLanguage(language);
  applyDocumentLanguage(language);
  try {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Storage may be unavailable; the choice then lasts for this session only.
  }
}

export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : 'en';
}

export { isLanguage };

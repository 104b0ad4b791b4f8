import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
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

export function initI18n(): typeof i18next {
  const language = storedLanguage();
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, km: { translation: km } },
    lng: language,
    fallbackLng: false,
    returnNull: false,
    interpolation: { escapeValue: false }, // React escapes already
    // A missing key is a bug: report it loudly (end-to-end tests fail on it).
    saveMissing: true,
    missingKeyHandler: (languages, _namespace, key) => {
      console.error(`i18n: missing key "${key}" for ${languages.join(', ')}`);
    },
  });
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

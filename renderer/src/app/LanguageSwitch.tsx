import { SelectField } from '../ui';
import { useTranslation } from 'react-i18next';
import { SUPPORTED_LANGUAGES, changeLanguage, currentLanguage, isLanguage } from '../i18n';

export function LanguageSwitch() {
  const { t } = useTranslation();
  return (
    <SelectField
      label={t('language.label')}
      value={currentLanguage()}
      onChange={(event) => {
        const value = event.target.value;
        if (isLanguage(value)) void changeLanguage(value);
      }}
    >
      {SUPPORTED_LANGUAGES.map((language) => (
        <option key={language} value={language}>
          {t(`language.${language}`)}
        </option>
      ))}
    </SelectField>
  );
}

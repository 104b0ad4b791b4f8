import { useTranslation } from 'react-i18next';
import { ArchiveRestore, KeyRound, LockKeyhole, ShieldCheck } from 'lucide-react';
import './gate.css';

const ICONS = { create: ShieldCheck, unlock: LockKeyhole, recovery: KeyRound, restore: ArchiveRestore };

/**
 * The top of a gate card, as a desktop vault's unlock screen has it: the app's name, what this screen is, and one
 * line on why. The heading is the card's accessible name (`headingId`).
 */
export function GateHeader({
  icon,
  headingId,
  heading,
  explain,
}: {
  icon: keyof typeof ICONS;
  headingId: string;
  heading: string;
  explain: string;
}) {
  const { t } = useTranslation();
  const Icon = ICONS[icon];
  return (
    <div className="gate-header">
      <Icon className="gate-icon" aria-hidden="true" size={36} strokeWidth={1.75} />
      <p className="gate-app-name">{t('app.name')}</p>
      <h2 id={headingId}>{heading}</h2>
      <p className="gate-explain">{explain}</p>
    </div>
  );
}

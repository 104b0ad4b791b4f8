import {
  ArrowLeftRight,
  Briefcase,
  FileText,
  Gavel,
  Lock,
  ScrollText,
  Search,
  Settings,
  type LucideIcon,
} from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { useLock } from '../../session';
import './shell.css';

/** The sections the rail leads to, in the order a monitor uses them. */
export const SECTIONS = ['cases', 'documents', 'monitoring', 'search', 'exchange', 'log', 'settings'] as const;
export type Section = (typeof SECTIONS)[number];

const ICONS: Record<Section, LucideIcon> = {
  cases: Briefcase,
  documents: FileText,
  monitoring: Gavel,
  search: Search,
  exchange: ArrowLeftRight,
  log: ScrollText,
  settings: Settings,
};

/**
 * The navigation rail: always on the left, always the same, with the lock button at its foot (never inside a
 * view). In a narrow window (or at a high zoom) it shows icons only; the labels stay as accessible names.
 */
export function Sidebar({ current, onGo }: { current: Section; onGo: (section: Section) => void }) {
  const { t } = useTranslation();
  const { lockByUser } = useLock();
  return (
    <div className="sidebar">
      <nav aria-label={t('nav.label')}>
        <ul>
          {SECTIONS.map((section) => {
            const Icon = ICONS[section];
            return (
              <li key={section}>
                <button
                  type="button"
                  className="sidebar-item"
                  aria-current={current === section ? 'page' : undefined}
                  title={t(`nav.${section}`)}
                  onClick={() => onGo(section)}
                >
                  <Icon aria-hidden="true" size={18} />
                  <span className="sidebar-label">{t(`nav.${section}`)}</span>
                </button>
              </li>
            );
          })}
        </ul>
      </nav>
      <div className="sidebar-foot">
        <button
          type="button"
          className="sidebar-item"
          title={t('lock.button')}
          onClick={() => void lockByUser()}
          aria-keyshortcuts="Control+L Meta+L"
        >
          <Lock aria-hidden="true" size={18} />
          <span className="sidebar-label">{t('lock.button')}</span>
        </button>
      </div>
    </div>
  );
}

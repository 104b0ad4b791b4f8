import { useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { Printer, Save } from 'lucide-react';
import { saveTextFile, type Platform } from '../../platform';
import { errorMessage, PlaintextNotice, StatusMessage, type OutcomeMessage } from '../../ui';
import { keyGroups, pickGroups, recoveryKeyFileName } from './recovery-key-groups';
import { GateHeader } from './GateHeader';
import { RecoveryKeyCheck } from './RecoveryKeyCheck';
import { RecoveryKeyGroups } from './RecoveryKeyGroups';
import { PRINTING_CLASS, RecoveryKeyPrintSheet } from './RecoveryKeyPrintSheet';

/** How many groups the user types again before going on. */
const GROUPS_TO_CHECK = 2;

/**
 * Shows the recovery key once: to print, save, or copy by hand, then two of its groups typed again from that copy
 * before Continue. `note` says why, if not first run. Without `platform` there is no "Save as file".
 */
export function RecoveryKeyNotice({
  recoveryKey,
  onDone,
  note,
  platform,
}: {
  recoveryKey: string;
  onDone: () => void;
  note?: string;
  platform?: Platform;
}) {
  const { t } = useTranslation();
  const groups = keyGroups(recoveryKey);
  const [asked] = useState(() => pickGroups(groups.length, GROUPS_TO_CHECK));
  const [checked, setChecked] = useState(false);
  const [printing, setPrinting] = useState(false);
  const [saved, setSaved] = useState<OutcomeMessage | null>(null);

  // Ends a print under way: the sheet leaves the page. Also run if the screen goes first (Continue, a lock).
  const endPrint = useRef<(() => void) | null>(null);
  useEffect(() => () => endPrint.current?.(), []);

  function print() {
    // A print whose `afterprint` never came does not keep the button from printing again.
    endPrint.current?.();
    // The sheet must be in the page when the print dialog snapshots it, and stay there until printing is over:
    // window.print() need not block (Electron's does not always), so the sheet goes on `afterprint`.
    flushSync(() => setPrinting(true));
    document.documentElement.classList.add(PRINTING_CLASS);
    const end = () => {
      window.removeEventListener('afterprint', end);
      endPrint.current = null;
      document.documentElement.classList.remove(PRINTING_CLASS);
      setPrinting(false);
    };
    endPrint.current = end;
    window.addEventListener('afterprint', end);
    try {
      window.print();
    } catch (caught) {
      end();
      throw caught;
    }
  }

  async function save(target: Platform) {
    setSaved(null);
    try {
      // The key alone, under a name that does not say what it is: such a file tells a finder less.
      const check = await saveTextFile(target, recoveryKeyFileName(new Date()), 'text/plain', `${recoveryKey}\n`);
      if (check) setSaved({ ok: true, text: t('recovery.saved') });
    } catch (caught) {
      setSaved({ ok: false, text: errorMessage(t, caught) });
    }
  }

  return (
    <section className="gate gate-card recovery-notice" aria-labelledby="recovery-heading">
      <GateHeader
        icon="recovery"
        headingId="recovery-heading"
        heading={t('recovery.heading')}
        explain={t('recovery.explain')}
      />
      {note && <p role="status">{note}</p>}
      <RecoveryKeyGroups recoveryKey={recoveryKey} label={t('recovery.keyLabel')} />
      <div className="recovery-actions">
        <button type="button" onClick={print} aria-describedby="recovery-plaintext-notice">
          <Printer aria-hidden="true" size={18} />
          {t('recovery.printButton')}
        </button>
        {platform && (
          <button type="button" onClick={() => void save(platform)} aria-describedby="recovery-plaintext-notice">
            <Save aria-hidden="true" size={18} />
            {t('recovery.save')}
          </button>
        )}
      </div>
      {/* Printing leaves a plaintext copy too: a print spool file, or a PDF if "Save as PDF" is chosen. */}
      <PlaintextNotice id="recovery-plaintext-notice" />
      <StatusMessage message={saved} />
      <RecoveryKeyCheck groups={groups} asked={asked} onChecked={setChecked} />
      <button
        type="button"
        className="primary"
        disabled={!checked}
        onClick={onDone}
        aria-describedby={checked ? undefined : 'recovery-continue-hint'}
      >
        {t('recovery.continue')}
      </button>
      {!checked && (
        <p id="recovery-continue-hint" className="hint">
          {t('recovery.continueHint')}
        </p>
      )}
      {printing && <RecoveryKeyPrintSheet recoveryKey={recoveryKey} />}
    </section>
  );
}

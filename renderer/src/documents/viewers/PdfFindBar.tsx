import { useId, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Dialog, DialogTrigger, Popover } from 'react-aria-components';
import { ChevronDown, ChevronUp, SlidersHorizontal } from 'lucide-react';
import { IconButton } from '../../ui';
import type { usePdfFind } from './use-pdf-find';

/**
 * Find in document, as one compact group of the reader's toolbar (Zotero's and Firefox's find, side by side): the
 * box, a short count ("3/12", the full sentence for screen readers), previous and next, and the less-used Match case
 * and Match accents in an options popover, where the accents option can say in full what it does.
 */
export function PdfFindBar({
  find,
  input,
  pagesRead,
  pagesTotal,
}: {
  find: ReturnType<typeof usePdfFind>;
  input: RefObject<HTMLInputElement | null>;
  /** Pages whose text is read so far, for the count while find waits for them. */
  pagesRead: number;
  pagesTotal: number;
}) {
  const { t } = useTranslation();
  const hintId = useId();
  const searching = find.query.trim() !== '';
  const status = find.waiting
    ? t('viewer.findWaiting', { read: pagesRead, total: pagesTotal })
    : !searching
      ? ''
      : find.matches.length === 0
        ? t('viewer.findNone')
        : t('viewer.findCount', { n: find.currentIndex + 1, total: find.matches.length });
  const shortStatus = find.waiting
    ? t('viewer.findWaitingShort')
    : !searching
      ? ''
      : t('viewer.findCountShort', {
          n: find.matches.length === 0 ? 0 : find.currentIndex + 1,
          total: find.matches.length,
        });
  const optionsOn = find.matchCase || find.matchDiacritics;
  return (
    <div className="viewer-toolbar find-bar" role="search">
      <label className={shortStatus === '' ? 'find-field' : 'find-field has-count'}>
        <span className="visually-hidden">{t('viewer.find')}</span>
        <input
          ref={input}
          placeholder={t('viewer.find')}
          type="search"
          autoComplete="off"
          value={find.query}
          onChange={(event) => find.setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              find.step(event.shiftKey ? -1 : 1);
            }
          }}
        />
        {/* Shown inside the box's end; the sentence in the status below is what is announced. */}
        <span
          className="find-count"
          aria-hidden="true"
          data-none={searching && !find.waiting && find.matches.length === 0}
        >
          {shortStatus}
        </span>
      </label>
      <span role="status" className="visually-hidden">
        {status}
      </span>
      <IconButton
        icon={ChevronUp}
        label={t('viewer.findPrevious')}
        onClick={() => find.step(-1)}
        disabled={find.matches.length === 0}
      />
      <IconButton
        icon={ChevronDown}
        label={t('viewer.findNext')}
        onClick={() => find.step(1)}
        disabled={find.matches.length === 0}
      />
      <DialogTrigger>
        {/* react-aria's Button takes no title: the tooltip is the wrapper's. */}
        <span className="tooltip-wrapper" title={t('viewer.findOptions')}>
          <Button className={optionsOn ? 'icon-button find-options is-on' : 'icon-button find-options'}>
            <SlidersHorizontal aria-hidden="true" size={16} />
            <span className="visually-hidden">{t('viewer.findOptions')}</span>
          </Button>
        </span>
        <Popover placement="bottom end" className="menu-popover find-options-popover">
          <Dialog className="find-options-dialog" aria-label={t('viewer.findOptions')}>
            <label className="inline">
              <input
                type="checkbox"
                checked={find.matchCase}
                onChange={(event) => find.setMatchCase(event.target.checked)}
              />
              {t('viewer.findMatchCase')}
            </label>
            <label className="inline">
              <input
                type="checkbox"
                checked={find.matchDiacritics}
                aria-describedby={hintId}
                onChange={(event) => find.setMatchDiacritics(event.target.checked)}
              />
              {t('viewer.findMatchDiacritics')}
            </label>
            <p id={hintId} className="hint">
              {t('viewer.findMatchDiacriticsHint')}
            </p>
          </Dialog>
        </Popover>
      </DialogTrigger>
    </div>
  );
}

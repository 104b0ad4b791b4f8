import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Tree, TreeItem, TreeItemContent } from 'react-aria-components';
import { ChevronRight, ExternalLink } from 'lucide-react';
import { parentIds, readPdfOutline, type OutlineEntry } from './pdf-outline';
import type { PdfDocument } from './pdfjs';

/** Indentation per outline level, in CSS pixels. */
const INDENT = 16;

function OutlineItem({ entry, onSelect }: { entry: OutlineEntry; onSelect: (page: number) => void }) {
  const { t } = useTranslation();
  const page = entry.page;
  // A web link is never followed (the app is offline); an entry with no page in this document goes nowhere.
  const label = entry.external
    ? t('viewer.outlineExternal', { title: entry.title })
    : page === null
      ? entry.title
      : t('viewer.outlineEntry', { title: entry.title, n: page });
  return (
    <TreeItem
      id={entry.id}
      textValue={entry.title}
      aria-label={label}
      className="outline-item"
      isDisabled={page === null}
      onAction={page === null ? undefined : () => onSelect(page)}
    >
      <TreeItemContent>
        {({ hasChildItems, isExpanded, level }) => (
          <div className="outline-row" style={{ paddingInlineStart: (level - 1) * INDENT }}>
            {hasChildItems ? (
              <Button
                slot="chevron"
                className="outline-chevron"
                aria-label={isExpanded ? t('viewer.outlineCollapse') : t('viewer.outlineExpand')}
              >
                <ChevronRight aria-hidden="true" size={14} />
              </Button>
            ) : (
              <span className="outline-chevron-space" aria-hidden="true" />
            )}
            <span className="outline-title">{entry.title}</span>
            {entry.external ? (
              <ExternalLink aria-hidden="true" size={14} className="outline-page" />
            ) : (
              page !== null && (
                <span className="outline-page" aria-hidden="true">
                  {page}
                </span>
              )
            )}
          </div>
        )}
      </TreeItemContent>
      {entry.children.map((child) => (
        <OutlineItem key={child.id} entry={child} onSelect={onSelect} />
      ))}
    </TreeItem>
  );
}

/**
 * The PDF's outline (bookmarks) as a tree: choosing an entry goes to its page, as a thumbnail does. Says so when the
 * document has none; links out of the document are shown but not followed.
 */
export function PdfOutline({ document, onSelect }: { document: PdfDocument; onSelect: (page: number) => void }) {
  const { t } = useTranslation();
  const [entries, setEntries] = useState<OutlineEntry[] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let current = true;
    readPdfOutline(document).then(
      (read) => current && setEntries(read),
      () => current && setFailed(true),
    );
    return () => {
      current = false;
    };
  }, [document]);

  if (failed)
    return (
      <p role="status" className="outline-empty">
        {t('viewer.outlineUnreadable')}
      </p>
    );
  if (!entries) return <p className="outline-empty">{t('common.loading')}</p>;
  if (entries.length === 0)
    return (
      <p role="status" className="outline-empty">
        {t('viewer.outlineNone')}
      </p>
    );
  return (
    <Tree
      aria-label={t('viewer.outline')}
      className="pdf-outline"
      defaultExpandedKeys={parentIds(entries)}
      disabledBehavior="all"
    >
      {entries.map((entry) => (
        <OutlineItem key={entry.id} entry={entry} onSelect={onSelect} />
      ))}
    </Tree>
  );
}

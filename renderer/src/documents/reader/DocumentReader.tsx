import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Group, Panel, Separator } from 'react-resizable-panels';
import { Tab, TabList, TabPanel, Tabs, type Key } from 'react-aria-components';
import { ArrowLeft, FileDown, PanelLeft, PanelRight } from 'lucide-react';
import { IconButton, IconToggleButton, MoreActionsMenu, PlaintextNotice, StatusMessage, useMediaQuery } from '../../ui';
import type { Platform } from '../../platform';
import type { DocumentRecord } from '../../vault';
import { queryKeys, useRefresh, useVault, useVaultQuery } from '../../session';
import { DocumentDetails } from '../DocumentDetails';
import { DocumentViewer, type DocumentFind } from '../DocumentViewer';
import type { PanelMessage } from '../panel-parts';
import { saveDocumentCopy } from '../save-copy';
import { saveAnnotatedCopy } from '../annotated-copy';
import type { PdfViewerStatus } from '../viewers/pdf-status';
import { prepareNextPdfWorker } from '../viewers/pdfjs';
import { useRememberedPaneSizes, useSidePane } from './use-reader-panes';
import './reader.css';

/** How long to wait for the page to be ready before leaving focus on the reader itself. */
const FOCUS_WAIT_MS = 10_000;

/**
 * A document read full-window, on Zotero's model: a slim toolbar, thumbnails on the left, the page at fit-width
 * in the middle, annotations and details on the right. Side panes fold away and resize; their sizes are remembered.
 */
export function DocumentReader({
  platform,
  caseId,
  documentId,
  find,
  onBack,
}: {
  platform: Platform;
  caseId: string;
  documentId: string;
  /** Words to find as it opens (a search result), with the page of the hit. */
  find?: DocumentFind;
  onBack: () => void;
}) {
  const { t } = useTranslation();
  // Read per document: a document attached since the case's list was last read is found too.
  const record = useVaultQuery(
    queryKeys.document(caseId, documentId),
    async (client) => (await client.listDocuments(caseId)).find((entry) => entry.id === documentId) ?? null,
  );
  const caseRecord = useVaultQuery(queryKeys.case(caseId), (client) => client.getCase(caseId));
  const document = record.data;

  // Start a pdf.js worker now, so the first PDF opened does not wait for one.
  useEffect(() => prepareNextPdfWorker(), []);

  if (record.status === 'pending') return <p className="document-reader">{t('common.loading')}</p>;
  if (!document)
    return (
      <section className="document-reader" aria-label={t('reader.missing')}>
        <div className="reader-bar">
          <button type="button" onClick={onBack}>
            <ArrowLeft aria-hidden="true" size={16} /> {t('reader.back')}
          </button>
        </div>
        <p role="alert" className="error">
          {t('reader.missing')}
        </p>
      </section>
    );
  return (
    <ReaderLayout
      key={document.id}
      platform={platform}
      document={document}
      caseTitle={caseRecord.data?.title ?? ''}
      find={find}
      onBack={onBack}
    />
  );
}

function ReaderLayout({
  platform,
  document,
  caseTitle,
  find,
  onBack,
}: {
  platform: Platform;
  document: DocumentRecord;
  caseTitle: string;
  find?: DocumentFind;
  onBack: () => void;
}) {
  const { t } = useTranslation();
  const vault = useVault();
  const refresh = useRefresh();
  const [writingAnnotated, setWritingAnnotated] = useState(false);
  // The viewer keeps the record it opened with: a provenance edit must not reload the pages.
  const [viewed] = useState(document);
  const [message, setMessage] = useState<PanelMessage | null>(null);
  const [toolbar, setToolbar] = useState<HTMLElement | null>(null);
  const [thumbnails, setThumbnails] = useState<HTMLElement | null>(null);
  const [outline, setOutline] = useState<HTMLElement | null>(null);
  const [annotations, setAnnotations] = useState<HTMLElement | null>(null);
  const [pdfStatus, setPdfStatus] = useState<PdfViewerStatus | null>(null);
  const root = useRef<HTMLElement>(null);
  const pageArea = useRef<HTMLDivElement>(null);
  const hasThumbnails = document.kind === 'pdf';
  // Thumbnails start folded away, so the page at fit-width gets most of a laptop screen (see reader.spec).
  const left = useSidePane(false);
  const right = useSidePane();
  const sizes = useRememberedPaneSizes(hasThumbnails ? 'pdf' : 'other');
  const [sideTab, setSideTab] = useState<Key>('annotations');
  // The left pane shows thumbnails first; the outline (a PDF's bookmarks) is the other tab.
  const [leftTab, setLeftTab] = useState<Key>('thumbnails');
  // In a narrow window (or at 200 % zoom) the page needs the width: the thumbnails fold away, as they start.
  const narrow = useMediaQuery('(max-width: 60rem)');
  const foldLeft = left.ref;
  useEffect(() => {
    if (narrow) foldLeft.current?.collapse();
  }, [narrow, foldLeft]);
  // A new annotation's editor is in the annotations tab: show it, the pane unfolded.
  function showAnnotations() {
    setSideTab('annotations');
    right.unfold();
  }

  // Focus goes into the reader at once, then onto the page (the element that scrolls it) when it is ready,
  // unless the user has moved it meanwhile.
  useEffect(() => {
    root.current?.focus({ preventScroll: true });
    const started = Date.now();
    const timer = window.setInterval(() => {
      const target = pageArea.current?.querySelector<HTMLElement>('[tabindex="0"]');
      const untouched = window.document.activeElement === root.current;
      if (target && untouched) target.focus({ preventScroll: true });
      if (target || !untouched || Date.now() - started > FOCUS_WAIT_MS) window.clearInterval(timer);
    }, 100);
    return () => window.clearInterval(timer);
  }, []);

  async function saveCopy() {
    setMessage(null);
    setMessage(await saveDocumentCopy(vault, platform, document, t));
  }

  async function saveAnnotated() {
    setMessage(null);
    setWritingAnnotated(true);
    try {
      // The summary page is written in the interface's language: it shows Latin and Khmer script alike.
      setMessage(await saveAnnotatedCopy(vault, platform, document, t));
    } finally {
      setWritingAnnotated(false);
    }
  }

  return (
    <section
      ref={root}
      className="document-reader"
      aria-label={t('documents.viewing', { name: document.name })}
      tabIndex={-1}
    >
      {/* One row, as in a desktop reader (Zotero's): back, thumbnails, the name, the viewer's tools (portalled in
          here), the quieter actions behind "⋯", the side pane. Icons carry their names as labels and tooltips. */}
      <header className="reader-header">
        <div className="reader-bar">
          <IconButton icon={ArrowLeft} label={t('reader.back')} onClick={onBack} />
          {hasThumbnails && (
            <IconToggleButton
              className="reader-toggle"
              icon={PanelLeft}
              label={t('viewer.thumbnails')}
              isSelected={left.open}
              onChange={left.toggle}
            />
          )}
          <h2 className="reader-title" title={caseTitle ? `${document.name} — ${caseTitle}` : document.name}>
            {document.name}
            {caseTitle && <span className="reader-case"> — {caseTitle}</span>}
          </h2>
          <div className="reader-tools" ref={setToolbar} />
          <MoreActionsMenu
            label={t('reader.moreActions')}
            actions={[
              {
                id: 'save',
                label: t('documents.save'),
                description: t('exports.plaintextNotice'),
                onAction: () => void saveCopy(),
              },
            ]}
          />
          <IconToggleButton
            className="reader-toggle"
            icon={PanelRight}
            label={t('reader.sidePane')}
            isSelected={right.open}
            onChange={right.toggle}
          />
        </div>
        <StatusMessage message={message} okClassName="ok hash" />
      </header>
      <Group
        className="reader-panes"
        orientation="horizontal"
        defaultLayout={sizes.defaultLayout}
        onLayoutChanged={sizes.onLayoutChanged}
      >
        {hasThumbnails && (
          <>
            <Panel
              id="thumbnails"
              panelRef={left.ref}
              onResize={left.onResize}
              collapsible
              defaultSize="0%"
              minSize={140}
              maxSize="30%"
            >
              {/* Folded, the pane is 0 px wide but its tabs would still spill over the page: not displayed (still
                  mounted: the viewer portals thumbnails and outline into it). */}
              <Tabs
                className={left.open ? 'reader-side reader-left' : 'reader-side reader-left is-folded'}
                selectedKey={leftTab}
                onSelectionChange={setLeftTab}
              >
                <TabList aria-label={t('reader.leftPane')} className="reader-tabs">
                  <Tab id="thumbnails">{t('viewer.thumbnails')}</Tab>
                  <Tab id="outline">{t('viewer.outline')}</Tab>
                </TabList>
                {/* Both kept mounted: the viewer portals its thumbnails and its outline into them. */}
                <TabPanel id="thumbnails" shouldForceMount className="reader-tab reader-thumbnails">
                  <div ref={setThumbnails} />
                </TabPanel>
                <TabPanel id="outline" shouldForceMount className="reader-tab reader-outline">
                  <div ref={setOutline} />
                </TabPanel>
              </Tabs>
            </Panel>
            <Separator className="reader-separator" aria-label={t('reader.resizeThumbnails')} />
          </>
        )}
        <Panel id="page" minSize="30%">
          <div className="reader-page" ref={pageArea}>
            <DocumentViewer
              document={viewed}
              find={find}
              slots={{ toolbar, thumbnails, outline, annotations }}
              onAnnotationEditor={showAnnotations}
              onPdfStatus={setPdfStatus}
            />
          </div>
        </Panel>
        <Separator className="reader-separator" aria-label={t('reader.resizeSidePane')} />
        <Panel
          id="side"
          panelRef={right.ref}
          onResize={right.onResize}
          collapsible
          defaultSize="20%"
          minSize={200}
          maxSize="45%"
        >
          <Tabs className="reader-side" selectedKey={sideTab} onSelectionChange={setSideTab}>
            <TabList aria-label={t('reader.sidePane')} className="reader-tabs">
              <Tab id="annotations">{t('annotations.sidebar')}</Tab>
              <Tab id="details">{t('reader.details')}</Tab>
            </TabList>
            {/* Kept mounted: the viewer shows its annotations here even while Details is chosen. */}
            <TabPanel id="annotations" shouldForceMount className="reader-tab">
              <div ref={setAnnotations} />
            </TabPanel>
            <TabPanel id="details" className="reader-tab">
              {/* Here, not in the bar: the bar's width goes to the document's name (a Khmer label would squeeze it
                  out); the result shows under the bar like "Save a copy"'s. */}
              {document.kind === 'pdf' && (
                <>
                  <p className="reader-annotated-copy">
                    <button
                      type="button"
                      onClick={() => void saveAnnotated()}
                      disabled={writingAnnotated}
                      aria-describedby="reader-annotated-plaintext"
                    >
                      <FileDown aria-hidden="true" size={16} />{' '}
                      {writingAnnotated ? t('annotatedCopy.saving') : t('annotatedCopy.save')}
                    </button>
                  </p>
                  <PlaintextNotice id="reader-annotated-plaintext" />
                </>
              )}
              <DocumentDetails
                document={document}
                pdfStatus={pdfStatus}
                onUpdated={() => void refresh(queryKeys.document(document.caseId, document.id))}
              />
            </TabPanel>
          </Tabs>
        </Panel>
      </Group>
    </section>
  );
}

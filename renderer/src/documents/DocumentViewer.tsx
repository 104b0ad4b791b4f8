import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { SquareDashedMousePointer } from 'lucide-react';
import { queryKeys, useRefresh, useVault, useVaultQuery } from '../session';
import { errorMessage } from '../ui';
import {
  AnnotationSidebar,
  SelectionToolbar,
  describeSelection,
  selectionBox,
  type EditField,
  useDocumentAnnotations,
  type AnnotationView,
  type LinkOption,
} from '../annotations';
import {
  MAX_WHOLE_DOCUMENT_BYTES,
  type AnnotationColor,
  type AnnotationFields,
  type DocumentRecord,
  type Rect,
} from '../vault';
import { PDF_TEXT_EXTRACTOR, storeUnlockedPdfText } from './extract-text';
import { readDocumentBytes } from './intake';
import { vaultPasswordMemory } from './pdf-password';
import { mayHaveOfficeText, type OfficeTextFailure } from './office';
import { ImageViewer } from './viewers/ImageViewer';
import { MediaViewer } from './viewers/MediaViewer';
import type { PdfTextSelection } from './viewers/pdf-selection';
import type { PdfViewerStatus } from './viewers/pdf-status';
import { PdfViewer } from './viewers/PdfViewer';
import type { PdfOpenFailure } from './viewers/pdfjs';
import { TextViewer } from './viewers/TextViewer';
import type { PageText } from './pdf-text';
import { useOfficeText } from './viewers/use-office-text';
import { useViewedDocument } from './viewed-type';

type NoPreview =
  'empty' | 'unsupported' | 'too-large' | `pdf-${PdfOpenFailure}` | 'image-broken' | `office-${OfficeTextFailure}`;

/** Tags offered while typing, with those already used in the case (a vault-wide vocabulary comes with search). */
const SEED_TAGS = [
  'fair trial: public hearing',
  'fair trial: presumption of innocence',
  'fair trial: access to counsel',
  'fair trial: interpreter',
  'fair trial: undue delay',
  'Criminal Code art. 494',
  'Criminal Code art. 495',
  'Criminal Code art. 496',
];

type Selection = { kind: 'pdf'; selection: PdfTextSelection } | { kind: 'text'; start: number; end: number };

const emptyFields = (documentId: string): Omit<AnnotationFields, 'target'> => ({
  documentId,
  color: 'yellow',
  note: '',
  tags: [],
  link: null,
});

/** Words to find when a document opens (a search result), and the 1-based page of the hit. */
export interface DocumentFind {
  query: string;
  page: number;
}

/** Where the reader shows the viewer's parts: its tools in the reader's toolbar, thumbnails and annotations in the side panes. */
export interface ReaderSlots {
  toolbar: HTMLElement | null;
  thumbnails: HTMLElement | null;
  /** A PDF's outline (bookmarks), beside the thumbnails. */
  outline?: HTMLElement | null;
  annotations: HTMLElement | null;
}

/** What the reader gives the viewer. */
interface DocumentViewerProps {
  document: DocumentRecord;
  find?: DocumentFind;
  slots: ReaderSlots;
  /** A new annotation's editor opened: the reader shows its annotations pane. */
  onAnnotationEditor?: () => void;
  /** A PDF asks for its password, or opened (see PdfViewerStatus): the reader's details say so. */
  onPdfStatus?: (status: PdfViewerStatus) => void;
}

/**
 * Picks the viewer from the sniffed type and shows it here, its tools, thumbnails and annotations in the reader's
 * slots; annotating happens in a toolbar beside the selection. Says why when there is no preview. A document stored
 * with a generic type by an earlier version (an office file, a HEIC photo) is shown by the type its bytes show now
 * (viewed-type.ts); its record is left as it is.
 */
export function DocumentViewer(props: DocumentViewerProps) {
  const { t } = useTranslation();
  const viewed = useViewedDocument(props.document);
  if (!viewed) return <p>{t('common.loading')}</p>;
  return <ViewerOf {...props} document={viewed} />;
}

function ViewerOf({ document, find, slots, onAnnotationEditor, onPdfStatus }: DocumentViewerProps) {
  const { t } = useTranslation();
  const vault = useVault();
  const refresh = useRefresh();
  const [bytes, setBytes] = useState<Uint8Array | null>(null);
  const [bytesError, setBytesError] = useState<unknown>(null);
  const [viewerFailure, setNoPreview] = useState<NoPreview | null>(null);
  const [pdfTexts, setPdfTexts] = useState<readonly PageText[] | null>(null);
  const [pdfStatus, setPdfStatus] = useState<PdfViewerStatus | null>(null);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [drawRegion, setDrawRegion] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [editField, setEditField] = useState<EditField>('note');
  const [anchor, setAnchor] = useState<DOMRect | null>(null);
  const [focus, setFocus] = useState<{ id: string; page: number; nonce: number } | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  // A DOCX, ODT or XLSX shows its extracted text, as a text file shows its own (and is annotated the same way).
  const office = mayHaveOfficeText(document);
  const knownNoPreview: NoPreview | null =
    document.size === 0
      ? 'empty'
      : document.kind === 'other' && !office
        ? 'unsupported'
        : document.size > MAX_WHOLE_DOCUMENT_BYTES
          ? 'too-large'
          : null;
  const officeText = useOfficeText(document, office && !knownNoPreview);
  const officeNoPreview: NoPreview | null =
    officeText.state === 'failed'
      ? `office-${officeText.reason}`
      : officeText.state === 'unsupported' && office
        ? 'unsupported'
        : null;
  const noPreview = knownNoPreview ?? officeNoPreview ?? viewerFailure;

  // The document's bytes stay a hand-written read, not a query: they are the viewer's alone, can be large, must not
  // linger in the session's cache once the viewer closes, and must not be read again (the pages reloaded) when
  // a write refreshes the document's keys.
  useEffect(() => {
    if (knownNoPreview || office) return;
    let current = true;
    readDocumentBytes(vault, document).then(
      (loaded) => current && setBytes(loaded),
      (caught: unknown) => current && setBytesError(caught),
    );
    return () => {
      current = false;
    };
  }, [vault, document, knownNoPreview, office]);

  const officeReady = officeText.state === 'ready' ? officeText : null;
  const plainText = useMemo(
    () =>
      officeReady
        ? officeReady.text
        : bytes && document.kind === 'text'
          ? new TextDecoder('utf-8').decode(bytes)
          : null,
    [bytes, document.kind, officeReady],
  );
  const pageTexts = useMemo(
    () =>
      document.kind === 'pdf' ? (pdfTexts?.map((page) => page.text) ?? null) : plainText === null ? null : [plainText],
    [document.kind, pdfTexts, plainText],
  );
  const annotations = useDocumentAnnotations(vault, document, pageTexts);
  // The case's people, key dates, timeline events and hearings (what an annotation can be linked to), and the
  // tags already used in the case (its own and its annotations'), offered while typing. A help, not the point:
  // nothing is offered when the case or its annotations cannot be read, and unreadable hearings or events are left out.
  const caseId = document.caseId;
  const caseRecord = useVaultQuery(queryKeys.case(caseId), (client) => client.getCase(caseId));
  const caseAnnotations = useVaultQuery(queryKeys.caseAnnotations(caseId), (client) => client.listAnnotations(caseId));
  const caseHearings = useVaultQuery(queryKeys.caseHearings(caseId), (client) => client.listHearings(caseId));
  const caseEvents = useVaultQuery(queryKeys.caseTimeline(caseId), (client) => client.listTimelineEvents(caseId));
  const linksReady = !caseHearings.isPending && !caseEvents.isPending;
  const caseTags = useMemo(
    () =>
      caseRecord.data && caseAnnotations.data && linksReady
        ? [...caseRecord.data.tags, ...caseAnnotations.data.flatMap((annotation) => annotation.tags)]
        : [],
    [caseRecord.data, caseAnnotations.data, linksReady],
  );
  const linkOptions = useMemo<LinkOption[]>(() => {
    const record = caseRecord.data;
    if (!record || !caseAnnotations.data || !linksReady) return [];
    return [
      ...record.people.map((person) => ({
        value: `person:${person.id}`,
        label: `${person.name} (${t(`role.${person.role}`)})`,
      })),
      ...record.keyDates.map((keyDate) => ({
        value: `date:${keyDate.id}`,
        label: `${keyDate.label} ${keyDate.date}`,
      })),
      ...(caseEvents.data ?? []).map((event) => ({
        value: `event:${event.id}`,
        label: `${event.date} — ${t(`timeline.kind.${event.kind}`)}${event.person ? `: ${event.person}` : ''}`,
      })),
      ...(caseHearings.data ?? []).map((hearing) => ({
        value: `hearing:${hearing.id}`,
        label: t('report.hearingOn', { date: hearing.hearing.value.date }),
      })),
    ];
  }, [caseRecord.data, caseAnnotations.data, caseEvents.data, caseHearings.data, linksReady, t]);
  const annotatable = document.kind === 'pdf' || document.kind === 'text' || document.kind === 'image' || office;

  const onPdfFailure = useCallback((reason: PdfOpenFailure) => setNoPreview(`pdf-${reason}`), []);
  // A PDF's password, remembered in the vault when the user asks; the details offer to forget it.
  const passwordMemory = useMemo(
    () =>
      vaultPasswordMemory(vault, document, {
        onChange: () => void refresh([...queryKeys.document(document.caseId, document.id), 'password']),
        onError: setFailure,
      }),
    [vault, document, refresh],
  );
  const onViewerStatus = useCallback(
    (status: PdfViewerStatus) => {
      setPdfStatus(status);
      onPdfStatus?.(status);
    },
    [onPdfStatus],
  );

  // A password-protected PDF has no text until it is opened with its password: once the viewer has read its pages'
  // text, that text is stored (encrypted, as at intake) so search and the details see it. The password is not.
  const storedUnlocked = useRef(false);
  useEffect(() => {
    if (pdfStatus?.state !== 'open' || !pdfStatus.unlocked || !pdfTexts || storedUnlocked.current) return;
    storedUnlocked.current = true;
    storeUnlockedPdfText(vault, document, pdfTexts, pdfStatus.xfa, pdfStatus.fingerprint).then(
      (written) => written && void refresh([...queryKeys.document(document.caseId, document.id), 'text']),
      (caught: unknown) => setFailure(caught),
    );
  }, [pdfStatus, pdfTexts, vault, document, refresh]);
  const onPdfSelection = useCallback(
    (next: PdfTextSelection | null) => setSelection(next ? { kind: 'pdf', selection: next } : null),
    [],
  );
  const onTextSelection = useCallback(
    (next: { start: number; end: number } | null) => setSelection(next ? { kind: 'text', ...next } : null),
    [],
  );

  async function run(work: () => Promise<unknown>) {
    setFailure(null);
    setSaving(true);
    try {
      await work();
    } catch (caught) {
      setFailure(caught);
    } finally {
      setSaving(false);
    }
  }

  // The selection toolbar follows the selection as the pages scroll or the window changes size.
  useEffect(() => {
    if (!selection) return;
    const place = () => setAnchor(selectionBox());
    const frame = requestAnimationFrame(place);
    window.addEventListener('scroll', place, true);
    window.addEventListener('resize', place);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('scroll', place, true);
      window.removeEventListener('resize', place);
    };
  }, [selection]);

  /** Highlights the selection in `color`; with `edit`, opens the new annotation's editor on that field. */
  function highlightSelection(color: AnnotationColor = 'yellow', edit: EditField | null = 'note') {
    if (!selection || !pageTexts || saving) return;
    const segments =
      selection.kind === 'pdf'
        ? describeSelection(pageTexts, selection.selection.from, selection.selection.to).map((segment) => ({
            ...segment,
            rects: selection.selection.rects.get(segment.page) ?? [],
          }))
        : describeSelection(pageTexts, { page: 0, unit: selection.start }, { page: 0, unit: selection.end }).map(
            (segment) => ({ ...segment, rects: [] }),
          );
    if (segments.length === 0) return;
    const extractor = document.kind === 'pdf' ? PDF_TEXT_EXTRACTOR : (officeReady?.extractor ?? 'utf-8');
    void run(async () => {
      const record = await annotations.create({
        ...emptyFields(document.id),
        color,
        target: { kind: 'text', extractor, segments },
      });
      window.getSelection()?.removeAllRanges();
      setSelection(null);
      if (edit) {
        setEditField(edit);
        setEditingId(record.id);
        onAnnotationEditor?.();
      }
    });
  }

  function addRegion(page: number | null, rect: Rect) {
    void run(async () => {
      const record = await annotations.create({
        ...emptyFields(document.id),
        target: { kind: 'region', page, rect, transcription: '' },
      });
      setDrawRegion(false);
      setEditField('note');
      setEditingId(record.id);
      onAnnotationEditor?.();
    });
  }

  const goTo = useCallback(
    (view: AnnotationView) =>
      setFocus((previous) => ({ id: view.record.id, page: view.page, nonce: (previous?.nonce ?? 0) + 1 })),
    [],
  );

  // Keyboard, wherever focus is while the document is open (a text selection does not move focus):
  // Ctrl+Shift+H highlights the selection; Alt+↓/↑ moves between annotations.
  const keyHandler = useRef<(event: globalThis.KeyboardEvent) => void>(() => undefined);
  useEffect(() => {
    const listener = (event: globalThis.KeyboardEvent) => keyHandler.current(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
  function onKeyDown(event: globalThis.KeyboardEvent) {
    if (event.ctrlKey && event.shiftKey && event.key.toLowerCase() === 'h') {
      event.preventDefault();
      // A held key repeats: one highlight per press.
      if (!event.repeat) highlightSelection();
      return;
    }
    if (event.altKey && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      const placed = annotations.views.filter((view) => view.status !== 'orphaned');
      if (placed.length === 0) return;
      event.preventDefault();
      const at = placed.findIndex((view) => view.record.id === focus?.id);
      const next = event.key === 'ArrowDown' ? (at + 1) % placed.length : (at - 1 + placed.length) % placed.length;
      goTo(placed[next]!);
    }
  }
  useEffect(() => {
    keyHandler.current = onKeyDown;
  });

  const highlights = useMemo(
    () =>
      annotations.views.flatMap((view) =>
        view.placed.map((placed) => ({ ...placed, className: `highlight color-${view.record.color}` })),
      ),
    [annotations.views],
  );
  const regions = useMemo(
    () =>
      annotations.views.flatMap((view) =>
        view.record.target.kind === 'region'
          ? [
              {
                id: view.record.id,
                className: `color-${view.record.color}`,
                page: view.record.target.page ?? 0,
                rect: view.record.target.rect,
                label: view.record.note || view.record.target.transcription,
              },
            ]
          : [],
      ),
    [annotations.views],
  );
  const vocabulary = useMemo(
    () => [...new Set([...SEED_TAGS, ...caseTags, ...annotations.views.flatMap((view) => view.record.tags)])].sort(),
    [caseTags, annotations.views],
  );

  if (noPreview)
    return (
      <div className="no-preview">
        <p role="status">{t(`viewer.noPreview.${noPreview}`)}</p>
        {noPreview === 'pdf-password' && (
          // The password prompt was cancelled: it can be asked for again.
          <button type="button" onClick={() => setNoPreview(null)}>
            {t('viewer.password.again')}
          </button>
        )}
      </div>
    );
  if (bytesError !== null || officeText.state === 'error')
    return (
      <p role="alert" className="error">
        {errorMessage(t, officeText.state === 'error' ? officeText.error : bytesError)}
      </p>
    );
  if (office ? plainText === null : !bytes) return <p>{t('common.loading')}</p>;

  let viewer;
  switch (document.kind) {
    case 'pdf':
      viewer = (
        <PdfViewer
          bytes={bytes!}
          onFailure={onPdfFailure}
          onStatus={onViewerStatus}
          passwordMemory={passwordMemory}
          initialFind={find}
          slots={slots}
          annotations={{
            highlights,
            regions,
            drawRegion,
            focus,
            onSelection: onPdfSelection,
            onRegion: (page, rect) => addRegion(page, rect),
            onTexts: setPdfTexts,
          }}
        />
      );
      break;
    case 'image':
      viewer = (
        <ImageViewer
          bytes={bytes!}
          mimeType={document.mimeType}
          alt={document.name}
          toolbar={slots.toolbar}
          onFailure={() => setNoPreview('image-broken')}
          regions={regions}
          drawRegion={drawRegion}
          onRegion={(rect) => addRegion(null, rect)}
          focus={focus}
        />
      );
      break;
    case 'text':
    case 'other':
      viewer = (
        <TextViewer
          text={plainText ?? ''}
          label={document.name}
          highlights={highlights}
          onSelection={onTextSelection}
          focus={focus}
        />
      );
      break;
    case 'audio':
    case 'video':
      return <MediaViewer bytes={bytes!} mimeType={document.mimeType} kind={document.kind} label={document.name} />;
    default:
      return null;
  }

  if (!annotatable) return viewer;
  // Nothing to annotate while a PDF waits for its password.
  const locked = document.kind === 'pdf' && pdfStatus?.state === 'locked';
  const tools = (
    <div className="annotation-tools" role="toolbar" aria-label={t('annotations.tools')}>
      {document.kind !== 'text' && !office && (
        <button
          type="button"
          className="icon-button"
          aria-pressed={drawRegion}
          aria-label={t('annotations.drawRegion')}
          title={t('annotations.drawRegion')}
          onClick={() => setDrawRegion((on) => !on)}
        >
          <SquareDashedMousePointer aria-hidden="true" size={16} />
        </button>
      )}
      {/* Shown over the top of the page while drawing, not in the toolbar's row. */}
      {drawRegion && (
        <span role="status" className="draw-hint">
          {t('annotations.drawHint')}
        </span>
      )}
    </div>
  );
  const sidebar = (
    <>
      {(failure !== null || annotations.error !== null) && (
        <p role="alert" className="error">
          {errorMessage(t, failure ?? annotations.error)}
        </p>
      )}
      <AnnotationSidebar
        views={annotations.views}
        vocabulary={vocabulary}
        linkOptions={linkOptions}
        editingId={editingId}
        editField={editField}
        onEdit={setEditingId}
        onGoTo={goTo}
        onSave={async (id, fields) => {
          setFailure(null);
          try {
            await annotations.update(id, fields);
          } catch (caught) {
            setFailure(caught);
            throw caught;
          }
        }}
        onDelete={(id) => run(() => annotations.remove(id))}
      />
    </>
  );
  return (
    <div className="annotated-document">
      {slots.toolbar && !locked && createPortal(tools, slots.toolbar)}
      {slots.annotations && createPortal(sidebar, slots.annotations)}
      {viewer}
      {anchor && selection && (
        <SelectionToolbar
          anchor={anchor}
          disabled={saving}
          onColor={(color) => highlightSelection(color, null)}
          onNote={() => highlightSelection('yellow', 'note')}
          onTag={() => highlightSelection('yellow', 'tags')}
          onRegion={
            document.kind === 'pdf'
              ? () => {
                  window.getSelection()?.removeAllRanges();
                  setSelection(null);
                  setDrawRegion(true);
                }
              : undefined
          }
        />
      )}
    </div>
  );
}

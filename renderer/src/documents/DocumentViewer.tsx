import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_WHOLE_DOCUMENT_BYTES, type DocumentRecord, type VaultClient } from '../vault';
import { readDocumentBytes } from './intake';
import { ImageViewer } from './viewers/ImageViewer';
import { MediaViewer } from './viewers/MediaViewer';
import { PdfViewer } from './viewers/PdfViewer';
import type { PdfOpenFailure } from './viewers/pdfjs';
import { TextViewer } from './viewers/TextViewer';

type NoPreview = 'empty' | 'unsupported' | 'too-large' | `pdf-${PdfOpenFailure}` | 'image-broken';

/** Picks the viewer from the sniffed type; says why when there is none. */
export function DocumentViewer({ vault, document }: { vault: VaultClient; document: DocumentRecord }) {
  const { t } = useTranslation();
  const [bytes, setBytes] = useState<Uint8Array | null>(null);
  const [viewerFailure, setNoPreview] = useState<NoPreview | null>(null);
  const knownNoPreview: NoPreview | null =
    document.size === 0
      ? 'empty'
      : document.kind === 'other'
        ? 'unsupported'
        : document.size > MAX_WHOLE_DOCUMENT_BYTES
          ? 'too-large'
          : null;
  const noPreview = knownNoPreview ?? viewerFailure;

  useEffect(() => {
    if (knownNoPreview) return;
    let current = true;
    void readDocumentBytes(vault, document).then((loaded) => current && setBytes(loaded));
    return () => {
      current = false;
    };
  }, [vault, document, knownNoPreview]);

  const onPdfFailure = useCallback((reason: PdfOpenFailure) => setNoPreview(`pdf-${reason}`), []);

  if (noPreview)
    return (
      <p role="status" className="no-preview">
        {t(`viewer.noPreview.${noPreview}`)}
      </p>
    );
  if (!bytes) return <p>{t('common.loading')}</p>;
  switch (document.kind) {
    case 'pdf':
      return <PdfViewer bytes={bytes} onFailure={onPdfFailure} />;
    case 'image':
      return (
        <ImageViewer
          bytes={bytes}
          mimeType={document.mimeType}
          alt={document.name}
          onFailure={() => setNoPreview('image-broken')}
        />
      );
    case 'text':
      return <TextViewer bytes={bytes} label={document.name} />;
    case 'audio':
    case 'video':
      return <MediaViewer bytes={bytes} mimeType={document.mimeType} kind={document.kind} label={document.name} />;
    default:
      return null;
  }
}

import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTextDraft, useVault } from '../session';
import { ConfirmDeleteButton, RestoredTextNotice, SelectField } from '../ui';
import {
  ANNOTATION_COLORS,
  draftNames,
  type AnnotationColor,
  type AnnotationFields,
  type AnnotationRecord,
} from '../vault';
import type { AnnotationView } from './use-document-annotations';
import './annotations.css';

/** The field an editor opens on: the note, or the tags (the selection toolbar's Tag). */
export type EditField = 'note' | 'tags';

function fieldsOf(record: AnnotationRecord): AnnotationFields {
  const { documentId, color, note, tags, link, target } = record;
  return { documentId, color, note, tags, link, target };
}

export function quoteOf(record: AnnotationRecord): string {
  return record.target.kind === 'text'
    ? record.target.segments.map((segment) => segment.quote.exact).join(' … ')
    : record.target.transcription;
}

/** Edits one annotation: colour, note, tags (and the transcription of a region). */
/** Something in the case an annotation can point at (a person, a key date; later an observation). */
export interface LinkOption {
  value: string;
  label: string;
}

function AnnotationEditor({
  record,
  vocabulary,
  linkOptions,
  focusField,
  onSave,
  onCancel,
}: {
  record: AnnotationRecord;
  focusField: EditField;
  vocabulary: readonly string[];
  linkOptions: readonly LinkOption[];
  /** Whether the annotation was saved. */
  onSave: (fields: AnnotationFields) => Promise<boolean>;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [color, setColor] = useState<AnnotationColor>(record.color);
  // The note and a region's transcription: long text, kept as an encrypted draft of the case while typed.
  const text = useTextDraft(useVault(), draftNames.annotation(record.caseId, record.id), {
    note: record.note,
    transcription: record.target.kind === 'region' ? record.target.transcription : '',
  });
  const { note, transcription } = text.values;
  const [tags, setTags] = useState(record.tags.join(', '));
  const [link, setLink] = useState(record.link ?? '');
  const listId = `tags-${record.id}`;

  /** Saved: the draft has done its job (a failed save keeps it, with the editor open). */
  async function save(fields: AnnotationFields) {
    if (await onSave(fields)) await text.settle().catch(() => undefined);
  }

  return (
    <form
      className="annotation-editor"
      autoComplete="off"
      aria-label={t('annotations.editLabel')}
      onSubmit={(event) => {
        event.preventDefault();
        const target = record.target.kind === 'region' ? { ...record.target, transcription } : record.target;
        void save({
          ...fieldsOf(record),
          color,
          note,
          tags: tags
            .split(',')
            .map((tag) => tag.trim())
            .filter(Boolean),
          link: link === '' ? null : link,
          target,
        });
      }}
    >
      {text.restored && <RestoredTextNotice />}
      <fieldset className="colors">
        <legend>{t('annotations.color')}</legend>
        {ANNOTATION_COLORS.map((option) => (
          <label key={option} className={`color-choice color-${option}`}>
            <input
              type="radio"
              name={`color-${record.id}`}
              value={option}
              checked={color === option}
              onChange={() => setColor(option)}
            />
            <span className="swatch-dot" aria-hidden="true" />
            {t(`annotations.colors.${option}`)}
          </label>
        ))}
      </fieldset>
      <label>
        {t('annotations.note')}
        <textarea
          value={note}
          onChange={(event) => text.change('note', event.target.value)}
          rows={3}
          autoFocus={focusField === 'note'}
        />
      </label>
      <label>
        {t('annotations.tags')}
        <input
          value={tags}
          list={listId}
          onChange={(event) => setTags(event.target.value)}
          autoFocus={focusField === 'tags'}
        />
        <datalist id={listId}>
          {vocabulary.map((tag) => (
            <option key={tag} value={tag} />
          ))}
        </datalist>
      </label>
      <SelectField label={t('annotations.link')} value={link} onChange={(event) => setLink(event.target.value)}>
        <option value="">{t('annotations.noLink')}</option>
        {linkOptions.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </SelectField>
      {record.target.kind === 'region' && (
        <label>
          {t('annotations.transcription')}
          <textarea
            value={transcription}
            onChange={(event) => text.change('transcription', event.target.value)}
            rows={2}
          />
        </label>
      )}
      <div className="row-actions">
        <button type="submit">{t('annotations.save')}</button>
        <button
          type="button"
          onClick={() => {
            void text.settle().catch(() => undefined);
            onCancel();
          }}
        >
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** A document's annotations in reading order: filter, go to, edit, delete (asks first). */
export function AnnotationSidebar({
  views,
  vocabulary,
  linkOptions,
  editingId,
  editField = 'note',
  onEdit,
  onGoTo,
  onSave,
  onDelete,
}: {
  views: readonly AnnotationView[];
  vocabulary: readonly string[];
  linkOptions: readonly LinkOption[];
  editingId: string | null;
  editField?: EditField;
  onEdit: (id: string | null) => void;
  onGoTo: (view: AnnotationView) => void;
  onSave: (id: string, fields: AnnotationFields) => Promise<void>;
  onDelete: (id: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [color, setColor] = useState<AnnotationColor | 'any'>('any');
  const [tag, setTag] = useState('');
  const [text, setText] = useState('');

  const tagsInUse = useMemo(() => [...new Set(views.flatMap((view) => view.record.tags))].sort(), [views]);
  const shown = useMemo(() => {
    const needle = text.trim().toLocaleLowerCase();
    return [...views]
      .sort((a, b) => a.page - b.page || (a.placed[0]?.start ?? 0) - (b.placed[0]?.start ?? 0))
      .filter(
        (view) =>
          (color === 'any' || view.record.color === color) &&
          (tag === '' || view.record.tags.includes(tag)) &&
          (needle === '' ||
            [quoteOf(view.record), view.record.note, ...view.record.tags].some((field) =>
              field.toLocaleLowerCase().includes(needle),
            )),
      );
  }, [views, color, tag, text]);

  return (
    <aside className="annotation-sidebar" aria-label={t('annotations.sidebar')}>
      <h3>{t('annotations.heading', { n: views.length })}</h3>
      <div className="filters">
        <SelectField
          label={t('annotations.filterColor')}
          value={color}
          onChange={(event) => setColor(event.target.value as AnnotationColor | 'any')}
        >
          <option value="any">{t('annotations.anyColor')}</option>
          {ANNOTATION_COLORS.map((option) => (
            <option key={option} value={option}>
              {t(`annotations.colors.${option}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('annotations.filterTag')} value={tag} onChange={(event) => setTag(event.target.value)}>
          <option value="">{t('annotations.anyTag')}</option>
          {tagsInUse.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </SelectField>
        <label>
          {t('annotations.filterText')}
          <input type="search" autoComplete="off" value={text} onChange={(event) => setText(event.target.value)} />
        </label>
      </div>
      <ol className="annotation-list">
        {shown.map((view) => {
          const { record } = view;
          const quote = quoteOf(record);
          return (
            <li key={record.id} className={`annotation color-${record.color}`} data-annotation={record.id}>
              <p className="meta">
                <span className={`swatch-dot color-${record.color}`} aria-hidden="true" />
                {record.target.kind === 'region' ? t('annotations.region') : t('annotations.highlight')}
                {' · '}
                {t('viewer.pageN', { n: view.page + 1 })}
                {view.status === 'orphaned' && <strong className="orphan"> · {t('annotations.orphaned')}</strong>}
                {view.status === 'partial' && <strong className="orphan"> · {t('annotations.partial')}</strong>}
              </p>
              {quote && <blockquote>{quote}</blockquote>}
              {record.note && <p className="note">{record.note}</p>}
              {record.link && (
                <p className="link">
                  {t('annotations.linked', {
                    label: linkOptions.find((option) => option.value === record.link)?.label ?? record.link,
                  })}
                </p>
              )}
              {record.tags.length > 0 && (
                <ul className="tags" aria-label={t('annotations.tags')}>
                  {record.tags.map((entry) => (
                    <li key={entry}>{entry}</li>
                  ))}
                </ul>
              )}
              {editingId === record.id ? (
                <AnnotationEditor
                  record={record}
                  vocabulary={vocabulary}
                  linkOptions={linkOptions}
                  focusField={editField}
                  onCancel={() => onEdit(null)}
                  onSave={async (fields) => {
                    try {
                      await onSave(record.id, fields);
                      onEdit(null);
                      return true;
                    } catch {
                      // The viewer shows why; the editor stays open with what was typed.
                      return false;
                    }
                  }}
                />
              ) : (
                <div className="row-actions">
                  <button
                    type="button"
                    disabled={view.status === 'orphaned'}
                    onClick={() => onGoTo(view)}
                    aria-label={t('annotations.goToNamed', { quote: quote.slice(0, 40) })}
                  >
                    {t('annotations.goTo')}
                  </button>
                  <button
                    type="button"
                    onClick={() => onEdit(record.id)}
                    aria-label={t('annotations.editNamed', { quote: quote.slice(0, 40) })}
                  >
                    {t('annotations.edit')}
                  </button>
                  <ConfirmDeleteButton
                    text={t('annotations.delete')}
                    label={t('annotations.deleteNamed', { quote: quote.slice(0, 40) })}
                    confirmText={t('annotations.deleteForever')}
                    onConfirm={() => onDelete(record.id)}
                  />
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </aside>
  );
}

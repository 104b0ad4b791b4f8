import { ChevronDown, X } from 'lucide-react';
import { useState } from 'react';
import {
  Button,
  ComboBox,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Tag,
  TagGroup,
  TagList,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import './hearing.css';

export interface EvidenceOption {
  /** An annotation or document id. */
  value: string;
  label: string;
}

/**
 * The evidence an answer rests on: a searchable list of the case's documents and quotes, and what was picked
 * as chips showing the whole name, each removable. Ids no longer in the case stay listed (as missing) so
 * nothing cited disappears silently.
 */
export function EvidencePicker({
  name,
  options,
  value,
  disabled,
  onValue,
}: {
  /** The right (and accused) the evidence is for, in the labels. */
  name: string;
  options: readonly EvidenceOption[];
  value: readonly string[];
  disabled: boolean;
  onValue: (value: string[]) => void;
}) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const picked = value.map((id) => ({
    id,
    label: options.find((option) => option.value === id)?.label ?? t('report.missingEvidence'),
  }));
  const needle = query.trim().toLocaleLowerCase();
  const available = options
    .filter((option) => !value.includes(option.value))
    .filter((option) => needle === '' || option.label.toLocaleLowerCase().includes(needle))
    .map((option) => ({ id: option.value, label: option.label }));

  return (
    <div className="evidence-picker">
      <ComboBox
        items={available}
        inputValue={query}
        onInputChange={setQuery}
        selectedKey={null}
        onSelectionChange={(key) => {
          if (key === null) return;
          onValue([...value, String(key)]);
          setQuery('');
        }}
        isDisabled={disabled || options.length === 0}
        menuTrigger="input"
        allowsEmptyCollection
        // The list is filtered above, by the words typed, anywhere in a name.
        defaultFilter={() => true}
      >
        <Label>{t('hearing.evidenceFor', { name })}</Label>
        <div className="evidence-combobox">
          <Input placeholder={t('hearing.evidenceSearch')} />
          <Button aria-label={t('hearing.evidenceSearch')}>
            <ChevronDown aria-hidden="true" size={16} />
          </Button>
        </div>
        <Popover className="evidence-popover" placement="bottom start">
          <ListBox
            className="evidence-options"
            renderEmptyState={() => <p className="evidence-empty">{t('hearing.evidenceNoMatch')}</p>}
          >
            {(item: { id: string; label: string }) => (
              <ListBoxItem id={item.id} textValue={item.label} className="evidence-option">
                {item.label}
              </ListBoxItem>
            )}
          </ListBox>
        </Popover>
      </ComboBox>
      <TagGroup
        className="evidence-chips"
        aria-label={t('hearing.evidenceChosen', { name })}
        onRemove={(keys) => onValue(value.filter((id) => !keys.has(id)))}
      >
        <TagList items={picked} renderEmptyState={() => <span className="muted">{t('hearing.evidenceNone')}</span>}>
          {(item) => (
            <Tag id={item.id} textValue={item.label} className="evidence-chip">
              <span>{item.label}</span>
              <Button slot="remove" aria-label={t('hearing.removeEvidence', { label: item.label })}>
                <X aria-hidden="true" size={14} />
              </Button>
            </Tag>
          )}
        </TagList>
      </TagGroup>
    </div>
  );
}

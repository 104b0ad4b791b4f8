import type { InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from 'react';
import './hearing.css';
import { SelectField } from '../ui';

/** A labelled text input whose change hands back the new text. */
export function TextField({
  label,
  value,
  onValue,
  ...inputProps
}: { label: ReactNode; value: string; onValue: (value: string) => void } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'value' | 'onChange'
>) {
  return (
    <label>
      {label}
      <input value={value} onChange={(event) => onValue(event.target.value)} {...inputProps} />
    </label>
  );
}

/**
 * A labelled multi-line field, full width, that grows with what is typed (CSS field-sizing), so a
 * monitor's observation is read whole while written.
 */
export function TextAreaField({
  label,
  value,
  onValue,
  rows = 2,
  ...textareaProps
}: {
  label: ReactNode;
  value: string;
  onValue: (value: string) => void;
  rows?: number;
} & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange' | 'rows'>) {
  return (
    <label className="grow-field">
      {label}
      <textarea
        className="grow"
        value={value}
        rows={rows}
        onChange={(event) => onValue(event.target.value)}
        {...textareaProps}
      />
    </label>
  );
}

/** A labelled select over a fixed list of values, each shown through `optionLabel`. */
export function ChoiceField<T extends string>({
  label,
  value,
  options,
  optionLabel,
  onValue,
  blank,
}: {
  label: ReactNode;
  value: T | '';
  options: readonly T[];
  optionLabel: (value: T) => string;
  onValue: (value: T) => void;
  /** Text of an empty first option ("not answered"); omitted when the field always has a value. */
  blank?: string;
}) {
  return (
    <SelectField label={label} value={value} onChange={(event) => onValue(event.target.value as T)}>
      {blank !== undefined && <option value="">{blank}</option>}
      {options.map((option) => (
        <option key={option} value={option}>
          {optionLabel(option)}
        </option>
      ))}
    </SelectField>
  );
}

export function CheckField({
  label,
  checked,
  onValue,
}: {
  label: ReactNode;
  checked: boolean;
  onValue: (checked: boolean) => void;
}) {
  return (
    <label className="inline">
      <input type="checkbox" checked={checked} onChange={(event) => onValue(event.target.checked)} />
      {label}
    </label>
  );
}

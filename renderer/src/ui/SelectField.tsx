import { useId, type ReactNode, type SelectHTMLAttributes } from 'react';

/**
 * A labelled <select>. The label points at the select by id instead of
 * wrapping it, because a wrapping label's accessible name would include the
 * text of every option.
 */
export function SelectField({
  label,
  children,
  ...selectProps
}: { label: ReactNode; children: ReactNode } & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} {...selectProps}>
        {children}
      </select>
    </div>
  );
}

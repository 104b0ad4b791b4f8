import type { LucideIcon } from 'lucide-react';
import { ToggleButton } from 'react-aria-components';
import './menus.css';

/**
 * A toolbar toggle shown as an icon (a pane shown or hidden): `label` is its accessible name and its tooltip, as
 * for IconButton. react-aria's ToggleButton takes no title, so the tooltip is a wrapper's.
 */
export function IconToggleButton({
  icon: Icon,
  label,
  isSelected,
  onChange,
  className = '',
}: {
  icon: LucideIcon;
  label: string;
  isSelected: boolean;
  onChange: (selected: boolean) => void;
  className?: string;
}) {
  return (
    <span className="tooltip-wrapper" title={label}>
      <ToggleButton
        className={`${className} icon-button`.trim()}
        aria-label={label}
        isSelected={isSelected}
        onChange={onChange}
      >
        <Icon aria-hidden="true" size={16} />
      </ToggleButton>
    </span>
  );
}

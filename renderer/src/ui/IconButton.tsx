import type { LucideIcon } from 'lucide-react';
import './menus.css';

/**
 * A toolbar button shown as an icon: `label` is both its accessible name and its tooltip, so an icon never stands
 * without words.
 */
export function IconButton({
  icon: Icon,
  label,
  onClick,
  disabled = false,
}: {
  icon: LucideIcon;
  label: string;
  onClick: () => void;
  disabled?: boolean;
}) {
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={label}
      title={label}
      onClick={onClick}
      disabled={disabled}
    >
      <Icon aria-hidden="true" size={16} />
    </button>
  );
}

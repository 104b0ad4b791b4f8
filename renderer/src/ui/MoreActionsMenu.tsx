import { MoreHorizontal } from 'lucide-react';
import { Button, Menu, MenuItem, MenuTrigger, Popover, Text } from 'react-aria-components';
import './menus.css';

export interface MenuAction {
  id: string;
  label: string;
  onAction: () => void;
  /** Destructive: shown in the danger colour (and the action itself should confirm). */
  danger?: boolean;
  /** A line under the label that the item is also described by (e.g. that a saved copy is not encrypted). */
  description?: string;
}

/**
 * The "⋯" button of a view or a row: the quiet and destructive actions live here, so the view keeps one
 * visible primary action. `label` names what the actions are for ("More actions for this case").
 */
export function MoreActionsMenu({ label, actions }: { label: string; actions: MenuAction[] }) {
  return (
    <MenuTrigger>
      <Button aria-label={label} className="icon-button">
        <MoreHorizontal aria-hidden="true" size={18} />
      </Button>
      <Popover placement="bottom end" className="menu-popover">
        <Menu
          className="menu"
          onAction={(id) => actions.find((action) => action.id === id)?.onAction()}
          items={actions}
        >
          {(action) => (
            <MenuItem
              id={action.id}
              textValue={action.label}
              className={action.danger ? 'menu-item danger' : 'menu-item'}
            >
              {action.description === undefined ? (
                action.label
              ) : (
                <>
                  <Text slot="label">{action.label}</Text>
                  <Text slot="description" className="menu-item-description">
                    {action.description}
                  </Text>
                </>
              )}
            </MenuItem>
          )}
        </Menu>
      </Popover>
    </MenuTrigger>
  );
}

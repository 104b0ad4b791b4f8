import { useCallback, useState, type KeyboardEvent, type MouseEvent } from 'react';

/**
 * The last Caps Lock state any key or click reported. A focus event carries no modifier state, so a field that
 * gains focus (by Tab, say) starts from what the previous event said instead of staying silent until a key.
 */
let lastKnown = false;

/** Whether Caps Lock is on while the user is in a field, from the events it sees (not a global listener). */
export function useCapsLock() {
  const [capsLock, setCapsLock] = useState(false);
  const fromEvent = useCallback((event: KeyboardEvent | MouseEvent) => {
    lastKnown = event.getModifierState('CapsLock');
    setCapsLock(lastKnown);
  }, []);
  const handlers = {
    onKeyDown: fromEvent,
    onKeyUp: fromEvent,
    onMouseDown: fromEvent,
    onFocus: useCallback(() => setCapsLock(lastKnown), []),
    onBlur: useCallback(() => setCapsLock(false), []),
  };
  return { capsLock, handlers };
}

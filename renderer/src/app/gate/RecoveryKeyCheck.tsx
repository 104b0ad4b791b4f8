import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { normaliseGroup } from './recovery-key-groups';

type GroupState = 'pending' | 'wrong' | 'right';

/**
 * One group to type again from the user's copy. What is typed stays in the input: only whether it matches is
 * kept. It says "wrong" once a whole group was typed (or the field was left), not at every keystroke.
 */
function GroupInput({
  number,
  expected,
  onState,
}: {
  number: number;
  expected: string;
  onState: (state: GroupState) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [state, setState] = useState<GroupState>('pending');
  const judge = (typed: string, leaving: boolean) => {
    const value = normaliseGroup(typed);
    const next: GroupState =
      value === expected ? 'right' : value.length >= expected.length || (leaving && value) ? 'wrong' : 'pending';
    setState(next);
    onState(next);
  };
  return (
    <div className="recovery-check-group">
      <label htmlFor={id}>{t('recovery.group', { number })}</label>
      <input
        id={id}
        type="text"
        className="recovery-check-input"
        lang="en"
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        maxLength={expected.length + 2}
        aria-invalid={state === 'wrong'}
        aria-describedby={`${id}-message`}
        onInput={(event) => judge(event.currentTarget.value, false)}
        onBlur={(event) => judge(event.currentTarget.value, true)}
      />
      <p id={`${id}-message`} className={state === 'wrong' ? 'error' : 'ok'} aria-live="polite">
        {state === 'wrong' ? t('recovery.groupWrong', { number }) : state === 'right' ? t('recovery.groupRight') : ''}
      </p>
    </div>
  );
}

/** Asks for the groups at `asked` (0-based) of `groups`; `onChecked` says whether all of them are right. */
export function RecoveryKeyCheck({
  groups,
  asked,
  onChecked,
}: {
  groups: string[];
  asked: number[];
  onChecked: (allRight: boolean) => void;
}) {
  const { t } = useTranslation();
  // Read only to work out `onChecked`: a ref, so two quick inputs never see a stale copy.
  const states = useRef<Record<number, GroupState>>({});
  return (
    <fieldset className="recovery-check">
      <legend>{t('recovery.checkHeading')}</legend>
      <p className="hint">{t('recovery.checkExplain')}</p>
      <div className="recovery-check-groups">
        {asked.map((position) => (
          <GroupInput
            key={position}
            number={position + 1}
            expected={groups[position] ?? ''}
            onState={(state) => {
              states.current[position] = state;
              onChecked(asked.every((each) => states.current[each] === 'right'));
            }}
          />
        ))}
      </div>
    </fieldset>
  );
}

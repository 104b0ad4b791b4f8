import { keyGroups } from './recovery-key-groups';

/**
 * The key in numbered groups (the numbers the check asks for). An ordered list: the numbers are list markers, so
 * the element's text is the key alone and a screen reader counts the groups.
 */
export function RecoveryKeyGroups({ recoveryKey, label }: { recoveryKey: string; label?: string }) {
  return (
    <ol className="recovery-key-groups" aria-label={label} lang="en" translate="no">
      {keyGroups(recoveryKey).map((group, index) => (
        <li key={index}>{group}</li>
      ))}
    </ol>
  );
}

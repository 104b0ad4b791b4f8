import { useCallback, useEffect, useRef, useState } from 'react';
import type { VaultClient } from '../vault';
import { useDraft } from './use-draft';

/** Free-text fields by name ("note", "transcription", "description"): what a text draft holds. */
export type TextFields = Record<string, string>;

/** A stored draft's fields that `saved` has, if it is such a draft and differs from `saved`; otherwise null. */
export function restorableText<T extends TextFields>(stored: unknown, saved: T): T | null {
  if (typeof stored !== 'object' || stored === null) return null;
  const fields = stored as Record<string, unknown>;
  const keys = Object.keys(saved);
  if (!keys.every((key) => typeof fields[key] === 'string')) return null;
  const restored = Object.fromEntries(keys.map((key) => [key, fields[key] as string])) as T;
  return keys.some((key) => restored[key] !== saved[key]) ? restored : null;
}

/**
 * Long free text typed into a form (an annotation's note, a document's provenance) kept as an encrypted draft
 * while it is typed (the same drafts as the case editor: useDraft, sealed with the case key when `name` is
 * "case:<id>/…", so it goes when the case goes). Opening the form again after a crash brings the text back, and
 * `restored` says so, for a visible notice. `settle` drops the draft once the form is saved or cancelled.
 */
export function useTextDraft<T extends TextFields>(vault: VaultClient, name: string, saved: T) {
  const draft = useDraft<T>(vault, name);
  const [values, setValues] = useState<T>(saved);
  const [restored, setRestored] = useState(false);
  /** Typing before the draft is read wins: what is on screen is never replaced under the cursor. */
  const typed = useRef(false);
  const savedNow = useRef(saved);
  useEffect(() => {
    savedNow.current = saved;
  });

  useEffect(() => {
    let current = true;
    typed.current = false;
    void vault
      .loadDraft(name)
      .then((stored) => {
        const text = restorableText(stored, savedNow.current);
        if (!current || typed.current || text === null) return;
        setValues(text);
        setRestored(true);
      })
      .catch(() => undefined); // no draft to offer: the form shows what was saved
    return () => {
      current = false;
    };
  }, [vault, name]);

  const change = useCallback(
    (field: keyof T, value: string) => {
      typed.current = true;
      setValues((previous) => {
        const next = { ...previous, [field]: value };
        draft.update(next);
        return next;
      });
    },
    [draft],
  );

  const { discard } = draft;
  const settle = useCallback(async () => {
    setRestored(false);
    await discard();
  }, [discard]);

  return { values, change, restored, draftState: draft.state, settle };
}

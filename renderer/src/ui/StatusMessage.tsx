/** A one-line outcome: a status when it went well, an alert otherwise. */
export interface OutcomeMessage {
  ok: boolean;
  text: string;
}

/** Shows `message` (nothing when null); `okClassName` styles the good outcome (e.g. "ok hash" for digests). */
export function StatusMessage({
  message,
  okClassName = 'ok',
}: {
  message: OutcomeMessage | null;
  okClassName?: string;
}) {
  if (!message) return null;
  return (
    <p role={message.ok ? 'status' : 'alert'} className={message.ok ? okClassName : 'error'}>
      {message.text}
    </p>
  );
}

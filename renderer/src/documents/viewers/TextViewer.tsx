/** Plain text and Markdown shown as text, never interpreted as HTML. */
export function TextViewer({ bytes, label }: { bytes: Uint8Array; label: string }) {
  const text = new TextDecoder('utf-8').decode(bytes);
  return (
    <pre className="text-viewer" tabIndex={0} aria-label={label}>
      {text}
    </pre>
  );
}

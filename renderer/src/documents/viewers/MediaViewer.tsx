import { useObjectUrlRef } from './use-object-url';

/** Audio or video the browser can play, from decrypted bytes in memory. */
export function MediaViewer({
  bytes,
  mimeType,
  kind,
  label,
}: {
  bytes: Uint8Array;
  mimeType: string;
  kind: 'audio' | 'video';
  label: string;
}) {
  const audioRef = useObjectUrlRef<HTMLAudioElement>(bytes, mimeType);
  const videoRef = useObjectUrlRef<HTMLVideoElement>(bytes, mimeType);
  return kind === 'audio' ? (
    <audio controls ref={audioRef} aria-label={label} />
  ) : (
    <video controls ref={videoRef} aria-label={label} />
  );
}

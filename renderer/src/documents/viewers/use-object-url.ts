import { useCallback } from 'react';

/**
 * A ref callback that shows decrypted bytes through an object URL that
 * lives exactly as long as the element (revoked when it goes, e.g. at lock).
 */
export function useObjectUrlRef<T extends HTMLImageElement | HTMLMediaElement>(bytes: Uint8Array, mimeType: string) {
  return useCallback(
    (element: T | null) => {
      if (!element) return;
      const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: mimeType }));
      element.src = url;
      return () => {
        element.removeAttribute('src');
        URL.revokeObjectURL(url);
      };
    },
    [bytes, mimeType],
  );
}

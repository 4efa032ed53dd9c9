/**
 * Saving bytes the page already holds as a file: a Blob, an object URL and a click on a
 * download link. Nothing goes over the network; the URL is revoked once the click is handled.
 */
export function downloadBlob(blob: Blob, fileName: string, doc: Document = document): void {
  const url = URL.createObjectURL(blob);
  const link = doc.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.hidden = true;
  doc.body.appendChild(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The download has started from the click; a later revoke keeps slow shells safe.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

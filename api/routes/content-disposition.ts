// `Content-Disposition: attachment` with the original file name: an ASCII fallback, and the exact name in
// UTF-8 (RFC 6266 / RFC 8187), so "Draf Kesepakatan – revisi.docx" arrives as it was uploaded.
export function attachment(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

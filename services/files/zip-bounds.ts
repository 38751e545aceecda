// A zip-based file (DOCX, XLSX, ODT) is read only after its contents are inflated under a bound:
// a small upload that unpacks to gigabytes (a zip bomb) is refused before any reader touches it.
import JSZip from 'jszip';

export const MAX_UNPACKED_BYTES = 200 * 1024 * 1024;
export const MAX_ENTRIES = 10_000;

export class ZipTooLarge extends Error {}
export class NotAZip extends Error {}

/** Inflates every entry, counting the real output (declared sizes can lie), and stops at the bound. */
export async function checkZipBounds(bytes: Uint8Array, maxBytes = MAX_UNPACKED_BYTES): Promise<void> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes, { checkCRC32: false });
  } catch (err) {
    throw new NotAZip(err instanceof Error ? err.message : String(err));
  }
  const entries = Object.values(zip.files).filter((f) => !f.dir);
  if (entries.length > MAX_ENTRIES) throw new ZipTooLarge(`more than ${MAX_ENTRIES} entries`);
  let total = 0;
  for (const entry of entries) {
    total += await inflatedSize(
      entry,
      maxBytes - total,
      () => new ZipTooLarge(`unpacks to more than ${maxBytes} bytes`),
    );
  }
}

/** Inflates one entry counting its real output, and fails with `over()` past `maxBytes`; answers its size. */
export function inflatedSize(entry: JSZip.JSZipObject, maxBytes: number, over: () => Error): Promise<number> {
  let total = 0;
  return new Promise<number>((resolve, reject) => {
    const stream = entry.nodeStream('nodebuffer');
    stream.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        stream.pause();
        reject(over());
      }
    });
    stream.on('error', (err: Error) => reject(new NotAZip(err.message)));
    stream.on('end', () => resolve(total));
  });
}

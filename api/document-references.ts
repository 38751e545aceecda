// The documents a request names by id, as the command carries them until the document service fills in each
// file's name and SHA-256 (services/documents/service.ts): one mapping for /v1 and the dashboard's forms.
import type { DocumentRef } from '../domain/types.js';

export const documentReferences = (ids: string[] | undefined): { documents?: DocumentRef[] } =>
  ids?.length ? { documents: ids.map((documentId) => ({ documentId, filename: '', sha256: '' })) } : {};

// Secrets are kept only as hashes: bearer tokens and calendar feed tokens.
import { createHash } from 'node:crypto';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

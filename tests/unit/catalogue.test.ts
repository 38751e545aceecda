// The command catalogue: one entry per command a person sends, the same for /v1, the forms and the e-mail links.
import { describe, expect, it } from 'vitest';
import { CATALOGUE_COMMANDS, commandFrom } from '../../api/catalogue.js';
import { HttpError } from '../../api/errors.js';
import { PERSON_COMMANDS } from '../../domain/preconditions.js';

describe('the command catalogue', () => {
  it('holds every command a person sends, but the PKS starts and the signed copies, whose doors are their own', () => {
    expect(PERSON_COMMANDS.filter((c) => !CATALOGUE_COMMANDS.includes(c as never))).toEqual([
      'recordSignedCopy',
      'startOperationalAgreement',
      'startOperationalAgreements',
    ]);
  });

  it('makes the command from the path and the body', () => {
    expect(
      commandFrom(
        'cancelMeeting',
        { id: 'k', meetingId: '0b6f5a8e-2a1c-4e7f-9d3b-5c2e1f0a9b8c' },
        { reason: 'Banjir' },
      ),
    ).toEqual({
      type: 'cancelMeeting',
      meetingId: '0b6f5a8e-2a1c-4e7f-9d3b-5c2e1f0a9b8c',
      reason: 'Banjir',
    });
    expect(
      commandFrom(
        'recordSigning',
        { id: 'k' },
        {
          signedAt: '2026-04-27T10:00:00+07:00',
          documentNumbers: { a: '1' },
          documentIds: ['1244142c-a3e5-44e9-9cc3-6716a48fb877'],
        },
      ),
    ).toEqual({
      type: 'recordSigning',
      signedAt: '2026-04-27T10:00:00+07:00',
      documentNumbers: { a: '1' },
      documents: [{ documentId: '1244142c-a3e5-44e9-9cc3-6716a48fb877', filename: '', sha256: '' }],
    });
  });

  it('refuses a body its schema refuses, naming the body, rather than passing it on unchecked', () => {
    const refused = (() => {
      try {
        commandFrom('cancelMeeting', { id: 'k', meetingId: '0b6f5a8e-2a1c-4e7f-9d3b-5c2e1f0a9b8c' }, { reason: 42 });
      } catch (err) {
        return err;
      }
    })();
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).statusCode).toBe(400);
    expect((refused as HttpError).field).toBe('body');
  });
});

import { describe, expect, it } from 'vitest';
import { historyLine, historySection } from '../../api/web/pages/history.js';
import type { Party } from '../../domain/types.js';
import type { AgreementView } from '../../domain/view.js';
import type { EventItem } from '../../services/agreements.js';

const lapas: Party = {
  id: 'lapas-garut',
  name: 'Lapas Garut',
  kind: 'upt',
  timeZone: 'Asia/Jakarta',
  contacts: [{ name: 'Rina Kusuma', position: 'Kasubag', email: 'rina@lapas.test', role: 'liaison' }],
};
const pemkab: Party = {
  id: 'pemkab-garut',
  name: 'Pemkab Garut',
  kind: 'pemda',
  timeZone: 'Asia/Jakarta',
  contacts: [],
};
const parties = new Map([lapas, pemkab].map((p) => [p.id, p]));
const names = { parties, tz: 'Asia/Jakarta' as const, followUps: new Map([['fu-1', 'Kirim data WBP']]) };
const at = '2026-11-02T03:00:00.000Z';
const item = (type: string, data: object, actor: EventItem['actor'], version = 1) =>
  ({ type, data, actor, version, recordedAt: at }) as EventItem;

describe('the history, as sentences', () => {
  it('says who submitted which draft, by name and party', () => {
    const e = item(
      'DraftSubmitted',
      { version: 2, documentUrl: 'x' },
      { kind: 'person', id: 'u1', name: 'Rina Kusuma', partyId: 'lapas-garut' },
    );
    expect(historyLine(e, names)).toBe('Draf versi 2 diajukan oleh Rina Kusuma (Lapas Garut).');
  });
  it("names a link action by the contact's name, never the address", () => {
    const e = item(
      'DraftReviewed',
      { version: 1, partyId: 'lapas-garut', decision: 'request_changes' },
      { kind: 'contact', id: 'RINA@lapas.test', partyId: 'lapas-garut' },
    );
    const line = historyLine(e, names);
    expect(line).toBe('Perubahan atas draf versi 1 diminta oleh Rina Kusuma (Lapas Garut).');
    expect(line).not.toContain('@');
  });
  it('names a follow-up by its title and the engine by name', () => {
    const e = item('FollowUpEscalated', { followUpId: 'fu-1', level: 2 }, { kind: 'system', id: 'engine' });
    expect(historyLine(e, names)).toBe('Tindak lanjut “Kirim data WBP” dieskalasi ke tingkat 2.');
  });
  it('hides the e-mail receipts unless asked for', () => {
    const v = { id: 'k-1', followUps: [] } as unknown as AgreementView;
    const events = [
      item('AgreementStarted', {}, { kind: 'person', id: 'u1', name: 'Rina Kusuma', partyId: 'lapas-garut' }, 1),
      item(
        'NotificationSent',
        { notificationId: 'n', template: 't', to: ['a@b.test'], messageId: 'm', sentAt: at },
        { kind: 'system', id: 'engine' },
        2,
      ),
    ];
    const folded = String(historySection(v, events, parties, 'Asia/Jakarta', false));
    expect(folded).toContain('1 kejadian');
    expect(folded).not.toContain('E-mail terkirim');
    expect(folded).toContain('href="/kesepakatan/k-1?riwayat=semua#riwayat"');
    const all = String(historySection(v, events, parties, 'Asia/Jakarta', true));
    expect(all).toContain('E-mail terkirim kepada 1 penerima.');
  });
});

// The history as sentences a person reads ("Draf versi 2 diajukan oleh …"), not event codes.
import { formatDate, formatInstant } from '../../../domain/format.js';
import { END_REASON_LABEL, MEETING_KIND_LABEL, STAGE_LABEL } from '../../../domain/labels.js';
import type { DomainEvent } from '../../../domain/events.js';
import type { TimeZone } from '../../../domain/types.js';
import type { AgreementView } from '../../../domain/view.js';
import type { EventItem } from '../../../services/agreements.js';
import { html, type Html } from '../html.js';
import { partyName, type Directory } from './format.js';

/** What a sentence needs besides the event: names of parties and follow-ups, and the zone for times. */
interface Names {
  parties: Directory;
  followUps: Map<string, string>;
  tz: TimeZone;
}

const quoted = (title: string | undefined): string => (title ? `“${title}”` : '');

/** The event as a sentence without its actor. */
function said(e: DomainEvent, n: Names, actorParty?: string): string {
  const party = (id: string) => partyName(n.parties, id);
  const item = (id: string) => quoted(n.followUps.get(id));
  const at = (instant: string) => formatInstant(instant, n.tz);
  switch (e.type) {
    case 'AgreementStarted':
      return 'Kesepakatan dimulai';
    case 'PublicationChanged':
      return e.data.public ? 'Ditampilkan di daftar publik' : 'Disembunyikan dari daftar publik';
    case 'MeetingScheduled':
      return `${MEETING_KIND_LABEL[e.data.kind]} dijadwalkan pada ${at(e.data.at)}`;
    case 'MeetingRescheduled':
      return `Pertemuan dipindah ke ${at(e.data.at)}`;
    case 'MeetingCancelled':
      return `Pertemuan dibatalkan: ${e.data.reason}`;
    case 'MinutesRecorded':
      return `Notulen dicatat (${e.data.attendees.length} peserta)`;
    case 'FollowUpOpened':
      return (
        `Tindak lanjut ${quoted(e.data.title)} untuk ${party(e.data.ownerPartyId)}, ` +
        `batas ${formatDate(e.data.due)}, ditambahkan`
      );
    case 'FollowUpCompleted':
      return `Tindak lanjut ${item(e.data.followUpId)} diselesaikan`;
    case 'FollowUpCancelled':
      return `Tindak lanjut ${item(e.data.followUpId)} dibatalkan`;
    case 'FollowUpCommented':
      return `Tindak lanjut ${item(e.data.followUpId)} dikomentari`;
    case 'FollowUpRescheduled':
      return `Batas tindak lanjut ${item(e.data.followUpId)} diubah menjadi ${formatDate(e.data.due)}`;
    case 'FollowUpReminderDue':
      return `Pengingat tindak lanjut ${item(e.data.followUpId)} jatuh tempo`;
    case 'FollowUpEscalated':
      return `Tindak lanjut ${item(e.data.followUpId)} dieskalasi ke tingkat ${e.data.level}`;
    case 'DraftSubmitted':
      return `Draf versi ${e.data.version} diajukan`;
    case 'DraftReviewReminderDue':
      return `Pengingat tinjauan draf versi ${e.data.version}`;
    case 'DraftReviewOverdue':
      return `Tinjauan draf versi ${e.data.version} terlambat`;
    case 'DraftReviewed': {
      // The party is named only when someone else answered for it.
      const onBehalf = e.data.partyId === actorParty ? '' : ` atas nama ${party(e.data.partyId)}`;
      return e.data.decision === 'approve'
        ? `Draf versi ${e.data.version} disetujui${onBehalf}`
        : `Perubahan atas draf versi ${e.data.version} diminta${onBehalf}`;
    }
    case 'SigningScheduled':
      return `Penandatanganan dijadwalkan pada ${at(e.data.at)}`;
    case 'SigningRescheduled':
      return `Penandatanganan dipindah ke ${at(e.data.at)}`;
    case 'SigningCancelled':
      return `Penandatanganan dibatalkan: ${e.data.reason}`;
    case 'ElectronicSigningStarted':
      return (
        `Penandatanganan elektronik dimulai: ${e.data.steps.length} langkah, ` +
        `paling lambat ${formatDate(e.data.dueBy)}`
      );
    case 'SignedCopyAccepted': {
      const who = e.data.signature.subject.match(/CN=([^,]+)/)?.[1] ?? e.data.signature.subject;
      return `Salinan bertanda tangan langkah ${e.data.step + 1} diterima (${who})`;
    }
    case 'SigningRecorded':
      return e.data.method === 'electronic'
        ? `Penandatanganan elektronik selesai pada ${at(e.data.signedAt)}`
        : `Penandatanganan pada ${at(e.data.signedAt)} dicatat`;
    case 'SigningReminderDue':
      return `Pengingat penandatanganan, ${e.data.daysBefore} hari sebelumnya`;
    case 'SigningOverdue':
      return 'Penandatanganan terlambat';
    case 'SigningReminderSent':
      return `${e.data.partyIds.map(party).join(', ')} diingatkan untuk menandatangani`;
    case 'StageChanged':
      return `Tahap berganti dari ${STAGE_LABEL[e.data.from]} ke ${STAGE_LABEL[e.data.to]}`;
    case 'OperationalAgreementStarted':
      return `PKS ${quoted(e.data.title)} dengan ${party(e.data.partyId)} dimulai`;
    case 'ReportRecorded':
      return `Laporan monev periode ${e.data.period} dicatat`;
    case 'ReportReminderDue':
      return `Pengingat laporan monev, batas ${formatDate(e.data.dueOn)}`;
    case 'ReportOverdue':
      return `Laporan monev dengan batas ${formatDate(e.data.dueOn)} terlambat`;
    case 'RenewalReminderDue':
      return `Pengingat pembaruan, masa berlaku sampai ${formatDate(e.data.termEnd)}`;
    case 'RenewalDecided':
      return e.data.decision === 'renew' ? 'Diputuskan untuk diperbarui' : 'Diputuskan untuk tidak diperbarui';
    case 'AgreementEnded':
      return `Kesepakatan berakhir: ${END_REASON_LABEL[e.data.reason]}`;
    case 'NotificationSent':
      return `E-mail terkirim kepada ${e.data.to.length} penerima`;
  }
}

/** Who did it, by name where the directory knows: a contact by their directory name, never their address. */
function actorOf(e: EventItem, parties: Directory): string {
  const a = e.actor;
  if (a.kind === 'system') return 'Sinergi';
  const party = a.partyId ? parties.get(a.partyId) : undefined;
  const partyText = party?.name ?? (a.partyId ? partyName(parties, a.partyId) : '');
  if (a.kind === 'contact') {
    // A link action: the address is in the claims, the name in the directory.
    const contact = party?.contacts.find((c) => c.email.toLowerCase() === a.id.toLowerCase());
    return contact ? `${contact.name} (${partyText})` : `penghubung ${partyText}`;
  }
  if (a.kind === 'person') return a.name ? `${a.name}${partyText ? ` (${partyText})` : ''}` : partyText || 'petugas';
  return partyText || 'operator';
}

export function historyLine(e: EventItem, n: Names): string {
  const by = actorOf(e, n.parties);
  const what = said(e as DomainEvent, n, e.actor.partyId);
  return by === 'Sinergi' ? `${what}.` : `${what} oleh ${by}.`;
}

/** The history, newest last; e-mail receipts only when asked for (`?riwayat=semua`). */
export function historySection(
  v: AgreementView,
  events: EventItem[],
  parties: Directory,
  tz: TimeZone,
  all: boolean,
): Html {
  const names: Names = { parties, tz, followUps: new Map(v.followUps.map((f) => [f.id, f.title])) };
  const shown = all ? events : events.filter((e) => e.type !== 'NotificationSent');
  const hidden = events.length - shown.length;
  const rows = shown.map(
    (e) =>
      html`<li><time datetime="${e.recordedAt}">${formatInstant(e.recordedAt, tz)}</time>
${historyLine(e, names)}</li>`,
  );
  const toggle = all
    ? html`<p><a href="/kesepakatan/${v.id}#riwayat">Sembunyikan tanda terima e-mail</a></p>`
    : hidden > 0
      ? html`<p><a href="/kesepakatan/${v.id}?riwayat=semua#riwayat">Tampilkan juga ${hidden} tanda terima e-mail</a>
</p>`
      : '';
  return html`<section id="riwayat"><h2>Riwayat</h2><details${all ? html` open` : ''}>
<summary>${shown.length} kejadian</summary>
<ol class="history">${rows}</ol>${toggle}</details></section>`;
}

// Indonesian e-mail texts, one function per template. Plain text first; HTML is the same text, escaped.
import { formatDate, formatInstant } from '../../domain/format.js';
import { END_REASON_LABEL, INSTRUMENT_LABEL, MEETING_KIND_LABEL } from '../../domain/labels.js';
import type { TemplateName } from '../../domain/notifications.js';
import type { EndReason, MeetingKind, Signatory, TimeZone } from '../../domain/types.js';
import type { AgreementView } from '../../domain/view.js';
import type { DirectoryParty } from './directory.js';

export interface TemplateContext {
  agreement: AgreementView;
  data: Record<string, unknown>;
  parties: Map<string, DirectoryParty>;
  /** The initiator's zone, in which times are written. */
  timeZone: TimeZone;
  publicUrl: string;
  /** A signed link that acts without an account (review a draft, mark a follow-up done). */
  actionLink?: string;
}

export interface RenderedMail {
  subject: string;
  lines: string[];
}

const partyName = (ctx: TemplateContext, id: string): string => ctx.parties.get(id)?.name ?? id;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const agreementLine = (ctx: TemplateContext): string =>
  `${INSTRUMENT_LABEL[ctx.agreement.instrument]}: ${ctx.agreement.title}`;
const partiesLine = (ctx: TemplateContext): string =>
  `Para pihak: ${ctx.agreement.parties.map((p) => partyName(ctx, p.partyId)).join('; ')}`;
// The agreement's page on the dashboard: a person who clicks signs in and lands on it.
const link = (ctx: TemplateContext): string => `Lihat kesepakatan: ${ctx.publicUrl}/kesepakatan/${encodeURIComponent(ctx.agreement.id)}`;

const templates: Record<TemplateName, (ctx: TemplateContext) => RenderedMail> = {
  meeting_invitation: (ctx) => {
    const kind = MEETING_KIND_LABEL[ctx.data.kind as MeetingKind];
    return {
      subject: `Undangan ${kind}: ${ctx.agreement.title}`,
      lines: [
        'Yth. Bapak/Ibu,',
        `Dengan hormat, kami mengundang Bapak/Ibu untuk menghadiri ${kind.toLowerCase()} dalam rangka ${agreementLine(ctx)}.`,
        `Waktu: ${formatInstant(str(ctx.data.at), ctx.timeZone)}`,
        `Tempat: ${str(ctx.data.venue)}`,
        ...(ctx.data.agenda ? [`Agenda: ${str(ctx.data.agenda)}`] : []),
        partiesLine(ctx),
        'Undangan kalender terlampir.',
        link(ctx),
      ],
    };
  },
  review_request: (ctx) => ({
    subject: `Permohonan tinjauan draf versi ${String(ctx.data.version)}: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Draf versi ${String(ctx.data.version)} untuk ${agreementLine(ctx)} telah diajukan.`,
      `Dokumen: ${str(ctx.data.documentUrl)}`,
      ...(ctx.data.sha256 ? [`SHA-256: ${str(ctx.data.sha256)}`] : []),
      `Mohon meninjau dan menyatakan setuju atau meminta perubahan dalam ${String(ctx.data.reviewDays)} hari kerja.`,
      ...(ctx.actionLink ? [`Setujui atau minta perubahan atas nama ${partyName(ctx, str(ctx.data.partyId))}: ${ctx.actionLink}`] : []),
      partiesLine(ctx),
      link(ctx),
    ],
  }),
  signing_invitation: (ctx) => ({
    subject: `Undangan penandatanganan: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Penandatanganan ${agreementLine(ctx)} dijadwalkan pada:`,
      `Waktu: ${formatInstant(str(ctx.data.at), ctx.timeZone)}`,
      `Tempat: ${str(ctx.data.venue)}`,
      `Penanda tangan: ${(ctx.data.signatories as Signatory[]).map((s) => `${s.name} (${s.position}, ${partyName(ctx, s.partyId)})`).join('; ')}`,
      'Undangan kalender terlampir.',
      link(ctx),
    ],
  }),
  signing_rescheduled: (ctx) => ({
    subject: `Perubahan jadwal penandatanganan: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Jadwal penandatanganan ${agreementLine(ctx)} berubah.`,
      `Semula: ${formatInstant(str(ctx.data.previousAt), ctx.timeZone)}`,
      `Menjadi: ${formatInstant(str(ctx.data.at), ctx.timeZone)}`,
      `Tempat: ${str(ctx.data.venue)}`,
      'Undangan kalender terlampir menggantikan undangan sebelumnya.',
      link(ctx),
    ],
  }),
  signing_confirmation: (ctx) => {
    const numbers = ctx.data.documentNumbers as Record<string, string>;
    return {
      subject: `Penandatanganan tercatat: ${ctx.agreement.title}`,
      lines: [
        'Yth. Bapak/Ibu,',
        `${agreementLine(ctx)} telah ditandatangani dan kini memasuki tahap pelaksanaan.`,
        ...Object.entries(numbers).map(([id, n]) => `Nomor dokumen ${partyName(ctx, id)}: ${n}`),
        `Masa berlaku: ${formatDate(str(ctx.data.termStart))} s.d. ${formatDate(str(ctx.data.termEnd))}`,
        link(ctx),
      ],
    };
  },
  follow_up_assigned: (ctx) => ({
    subject: `Tindak lanjut: ${str(ctx.data.title)}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Ada tindak lanjut untuk ${partyName(ctx, str(ctx.data.ownerPartyId))} dalam ${agreementLine(ctx)}:`,
      str(ctx.data.title),
      `Batas waktu: ${formatDate(str(ctx.data.due))}`,
      link(ctx),
    ],
  }),
  follow_up_reminder: (ctx) => ({
    subject: `Pengingat tindak lanjut: ${str(ctx.data.title)}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Tindak lanjut berikut jatuh tempo pada ${formatDate(str(ctx.data.due))}:`,
      str(ctx.data.title),
      `Pemilik: ${partyName(ctx, str(ctx.data.ownerPartyId))} — ${agreementLine(ctx)}`,
      'Mohon diselesaikan sebelum batas waktu, atau tandai selesai bila sudah dikerjakan.',
      ...(ctx.actionLink ? [`Tandai selesai: ${ctx.actionLink}`] : []),
      link(ctx),
    ],
  }),
  follow_up_escalation: (ctx) => {
    const level = Number(ctx.data.level);
    return {
      subject: `[Eskalasi tingkat ${level}] Tindak lanjut terlambat: ${str(ctx.data.title)}`,
      lines: [
        'Yth. Bapak/Ibu,',
        `Tindak lanjut berikut belum diselesaikan melewati batas waktunya (${formatDate(str(ctx.data.due))}):`,
        str(ctx.data.title),
        `Pemilik: ${partyName(ctx, str(ctx.data.ownerPartyId))} — ${agreementLine(ctx)}`,
        level === 1
          ? 'Surat ini disampaikan kepada atasan pemilik tindak lanjut. Mohon arahan agar segera diselesaikan.'
          : `Surat ini disampaikan kepada pimpinan ${partyName(ctx, ctx.agreement.parties.find((p) => p.role === 'initiator')?.partyId ?? '')} karena eskalasi tingkat 1 belum ditindaklanjuti.`,
        ...(ctx.actionLink ? [`Bila sudah selesai, tandai selesai: ${ctx.actionLink}`] : []),
        link(ctx),
      ],
    };
  },
  review_reminder: (ctx) => ({
    subject: `Pengingat tinjauan draf versi ${String(ctx.data.version)}: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Draf versi ${String(ctx.data.version)} untuk ${agreementLine(ctx)} belum ditinjau oleh ${(ctx.data.partyIds as string[]).map((id) => partyName(ctx, id)).join(', ')}.`,
      `Dokumen: ${str(ctx.data.documentUrl)}`,
      `Batas waktu tinjauan: ${formatDate(str(ctx.data.reviewDueOn))}`,
      link(ctx),
    ],
  }),
  review_overdue: (ctx) => ({
    subject: `[Eskalasi] Tinjauan draf versi ${String(ctx.data.version)} terlambat: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Batas waktu tinjauan draf versi ${String(ctx.data.version)} untuk ${agreementLine(ctx)} (${formatDate(str(ctx.data.reviewDueOn))}) telah lewat.`,
      `Belum meninjau: ${(ctx.data.partyIds as string[]).map((id) => partyName(ctx, id)).join(', ')}.`,
      `Dokumen: ${str(ctx.data.documentUrl)}`,
      'Mohon arahan agar draf segera disetujui atau dimintakan perubahan.',
      link(ctx),
    ],
  }),
  signing_reminder: (ctx) => ({
    subject: `Pengingat: penandatanganan ${Number(ctx.data.daysBefore) === 1 ? 'besok' : `${String(ctx.data.daysBefore)} hari lagi`} — ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Penandatanganan ${agreementLine(ctx)} akan dilaksanakan pada ${formatInstant(str(ctx.data.ceremonyAt), ctx.timeZone)}.`,
      `Tempat: ${str(ctx.data.venue)}`,
      link(ctx),
    ],
  }),
  signing_overdue: (ctx) => ({
    subject: `Penandatanganan belum tercatat: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Penandatanganan ${agreementLine(ctx)} dijadwalkan pada ${formatInstant(str(ctx.data.ceremonyAt), ctx.timeZone)}, tetapi belum dicatat di Sinergi.`,
      'Mohon catat penandatanganan beserta nomor dokumen para pihak, atau jadwalkan ulang upacaranya.',
      link(ctx),
    ],
  }),
  pks_started: (ctx) => ({
    subject: `Perjanjian kerja sama dimulai: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Sebagai tindak lanjut kesepakatan induk "${str(ctx.data.parentId)}", telah dimulai ${agreementLine(ctx)}.`,
      partiesLine(ctx),
      ...(ctx.data.dueBy ? [`Target penandatanganan: ${formatDate(str(ctx.data.dueBy))}`] : []),
      link(ctx),
    ],
  }),
  report_reminder: (ctx) => ({
    subject: `Pengingat laporan monev ke-${String(ctx.data.index)}: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Laporan monitoring dan evaluasi ke-${String(ctx.data.index)} untuk ${agreementLine(ctx)} jatuh tempo pada ${formatDate(str(ctx.data.dueOn))}.`,
      'Mohon laporan disusun dan dicatat di Sinergi.',
      link(ctx),
    ],
  }),
  report_overdue: (ctx) => ({
    subject: `[Eskalasi] Laporan monev ke-${String(ctx.data.index)} belum diterima: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Laporan monitoring dan evaluasi ke-${String(ctx.data.index)} untuk ${agreementLine(ctx)} seharusnya diterima pada ${formatDate(str(ctx.data.dueOn))}, tetapi belum tercatat.`,
      'Mohon arahan agar laporan segera disampaikan.',
      link(ctx),
    ],
  }),
  renewal_reminder: (ctx) => ({
    subject: `Masa berlaku berakhir ${String(ctx.data.daysBefore)} hari lagi: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `${agreementLine(ctx)} berakhir pada ${formatDate(str(ctx.data.termEnd))}.`,
      'Mohon para pihak memutuskan apakah kerja sama akan diperbarui atau diakhiri.',
      link(ctx),
    ],
  }),
  renewal_decided: (ctx) => ({
    subject: `Keputusan pembaruan: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      ctx.data.decision === 'renew'
        ? `${agreementLine(ctx)} akan diperbarui. Kesepakatan pengganti ("${str(ctx.data.successorId)}") telah dimulai pada tahap penyusunan draf; kesepakatan ini berakhir pada ${formatDate(str(ctx.data.termEnd))}.`
        : `${agreementLine(ctx)} tidak diperbarui dan berakhir pada ${formatDate(str(ctx.data.termEnd))}.`,
      link(ctx),
    ],
  }),
  agreement_ended: (ctx) => ({
    subject: `Kesepakatan berakhir: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `${agreementLine(ctx)} ${END_REASON_LABEL[ctx.data.reason as EndReason]}.`,
      ...(ctx.data.note ? [`Keterangan: ${str(ctx.data.note)}`] : []),
      'Catatan lengkapnya tetap dapat dilihat di Sinergi.',
      link(ctx),
    ],
  }),
};

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderTemplate(template: TemplateName, ctx: TemplateContext): { subject: string; text: string; html: string } {
  const mail = templates[template](ctx);
  const footer = 'Pesan ini dikirim otomatis oleh Sinergi.';
  return {
    subject: mail.subject,
    text: [...mail.lines, '', footer].join('\n'),
    html: `<!doctype html><html lang="id"><body>${mail.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}<p><small>${footer}</small></p></body></html>`,
  };
}

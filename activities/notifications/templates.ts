// Indonesian e-mail texts, one function per template. Plain text first; HTML is the same text, escaped.
import { formatDate, formatInstant, personWithParty } from '../../domain/format.js';
import { END_REASON_LABEL, INSTRUMENT_LABEL, MEETING_KIND_LABEL, STAGE_LABEL } from '../../domain/labels.js';
import type { MailData, MailOf, TemplateName } from '../../domain/notifications.js';
import type { TimeZone } from '../../domain/types.js';
import type { AgreementView } from '../../domain/view.js';
import type { DirectoryParty } from './directory.js';
import { escapeHtml } from '../../domain/escape.js';

export interface TemplateContext<T extends TemplateName = TemplateName> {
  agreement: AgreementView;
  data: MailData[T];
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
/** A date that old events may lack: a dash, never "Invalid Date". */
const someDate = (date: string | undefined): string => (date ? formatDate(date) : '—');
const agreementLine = (ctx: TemplateContext): string =>
  `${INSTRUMENT_LABEL[ctx.agreement.instrument]}: ${ctx.agreement.title}`;
const partiesLine = (ctx: TemplateContext): string =>
  `Para pihak: ${ctx.agreement.parties.map((p) => partyName(ctx, p.partyId)).join('; ')}`;
// The agreement's page on the dashboard: a person who clicks signs in and lands on it.
const agreementUrl = (ctx: TemplateContext): string =>
  `${ctx.publicUrl}/kesepakatan/${encodeURIComponent(ctx.agreement.id)}`;
const link = (ctx: TemplateContext): string => `Lihat kesepakatan: ${agreementUrl(ctx)}`;
const personLine = (ctx: TemplateContext, p: { name: string; position: string; partyId: string }): string =>
  personWithParty(p, partyName(ctx, p.partyId));
const initiatorOf = (ctx: TemplateContext): string =>
  ctx.agreement.parties.find((p) => p.role === 'initiator')?.partyId ?? '';

const templates: { [T in TemplateName]: (ctx: TemplateContext<T>) => RenderedMail } = {
  meeting_invitation: (ctx) => {
    const kind = MEETING_KIND_LABEL[ctx.data.kind];
    return {
      subject: `Undangan ${kind}: ${ctx.agreement.title}`,
      lines: [
        'Yth. Bapak/Ibu,',
        `Dengan hormat, kami mengundang Bapak/Ibu untuk menghadiri ${kind.toLowerCase()} dalam ` +
          `rangka ${agreementLine(ctx)}.`,
        `Waktu: ${formatInstant(ctx.data.at, ctx.timeZone)}`,
        `Tempat: ${ctx.data.venue}`,
        ...(ctx.data.agenda ? [`Agenda: ${ctx.data.agenda}`] : []),
        partiesLine(ctx),
        'Undangan kalender terlampir.',
        link(ctx),
      ],
    };
  },
  review_request: (ctx) => ({
    subject: `Permohonan tinjauan draf versi ${ctx.data.version}: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Draf versi ${ctx.data.version} untuk ${agreementLine(ctx)} telah diajukan.`,
      `Dokumen: ${ctx.data.documentUrl}`,
      ...(ctx.data.sha256 ? [`SHA-256: ${ctx.data.sha256}`] : []),
      ...(ctx.data.changes
        ? [
            `Perubahan dari versi ${ctx.data.version - 1}: ${ctx.data.changes.added} kata ` +
              `ditambah, ${ctx.data.changes.removed} dihapus.`,
            `Lihat perubahan: ${agreementUrl(ctx)}/draf/${ctx.data.version}/perubahan`,
          ]
        : []),
      `Mohon meninjau dan menyatakan setuju atau meminta perubahan dalam ${ctx.data.reviewDays} hari kerja.`,
      ...(ctx.actionLink && ctx.data.partyId
        ? [`Setujui atau minta perubahan atas nama ${partyName(ctx, ctx.data.partyId)}: ${ctx.actionLink}`]
        : []),
      partiesLine(ctx),
      link(ctx),
    ],
  }),
  signing_invitation: (ctx) => ({
    subject: `Undangan penandatanganan: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Penandatanganan ${agreementLine(ctx)} dijadwalkan pada:`,
      `Waktu: ${formatInstant(ctx.data.at, ctx.timeZone)}`,
      `Tempat: ${ctx.data.venue}`,
      `Penanda tangan: ${ctx.data.signatories.map((s) => personLine(ctx, s)).join('; ')}`,
      'Undangan kalender terlampir.',
      link(ctx),
    ],
  }),
  meeting_rescheduled: (ctx) => {
    const kind = MEETING_KIND_LABEL[ctx.data.kind];
    return {
      subject: `Perubahan jadwal ${kind.toLowerCase()}: ${ctx.agreement.title}`,
      lines: [
        'Yth. Bapak/Ibu,',
        `Jadwal ${kind.toLowerCase()} dalam rangka ${agreementLine(ctx)} berubah.`,
        `Semula: ${formatInstant(ctx.data.previousAt, ctx.timeZone)}`,
        `Menjadi: ${formatInstant(ctx.data.at, ctx.timeZone)}`,
        `Tempat: ${ctx.data.venue}`,
        'Undangan kalender terlampir menggantikan undangan sebelumnya.',
        link(ctx),
      ],
    };
  },
  meeting_cancelled: (ctx) => {
    const kind = MEETING_KIND_LABEL[ctx.data.kind];
    return {
      subject: `Dibatalkan: ${kind} ${ctx.agreement.title}`,
      lines: [
        'Yth. Bapak/Ibu,',
        `${kind} dalam rangka ${agreementLine(ctx)} pada ${formatInstant(ctx.data.at, ctx.timeZone)} ` +
          `di ${ctx.data.venue} dibatalkan.`,
        `Alasan: ${ctx.data.reason}`,
        'Pembatalan kalender terlampir: acara ini akan hilang dari kalender Bapak/Ibu.',
        link(ctx),
      ],
    };
  },
  signing_cancelled: (ctx) => ({
    subject: `Dibatalkan: penandatanganan ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Penandatanganan ${agreementLine(ctx)} pada ${formatInstant(ctx.data.at, ctx.timeZone)} ` +
        `di ${ctx.data.venue} dibatalkan.`,
      `Alasan: ${ctx.data.reason}`,
      'Pembatalan kalender terlampir: acara ini akan hilang dari kalender Bapak/Ibu.',
      link(ctx),
    ],
  }),
  signing_rescheduled: (ctx) => ({
    subject: `Perubahan jadwal penandatanganan: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Jadwal penandatanganan ${agreementLine(ctx)} berubah.`,
      `Semula: ${formatInstant(ctx.data.previousAt, ctx.timeZone)}`,
      `Menjadi: ${formatInstant(ctx.data.at, ctx.timeZone)}`,
      `Tempat: ${ctx.data.venue}`,
      'Undangan kalender terlampir menggantikan undangan sebelumnya.',
      link(ctx),
    ],
  }),
  signing_confirmation: (ctx) => {
    const numbers = ctx.data.documentNumbers;
    return {
      subject: `Penandatanganan tercatat: ${ctx.agreement.title}`,
      lines: [
        'Yth. Bapak/Ibu,',
        `${agreementLine(ctx)} telah ditandatangani dan kini memasuki tahap pelaksanaan.`,
        ...Object.entries(numbers).map(([id, n]) => `Nomor dokumen ${partyName(ctx, id)}: ${n}`),
        `Masa berlaku: ${formatDate(ctx.data.termStart)} s.d. ${someDate(ctx.data.termEnd)}`,
        link(ctx),
      ],
    };
  },
  follow_up_assigned: (ctx) => ({
    subject: `Tindak lanjut: ${ctx.data.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Ada tindak lanjut untuk ${partyName(ctx, ctx.data.ownerPartyId)} dalam ${agreementLine(ctx)}:`,
      ctx.data.title,
      `Batas waktu: ${formatDate(ctx.data.due)}`,
      link(ctx),
    ],
  }),
  follow_up_reminder: (ctx) => ({
    subject: `Pengingat tindak lanjut: ${ctx.data.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Tindak lanjut berikut jatuh tempo pada ${formatDate(ctx.data.due)}:`,
      ctx.data.title,
      `Pemilik: ${partyName(ctx, ctx.data.ownerPartyId)} — ${agreementLine(ctx)}`,
      ...(ctx.data.signingStep
        ? [
            'Mohon berkas terkini ditandatangani dengan TTE dan salinannya diunggah sebelum batas waktu.',
            ...(ctx.actionLink ? [`Unduh berkas dan unggah salinan bertanda tangan: ${ctx.actionLink}`] : []),
          ]
        : [
            'Mohon diselesaikan sebelum batas waktu, atau tandai selesai bila sudah dikerjakan.',
            ...(ctx.actionLink ? [`Tandai selesai: ${ctx.actionLink}`] : []),
          ]),
      link(ctx),
    ],
  }),
  follow_up_escalation: (ctx) => {
    const level = ctx.data.level;
    return {
      subject: `[Eskalasi tingkat ${level}] Tindak lanjut terlambat: ${ctx.data.title}`,
      lines: [
        'Yth. Bapak/Ibu,',
        `Tindak lanjut berikut belum diselesaikan melewati batas waktunya (${formatDate(ctx.data.due)}):`,
        ctx.data.title,
        `Pemilik: ${partyName(ctx, ctx.data.ownerPartyId)} — ${agreementLine(ctx)}`,
        level === 1
          ? 'Surat ini disampaikan kepada atasan pemilik tindak lanjut. Mohon arahan agar segera diselesaikan.'
          : `Surat ini disampaikan kepada pimpinan ${partyName(ctx, initiatorOf(ctx))} ` +
            'karena eskalasi tingkat 1 belum ditindaklanjuti.',
        ...(ctx.actionLink
          ? [
              ctx.data.signingStep
                ? `Unduh berkas dan unggah salinan bertanda tangan: ${ctx.actionLink}`
                : `Bila sudah selesai, tandai selesai: ${ctx.actionLink}`,
            ]
          : []),
        link(ctx),
      ],
    };
  },
  review_reminder: (ctx) => ({
    subject: `Pengingat tinjauan draf versi ${ctx.data.version}: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Draf versi ${ctx.data.version} untuk ${agreementLine(ctx)} belum ditinjau ` +
        `oleh ${ctx.data.partyIds.map((id) => partyName(ctx, id)).join(', ')}.`,
      `Dokumen: ${ctx.data.documentUrl}`,
      ...(ctx.data.reviewDueOn ? [`Batas waktu tinjauan: ${formatDate(ctx.data.reviewDueOn)}`] : []),
      link(ctx),
    ],
  }),
  review_overdue: (ctx) => ({
    subject: `[Eskalasi] Tinjauan draf versi ${ctx.data.version} terlambat: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Batas waktu tinjauan draf ` +
        `versi ${ctx.data.version} untuk ${agreementLine(ctx)} (${someDate(ctx.data.reviewDueOn)}) telah lewat.`,
      `Belum meninjau: ${ctx.data.partyIds.map((id) => partyName(ctx, id)).join(', ')}.`,
      `Dokumen: ${ctx.data.documentUrl}`,
      'Mohon arahan agar draf segera disetujui atau dimintakan perubahan.',
      link(ctx),
    ],
  }),
  signing_reminder: (ctx) => ({
    subject: `Pengingat: penandatanganan ${
      ctx.data.daysBefore === 1 ? 'besok' : `${ctx.data.daysBefore} hari ` + `lagi`
    } — ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Penandatanganan ${agreementLine(ctx)} akan dilaksanakan ` +
        `pada ${formatInstant(ctx.data.ceremonyAt, ctx.timeZone)}.`,
      `Tempat: ${ctx.data.venue}`,
      link(ctx),
    ],
  }),
  signing_overdue: (ctx) => ({
    subject: `Penandatanganan belum tercatat: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Penandatanganan ${agreementLine(ctx)} dijadwalkan pada ${formatInstant(ctx.data.ceremonyAt, ctx.timeZone)}, ` +
        `tetapi belum dicatat di Sinergi.`,
      'Mohon catat penandatanganan beserta nomor dokumen para pihak, atau jadwalkan ulang upacaranya.',
      link(ctx),
    ],
  }),
  pks_started: (ctx) => ({
    subject: `Perjanjian kerja sama dimulai: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Sebagai tindak lanjut kesepakatan induk "${ctx.data.parentId}", telah dimulai ${agreementLine(ctx)}.`,
      partiesLine(ctx),
      ...(ctx.data.dueBy ? [`Target penandatanganan: ${formatDate(ctx.data.dueBy)}`] : []),
      link(ctx),
    ],
  }),
  changes_requested: (ctx) => ({
    subject: `Perubahan diminta atas draf versi ${ctx.data.version}: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `${partyName(ctx, ctx.data.partyId)} meminta perubahan atas draf ` +
        `versi ${ctx.data.version} untuk ${agreementLine(ctx)}.`,
      ...(ctx.data.comments ? [`Catatan: ${ctx.data.comments}`] : []),
      'Mohon siapkan versi berikutnya dan ajukan kembali untuk ditinjau.',
      link(ctx),
    ],
  }),
  signing_nudge: (ctx) => ({
    subject: `Pengingat: ${ctx.agreement.title} menunggu Bapak/Ibu`,
    lines: [
      'Yth. Bapak/Ibu,',
      `${agreementLine(ctx)} masih berada pada tahap ${STAGE_LABEL[ctx.data.stage].toLowerCase()} dan belum ` +
        `ditandatangani.`,
      ...(ctx.data.dueBy ? [`Target penandatanganan: ${formatDate(ctx.data.dueBy)}`] : []),
      ...(ctx.data.note ? [`Pesan: ${ctx.data.note}`] : []),
      'Mohon tindak lanjutnya agar perjanjian ini dapat segera ditandatangani.',
      link(ctx),
    ],
  }),
  signing_turn: (ctx) => ({
    subject: `${ctx.data.act === 'paraf' ? 'Giliran paraf' : 'Giliran tanda tangan'} Bapak/Ibu: ${ctx.agreement.title}`,
    lines: [
      `Yth. ${ctx.data.name},`,
      `${agreementLine(ctx)} ditandatangani secara elektronik (TTE). Langkah ${ctx.data.step + 1} dari ` +
        `${ctx.data.steps}, ${ctx.data.act === 'paraf' ? 'paraf' : 'tanda tangan'} Bapak/Ibu, kini gilirannya.`,
      'Unduh berkas terkini dari Sinergi, tanda tangani dengan aplikasi tanda tangan elektronik tersertifikasi ' +
        'Bapak/Ibu (misalnya BSrE atau SRIKANDI) tanpa menyimpannya ulang, lalu unggah salinan bertanda tangan ' +
        'itu ke Sinergi. Sinergi memeriksa tanda tangannya sebelum meneruskan ke langkah berikutnya.',
      `Batas waktu: ${formatDate(ctx.data.dueBy)}`,
      ...(ctx.actionLink ? [`Unduh berkas dan unggah salinan bertanda tangan tanpa masuk: ${ctx.actionLink}`] : []),
      link(ctx),
    ],
  }),
  report_reminder: (ctx) => ({
    subject: `Pengingat laporan monev ke-${ctx.data.index}: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Laporan monitoring dan evaluasi ke-${ctx.data.index} untuk ${agreementLine(ctx)} jatuh tempo ` +
        `pada ${formatDate(ctx.data.dueOn)}.`,
      'Mohon laporan disusun dan dicatat di Sinergi.',
      link(ctx),
    ],
  }),
  report_overdue: (ctx) => ({
    subject: `[Eskalasi] Laporan monev ke-${ctx.data.index} belum diterima: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `Laporan monitoring dan evaluasi ke-${ctx.data.index} untuk ${agreementLine(ctx)} seharusnya diterima ` +
        `pada ${formatDate(ctx.data.dueOn)}, tetapi belum tercatat.`,
      'Mohon arahan agar laporan segera disampaikan.',
      link(ctx),
    ],
  }),
  renewal_reminder: (ctx) => ({
    subject: `Masa berlaku berakhir ${ctx.data.daysBefore} hari lagi: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `${agreementLine(ctx)} berakhir pada ${someDate(ctx.data.termEnd)}.`,
      'Mohon para pihak memutuskan apakah kerja sama akan diperbarui atau diakhiri.',
      link(ctx),
    ],
  }),
  renewal_decided: (ctx) => ({
    subject: `Keputusan pembaruan: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      ctx.data.decision === 'renew'
        ? `${agreementLine(ctx)} akan diperbarui. Kesepakatan pengganti ("${ctx.data.successorId}") telah dimulai ` +
          `pada tahap penyusunan draf; kesepakatan ini berakhir pada ${someDate(ctx.data.termEnd)}.`
        : `${agreementLine(ctx)} tidak diperbarui dan berakhir pada ${someDate(ctx.data.termEnd)}.`,
      link(ctx),
    ],
  }),
  agreement_ended: (ctx) => ({
    subject: `Kesepakatan berakhir: ${ctx.agreement.title}`,
    lines: [
      'Yth. Bapak/Ibu,',
      `${agreementLine(ctx)} ${END_REASON_LABEL[ctx.data.reason]}.`,
      ...(ctx.data.note ? [`Keterangan: ${ctx.data.note}`] : []),
      'Catatan lengkapnya tetap dapat dilihat di Sinergi.',
      link(ctx),
    ],
  }),
};

export function renderTemplate<T extends TemplateName>(
  mail: Pick<MailOf<T>, 'template' | 'data'>,
  ctx: Omit<TemplateContext<T>, 'data'>,
): { subject: string; text: string; html: string } {
  const render: (c: TemplateContext<T>) => RenderedMail = templates[mail.template];
  return toMessage(render({ ...ctx, data: mail.data }));
}

function toMessage(mail: RenderedMail): { subject: string; text: string; html: string } {
  const footer = 'Pesan ini dikirim otomatis oleh Sinergi.';
  return {
    subject: mail.subject,
    text: [...mail.lines, '', footer].join('\n'),
    html:
      `<!doctype html><html lang="id"><body>${mail.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}` +
      `<p><small>${footer}</small></p></body></html>`,
  };
}

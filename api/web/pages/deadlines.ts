// Open follow-ups across agreements, soonest first: who owes what, and by when.
import type { DeadlineItem } from '../../../services/follow-ups.js';
import type { Party } from '../../../services/directory.js';
import { html, type Html } from '../html.js';
import { partySelect } from './controls.js';
import { day, partyName } from './format.js';

function row(f: DeadlineItem, parties: Map<string, Party>): Html {
  const late = f.overdue ? html`<span class="tag late">terlambat</span> ` : '';
  return html`<tr><td>${late}${f.title}</td><td><a href="/kesepakatan/${f.agreementId}">${f.agreementTitle}</a></td>
<td>${partyName(parties, f.ownerPartyId)}</td><td>${day(f.due)}</td>
<td>${f.escalationLevel ? `tingkat ${f.escalationLevel}` : '—'}</td></tr>`;
}

export function deadlinesPage(items: DeadlineItem[], partyId: string | undefined, parties: Party[]): Html {
  const directory = new Map(parties.map((p) => [p.id, p]));
  const empty = items.length === 0 ? html`<tr><td colspan="5">Tidak ada tindak lanjut terbuka.</td></tr>` : '';
  return html`<h1>Tenggat</h1>
<section><form method="get" action="/tenggat"><label for="f-t-party">Pihak</label>
${partySelect('f-t-party', 'partyId', parties, partyId, 'Semua')}<button>Saring</button></form></section>
<section><div class="table-wrap" tabindex="0"><table>
<thead><tr><th>Tindak lanjut</th><th>Kesepakatan</th><th>Pemilik</th><th>Batas</th><th>Eskalasi</th></tr></thead>
<tbody>${empty}${items.map((f) => row(f, directory))}</tbody></table></div></section>`;
}

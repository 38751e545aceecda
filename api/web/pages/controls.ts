// Form controls shared by the pages: a choice of parties from the directory, never an id typed by hand.
import { html, type Html } from '../html.js';
import type { Party } from '../../../services/directory.js';

/** A select of parties by name; `blank` adds a first choice that means "any". */
export function partySelect(id: string, name: string, parties: Party[], selected?: string, blank?: string): Html {
  const first = blank === undefined ? '' : html`<option value="">${blank}</option>`;
  const options = parties.map(
    (p) => html`<option value="${p.id}"${p.id === selected ? html` selected` : ''}>${p.name}</option>`,
  );
  return html`<select id="${id}" name="${name}">${first}${options}</select>`;
}

/** One checkbox per party, each its own field (`<prefix><party id>`), so a form body stays flat. */
export function partyChecklist(
  legend: string,
  prefix: string,
  parties: Party[],
  ticked: (id: string) => boolean = () => false,
  error?: Html | string,
): Html {
  const boxes = parties.map((p) => {
    const id = `c-${prefix}${p.id}`;
    const checked = ticked(p.id) ? html` checked` : '';
    return html`<label for="${id}" class="check">
<input id="${id}" type="checkbox" name="${prefix}${p.id}" value="1"${checked}> ${p.name}</label>`;
  });
  return html`<fieldset id="f-${prefix}"><legend>${legend}</legend>${error ?? ''}${boxes}</fieldset>`;
}

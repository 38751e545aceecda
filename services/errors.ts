// What a service refuses and why, in the API's vocabulary of statuses (API.md): every door shows it its own way
// (JSON under /v1, a page on the dashboard and behind e-mail links).
export class Refusal extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string): Refusal => new Refusal(404, 'not_found', `${what} tidak ditemukan.`);

/** Refusals that name a field and are still conflicts with what exists, not bad input. */
const CONFLICTS = new Set(['id_taken', 'number_taken', 'text_differs']);

/** A command refused by the agreement's rules: 400 when one field is at fault, else (or on a conflict) 409. */
export function fromRejection(code: string, message: string, field?: string): Refusal {
  return new Refusal(field && !CONFLICTS.has(code) ? 400 : 409, code, message, field);
}

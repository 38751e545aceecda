// PostgreSQL errors that no retry can fix: the same statement with the same data fails the same way every time.
// Everything else (connection refused or reset, a restart, serialization failures, deadlocks, a full disk, a
// missing table while a migration is under way) is left to Temporal's unlimited retries: time can fix it.

/** Why each SQLSTATE is permanent, for the README and the closing note alike. */
export const PERMANENT_SQLSTATES: Readonly<Record<string, string>> = {
  '22':
    'data exception (class 22): NUL or an unpaired surrogate in jsonb, a value out of range, bad date or number ' +
    'text',
  '23502': 'not-null violation: a required value is missing from the data itself',
  '23503': 'foreign-key violation: the append refers to a row that its own data names wrongly',
  '23514': 'check violation: the data breaks a rule of the table',
  '23P01': 'exclusion violation: the data overlaps what a constraint excludes',
  '54000': 'program limit exceeded: a value or row too large for PostgreSQL (payload too large)',
  '54001': 'statement too complex',
};

/** The SQLSTATE of a pg error, when `err` is one. */
export function sqlStateOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** True for an error that retrying the same append cannot fix. */
export function isPermanentDatabaseError(err: unknown): boolean {
  const code = sqlStateOf(err);
  if (!code) return false;
  return code.startsWith('22') || Object.hasOwn(PERMANENT_SQLSTATES, code);
}

// Names of the failures activities raise on purpose; the workflow reads them. Constants only: safe to bundle.

/** The stream moved on since the workflow read it. */
export const EXPECTED_VERSION_CONFLICT = 'ExpectedVersionConflict';
/** The database refused the append for good (see event-store/permanent-errors.ts); retrying cannot help. */
export const DATA_REJECTED = 'DataRejected';
/** The agreement has sent its hour's worth of e-mail; the delivery is retried when there is room. */
export const MAIL_RATE_LIMITED = 'MailRateLimited';
/** A document number the party already used that year; the details name the party. */
export const NUMBER_TAKEN = 'NumberTaken';

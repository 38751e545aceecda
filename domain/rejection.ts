/** A command the agreement's current state (or its own content) does not allow. */
export class CommandRejected extends Error {
  override readonly name = 'CommandRejected';
  constructor(
    readonly code: string,
    message: string,
    /** Set when the fault is in one input field (the API answers 400 naming it); unset means a state conflict (409). */
    readonly field?: string,
  ) {
    super(message);
  }
}

export function reject(code: string, message: string, field?: string): never {
  throw new CommandRejected(code, message, field);
}

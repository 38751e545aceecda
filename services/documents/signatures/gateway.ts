// The seam where a certified signing gateway goes (BSrE's on-premises one, given to an agency after its application
// test, or a Privy, Peruri or VIDA service). Sinergi ships none and guesses no API: people sign with their own tools
// and upload. Whatever a gateway hands back is a signed copy like an upload, verified and recorded the same way.
import type { SigningStep } from '../../../domain/types.js';

/** What a gateway is asked to sign: the current copy, with every signature so far, for the step's person. */
export interface SigningRequest {
  agreementId: string;
  /** The step whose turn it is: its person's name and e-mail, its act (paraf or sign) and its index. */
  step: SigningStep;
  copy: Uint8Array;
}

export interface SigningGateway {
  /** A short name, used in the signed copy's filename. */
  readonly name: string;
  /** The copy signed by the step's person through the gateway; their passphrase is the gateway's to ask. */
  sign(request: SigningRequest): Promise<Uint8Array>;
}

// The Temporal client, built here once for every process that starts or signals workflows: the API, the CLI and
// the local stack. (The worker's own native connection is made in worker/.)
import { Client, Connection } from '@temporalio/client';

/** Where Temporal is: the address of its frontend and the namespace Sinergi's workflows live in. */
export interface TemporalTarget {
  temporalAddress: string;
  temporalNamespace: string;
}

export interface TemporalClient {
  client: Client;
  close: () => Promise<void>;
}

/**
 * Calls `connect` until it succeeds or `attempts` have failed, a second apart and then up to five. A process
 * started beside a Temporal server that is itself starting (compose up, a restarted cluster) waits for it
 * rather than exiting, since nothing may be there to start the process again.
 */
export async function untilConnected<T>(
  connect: () => Promise<T>,
  onRetry: (attempt: number, err: Error) => void,
  attempts = 60,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect();
    } catch (err) {
      if (attempt >= attempts) throw err;
      onRetry(attempt, err as Error);
      await new Promise((r) => setTimeout(r, Math.min(attempt, 5) * 1000));
    }
  }
}

export async function connectTemporal(
  target: TemporalTarget,
  onRetry: (attempt: number, err: Error) => void = () => {},
): Promise<TemporalClient> {
  const connection = await untilConnected(() => Connection.connect({ address: target.temporalAddress }), onRetry);
  const client = new Client({ connection, namespace: target.temporalNamespace });
  return { client, close: () => connection.close() };
}

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

export async function connectTemporal(target: TemporalTarget): Promise<TemporalClient> {
  const connection = await Connection.connect({ address: target.temporalAddress });
  const client = new Client({ connection, namespace: target.temporalNamespace });
  return { client, close: () => connection.close() };
}

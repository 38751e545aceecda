// Where the pinned Temporal binaries live (installed by scripts/bootstrap.mjs), unless the environment names others.
import { fileURLToPath } from 'node:url';

const venvBin = fileURLToPath(new URL('../../.tools/venv/bin/', import.meta.url));

export const temporalCli = (): string => process.env.TEMPORAL_CLI ?? `${venvBin}temporal`;
export const temporalTestServer = (): string => process.env.TEMPORAL_TEST_SERVER ?? `${venvBin}temporal-test-server`;

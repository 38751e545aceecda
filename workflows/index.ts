// The workflow bundle's entry: every workflow the worker runs.
export { agreementWorkflow } from './agreement.js';

// Every fixed port Sinergi's own tools listen on: the local stack, the fault suite and the benchmarks. All lie
// outside Linux's ephemeral range, where the kernel picks ports for outgoing connections: a port there can be
// taken by a client while its server restarts, and the server then fails with EADDRINUSE.
export const EPHEMERAL_PORTS = { first: 32768, last: 60999 } as const;

/** `npm start`: each is also a setting (SINERGI_PG_PORT, SINERGI_TEMPORAL_PORT, …). */
export const LOCAL_STACK_PORTS = {
  postgres: 27432,
  temporal: 7243,
  temporalUi: 8243,
  smtp: 2525,
  api: 8080,
  metrics: 9464,
  temporalMetrics: 9465,
} as const;

/** Temporal on PostgreSQL takes its ports from a base up; it keeps them in a smallint, so all stay below 32768. */
export const TEMPORAL_PORT_SPAN = 11;

/** `npm run faults`. */
export const FAULT_PORTS = {
  pg: 26301,
  temporal: 26302,
  ui: 26303,
  smtp: 26304,
  temporalPg: 26307,
  temporalBase: 23610,
  api: [26305, 26315],
  workerMetrics: [26306, 26316],
} as const;

/** The benchmarks, each on its own ports so that two can run side by side. */
export const BENCH_PORTS = {
  run: { pg: 26496 },
  lifecycle: { temporal: 26401, ui: 26402, temporalBase: 23410 },
  pksBatch: { temporal: 26411, ui: 26412 },
  scaleOut: {
    pg: 26501,
    temporalPg: 26502,
    smtp: 26503,
    temporalBase: 23710,
    api: [26511, 26512],
    metrics: [26521, 26522],
  },
  national: { pg: 26994 },
  nationalOpen: { pg: 26531, temporalPg: 26532, smtp: 26533, temporalBase: 23810, api: 26534, metrics: 26535 },
  nationalBurst: { pg: 26536 },
  historyGrowth: { pg: 26999 },
  historyBytes: { pg: 26997 },
  renderPage: { pg: 26995 },
  recordHistories: { pg: 26998 },
} as const;

// Pages act through the HTTP API itself (in process), with the signed-in token: one authorisation, one
// validation, the same messages — the dashboard holds no copy of either.
import type { FastifyInstance } from 'fastify';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from our own API; each page reads the fields it shows
export interface ApiAnswer<T = any> {
  status: number;
  body: T;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function callApi<T = any>(app: FastifyInstance, token: string, method: 'GET' | 'POST', url: string, body?: unknown): Promise<ApiAnswer<T>> {
  const res = await app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as T) : (undefined as T) };
}

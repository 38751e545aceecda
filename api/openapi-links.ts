// The OpenAPI document's operation ids and links: how a client (or a fuzzer's stateful phase) goes from creating a
// party or an agreement to the commands on it, using the ids the answers carry.
type Operation = {
  operationId?: string;
  parameters?: { in: string; name: string }[];
  responses?: Record<string, { links?: Record<string, Link> }>;
};
type Link = {
  operationId: string;
  parameters?: Record<string, string>;
  requestBody?: unknown;
  description?: string;
  /** Schemathesis's own extension: use `requestBody` as the whole body instead of merging it into a generated one. */
  'x-schemathesis'?: { merge_body: boolean };
};
type Paths = Record<string, Record<string, Operation>>;

const operationIdOf = (method: string, path: string): string =>
  method +
  path
    .replace(/^\/v1/, '')
    .split('/')
    .filter(Boolean)
    .map((s) =>
      s.replace(/[{}]/g, '').replace(/(^|[^A-Za-z0-9])([A-Za-z0-9])/g, (_m, _p, c: string) => c.toUpperCase()),
    )
    .join('');

function link(
  paths: Paths,
  from: [string, string, string],
  name: string,
  to: [string, string],
  spec: Omit<Link, 'operationId'>,
): void {
  const [fromPath, fromMethod, status] = from;
  const source = paths[fromPath]?.[fromMethod]?.responses?.[status];
  const target = paths[to[0]]?.[to[1]];
  if (!source || !target?.operationId) return;
  source.links = { ...source.links, [name]: { operationId: target.operationId, ...spec } };
}

/** Adds an operation id to every operation and the links between them; returns the same document. */
export function withLinks<T extends { paths?: object }>(doc: T): T {
  const paths = (doc.paths ?? {}) as Paths;
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) op.operationId ??= operationIdOf(method, path);
  }
  // The copies of an electronic round answer only during one, its audit sheet only after: a link would spend the walk.
  const roundOnly = [
    '/v1/agreements/{id}/signing/document',
    '/v1/agreements/{id}/signing/signed-copies',
    '/v1/agreements/{id}/signing/audit-sheet',
  ];
  const agreementOps = Object.entries(paths).filter(
    ([p]) => p.startsWith('/v1/agreements/{id}') && !roundOnly.includes(p),
  );
  const firstParty = '$response.body#/parties/0/partyId';
  // Two parties from the directory start an agreement (the whole body: a generated parentId would name nothing).
  link(paths, ['/v1/parties', 'get', '200'], 'startAgreement', ['/v1/agreements', 'post'], {
    requestBody: {
      title: 'Kesepakatan dari daftar pihak',
      instrument: 'nota_kesepahaman',
      scope: ['pembinaan kemandirian'],
      parties: [
        { partyId: '$response.body#/items/0/id', role: 'initiator' },
        { partyId: '$response.body#/items/1/id', role: 'counterpart' },
      ],
    },
    'x-schemathesis': { merge_body: false },
  });
  for (const op of ['get', 'patch'])
    link(paths, ['/v1/parties', 'post', '201'], `${op}Party`, ['/v1/parties/{id}', op], {
      parameters: { 'path.id': '$response.body#/id' },
    });
  for (const feed of ['/v1/parties/{id}/calendar-feeds', '/v1/parties/{id}/calendar-feeds/revoke']) {
    link(paths, ['/v1/parties', 'post', '201'], operationIdOf('post', feed), [feed, 'post'], {
      parameters: { 'path.id': '$response.body#/id' },
    });
  }
  // An agreement's id reaches every operation on it; a party of it owns follow-ups and reviews drafts.
  for (const [path, methods] of agreementOps) {
    for (const method of Object.keys(methods)) {
      const parameters: Record<string, string> = { 'path.id': '$response.body#/id' };
      // A generated due date is as likely past as not: the link marks it late, as a person entering an old item does.
      const requestBody = path.endsWith('/follow-ups')
        ? { ownerPartyId: firstParty, late: true }
        : path.endsWith('/meetings')
          ? { invitees: [firstParty] }
          : undefined;
      link(paths, ['/v1/agreements', 'post', '201'], operationIdOf(method, path), [path, method], {
        parameters,
        ...(requestBody ? { requestBody } : {}),
      });
    }
  }
  link(
    paths,
    ['/v1/agreements/{id}/meetings', 'post', '200'],
    'recordMinutes',
    ['/v1/agreements/{id}/meetings/{meetingId}/minutes', 'post'],
    {
      parameters: { 'path.id': '$request.path.id', 'path.meetingId': '$response.body#/meetings/0/id' },
      requestBody: { attendees: [{ name: 'Peserta', position: 'Kasi', partyId: firstParty }] },
    },
  );
  for (const action of ['complete', 'reschedule', 'cancel', 'comments']) {
    const path = `/v1/agreements/{id}/follow-ups/{followUpId}/${action}`;
    link(paths, ['/v1/agreements/{id}/follow-ups', 'post', '200'], `${action}FollowUp`, [path, 'post'], {
      parameters: { 'path.id': '$request.path.id', 'path.followUpId': '$response.body#/followUps/0/id' },
    });
  }
  link(
    paths,
    ['/v1/agreements/{id}/drafts', 'post', '200'],
    'reviewDraft',
    ['/v1/agreements/{id}/drafts/{version}/reviews', 'post'],
    {
      parameters: { 'path.id': '$request.path.id', 'path.version': '$response.body#/drafts/0/version' },
      requestBody: { partyId: firstParty },
    },
  );
  return doc;
}

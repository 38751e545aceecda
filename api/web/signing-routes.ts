// The dashboard's electronic signing round: the current copy to download, the signed copy uploaded by the person
// whose turn it is (verified by the same service as /v1), and the audit sheet once the agreement is signed.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Refusal } from '../../services/errors.js';
import { SignatureRefusal } from '../../services/documents/signed-copies.js';
import { sendFile } from '../routes/content-disposition.js';
import { html } from './html.js';
import { attempt, hidden, type PageKit, type Refused } from './kit.js';
import { AgreementParams, SignedCopyForm } from './schemas.js';

export function signingRoutes(kit: PageKit, maxUploadBytes: number): FastifyPluginAsyncTypebox {
  return async (app) => {
    const { send, sessionOf, guarded } = kit;
    const routes = {
      read: { ...guarded, schema: { ...hidden, params: AgreementParams } },
      upload: {
        ...guarded,
        schema: { ...hidden, params: AgreementParams, body: SignedCopyForm },
        config: { multipartOptions: { limits: { fileSize: maxUploadBytes, files: 1, fields: 2, parts: 3 } } },
      },
    };
    const refusedPage = (reply: FastifyReply, r: Refused, id: string, title: string) =>
      send(
        reply,
        r.status,
        title,
        html`<h1>${title}</h1><section><p role="alert">${r.message}</p>
<p><a href="/kesepakatan/${id}#tte">Kembali ke penandatanganan</a></p></section>`,
        sessionOf(reply.request).principal,
      );

    app.get('/kesepakatan/:id/tte/berkas', routes.read, async (request, reply) => {
      const { id } = request.params;
      const read = await attempt(() => app.signedCopies.current(sessionOf(request).principal, id));
      if (read.ok) return sendFile(request, reply, { ...read.value.info, bytes: read.value.bytes });
      return refusedPage(reply, read.refused, id, 'Berkas tidak tersedia');
    });

    app.get('/kesepakatan/:id/tte/jejak-audit', routes.read, async (request, reply) => {
      const { id } = request.params;
      const read = await attempt(() => app.signedCopies.auditSheet(sessionOf(request).principal, id));
      if (read.ok) return sendFile(request, reply, { ...read.value.info, bytes: read.value.bytes });
      return refusedPage(reply, read.refused, id, 'Lembar jejak audit tidak tersedia');
    });

    app.post('/kesepakatan/:id/tte/salinan', routes.upload, async (request, reply) => {
      const { principal } = sessionOf(request);
      const { id } = request.params;
      const { file } = request.body;
      let reason: string | undefined;
      const accepted = await attempt(async () => {
        if (!file || file.bytes.length === 0)
          throw new Refusal(400, 'invalid_input', 'Pilih salinan bertanda tangan yang akan diunggah.', 'file');
        try {
          return await app.signedCopies.accept(principal, id, { filename: file.filename, bytes: file.bytes });
        } catch (err) {
          if (err instanceof SignatureRefusal) reason = err.reason;
          throw err;
        }
      });
      if (!accepted.ok) {
        request.log.info({ agreementId: id, reason, status: accepted.refused.status }, 'signed copy refused');
        return refusedPage(reply, accepted.refused, id, 'Salinan bertanda tangan ditolak');
      }
      request.log.info({ agreementId: id, version: accepted.value.version }, 'signed copy accepted from the dashboard');
      const signed = accepted.value.signing?.signedAt !== undefined;
      return reply.redirect(`/kesepakatan/${encodeURIComponent(id)}?ok=${signed ? 'tte-selesai' : 'tte'}#tte`, 303);
    });
  };
}

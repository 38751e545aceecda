// The CMS signature inside a PDF, checked with pkijs (CMS, timestamps, certificate paths) and @peculiar/x509
// (reading certificates): the digest of the signed bytes, the signature over the signed attributes, a timestamp
// token where there is one, the certificate path to the operator's trust anchors at the signing time, and the key
// usage. No ASN.1 is written here: every structure is parsed by those libraries.
// @peculiar/x509 resolves its parsers through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { CertificateHolder } from '../../../domain/signers.js';

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  email: '1.2.840.113549.1.9.1',
  serialNumber: '2.5.4.5',
};

export type CmsReason = 'not_signed' | 'digest' | 'untrusted' | 'expired' | 'key_usage';
export class CmsRejected extends Error {
  constructor(
    readonly reason: CmsReason,
    detail: string,
  ) {
    super(detail);
  }
}

export interface CmsSignature {
  holder: CertificateHolder;
  subject: string;
  issuer: string;
  serial: string;
  /** The timestamp's time where there is one; else the time the signer's software claimed. */
  signedAt: Date;
  timestamped: boolean;
}

const buffer = (bytes: Uint8Array): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

function signedDataOf(der: ArrayBuffer, what: string): pkijs.SignedData {
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1) throw new CmsRejected('not_signed', `${what} is not DER`);
  try {
    const info = new pkijs.ContentInfo({ schema: parsed.result });
    if (info.contentType !== OID.signedData) throw new CmsRejected('not_signed', `${what} is not a SignedData`);
    return new pkijs.SignedData({ schema: info.content });
  } catch (err) {
    if (err instanceof CmsRejected) throw err;
    throw new CmsRejected('not_signed', `${what} cannot be read: ${(err as Error).message}`);
  }
}

const attribute = (attrs: pkijs.Attribute[] | undefined, type: string) => attrs?.find((a) => a.type === type);

function certificates(signed: pkijs.SignedData): pkijs.Certificate[] {
  return (signed.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
}

/** The certificate the first signer names (by issuer and serial, or by subject key identifier). */
function signerCertificate(signed: pkijs.SignedData): pkijs.Certificate {
  const sid = signed.signerInfos[0]?.sid;
  const found = certificates(signed).find((c) =>
    sid instanceof pkijs.IssuerAndSerialNumber
      ? c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber)
      : c.extensions?.some(
          (e) =>
            e.extnID === '2.5.29.14' &&
            Buffer.from((e.parsedValue as asn1js.OctetString).valueBlock.valueHexView).equals(
              Buffer.from((sid as asn1js.OctetString).valueBlock.valueHexView),
            ),
        ),
  );
  if (!found) throw new CmsRejected('untrusted', 'the signer certificate is not in the signature');
  return found;
}

const digestName = (oid: string): string => {
  const name = pkijs.getCrypto(true).getAlgorithmByOID(oid, true, 'digestAlgorithm').name;
  return name.toLowerCase().replace('-', '');
};

/** The path from a certificate to a trust anchor, valid at `at`; throws `expired` or `untrusted`. */
async function checkPath(
  certificate: pkijs.Certificate,
  intermediates: pkijs.Certificate[],
  anchors: pkijs.Certificate[],
  at: Date,
  what: string,
): Promise<void> {
  const { notBefore, notAfter } = certificate;
  if (at < notBefore.value || at > notAfter.value)
    throw new CmsRejected('expired', `${what}'s certificate was not valid at ${at.toISOString()}`);
  const engine = new pkijs.CertificateChainValidationEngine({
    trustedCerts: anchors,
    certs: [...intermediates, certificate],
    checkDate: at,
  });
  const result = await engine.verify();
  // The certificate's own dates were checked above: a path that fails is one to no anchor of the operator's.
  if (!result.result) throw new CmsRejected('untrusted', `${what}: ${result.resultMessage}`);
}

function holderOf(certificate: x509.X509Certificate): CertificateHolder {
  const subject = certificate.subjectName;
  const san = certificate.getExtension(x509.SubjectAlternativeNameExtension);
  const sanEmails = san?.names.items.filter((n) => n.type === 'email').map((n) => n.value) ?? [];
  const serialNumber = subject.getField(OID.serialNumber)[0];
  return {
    commonName: subject.getField('CN')[0] ?? '',
    emails: [...new Set([...subject.getField(OID.email), ...sanEmails])],
    ...(serialNumber ? { serialNumber } : {}),
  };
}

const signsDocuments = (certificate: x509.X509Certificate): boolean => {
  const usage = certificate.getExtension(x509.KeyUsagesExtension);
  return !usage || (usage.usages & (x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation)) !== 0;
};

/** The timestamp token's time, after its imprint, its signature and its authority's path are checked. */
async function timestampTime(
  token: pkijs.Attribute,
  signatureValue: ArrayBuffer,
  anchors: pkijs.Certificate[],
): Promise<Date> {
  const value = token.values[0];
  const signed = signedDataOf(value ? value.toBER() : new ArrayBuffer(0), 'the timestamp token');
  const content = signed.encapContentInfo.eContent;
  if (!content) throw new CmsRejected('untrusted', 'the timestamp token has no content');
  const info = pkijs.TSTInfo.fromBER(content.getValue());
  if (!(await info.verify({ data: signatureValue })))
    throw new CmsRejected('digest', 'the timestamp is of another signature');
  // pkijs checks the token's imprint against the data it stamps (the signature's value) as it verifies it.
  const verified = await signed.verify({ signer: 0, data: signatureValue, checkChain: false, extendedMode: true });
  if (!verified.signatureVerified) throw new CmsRejected('untrusted', 'the timestamp token is not signed');
  const tsa = signerCertificate(signed);
  const eku = new x509.X509Certificate(tsa.toSchema().toBER()).getExtension(x509.ExtendedKeyUsageExtension);
  if (!eku?.usages.includes(OID.timeStamping))
    throw new CmsRejected('untrusted', 'the timestamp authority may not stamp time');
  await checkPath(tsa, certificates(signed), anchors, info.genTime, 'the timestamp authority');
  return info.genTime;
}

/** Checks the CMS signature of `signedBytes`; its details when it holds, a CmsRejected when not. */
export async function verifyCms(
  contents: Uint8Array,
  signedBytes: Uint8Array,
  anchors: pkijs.Certificate[],
  claimedTime: Date | undefined,
  now: Date,
): Promise<CmsSignature> {
  const signed = signedDataOf(buffer(contents), 'the signature');
  const signer = signed.signerInfos[0];
  if (!signer || signed.signerInfos.length !== 1) throw new CmsRejected('not_signed', 'one signer is expected');
  const digest = attribute(signer.signedAttrs?.attributes, OID.messageDigest)?.values[0];
  const expected = createHash(digestName(signer.digestAlgorithm.algorithmId)).update(signedBytes).digest();
  if (!(digest instanceof asn1js.OctetString) || !expected.equals(Buffer.from(digest.valueBlock.valueHexView)))
    throw new CmsRejected('digest', 'the signed bytes do not have the digest the signature holds');
  const certificate = signerCertificate(signed);
  const verified = await signed.verify({ signer: 0, data: buffer(signedBytes), checkChain: false, extendedMode: true });
  if (!verified.signatureVerified)
    throw new CmsRejected('digest', "the signature does not verify with its signer's certificate");

  const token = attribute(signer.unsignedAttrs?.attributes, OID.timeStampToken);
  const attested = attribute(signer.signedAttrs?.attributes, OID.signingTime)?.values[0];
  const claimed =
    attested instanceof asn1js.UTCTime || attested instanceof asn1js.GeneralizedTime ? attested.toDate() : claimedTime;
  const signedAt = token
    ? await timestampTime(token, buffer(signer.signature.valueBlock.valueHexView), anchors)
    : claimed && claimed < now
      ? claimed
      : now;
  await checkPath(certificate, certificates(signed), anchors, signedAt, 'the signer');
  const read = new x509.X509Certificate(certificate.toSchema().toBER());
  if (!signsDocuments(read)) throw new CmsRejected('key_usage', "the signer's certificate may not sign documents");
  return {
    holder: holderOf(read),
    subject: read.subject,
    issuer: read.issuer,
    serial: read.serialNumber,
    signedAt,
    timestamped: token !== undefined,
  };
}

/** The operator's trust anchors, from PEM or DER files. */
export function anchorsFrom(files: Uint8Array[]): pkijs.Certificate[] {
  return files.flatMap((bytes) => {
    const text = Buffer.from(bytes).toString('latin1');
    const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
    const ders = pems ? pems.map((p) => new x509.X509Certificate(p).rawData) : [buffer(bytes)];
    return ders.map((der) => pkijs.Certificate.fromBER(der));
  });
}

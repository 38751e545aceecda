"""Real PAdES signatures for Sinergi's tests, made with pyHanko (installed by `scripts/bootstrap.mjs test`).

One JSON request on argv, one JSON answer on stdout:
  {"op": "pki", "dir": ..., "people": [{"id", "name", "email"?, "nik"?, "keyUsage"?: [...],
    "notBeforeDays"?: int, "notAfterDays"?: int}], "tsa": bool}
    -> a certificate authority of its own (ca.pem), a certificate and key per person (<id>.pem, <id>.key),
       and a timestamp authority (tsa.pem, tsa.key) when asked
  {"op": "sign", "in", "out", "dir", "person", "field", "timestamp"?: bool, "certify"?: 1|2|3,
    "stamp"?: bool, "signedAt"?: ISO time, "ignoreDocMdp"?: bool}
    -> the input with one signature added as an incremental update (and, with `stamp`, a text added to its
       first page in the same update)
"""

import asyncio
import datetime as dt
import json
import sys
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.stamp import TextStamp, TextStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

NOW = dt.datetime.now(dt.timezone.utc)


def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def write(d: Path, name: str, cert: x509.Certificate, private: rsa.RSAPrivateKey) -> None:
    (d / f"{name}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (d / f"{name}.key").write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def usage(names: list[str]) -> x509.KeyUsage:
    flags = {n: n in names for n in [
        "digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
        "key_agreement", "key_cert_sign", "crl_sign",
    ]}
    return x509.KeyUsage(**flags, encipher_only=False, decipher_only=False)


def pki(req: dict) -> dict:
    d = Path(req["dir"])
    d.mkdir(parents=True, exist_ok=True)
    ca_key = key()
    ca_name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, req.get("caOrganization", "Balai Uji Sertifikat")),
        x509.NameAttribute(NameOID.COMMON_NAME, req.get("caName", "CA Uji Sinergi")),
    ])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=400))
        .not_valid_after(NOW + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage(["key_cert_sign", "crl_sign"]), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    write(d, "ca", ca, ca_key)

    def issue(cn: str, builder_extra, not_before: int, not_after: int) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
        private = key()
        builder = (
            x509.CertificateBuilder()
            .issuer_name(ca_name)
            .public_key(private.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOW + dt.timedelta(days=not_before))
            .not_valid_after(NOW + dt.timedelta(days=not_after))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        )
        builder = builder_extra(builder)
        return builder.sign(ca_key, hashes.SHA256()), private

    issued = []
    for p in req.get("people", []):
        attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"), x509.NameAttribute(NameOID.COMMON_NAME, p["name"])]
        if p.get("nik"):
            attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, p["nik"]))
        if p.get("email"):
            attrs.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, p["email"]))

        def extra(b, p=p, attrs=attrs):
            b = b.subject_name(x509.Name(attrs))
            b = b.add_extension(usage(p.get("keyUsage", ["digital_signature", "content_commitment"])), critical=True)
            if p.get("email"):
                b = b.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(p["email"])]), critical=False)
            return b

        cert, private = issue(p["name"], extra, p.get("notBeforeDays", -30), p.get("notAfterDays", 365))
        write(d, p["id"], cert, private)
        issued.append({"id": p["id"], "serial": format(cert.serial_number, "x")})

    if req.get("tsa"):
        def tsa_extra(b):
            b = b.subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TSA Uji Sinergi")]))
            b = b.add_extension(usage(["digital_signature", "content_commitment"]), critical=True)
            return b.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)

        cert, private = issue("TSA Uji Sinergi", tsa_extra, -30, 3650)
        write(d, "tsa", cert, private)
    return {"dir": str(d), "people": issued}


def load_cert(path: Path) -> asn1_x509.Certificate:
    data = path.read_bytes()
    return asn1_x509.Certificate.load(x509.load_pem_x509_certificate(data).public_bytes(serialization.Encoding.DER))


def load_key(path: Path) -> asn1_keys.PrivateKeyInfo:
    private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    der = private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return asn1_keys.PrivateKeyInfo.load(der)


async def sign(req: dict) -> dict:
    d = Path(req["dir"])
    ca = load_cert(d / "ca.pem")
    signer = signers.SimpleSigner(
        signing_cert=load_cert(d / f"{req['person']}.pem"),
        signing_key=load_key(d / f"{req['person']}.key"),
        cert_registry=SimpleCertificateStore.from_certs([ca]),
    )
    timestamper = None
    if req.get("timestamp"):
        fixed = dt.datetime.fromisoformat(req["signedAt"]) if req.get("signedAt") else None
        timestamper = DummyTimeStamper(
            tsa_cert=load_cert(d / "tsa.pem"),
            tsa_key=load_key(d / "tsa.key"),
            certs_to_embed=SimpleCertificateStore.from_certs([ca]),
            fixed_dt=fixed,
        )
    certify = req.get("certify")
    meta = signers.PdfSignatureMetadata(
        field_name=req["field"],
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=bool(certify),
        docmdp_permissions=fields.MDPPerm(certify) if certify else fields.MDPPerm.FILL_FORMS,
    )
    with open(req["in"], "rb") as inf:
        writer = IncrementalPdfFileWriter(inf, strict=False)
        if req.get("stamp"):
            TextStamp(writer, TextStampStyle(stamp_text="Diubah setelah ditandatangani")).apply(0, 50, 50)
        pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper)
        if req.get("ignoreDocMdp"):
            # A tool that signs what the document's certification forbids, as a careless one would.
            pdf_signer._enforce_certification_constraints = lambda reader: None
        out = await pdf_signer.async_sign_pdf(writer)
        Path(req["out"]).write_bytes(out.getbuffer())
    return {"out": req["out"]}


def main() -> None:
    req = json.loads(sys.argv[1])
    if req["op"] == "pki":
        result = pki(req)
    elif req["op"] == "sign":
        result = asyncio.run(sign(req))
    else:
        raise SystemExit(f"unknown op {req['op']}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()

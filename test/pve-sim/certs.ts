import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

// Certificates for the simulated nodes. Every certificate is issued by `issueCertificate`, which
// either self-signs or signs with an issuer's key, so a cluster root CA that signs each node's
// certificate (as PVE's pve-root-ca does) is one `issueCertificate({ isCa: true })` away.

/** An RSA key pair in PEM. */
export interface KeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** Who a certificate is for. */
export interface CertificateSubject {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  dnsNames?: string[];
  ipAddresses?: string[];
}

/** A certificate and its key, with the SHA-256 fingerprint PVE shows (`AB:CD:...`). */
export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  fingerprint: string;
}

/** The certificate and key that sign other certificates. */
export interface CertificateIssuer {
  certPem: string;
  keyPem: string;
}

/** Generates an RSA 2048 key pair. */
export function generateRsaKeyPair(): KeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** The SHA-256 fingerprint of a PEM certificate: colon-separated upper-case hex. */
export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256.toUpperCase();
}

function subjectAttributes(subject: CertificateSubject): forge.pki.CertificateField[] {
  const attributes: forge.pki.CertificateField[] = [];
  if (subject.organization)
    attributes.push({ name: 'organizationName', value: subject.organization });
  if (subject.organizationalUnit) {
    attributes.push({ shortName: 'OU', value: subject.organizationalUnit });
  }
  attributes.push({ name: 'commonName', value: subject.commonName });
  return attributes;
}

/**
 * A serial number from 16 bytes (random ones by default), as hex whose DER encoding is minimal:
 * the top bit clear, so it is positive, and the first byte never 0, which DER would refuse as
 * padding when the next byte's top bit is clear too (OpenSSL: "illegal padding").
 */
export function serialNumber(bytes: Buffer = randomBytes(16)): string {
  const serial = Buffer.from(bytes);
  serial[0] = ((serial[0] ?? 0) & 0x3f) | 0x40;
  return serial.toString('hex');
}

/**
 * Issues a certificate for `subject`: self-signed without an issuer, else signed by it.
 * A CA certificate may sign others; a leaf certificate is for TLS servers.
 */
export function issueCertificate(options: {
  subject: CertificateSubject;
  keyPair?: KeyPairPem;
  issuer?: CertificateIssuer;
  isCa?: boolean;
  validDays?: number;
  now?: Date;
}): IssuedCertificate {
  const keyPair = options.keyPair ?? generateRsaKeyPair();
  const isCa = options.isCa ?? false;
  const notBefore = new Date((options.now ?? new Date()).getTime() - 24 * 3600 * 1000);
  const notAfter = new Date(notBefore.getTime() + (options.validDays ?? 365) * 24 * 3600 * 1000);

  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keyPair.publicKeyPem);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject(subjectAttributes(options.subject));
  const issuerCert = options.issuer ? forge.pki.certificateFromPem(options.issuer.certPem) : null;
  cert.setIssuer(issuerCert ? issuerCert.subject.attributes : subjectAttributes(options.subject));

  const altNames = [
    ...(options.subject.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(options.subject.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
  ];
  cert.setExtensions([
    { name: 'basicConstraints', cA: isCa, critical: true },
    isCa
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    ...(isCa ? [] : [{ name: 'extKeyUsage', serverAuth: true }]),
    ...(altNames.length > 0 ? [{ name: 'subjectAltName', altNames }] : []),
    { name: 'subjectKeyIdentifier' },
  ]);

  const signingKeyPem = options.issuer?.keyPem ?? keyPair.privateKeyPem;
  cert.sign(forge.pki.privateKeyFromPem(signingKeyPem), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  return { certPem, keyPem: keyPair.privateKeyPem, fingerprint: fingerprintOf(certPem) };
}

/**
 * The TLS certificate of a simulated node: CN = the node name, valid for the node's IP address
 * (127.0.0.1 unless given) and localhost; self-signed unless a cluster CA is given.
 */
export function createNodeCertificate(
  nodeName: string,
  issuer?: CertificateIssuer,
  ipAddress = '127.0.0.1',
): IssuedCertificate {
  return issueCertificate({
    subject: {
      commonName: nodeName,
      organization: 'PVE simulated cluster',
      organizationalUnit: 'PVE Cluster Node',
      dnsNames: ['localhost', nodeName],
      ipAddresses: [ipAddress],
    },
    ...(issuer ? { issuer } : {}),
  });
}

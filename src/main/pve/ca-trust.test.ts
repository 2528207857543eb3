import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { createNodeCertificate, issueCertificate } from '../../../test/pve-sim/certs';
import { caRefusal, parseCaCertificate } from './ca-trust';

const ca = issueCertificate({ subject: { commonName: 'Unit CA' }, isCa: true });
const otherCa = issueCertificate({ subject: { commonName: 'Other CA' }, isCa: true });
const leafDer = new X509Certificate(createNodeCertificate('pve1', ca).certPem).raw;

function refusalOf(pem: string): AppError {
  try {
    parseCaCertificate(pem);
  } catch (error) {
    if (error instanceof AppError) return error;
  }
  throw new Error('expected a refusal');
}

describe('parseCaCertificate', () => {
  it('reads a CA certificate, with text around it', () => {
    const parsed = parseCaCertificate(`pve-root-ca.pem:\n${ca.certPem}\n`);

    expect(parsed.ca).toBe(true);
    expect(parsed.subject).toBe('CN=Unit CA');
  });

  it('refuses a leaf certificate, two certificates, garbage and a damaged block', () => {
    const leaf = refusalOf(createNodeCertificate('pve1', ca).certPem);
    const two = refusalOf(`${ca.certPem}${otherCa.certPem}`);
    const garbage = refusalOf('not a certificate');
    const damaged = refusalOf('-----BEGIN CERTIFICATE-----\nZm9v\n-----END CERTIFICATE-----');

    expect([leaf.code, two.code, garbage.code, damaged.code]).toEqual([
      'INVALID_INPUT',
      'INVALID_INPUT',
      'INVALID_INPUT',
      'INVALID_INPUT',
    ]);
    expect(leaf.message).toMatch(/not a CA certificate/);
    expect(two.message).toMatch(/more than one certificate/);
    expect(garbage.message).toMatch(/not a PEM certificate/);
    expect(damaged.message).toMatch(/could not be read/);
  });
});

describe('caRefusal', () => {
  const parsedCa = new X509Certificate(ca.certPem);

  it('accepts a certificate the CA issued, for its IP address and DNS names', () => {
    expect(caRefusal(leafDer, parsedCa, '127.0.0.1')).toBeNull();
    expect(caRefusal(leafDer, parsedCa, 'localhost')).toBeNull();
    expect(caRefusal(leafDer, parsedCa, 'pve1')).toBeNull();
  });

  it('refuses a certificate for another address', () => {
    expect(caRefusal(leafDer, parsedCa, '10.0.0.5')).toBe(
      'the node certificate is not valid for 10.0.0.5',
    );
    expect(caRefusal(leafDer, parsedCa, 'pve2.example.org')).toBe(
      'the node certificate is not valid for pve2.example.org',
    );
  });

  it('refuses a certificate another CA issued, or a self-signed one', () => {
    const selfSigned = new X509Certificate(createNodeCertificate('pve1').certPem).raw;

    expect(caRefusal(leafDer, new X509Certificate(otherCa.certPem), '127.0.0.1')).toBe(
      'the node certificate was not issued by this CA',
    );
    expect(caRefusal(selfSigned, parsedCa, '127.0.0.1')).toBe(
      'the node certificate was not issued by this CA',
    );
  });
});

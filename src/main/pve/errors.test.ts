import { describe, expect, it } from 'vitest';
import { AppError, type ErrorCode } from '../../shared/errors';
import {
  PinMismatchError,
  TransportTimeoutError,
  mapPveResponse,
  mapTransportError,
  type PveFailedResponse,
} from './errors';

function answer(partial: Partial<PveFailedResponse>): PveFailedResponse {
  return {
    status: 500,
    statusText: '',
    body: '',
    method: 'PUT',
    path: '/nodes/pve1/qemu/100/config',
    ...partial,
  };
}

function body(message: string, errors?: Record<string, string>): string {
  return JSON.stringify(errors ? { data: null, errors, message } : { data: null, message });
}

describe('mapPveResponse', () => {
  it.each<[string, Partial<PveFailedResponse>, ErrorCode, RegExp]>([
    [
      'a failed login',
      { status: 401, statusText: 'authentication failure' },
      'PVE_AUTH',
      /user name, password or realm is wrong/,
    ],
    [
      'a missing ticket',
      { status: 401, statusText: 'No ticket' },
      'SESSION_EXPIRED',
      /session has ended/,
    ],
    [
      'an invalid ticket',
      { status: 401, statusText: 'invalid ticket' },
      'SESSION_EXPIRED',
      /Sign in again/,
    ],
    [
      'an expired ticket, as PVE words it',
      { status: 401, statusText: 'permission denied - invalid PVE ticket' },
      'SESSION_EXPIRED',
      /Sign in again/,
    ],
    [
      'a bad CSRF token',
      { status: 401, statusText: 'Permission denied - invalid csrf token' },
      'PVE_AUTH',
      /CSRF/,
    ],
    [
      'another 401',
      { status: 401, statusText: 'user account disabled' },
      'PVE_AUTH',
      /PVE said: user account disabled/,
    ],
    [
      'a permission failure',
      { status: 403, body: body('Permission check failed (/vms/100, VM.Allocate)\n') },
      'PVE_PERMISSION',
      /^You do not have permission VM\.Allocate on \/vms\/100\. Ask the lab admin/,
    ],
    [
      'a 403 in the reason phrase only',
      {
        status: 403,
        statusText: 'Permission check failed (/storage/tank, Datastore.AllocateSpace)',
      },
      'PVE_PERMISSION',
      /Datastore\.AllocateSpace on \/storage\/tank/,
    ],
    [
      'another 403',
      { status: 403, body: body('Permission check failed (user != root@pam)\n') },
      'PVE_PERMISSION',
      /PVE said: Permission check failed \(user != root@pam\)/,
    ],
    [
      'a modified configuration',
      {
        status: 500,
        body: body('detected modified configuration - file changed by other user? Try again.\n'),
      },
      'CONFLICT',
      /changed elsewhere/,
    ],
    [
      'a digest mismatch',
      { status: 500, statusText: 'digest mismatch' },
      'CONFLICT',
      /Reload and try again/,
    ],
    [
      'a guest id another create took first',
      {
        status: 500,
        body: body("unable to create VM 102 - VM 102 already exists on node 'pve2'\n"),
      },
      'CONFLICT',
      /^Guest id 102 was taken by another guest in the meantime, so nothing was created\. Choose another id/,
    ],
    [
      'a container id another create took first',
      { status: 500, body: body("unable to create CT 250 - CT 250 already exists on node 'pve1'") },
      'CONFLICT',
      /^Guest id 250 was taken/,
    ],
    [
      'a locked VM',
      { status: 500, body: body('VM is locked (backup)\n') },
      'LOCKED',
      /locked \(backup\) by another operation/,
    ],
    [
      'a locked container',
      { status: 500, body: body('CT is locked (snapshot)\n') },
      'LOCKED',
      /\(snapshot\)/,
    ],
    [
      'a config lock timeout',
      {
        status: 500,
        body: body("can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout\n"),
      },
      'LOCKED',
      /^The guest is locked by another operation/,
    ],
    [
      'a missing config',
      {
        status: 500,
        body: body("Configuration file 'nodes/pve1/qemu-server/100.conf' does not exist\n"),
      },
      'NOT_FOUND',
      /does not exist/,
    ],
    [
      'a node the proxying node timed out on',
      { status: 596, statusText: 'Connection timed out' },
      'PVE_UNREACHABLE',
      /could not reach node pve1\. Check that the node is online.*PVE said: Connection timed out/,
    ],
    [
      'a node the proxy could not connect to',
      { status: 595, statusText: 'No route to host', method: 'GET' },
      'PVE_UNREACHABLE',
      /could not reach node pve1\. .*PVE said: No route to host/,
    ],
    [
      'a node lost while its answer was read',
      { status: 597, statusText: 'Connection reset by peer', method: 'GET' },
      'PVE_UNREACHABLE',
      /could not reach node pve1\. .*PVE said: Connection reset by peer/,
    ],
    [
      'a 595 about no node in particular',
      { status: 595, statusText: 'Connection refused', path: '/cluster/resources' },
      'PVE_UNREACHABLE',
      /could not reach the node that holds this resource/,
    ],
    [
      'an unknown method',
      { status: 501, statusText: "Method 'PUT /foo' not implemented" },
      'PVE_ERROR',
      /does not support PUT \/nodes\/pve1\/qemu\/100\/config \(501\)/,
    ],
    [
      'another 500 in the body',
      { status: 500, body: body('storage migration failed: no space left\n') },
      'PVE_ERROR',
      /^PVE could not complete PUT \/nodes\/pve1\/qemu\/100\/config: storage migration failed: no space left$/,
    ],
    [
      'a 500 in the reason phrase only',
      { status: 500, statusText: 'unable to create VM 100' },
      'PVE_ERROR',
      /: unable to create VM 100$/,
    ],
    ['a 502 with nothing to say', { status: 502 }, 'PVE_ERROR', /\(HTTP 502\)\.$/],
  ])('maps %s', (_label, response, code, message) => {
    const error = mapPveResponse(answer(response));

    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.details?.status).toBe(response.status);
  });

  it('maps a parameter failure with every field PVE named', () => {
    const response = answer({
      status: 400,
      statusText: 'Parameter verification failed.',
      body: body('Parameter verification failed.\n', {
        net0: "invalid format - format error\nnet0.rate: type check ('number') failed - got 'fast'\n",
        cores: 'value must have a minimum value of 1\n',
      }),
    });

    const error = mapPveResponse(response);

    expect(error.code).toBe('PVE_VALIDATION');
    expect(error.details).toEqual({
      status: 400,
      fields: {
        'net0.rate': "type check ('number') failed - got 'fast'",
        cores: 'value must have a minimum value of 1',
      },
    });
    expect(error.message).toBe(
      "PVE refused the values sent with PUT /nodes/pve1/qemu/100/config: net0.rate: type check ('number') failed - got 'fast'; cores: value must have a minimum value of 1.",
    );
  });

  // Bodies as PVE 9 sends them for a 400: one reason per parameter, and for a property string a
  // `format error` line followed by one `<param>.<option>: <why>` line per bad option.
  it.each<[string, Record<string, string>, Record<string, string>]>([
    [
      'a size that is not a size',
      { size: 'value does not match the regex pattern\n' },
      { size: 'value does not match the regex pattern' },
    ],
    [
      'a number below its minimum',
      { memory: 'value must have a minimum value of 16\n' },
      { memory: 'value must have a minimum value of 16' },
    ],
    [
      'a parameter the schema does not know',
      {
        cpulimit2:
          'property is not defined in schema and the schema does not allow additional properties\n',
      },
      {
        cpulimit2:
          'property is not defined in schema and the schema does not allow additional properties',
      },
    ],
    [
      'two bad options inside one property string',
      {
        net1: "invalid format - format error\nnet1.rate: type check ('number') failed - got 'x'\nnet1.tag: value must have a maximum value of 4094\n",
      },
      {
        'net1.rate': "type check ('number') failed - got 'x'",
        'net1.tag': 'value must have a maximum value of 4094',
      },
    ],
    [
      'an option inside a PCI device',
      {
        hostpci0:
          "invalid format - format error\nhostpci0.x-vga: type check ('boolean') failed - got 'maybe'\n",
      },
      { 'hostpci0.x-vga': "type check ('boolean') failed - got 'maybe'" },
    ],
    [
      'a property string without option lines',
      { scsi1: 'invalid format - unable to parse drive options\n' },
      { scsi1: 'invalid format - unable to parse drive options' },
    ],
    [
      'an option named as the simulator names it',
      { net0: 'invalid format - rate: value must have a maximum value of 100\n' },
      { 'net0.rate': 'value must have a maximum value of 100' },
    ],
    ['a reason that is not a string', { cores: 42 as unknown as string }, { cores: '42' }],
  ])('keeps the field of %s', (_label, errors, fields) => {
    const error = mapPveResponse(
      answer({ status: 400, body: body('Parameter verification failed.\n', errors) }),
    );

    expect(error.code).toBe('PVE_VALIDATION');
    expect(error.details).toEqual({ status: 400, fields });
  });

  it('names the guest id another create took first, so the user can choose another', () => {
    const error = mapPveResponse(
      answer({
        status: 500,
        method: 'POST',
        path: '/nodes/pve1/qemu',
        body: body("unable to create VM 102 - VM 102 already exists on node 'pve2'\n"),
      }),
    );

    expect(error.code).toBe('CONFLICT');
    expect(error.details).toEqual({
      status: 500,
      fields: { vmid: '102 was taken in the meantime; choose another id' },
    });
    expect(error.message).toBe(
      'Guest id 102 was taken by another guest in the meantime, so nothing was created. Choose another id and try again.',
    );
  });

  it('maps a 400 without an errors map to PVE_VALIDATION with the message', () => {
    const error = mapPveResponse(answer({ status: 400, body: body('value too large\n') }));

    expect(error.code).toBe('PVE_VALIDATION');
    expect(error.details).toEqual({ status: 400 });
    expect(error.message).toMatch(/PVE said: value too large$/);
  });

  it('survives a body that is not JSON', () => {
    const error = mapPveResponse(
      answer({ status: 500, statusText: 'Internal error', body: '<html>oops' }),
    );

    expect(error.code).toBe('PVE_ERROR');
    expect(error.message).toMatch(/: Internal error$/);
  });

  it('never repeats a ticket or cookie from the answer', () => {
    const ticket = 'PVE:alice@pve:6752A1B3::dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZQ==';
    const error = mapPveResponse(
      answer({ status: 500, body: body(`bad cookie PVEAuthCookie=${ticket} from ${ticket}`) }),
    );

    expect(error.message).not.toContain('dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZQ');
    expect(error.message).not.toContain('6752A1B3');
  });

  it('leaves the query string of the path out of messages', () => {
    const error = mapPveResponse(
      answer({ status: 502, method: 'GET', path: '/cluster/resources?type=vm' }),
    );

    expect(error.message).toBe('PVE could not complete GET /cluster/resources (HTTP 502).');
  });
});

function coded(code: string, message = 'low-level failure'): Error {
  return Object.assign(new Error(message), { code });
}

function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function named(name: string): Error {
  const error = new Error('aborted');
  error.name = name;
  return error;
}

describe('mapTransportError', () => {
  const context = { url: 'https://pve1.lab.example:8006/api2/json/cluster/resources?secret=1' };

  it.each<[string, unknown, ErrorCode, RegExp]>([
    [
      'a refused connection',
      fetchFailed(coded('ECONNREFUSED')),
      'PVE_UNREACHABLE',
      /pve1\.lab\.example:8006 refused the connection/,
    ],
    [
      'an unreachable host',
      fetchFailed(coded('EHOSTUNREACH')),
      'PVE_UNREACHABLE',
      /no network route/,
    ],
    [
      'an unknown name',
      fetchFailed(coded('ENOTFOUND')),
      'PVE_UNREACHABLE',
      /could not be found \(DNS\)/,
    ],
    ['a DNS failure', fetchFailed(coded('EAI_AGAIN')), 'PVE_UNREACHABLE', /\(DNS\)/],
    [
      'a reset connection',
      fetchFailed(coded('ECONNRESET')),
      'PVE_UNREACHABLE',
      /closed unexpectedly/,
    ],
    [
      'a closed socket',
      fetchFailed(coded('UND_ERR_SOCKET')),
      'PVE_UNREACHABLE',
      /closed unexpectedly/,
    ],
    [
      'a connect timeout',
      fetchFailed(coded('UND_ERR_CONNECT_TIMEOUT')),
      'PVE_TIMEOUT',
      /did not answer in time/,
    ],
    ['a headers timeout', fetchFailed(coded('UND_ERR_HEADERS_TIMEOUT')), 'PVE_TIMEOUT', /in time/],
    ['a body timeout', coded('UND_ERR_BODY_TIMEOUT'), 'PVE_TIMEOUT', /in time/],
    ['an abort', named('AbortError'), 'PVE_TIMEOUT', /in time/],
    [
      'an AbortSignal.timeout',
      new DOMException('The operation timed out.', 'TimeoutError'),
      'PVE_TIMEOUT',
      /in time/,
    ],
    ['our own timeout', fetchFailed(new TransportTimeoutError(30_000)), 'PVE_TIMEOUT', /in time/],
    [
      'a self-signed certificate',
      fetchFailed(coded('DEPTH_ZERO_SELF_SIGNED_CERT')),
      'TLS_ERROR',
      /\(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
    ],
    ['a self-signed chain', coded('SELF_SIGNED_CERT_IN_CHAIN'), 'TLS_ERROR', /secure connection/],
    [
      'an expired certificate',
      fetchFailed(coded('CERT_HAS_EXPIRED')),
      'TLS_ERROR',
      /CERT_HAS_EXPIRED/,
    ],
    [
      'a TLS protocol error',
      fetchFailed(coded('ERR_TLS_CERT_ALTNAME_INVALID')),
      'TLS_ERROR',
      /ERR_TLS_CERT_ALTNAME_INVALID/,
    ],
    [
      'a refusal inside an AggregateError',
      fetchFailed(new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')])),
      'PVE_UNREACHABLE',
      /refused/,
    ],
    [
      'something unknown',
      new RangeError('boom at 0xdeadbeef'),
      'INTERNAL',
      /^Something unexpected went wrong while talking to pve1\.lab\.example:8006\./,
    ],
    ['a thrown string', 'boom', 'INTERNAL', /unexpected/],
    ['null', null, 'INTERNAL', /unexpected/],
  ])('maps %s', (_label, error, code, message) => {
    const mapped = mapTransportError(error, context);

    expect(mapped.code).toBe(code);
    expect(mapped.message).toMatch(message);
    expect(mapped.message).not.toContain('secret');
    expect(mapped.message).not.toContain('deadbeef');
  });

  it('maps a pin mismatch anywhere in the cause chain to CERT_MISMATCH with both fingerprints', () => {
    const pinned = 'AA:'.repeat(31) + 'AA';
    const presented = 'BB:'.repeat(31) + 'BB';
    const error = fetchFailed(
      new Error('connect failed', { cause: new PinMismatchError(pinned, presented) }),
    );

    const mapped = mapTransportError(error, context);

    expect(mapped.code).toBe('CERT_MISMATCH');
    expect(mapped.details).toEqual({ pinnedFingerprint: pinned, presentedFingerprint: presented });
    expect(mapped.message).toMatch(/different certificate/);
  });

  it('passes an AppError through unchanged, also when wrapped', () => {
    const original = new AppError('NOT_SIGNED_IN', 'Sign in first.');

    expect(mapTransportError(original, context)).toBe(original);
    expect(mapTransportError(fetchFailed(original), context)).toBe(original);
  });

  it('stops on a cause chain that loops', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;

    expect(mapTransportError(a, context).code).toBe('INTERNAL');
  });

  it('names no host when the address is not a URL', () => {
    expect(mapTransportError(coded('ECONNREFUSED'), { url: 'nonsense' }).message).toMatch(
      /^the cluster refused/,
    );
  });
});

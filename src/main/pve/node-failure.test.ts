import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { mapTransportError, PinMismatchError } from './errors';
import {
  asConnectFailure,
  ConnectFailure,
  nodeFailure,
  NodeUnreachableError,
} from './node-failure';

const url = 'https://10.0.0.1:8006';

function failure(code: string): Error {
  return Object.assign(new Error(`failed with ${code}`), { code });
}

/** What a connection reports for a raw failure, as PveConnection does. */
function reported(raw: unknown): AppError {
  return nodeFailure(mapTransportError(raw, { url }), raw, url);
}

describe('nodeFailure', () => {
  it('marks connector failures as connect-phase, with words for each cause', () => {
    const cases = {
      ECONNREFUSED: 'refused the connection',
      ENOTFOUND: 'could not be found (DNS)',
      EAI_AGAIN: 'could not be found (DNS)',
      UND_ERR_CONNECT_TIMEOUT: 'did not answer in time',
      ECONNRESET: 'closed the connection',
      EHOSTUNREACH: 'has no network route',
    };

    const seen = Object.keys(cases).map((code) => {
      const error = reported(asConnectFailure(failure(code)));
      return error instanceof NodeUnreachableError ? [code, error.phase, error.reason] : [code];
    });

    expect(seen).toEqual(Object.entries(cases).map(([code, why]) => [code, 'connect', why]));
  });

  it('marks a reset after the request left as an exchange failure', () => {
    const error = reported(failure('UND_ERR_SOCKET'));

    expect(error).toBeInstanceOf(NodeUnreachableError);
    expect(error).toMatchObject({ code: 'PVE_UNREACHABLE', phase: 'exchange', nodeUrl: url });
  });

  it('leaves certificate refusals and PVE answers as they are', () => {
    const pin = asConnectFailure(new PinMismatchError('AA', 'BB'));
    const answered = new AppError('PVE_PERMISSION', 'no');

    expect(pin).toBeInstanceOf(PinMismatchError);
    expect(reported(pin)).toMatchObject({ code: 'CERT_MISMATCH' });
    expect(reported(pin)).not.toBeInstanceOf(NodeUnreachableError);
    expect(nodeFailure(answered, answered, url)).toBe(answered);
  });

  it('keeps the code of the wrapped failure, so retries still see it', () => {
    expect(new ConnectFailure(failure('ECONNREFUSED')).code).toBe('ECONNREFUSED');
  });
});

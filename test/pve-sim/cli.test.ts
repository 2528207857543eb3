import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { connect as tlsConnect } from 'node:tls';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { request } from 'undici';
import { insecureAgent } from './test-client.js';

const cliPath = fileURLToPath(new URL('./cli.ts', import.meta.url));

describe('command line', () => {
  // A new Node process that loads tsx and makes its RSA key takes seconds on a busy machine.
  it('prints url, fingerprint and users, logs requests, and exits cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', cliPath, '--port', '0', '--task-duration-ms', '50'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout });
    const [firstLine] = (await once(lines, 'line')) as [string];
    const info = JSON.parse(firstLine) as { url: string; fingerprint: string; users: unknown[] };
    const agent = insecureAgent();

    const reply = await request(`${info.url}/api2/json/access/domains`, { dispatcher: agent });
    await reply.body.text();
    await agent.close();
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];

    expect(Object.keys(info)).toEqual(['url', 'fingerprint', 'users']);
    expect(info.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(info.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(info.users).toEqual([
      { userid: 'alice@pve', password: 'alice-lab-pass' },
      { userid: 'bob@pve', password: 'bob-lab-pass' },
      {
        userid: 'carol@pve',
        password: 'carol-lab-pass',
        totpSecret: 'KRUGS4ZANFZSAYJAMRSW23ZAONSWG4TF',
      },
      { userid: 'labadmin@pve', password: 'labadmin-lab-pass' },
    ]);
    expect(stderr).toContain('GET /access/domains -> 200\n');
    expect(code).toBe(0);
  }, 30_000);

  it('with --root-ca prints the cluster CA, which issued the certificate it serves', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', cliPath, '--port', '0', '--root-ca'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const lines = createInterface({ input: child.stdout });
    const [firstLine] = (await once(lines, 'line')) as [string];
    const info = JSON.parse(firstLine) as { url: string; fingerprint: string; caPem: string };
    // Verifying the chain (and 127.0.0.1 against the SANs) with only that CA must succeed.
    const socket = tlsConnect({
      host: '127.0.0.1',
      port: Number(new URL(info.url).port),
      ca: [info.caPem],
      rejectUnauthorized: true,
    });
    await once(socket, 'secureConnect');
    const authorized = socket.authorized;
    socket.destroy();
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
    const ca = new X509Certificate(info.caPem);

    expect(Object.keys(info)).toEqual(['url', 'fingerprint', 'users', 'caPem']);
    expect(ca.ca).toBe(true);
    expect(authorized).toBe(true);
  });

  it('with --node-listeners prints each node, served on its own address', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', cliPath, '--port', '0', '--node-listeners'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const lines = createInterface({ input: child.stdout });
    const [firstLine] = (await once(lines, 'line')) as [string];
    const info = JSON.parse(firstLine) as {
      url: string;
      nodes: Array<{ name: string; url: string; fingerprint: string }>;
    };
    const second = new URL(info.nodes[1]?.url ?? 'https://invalid');
    const socket = tlsConnect({
      host: second.hostname,
      port: Number(second.port),
      rejectUnauthorized: false,
    });
    await once(socket, 'secureConnect');
    const presented = socket.getPeerCertificate().fingerprint256;
    socket.destroy();
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;

    expect(info.nodes.map((node) => node.name)).toEqual(['pve1', 'pve2']);
    expect(info.nodes[0]?.url).toBe(info.url);
    expect(second.hostname).toBe('127.0.0.2');
    expect(second.port).toBe(new URL(info.url).port);
    expect(presented).toBe(info.nodes[1]?.fingerprint);
    expect(info.nodes[0]?.fingerprint).not.toBe(info.nodes[1]?.fingerprint);
  });

  it('refuses a malformed option with a usage line and exit code 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cliPath, '--port', 'eighty'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

    const [code] = (await once(child, 'exit')) as [number | null];

    expect(code).toBe(2);
    expect(stderr).toContain("--port must be a whole number 0-65535, got 'eighty'");
    expect(stderr).toContain('usage: npm run sim --');
  });
});

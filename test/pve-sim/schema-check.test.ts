import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from 'undici';
import { bundledScenarioPath, defaultSchemaPath, loadScenario, type Sim } from './index.js';
import { checkRequest, issuesToErrors } from './schema-check.js';
import { checkNamedFormat, perlPatternToRegExp } from './schema-formats.js';
import { loadApiSchema, type SchemaProperty } from './schema-index.js';
import { call, insecureAgent, login, startLab } from './test-client.js';

const haveSchema = existsSync(defaultSchemaPath);
const lookupScript = join(dirname(defaultSchemaPath), 'lookup.mjs');
const upid = 'UPID:pve1:0002F41A:01C9E3B1:6B11765C:resize:100:alice@pve:';

/** method, path, params, and the top-level parameters that must be refused. */
const cases: [string, string, Record<string, string>, string[]][] = [
  ['PUT', '/nodes/pve1/qemu/100/resize', { disk: 'scsi0', size: '+2G' }, []],
  ['PUT', '/nodes/pve1/qemu/100/resize', { disk: 'scsi0', size: '+abc' }, ['size']],
  ['PUT', '/nodes/pve1/qemu/100/resize', { disk: 'scsi31', size: '1G' }, ['disk']],
  ['PUT', '/nodes/pve1/qemu/100/resize', { size: '1G', foo: '1' }, ['disk', 'foo']],
  [
    'POST',
    '/nodes/pve1/qemu/100/config',
    { net0: 'virtio=BC:24:11:2A:10:00,bridge=vmbr0,rate=abc' },
    ['net0'],
  ],
  [
    'POST',
    '/nodes/pve1/qemu/100/config',
    { net0: 'virtio=BC:24:11:2A:10:00,rate=12.5,tag=5000' },
    ['net0'],
  ],
  [
    'POST',
    '/nodes/pve1/qemu/100/config',
    { scsi0: 'local-lvm:32,iothread=1,ssd=1', memory: '4096' },
    [],
  ],
  [
    'POST',
    '/nodes/pve1/qemu/100/config',
    { net0: 'virtio=BD:24:11:2A:10:00', cores: '0' },
    ['net0', 'cores'],
  ],
  [
    'PUT',
    '/nodes/pve1/lxc/200/config',
    { net0: 'bridge=vmbr0', mp0: 'tank:vm-200-disk-1,size=20G' },
    ['net0', 'mp0'],
  ],
  ['GET', '/nodes/pve1/qemu/abc/config', {}, ['vmid']],
  ['GET', '/cluster/resources', { type: 'qemu' }, ['type']],
  ['GET', '/nodes/pve1/storage/local/content', { vmid: '99', content: 'iso' }, ['vmid']],
  ['GET', `/nodes/pve1/tasks/${upid}/log`, { start: '-1' }, ['start']],
  ['POST', '/access/ticket', { username: 'alice' }, ['password']],
];

function segmentsOf(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

describe.skipIf(!haveSchema)('schema check against the official PVE schema', () => {
  const schema = haveSchema ? loadApiSchema(defaultSchemaPath) : null;

  function refused(method: string, path: string, params: Record<string, string>): string[] {
    if (!schema) throw new Error('schema not loaded');
    const result = checkRequest(schema, method, segmentsOf(path), params);
    return Object.keys(issuesToErrors(result.issues)).sort();
  }

  it.each(cases)('%s %s %j refuses exactly %j', (method, path, params, expected) => {
    expect(refused(method, path, params)).toEqual([...expected].sort());
  });

  it.skipIf(!existsSync(lookupScript))(
    'agrees with lookup.mjs on which parameters are refused',
    () => {
      for (const [method, path, params] of cases) {
        const run = spawnSync(
          process.execPath,
          [lookupScript, method, path, '--validate', JSON.stringify(params)],
          {
            encoding: 'utf8',
          },
        );
        const report = JSON.parse(run.stdout) as { violations: { param: string }[] };
        const theirs = [...new Set(report.violations.map((v) => v.param.split('.')[0]))].sort();

        expect({ method, path, refused: refused(method, path, params) }).toEqual({
          method,
          path,
          refused: theirs,
        });
      }
    },
  );

  it('explains a property-string error with the key inside the string', () => {
    if (!schema) throw new Error('schema not loaded');
    const result = checkRequest(schema, 'POST', segmentsOf('/nodes/pve1/qemu/100/config'), {
      net0: 'virtio=BC:24:11:2A:10:00,bridge=vmbr0,rate=abc',
    });

    expect(result.issues).toEqual([
      { param: 'net0.rate', message: "type check ('number') failed - got 'abc'" },
    ]);
    expect(issuesToErrors(result.issues)).toEqual({
      net0: "invalid format - rate: type check ('number') failed - got 'abc'",
    });
  });

  it('reports a missing endpoint as such', () => {
    if (!schema) throw new Error('schema not loaded');

    expect(checkRequest(schema, 'GET', segmentsOf('/nodes/pve1/frobnicate'), {})).toEqual({
      endpoint: null,
      issues: [],
    });
  });

  it('compiles every pattern the schema uses', () => {
    if (!schema) throw new Error('schema not loaded');
    const patterns = new Set<string>();
    const walk = (property: SchemaProperty): void => {
      if (property.pattern !== undefined) patterns.add(property.pattern);
      if (property.format && typeof property.format === 'object')
        Object.values(property.format).forEach(walk);
      if (property.items) walk(property.items);
    };
    for (const endpoint of schema.all())
      Object.values(endpoint.method.parameters?.properties ?? {}).forEach(walk);

    const failing = [...patterns].filter((pattern) => perlPatternToRegExp(pattern) === null);

    expect(patterns.size).toBeGreaterThan(50);
    expect(failing).toEqual([]);
  });

  it('accepts every config of the bundled lab as a config write', () => {
    if (!schema) throw new Error('schema not loaded');
    const scenario = loadScenario(bundledScenarioPath);

    for (const guest of scenario.instances) {
      // `meta` is written by PVE itself and is not a parameter of a config write.
      const config = { ...guest.config };
      delete config.meta;
      const method = guest.type === 'qemu' ? 'POST' : 'PUT';
      const result = checkRequest(
        schema,
        method,
        ['nodes', guest.node, guest.type, String(guest.vmid), 'config'],
        config,
      );

      expect({ vmid: guest.vmid, issues: result.issues }).toEqual({ vmid: guest.vmid, issues: [] });
    }
  });
});

describe('named formats and patterns', () => {
  it('checks each item of a -list format', () => {
    expect(checkNamedFormat('pve-vmid-list', '100,101;102')).toBeNull();
    expect(checkNamedFormat('pve-vmid-list', '100,abc')).toBe(
      'value does not look like a valid VM ID',
    );
  });

  it('accepts a unicast MAC and refuses a multicast one', () => {
    expect(checkNamedFormat('mac-addr', 'BC:24:11:2A:10:00')).toBeNull();
    expect(checkNamedFormat('mac-addr', 'BD:24:11:2A:10:00')).toBe(
      'value does not look like a valid unicast MAC address',
    );
  });

  it('translates Perl groups, case-insensitive groups and {,n}, anchored', () => {
    expect(perlPatternToRegExp('(?^:\\d+(?:;\\d+)*)')?.test('1;2')).toBe(true);
    expect(perlPatternToRegExp('(?^:\\d+(?:;\\d+)*)')?.test('x1;2')).toBe(false);
    expect(perlPatternToRegExp('(?^i:[a-z]+)')?.test('ABC')).toBe(true);
    expect(perlPatternToRegExp('[A-Z]{,3}')?.test('ABCD')).toBe(false);
    expect(perlPatternToRegExp('[A-Z]{,3}')?.test('ABC')).toBe(true);
  });
});

describe.skipIf(!haveSchema)('schema check in the running simulator', () => {
  let sim: Sim;
  let agent: Agent;

  beforeAll(async () => {
    sim = await startLab();
    agent = insecureAgent();
  });

  afterAll(async () => {
    await sim.close();
    await agent.close();
  });

  it('refuses a bad request with 400 and records the violation', async () => {
    const alice = await login(sim, agent, 'alice@pve');

    const reply = await call(sim, agent, 'PUT', '/nodes/pve1/qemu/100/resize', {
      session: alice,
      form: { disk: 'scsi0', size: '+abc' },
    });

    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({
      data: null,
      errors: { size: 'value does not match the regex pattern' },
      message: 'Parameter verification failed.\n',
    });
    expect(sim.schemaViolations).toEqual([
      {
        method: 'PUT',
        path: '/nodes/pve1/qemu/100/resize',
        param: 'size',
        message: 'value does not match the regex pattern',
      },
    ]);
    expect(sim.state.tasks.size).toBe(0);
  });

  it('records nothing for good requests', async () => {
    const before = sim.schemaViolations.length;
    const bob = await login(sim, agent, 'bob@pve');

    await call(sim, agent, 'GET', '/cluster/resources', { session: bob, query: { type: 'vm' } });
    await call(sim, agent, 'GET', '/nodes/pve2/qemu/110/config', { session: bob });
    const resize = await call(sim, agent, 'PUT', '/nodes/pve2/qemu/110/resize', {
      session: bob,
      json: { disk: 'scsi0', size: '+1G' },
    });

    expect(resize.status).toBe(200);
    expect(sim.schemaViolations.length).toBe(before);
  });
});

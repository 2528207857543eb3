import { describe, expect, it } from 'vitest';
import {
  cpuModelHint,
  cpuModelLabel,
  cpuModelOptions,
  cpuModelUnavailableNote,
  type CpuModelRule,
} from './cpu-model-options';

/** Rules as `quota:constraints` gives them, none limiting a node. */
function rulesOf(...rules: Array<Pick<CpuModelRule, 'match' | 'max'>>): CpuModelRule[] {
  return rules.map((rule) => ({ ...rule, perNode: {} }));
}

/** On pve1, with usage not read yet. */
const unknownUse = { node: 'pve1', used: null };

/** The models offered and whether each may be chosen, with why not. */
function choices(options: ReturnType<typeof cpuModelOptions>): Array<[string, string | null]> {
  return options.models.map((choice) => [
    choice.model,
    choice.available ? null : (choice.reason ?? 'no reason'),
  ]);
}

describe('cpuModelOptions', () => {
  it('offers the current model, then each model a rule names exactly, without patterns', () => {
    const options = cpuModelOptions(
      rulesOf(
        { match: 'x86-64-v2*', max: 2 },
        { match: 'host', max: 1 },
        { match: '/^EPYC/i', max: 1 },
        { match: 'x86-64-v3', max: 4 },
      ),
      'x86-64-v2-AES',
      unknownUse,
    );

    expect(options).toEqual({
      models: [
        { model: 'x86-64-v2-AES', available: true, reason: null },
        { model: 'host', available: true, reason: null },
        { model: 'x86-64-v3', available: true, reason: null },
      ],
      patterns: ['x86-64-v2*', '/^EPYC/i'],
      limited: true,
    });
  });

  it('lists the current model once when a rule names it too', () => {
    const options = cpuModelOptions(rulesOf({ match: 'host', max: 1 }), 'host', unknownUse);

    expect(choices(options)).toEqual([['host', null]]);
  });

  it('leaves out a model whose rule allows none, and starts without a model for the default', () => {
    const options = cpuModelOptions(
      rulesOf({ match: 'host', max: 0 }, { match: 'kvm64', max: 3 }),
      null,
      unknownUse,
    );

    expect(choices(options)).toEqual([['kvm64', null]]);
  });

  it('offers only the current model when the policy has no rules', () => {
    expect(cpuModelOptions([], 'host', unknownUse)).toEqual({
      models: [{ model: 'host', available: true, reason: null }],
      patterns: [],
      limited: false,
    });
  });

  it("marks a model whose limit on the VM's node is used up, while the global limit has room", () => {
    const rules = [{ match: 'host', max: 3, perNode: { pve1: 1 } }];
    const used = [
      { resource: 'cpuModel:host', used: 1 },
      { resource: 'cpuModel:host@pve1', used: 1 },
    ];

    const options = cpuModelOptions(rules, 'kvm64', { node: 'pve1', used });

    expect(options.models).toEqual([
      { model: 'kvm64', available: true, reason: null },
      { model: 'host', available: false, reason: '1 of 1 used on pve1' },
    ]);
  });

  it('offers the model on a node its per-node limits do not name while the global limit has room', () => {
    const rules = [{ match: 'host', max: 3, perNode: { pve1: 1 } }];
    const used = [
      { resource: 'cpuModel:host', used: 1 },
      { resource: 'cpuModel:host@pve1', used: 1 },
    ];

    const options = cpuModelOptions(rules, null, { node: 'pve2', used });

    expect(choices(options)).toEqual([['host', null]]);
  });

  it("offers the model on another node whose own limit has room, counting only that node's use", () => {
    const rules = [{ match: 'host', max: 3, perNode: { pve1: 1, pve2: 1 } }];
    const used = [
      { resource: 'cpuModel:host', used: 1 },
      { resource: 'cpuModel:host@pve1', used: 1 },
      { resource: 'cpuModel:host@pve2', used: 0 },
    ];

    const options = cpuModelOptions(rules, null, { node: 'pve2', used });

    expect(choices(options)).toEqual([['host', null]]);
  });

  it('marks a model whose global limit is used up, whatever room its node has', () => {
    const rules = [{ match: 'host', max: 2, perNode: { pve2: 2 } }];
    const used = [
      { resource: 'cpuModel:host', used: 2 },
      { resource: 'cpuModel:host@pve2', used: 0 },
    ];

    const options = cpuModelOptions(rules, null, { node: 'pve2', used });

    expect(choices(options)).toEqual([['host', '2 of 2 used']]);
  });

  it('marks a model the policy forbids on the node even before usage is read', () => {
    const rules = [{ match: 'host', max: 2, perNode: { pve1: 0 } }];

    expect(choices(cpuModelOptions(rules, null, unknownUse))).toEqual([
      ['host', 'not allowed on pve1'],
    ]);
    expect(choices(cpuModelOptions(rules, null, { node: 'pve2', used: null }))).toEqual([
      ['host', null],
    ]);
  });

  it('keeps the current model choosable when its rule is full, since keeping it adds nothing', () => {
    const rules = [{ match: 'host', max: 1, perNode: { pve1: 1 } }];
    const used = [
      { resource: 'cpuModel:host', used: 1 },
      { resource: 'cpuModel:host@pve1', used: 1 },
    ];

    const options = cpuModelOptions(rules, 'host', { node: 'pve1', used });

    expect(choices(options)).toEqual([['host', null]]);
  });

  it("marks a named model whose pattern rule's room on the node is used up, naming the pattern", () => {
    const rules: CpuModelRule[] = [
      { match: 'x86-64-v4', max: 3, perNode: {} },
      { match: '/^x86-64-v[34]$/', max: 3, perNode: { pve1: 1 } },
    ];
    const used = [
      { resource: 'cpuModel:x86-64-v4', used: 0 },
      { resource: 'cpuModel:/^x86-64-v[34]$/', used: 1 },
      { resource: 'cpuModel:/^x86-64-v[34]$/@pve1', used: 1 },
    ];

    const onPve1 = cpuModelOptions(rules, 'kvm64', { node: 'pve1', used });
    const onPve2 = cpuModelOptions(rules, 'kvm64', { node: 'pve2', used });

    expect(choices(onPve1)).toEqual([
      ['kvm64', null],
      ['x86-64-v4', '1 of 1 used on pve1 under /^x86-64-v[34]$/'],
    ]);
    expect(choices(onPve2)).toEqual([
      ['kvm64', null],
      ['x86-64-v4', null],
    ]);
  });

  it("marks a named model whose glob rule's global room is used up", () => {
    const rules = rulesOf({ match: 'x86-64-v3', max: 4 }, { match: 'x86-64-*', max: 2 });
    const used = [
      { resource: 'cpuModel:x86-64-v3', used: 1 },
      { resource: 'cpuModel:x86-64-*', used: 2 },
    ];

    const options = cpuModelOptions(rules, null, { node: 'pve1', used });

    expect(choices(options)).toEqual([['x86-64-v3', '2 of 2 used under x86-64-*']]);
  });

  it('offers a model under a full pattern when the current model matches it too, as the move adds none', () => {
    const rules = rulesOf({ match: 'x86-64-v3', max: 4 }, { match: 'x86-64-*', max: 2 });
    const used = [
      { resource: 'cpuModel:x86-64-v3', used: 0 },
      { resource: 'cpuModel:x86-64-*', used: 2 },
    ];

    const options = cpuModelOptions(rules, 'x86-64-v2-AES', { node: 'pve1', used });

    expect(choices(options)).toEqual([
      ['x86-64-v2-AES', null],
      ['x86-64-v3', null],
    ]);
  });

  it("counts a VM without a model as the policy's default one, as the engine does", () => {
    const rules = rulesOf({ match: 'kvm32', max: 2 }, { match: 'kvm*', max: 1 });
    const used = [
      { resource: 'cpuModel:kvm32', used: 0 },
      { resource: 'cpuModel:kvm*', used: 1 },
    ];

    const asDefault = cpuModelOptions(rules, null, { node: 'pve1', used, defaultModel: 'kvm64' });
    const unknown = cpuModelOptions(rules, null, { node: 'pve1', used });

    expect(choices(asDefault)).toEqual([['kvm32', null]]);
    expect(choices(unknown)).toEqual([['kvm32', '1 of 1 used under kvm*']]);
  });

  it('marks a named model a pattern rule allows none of, even before usage is read', () => {
    const rules = rulesOf({ match: 'host', max: 2 }, { match: '/^HOST$/i', max: 0 });

    expect(choices(cpuModelOptions(rules, null, unknownUse))).toEqual([
      ['host', 'not allowed under /^HOST$/i'],
    ]);
  });
});

const hostChoice = { model: 'host', available: true, reason: null };

describe('cpuModelHint', () => {
  it('names the patterns the list leaves out', () => {
    const hint = cpuModelHint({ models: [hostChoice], patterns: ['x86-64-v2*'], limited: true });

    expect(hint).toBe(
      'Lists the current model and the models the lab policy allows by name. The policy also allows models matching x86-64-v2*, which cannot be listed here.',
    );
  });

  it('says what the list is when every rule names a model', () => {
    expect(cpuModelHint({ models: [hostChoice], patterns: [], limited: true })).toBe(
      'Lists the current model and the models the lab policy allows by name.',
    );
  });

  it('says the policy lists nothing when it does not limit CPU models', () => {
    expect(cpuModelHint({ models: [], patterns: [], limited: false })).toBe(
      'The lab policy does not limit CPU models, and lists none to choose from.',
    );
  });
});

describe('cpuModelLabel', () => {
  it('marks the current model, and gives a model without room its reason', () => {
    const full = { model: 'host', available: false, reason: '1 of 1 used on pve1' };

    expect(cpuModelLabel(hostChoice, 'host')).toBe('host (current)');
    expect(cpuModelLabel(hostChoice, 'kvm64')).toBe('host');
    expect(cpuModelLabel(full, null)).toBe('host (1 of 1 used on pve1)');
  });
});

describe('cpuModelUnavailableNote', () => {
  it('names each listed model that cannot be chosen, with its reason', () => {
    const note = cpuModelUnavailableNote({
      models: [
        hostChoice,
        { model: 'x86-64-v4', available: false, reason: '1 of 1 used on pve1 under x86-64-v*' },
        { model: 'EPYC', available: false, reason: 'not allowed on pve1' },
      ],
      patterns: ['x86-64-v*'],
      limited: true,
    });

    expect(note).toBe(
      'Cannot be chosen now: x86-64-v4 (1 of 1 used on pve1 under x86-64-v*); EPYC (not allowed on pve1).',
    );
  });

  it('gives no note when every listed model can be chosen', () => {
    expect(
      cpuModelUnavailableNote({ models: [hostChoice], patterns: [], limited: true }),
    ).toBeNull();
  });
});

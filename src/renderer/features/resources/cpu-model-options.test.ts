import { describe, expect, it } from 'vitest';
import { cpuModelHint, cpuModelOptions } from './cpu-model-options';

describe('cpuModelOptions', () => {
  it('offers the current model, then each model a rule names exactly, without patterns', () => {
    const options = cpuModelOptions(
      [
        { match: 'x86-64-v2*', max: 2 },
        { match: 'host', max: 1 },
        { match: '/^EPYC/i', max: 1 },
        { match: 'x86-64-v3', max: 4 },
      ],
      'x86-64-v2-AES',
    );

    expect(options).toEqual({
      models: ['x86-64-v2-AES', 'host', 'x86-64-v3'],
      patterns: ['x86-64-v2*', '/^EPYC/i'],
      limited: true,
    });
  });

  it('lists the current model once when a rule names it too', () => {
    const options = cpuModelOptions([{ match: 'host', max: 1 }], 'host');

    expect(options.models).toEqual(['host']);
  });

  it('leaves out a model whose rule allows none, and starts without a model for the default', () => {
    const options = cpuModelOptions(
      [
        { match: 'host', max: 0 },
        { match: 'kvm64', max: 3 },
      ],
      null,
    );

    expect(options.models).toEqual(['kvm64']);
  });

  it('offers only the current model when the policy has no rules', () => {
    expect(cpuModelOptions([], 'host')).toEqual({ models: ['host'], patterns: [], limited: false });
  });
});

describe('cpuModelHint', () => {
  it('names the patterns the list leaves out', () => {
    const hint = cpuModelHint({ models: ['host'], patterns: ['x86-64-v2*'], limited: true });

    expect(hint).toBe(
      'Lists the current model and the models the lab policy allows by name. The policy also allows models matching x86-64-v2*, which cannot be listed here.',
    );
  });

  it('says what the list is when every rule names a model', () => {
    expect(cpuModelHint({ models: ['host'], patterns: [], limited: true })).toBe(
      'Lists the current model and the models the lab policy allows by name.',
    );
  });

  it('says the policy lists nothing when it does not limit CPU models', () => {
    expect(cpuModelHint({ models: [], patterns: [], limited: false })).toBe(
      'The lab policy does not limit CPU models, and lists none to choose from.',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { MemoryStore } from './key-value-store';
import { ParsedSetting } from './parsed-setting';

describe('ParsedSetting', () => {
  function counted(store: MemoryStore): {
    setting: ParsedSetting<{ n: number[] }>;
    parses: () => number;
  } {
    let parses = 0;
    const setting = new ParsedSetting(store, 'value', (stored) => {
      parses += 1;
      if (stored === 'broken') throw new Error('unreadable');
      return { n: [Number(stored ?? 0)] };
    });
    return { setting, parses: () => parses };
  }

  it('parses once until the store is written, then reads the new value', () => {
    const store = new MemoryStore();
    store.set('value', 1);
    const { setting, parses } = counted(store);

    expect(setting.read()).toEqual({ n: [1] });
    expect(setting.read()).toEqual({ n: [1] });
    expect(parses()).toBe(1);

    store.set('other', 'x');
    store.set('value', 2);
    expect(setting.read()).toEqual({ n: [2] });
    store.delete('value');
    expect(setting.read()).toEqual({ n: [0] });
    expect(parses()).toBe(3);
  });

  it('keeps no failed parse: a damaged value fails on every read until it is fixed', () => {
    const store = new MemoryStore();
    store.set('value', 'broken');
    const { setting, parses } = counted(store);

    expect(() => setting.read()).toThrow('unreadable');
    expect(() => setting.read()).toThrow('unreadable');
    expect(parses()).toBe(2);
    store.set('value', 3);
    expect(setting.read()).toEqual({ n: [3] });
  });

  it('hands out a value no reader can change for the others', () => {
    const store = new MemoryStore();
    store.set('value', 4);
    const { setting } = counted(store);
    const first = setting.read();

    expect(() => first.n.push(5)).toThrow(TypeError);
    expect(() => {
      first.n = [];
    }).toThrow(TypeError);
    expect(setting.read()).toEqual({ n: [4] });
  });
});

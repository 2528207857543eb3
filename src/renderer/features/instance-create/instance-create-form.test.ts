import { describe, expect, it } from 'vitest';
import { instanceCreateInputSchema } from '../../../shared/instance-create-schemas';
import { pveFieldMaps } from '../../../main/core/pve-field-names';
import {
  cpuModelChoices,
  createServerFields,
  initialCreateValues,
  instanceCreateFormSchema,
  toCreateInput,
  toPreviewChange,
  type InstanceCreateFormValues,
} from './instance-create-form';

const vmValues: InstanceCreateFormValues = {
  ...initialCreateValues,
  node: 'pve1',
  name: 'web1',
  cores: 2,
  memoryMiB: 2048,
  storage: 'local-lvm',
  sizeGiB: 16,
};

describe('toCreateInput', () => {
  it('turns a VM form into the channel input, leaving out what was not chosen', () => {
    const input = toCreateInput(vmValues);

    expect(input).toEqual({
      type: 'qemu',
      node: 'pve1',
      name: 'web1',
      cores: 2,
      memoryMiB: 2048,
      disk: { storage: 'local-lvm', bus: 'scsi', sizeGiB: 16 },
    });
    expect(instanceCreateInputSchema.safeParse(input).success).toBe(true);
  });

  it('turns a container form with an id, template, pool and password into the channel input', () => {
    const input = toCreateInput({
      ...vmValues,
      type: 'lxc',
      vmid: '250',
      pool: 'lab',
      template: 'Web server',
      swapMiB: 256,
      ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
      password: 'secret12',
      iso: 'local:iso/ignored.iso',
    });

    expect(input).toEqual({
      type: 'lxc',
      node: 'pve1',
      name: 'web1',
      vmid: 250,
      pool: 'lab',
      template: 'Web server',
      cores: 2,
      memoryMiB: 2048,
      swapMiB: 256,
      ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
      rootfs: { storage: 'local-lvm', sizeGiB: 16 },
      password: 'secret12',
    });
    expect(instanceCreateInputSchema.safeParse(input).success).toBe(true);
  });
});

describe('instanceCreateFormSchema', () => {
  function problems(values: Partial<InstanceCreateFormValues>): string[] {
    const result = instanceCreateFormSchema.safeParse({ ...vmValues, ...values });
    return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
  }

  it('accepts a complete VM form', () => {
    expect(problems({})).toEqual([]);
  });

  it.each([
    [{ name: 'bad name' }, 'name'],
    [{ name: '-web' }, 'name'],
    [{ vmid: '12' }, 'vmid'],
    [{ vmid: 'abc' }, 'vmid'],
    [{ cores: 0 }, 'cores'],
    [{ cores: Number.NaN }, 'cores'],
    [{ memoryMiB: 8 }, 'memoryMiB'],
    [{ sizeGiB: 1.5 }, 'sizeGiB'],
    [{ password: 'abc' }, 'password'],
    [{ type: 'lxc' as const, ostemplate: '' }, 'ostemplate'],
  ])('refuses %o in %s', (values, field) => {
    expect(problems(values)).toContain(field);
  });
});

describe('cpuModelChoices', () => {
  it('offers the common models when the policy lists none', () => {
    expect(cpuModelChoices([])).toEqual([
      'x86-64-v2-AES',
      'x86-64-v3',
      'x86-64-v4',
      'host',
      'kvm64',
      'qemu64',
    ]);
  });

  it('offers the plain names the policy lists and the common models its patterns allow', () => {
    expect(
      cpuModelChoices([{ match: 'custom-fast' }, { match: 'x86-64-v[34]*' }, { match: '/^KVM/i' }]),
    ).toEqual(['custom-fast', 'kvm64']);
    expect(cpuModelChoices([{ match: 'x86-64-v*' }])).toEqual([
      'x86-64-v2-AES',
      'x86-64-v3',
      'x86-64-v4',
    ]);
  });
});

describe('toPreviewChange', () => {
  it('describes the create the form holds, for quota:preview', () => {
    expect(toPreviewChange({ ...vmValues, vmid: '150' })).toEqual({
      kind: 'instance:create',
      ...toCreateInput(vmValues),
      vmid: 150,
    });
  });

  it('leaves the root password out of a container preview', () => {
    const change = toPreviewChange({
      ...vmValues,
      type: 'lxc',
      ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
      password: 'correct-horse',
    });

    expect(change).toMatchObject({ kind: 'instance:create', type: 'lxc' });
    expect(JSON.stringify(change)).not.toContain('correct-horse');
  });

  it('describes nothing while the form is not valid', () => {
    expect(toPreviewChange({ ...vmValues, name: '-web' })).toBeNull();
    expect(toPreviewChange({ ...vmValues, cores: Number.NaN })).toBeNull();
    expect(toPreviewChange({ ...vmValues, type: 'lxc', ostemplate: '' })).toBeNull();
  });
});

describe('createServerFields', () => {
  it('shows under a form field every PVE parameter main renames for instance:create', () => {
    const map = pveFieldMaps['instance:create'];
    const named = [
      ...Object.values(map?.params ?? {}),
      ...Object.values(map?.slot?.options ?? {}),
      ...(map?.slot?.whole === undefined ? [] : [map.slot.whole]),
    ];

    expect(named.filter((field) => !Object.hasOwn(createServerFields, field))).toEqual([]);
  });

  it('maps the disk and root disk fields of both guest types onto the one set of fields', () => {
    expect(
      ['disk.storage', 'rootfs.storage', 'disk.sizeGiB', 'rootfs.sizeGiB', 'disk.bus'].map(
        (field) => createServerFields[field],
      ),
    ).toEqual(['storage', 'storage', 'sizeGiB', 'sizeGiB', 'bus']);
  });
});

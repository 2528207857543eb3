import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { pveFieldMaps, toInputFields, withInputFieldNames } from './pve-field-names';

function refused(fields: Record<string, string>): AppError {
  return new AppError('PVE_VALIDATION', 'PVE refused the values.', { status: 400, fields });
}

describe('withInputFieldNames', () => {
  it('puts a rate PVE refused inside net0 on the rate field of a rate change', () => {
    const error = withInputFieldNames(
      'net:modify',
      refused({ 'net0.rate': 'value must have a maximum value of 100' }),
    );

    expect(error.details).toEqual({
      status: 400,
      fields: { rateMBps: 'value must have a maximum value of 100' },
    });
    expect(error.message).toBe('PVE refused the values.');
  });

  it('names the options of a new interface by the add form fields', () => {
    const error = withInputFieldNames(
      'net:create',
      refused({ 'net2.tag': 'too large', 'net2.bridge': 'no such bridge', 'net2.rate': 'bad' }),
    );

    expect(error.details?.fields).toEqual({
      vlanTag: 'too large',
      bridge: 'no such bridge',
      rateMBps: 'bad',
    });
  });

  it('names resize, resource and move parameters by their input fields', () => {
    expect(
      withInputFieldNames('disk:resize', refused({ size: 'bad size' })).details?.fields,
    ).toEqual({ addGiB: 'bad size' });
    expect(
      withInputFieldNames('instance:resources', refused({ memory: 'too small', cores: 'x' }))
        .details?.fields,
    ).toEqual({ memoryMiB: 'too small', cores: 'x' });
    expect(
      withInputFieldNames('disk:move', refused({ storage: 'not there', delete: 'not 0/1' })).details
        ?.fields,
    ).toEqual({ targetStorage: 'not there', deleteSource: 'not 0/1' });
  });

  it("names a new guest's parameters by the create form's nested fields", () => {
    const error = withInputFieldNames(
      'instance:create',
      refused({ hostname: 'bad name', 'scsi0.size': 'too big', 'rootfs.size': 'too small' }),
    );

    expect(error.details?.fields).toEqual({
      name: 'bad name',
      'disk.sizeGiB': 'too big',
      'rootfs.sizeGiB': 'too small',
    });
  });

  it('maps PCI flags and the device itself', () => {
    const error = withInputFieldNames(
      'pci:attach',
      refused({ 'hostpci1.x-vga': 'not a boolean', hostpci1: 'device busy' }),
    );

    expect(error.details?.fields).toEqual({ xVga: 'not a boolean', device: 'device busy' });
  });

  it('keeps PVE names it has no entry for, and joins two reasons for one field', () => {
    expect(
      toInputFields(pveFieldMaps['instance:resources'] ?? {}, {
        memory: 'too small',
        'memory.current': 'not a number',
        balloon: 'unknown',
      }),
    ).toEqual({ memoryMiB: 'too small; not a number', balloon: 'unknown' });
  });

  it('does not take a parameter of another slot kind for the slot', () => {
    expect(
      withInputFieldNames('net:modify', refused({ 'hostpci0.rate': 'x', netx: 'y' })).details
        ?.fields,
    ).toEqual({ 'hostpci0.rate': 'x', netx: 'y' });
  });

  it('leaves other errors and operations without a map untouched', () => {
    const quota = new AppError('QUOTA_EXCEEDED', 'over', { fields: { size: 'x' } });
    const power = refused({ size: 'x' });

    expect(withInputFieldNames('disk:resize', quota)).toBe(quota);
    expect(withInputFieldNames('instance:power', power)).toBe(power);
  });
});

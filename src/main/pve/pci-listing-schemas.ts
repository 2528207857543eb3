import { z } from 'zod';

// What PVE answers for a node's PCI devices and the cluster's PCI resource mappings. Only the
// fields ProxDesk shows are read; PVE adds more (subsystem ids, mdev support, checks).

/** One row of `GET /nodes/{node}/hardware/pci`. */
export const nodePciDeviceSchema = z.object({
  id: z.string(),
  class: z.string(),
  vendor: z.string(),
  device: z.string(),
  vendor_name: z.string().optional(),
  device_name: z.string().optional(),
  iommugroup: z.number(),
});

/** One row of `GET /cluster/mapping/pci`; `map` holds `node=..,path=..,id=..` strings. */
export const pciMappingSchema = z.object({
  id: z.string(),
  description: z.string().optional(),
  map: z.array(z.string()),
});

/** A PCI device of a node. */
export type NodePciDevice = z.infer<typeof nodePciDeviceSchema>;
/** A PCI resource mapping. */
export type PciMapping = z.infer<typeof pciMappingSchema>;

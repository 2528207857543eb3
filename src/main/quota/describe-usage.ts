import type { QuotaResource } from '../../shared/contract';
import { checkLimits, checkUsage, listResources, numericResources } from './checks';
import { own, type ListLimit, type UserLimits } from './limits';
import { countMatching, listRuleLabel } from './list-limits';
import { compileMatcher } from './match';
import type { QuantityUnit } from './units';
import type { Usage } from './usage';

// Usage as rows against the limits, for the quota panel and the admin view: each numeric
// resource, each per-node limit, each storage the policy names or the user fills, and each
// CPU-model and PCI entry with its per-node limits. The rows are what "over quota" is read from.

/** One row per resource that is limited or used, in a stable order. */
export function describeUsage(limits: UserLimits, usage: Usage): QuotaResource[] {
  checkLimits(limits);
  checkUsage(usage);
  const rows: QuotaResource[] = [];

  for (const { field, resource, label, unit } of numericResources) {
    rows.push(row(resource, label, unit, usage[field], limits[field].max));
    for (const node of Object.keys(limits[field].perNode).sort()) {
      const used = own(usage.perNode, node)?.[field] ?? 0;
      const limit = own(limits[field].perNode, node) ?? null;
      rows.push(row(`${resource}@${node}`, `${label} on ${node}`, unit, used, limit));
    }
  }

  const storages = new Set([...Object.keys(limits.storage), ...Object.keys(usage.storageBytes)]);
  for (const storage of [...storages].sort()) {
    const entry = own(limits.storage, storage);
    const used = own(usage.storageBytes, storage) ?? 0;
    // As in approval: a storage the policy does not name may hold nothing.
    const limit = entry === undefined ? 0 : entry.maxBytes;
    const label = `Storage: ${storage}`;
    rows.push(row(`storage:${storage}`, label, 'bytes', used, limit));
    for (const node of Object.keys(entry?.perNode ?? {}).sort()) {
      const onNode = own(usage.perNode, node)?.storageBytes;
      const usedOnNode = onNode === undefined ? 0 : (own(onNode, storage) ?? 0);
      const nodeLimit = entry === undefined ? null : (own(entry.perNode, node) ?? null);
      rows.push(
        row(`storage:${storage}@${node}`, `${label} on ${node}`, 'bytes', usedOnNode, nodeLimit),
      );
    }
  }

  for (const { field, resource, label } of listResources) {
    const rules = field === 'cpuModels' ? limits.cpuModels : limits.pciDevices;
    rows.push(...listRows(resource, label, rules, usage, field));
  }
  return rows;
}

/** The ids of the rows whose use is above their limit. */
export function overQuota(rows: readonly QuotaResource[]): string[] {
  return rows.filter((r) => r.limit !== null && r.used > r.limit).map((r) => r.resource);
}

/** A row per entry, each followed by its per-node rows, then a row per item no entry allows. */
function listRows(
  resource: string,
  label: string,
  rules: readonly ListLimit[],
  usage: Usage,
  field: 'cpuModels' | 'pciDevices',
): QuotaResource[] {
  if (rules.length === 0) return [];
  const counts = usage[field];
  const rows: QuotaResource[] = [];
  for (const rule of rules) {
    const id = `${resource}:${rule.match}`;
    const title = listRuleLabel(label, rule);
    rows.push(row(id, title, 'count', countMatching(rule, counts), rule.max));
    const perNode = rule.perNode ?? {};
    for (const node of Object.keys(perNode).sort()) {
      const used = countMatching(rule, own(usage.perNode, node)?.[field] ?? {});
      const limit = own(perNode, node) ?? null;
      rows.push(row(`${id}@${node}`, `${title} on ${node}`, 'count', used, limit));
    }
  }
  const matchers = rules.map((rule) => compileMatcher(rule.match));
  for (const name of Object.keys(counts).sort()) {
    if (matchers.some((matches) => matches(name))) continue;
    const used = own(counts, name) ?? 0;
    rows.push(
      row(`${resource}:unlisted:${name}`, `${label} ${name} (not in the policy)`, 'count', used, 0),
    );
  }
  return rows;
}

function row(
  resource: string,
  label: string,
  unit: QuantityUnit,
  used: number,
  limit: number | null,
): QuotaResource {
  const available = limit === null ? null : Math.max(0, limit - used);
  return { resource, label, unit, used, limit, available };
}

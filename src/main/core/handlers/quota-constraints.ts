import type { ListLimit, MediaRule } from '../../quota/limits';
import type { HandlerGroup } from '../context';

/** A list entry as the forms read it; `perNode` is empty when the entry limits no node. */
function listRuleOut(rule: ListLimit): {
  match: string;
  max: number;
  perNode: Record<string, number>;
} {
  return { match: rule.match, max: rule.max, perNode: { ...rule.perNode } };
}

function mediaRulesOut(
  rules: readonly MediaRule[] | null,
): { match: string; label: string | null }[] | null {
  if (rules === null) return null;
  return rules.map((rule) => ({ match: rule.match, label: rule.label ?? null }));
}

/** The policy's constraints for the signed-in user, so forms offer only what would be allowed. */
export const quotaConstraintHandlers: HandlerGroup<'quota:constraints'> = {
  'quota:constraints': async (_input, { sessions, quota }) => {
    const { api, userid } = await sessions.api();
    const limits = await quota.limitsFor(api, userid);
    return {
      userid,
      nodes: limits.nodes === null ? null : [...limits.nodes],
      vmidRanges: limits.vmidRanges === null ? null : limits.vmidRanges.map((r) => ({ ...r })),
      pools: [...limits.pools],
      storages: Object.entries(limits.storage)
        .map(([storage, limit]) => ({ storage, maxBytes: limit.maxBytes, buses: [...limit.buses] }))
        .sort((a, b) => a.storage.localeCompare(b.storage)),
      // A template's config stays in main: the form needs only what choosing it costs.
      templates: limits.templates.map((template) => ({
        name: template.name,
        type: template.type,
        description: template.description,
        cost: { ...template.cost, storageBytes: { ...template.cost.storageBytes } },
      })),
      cpuModels: limits.cpuModels.map(listRuleOut),
      defaultCpuModel: limits.unset.qemuCpuModel,
      pciDevices: limits.pciDevices.map(listRuleOut),
      isoImages: mediaRulesOut(limits.isoImages),
      containerTemplates: mediaRulesOut(limits.containerTemplates),
    };
  },
};

// The CPU models the resources dialog offers. A policy rule names models by pattern (`x86-64-v2*`,
// `/^EPYC/`), and a pattern cannot be listed as choices; only a rule that names one model exactly
// can. So the dialog offers those models and the VM's current one, and names the patterns so the
// user knows what else the policy allows. A named model that some rule matching it (by name or by
// pattern, matched as the quota engine matches) has no room left under for one more guest, in all
// or on the VM's node, is shown but cannot be chosen, with the reason.

import { compileMatcher, type Matcher } from '../../../shared/policy-match';

/** A `cpuModels` rule of the policy as `quota:constraints` gives it. */
export interface CpuModelRule {
  match: string;
  max: number;
  /** Guests per node that may use a matching model; a node not named is limited by max alone. */
  perNode: Readonly<Record<string, number>>;
}

/** A row of `quota:usage`: what a resource (`cpuModel:host`, `cpuModel:host@pve1`) has used. */
export interface UsedRow {
  resource: string;
  used: number;
}

/** Where the VM runs and what its user's guests use; `used` is null while it is not known. */
export interface CpuModelRoom {
  node: string;
  used: readonly UsedRow[] | null;
  /** The model the policy counts a VM without one as; left out or null when not known. */
  defaultModel?: string | null;
}

/** One model of the select; `reason` says why an unavailable one cannot be chosen. */
export interface CpuModelChoice {
  model: string;
  available: boolean;
  reason: string | null;
}

/** What the CPU model select offers, and the rules it could not list. */
export interface CpuModelOptions {
  /** The current model first, then each model a rule names exactly, in the policy's order. */
  models: CpuModelChoice[];
  /** The patterns that allow further models, for the hint under the field. */
  patterns: string[];
  /** Whether the policy limits CPU models at all; with no rule, every model is allowed. */
  limited: boolean;
}

// A glob without `*` or `?`, and not a regular expression, matches exactly one model name.
const exactName = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/** The models to offer for a VM running `current` (null: PVE's default) under `rules`. */
export function cpuModelOptions(
  rules: readonly CpuModelRule[],
  current: string | null,
  room: CpuModelRoom,
): CpuModelOptions {
  const named = rules
    // A rule with max 0 forbids its model, so offering it could only be refused.
    .filter((rule) => exactName.test(rule.match) && rule.max > 0);
  const patterns = rules.filter((rule) => !exactName.test(rule.match)).map((rule) => rule.match);
  const models: CpuModelChoice[] = [];
  if (current !== null) models.push({ model: current, available: true, reason: null });
  const matchers = matchersOf(rules);
  for (const rule of named) {
    if (models.some((choice) => choice.model === rule.match)) continue;
    const reason = noRoomReason(matchers, rule.match, current, room);
    models.push({ model: rule.match, available: reason === null, reason });
  }
  return { models, patterns: [...new Set(patterns)], limited: rules.length > 0 };
}

/** A rule with its compiled pattern. */
interface RuleMatcher {
  rule: CpuModelRule;
  matches: Matcher;
}

function matchersOf(rules: readonly CpuModelRule[]): RuleMatcher[] {
  const compiled: RuleMatcher[] = [];
  for (const rule of rules) {
    try {
      compiled.push({ rule, matches: compileMatcher(rule.match) });
    } catch {
      // Main refuses a policy with a bad pattern, so none reaches here; if one did, the preview
      // would still price the change, and the field simply cannot say more about that rule.
    }
  }
  return compiled;
}

/**
 * Why the VM may not move to `model` on `room.node`, or null when it may. As the engine prices it,
 * each rule matching the model counts one guest more, unless the current model matches that rule
 * too, so the move leaves its count as it is. Usage that is not known yet counts as none: the
 * preview, priced by main, still has the last word.
 */
function noRoomReason(
  matchers: readonly RuleMatcher[],
  model: string,
  current: string | null,
  room: CpuModelRoom,
): string | null {
  // A VM that names no model is counted as the policy's default one, so that is what it leaves.
  const counted = current ?? room.defaultModel ?? null;
  for (const { rule, matches } of matchers) {
    if (!matches(model) || (counted !== null && matches(counted))) continue;
    const reason = ruleNoRoomReason(rule, room);
    if (reason === null) continue;
    // A pattern rule is named, so the user sees which entry of the policy is full.
    return rule.match === model ? reason : `${reason} under ${rule.match}`;
  }
  return null;
}

/** Why a rule has no room for one more guest on `room.node`, or null when it has. */
function ruleNoRoomReason(rule: CpuModelRule, room: CpuModelRoom): string | null {
  const nodeLimit = Object.hasOwn(rule.perNode, room.node) ? rule.perNode[room.node] : undefined;
  if (nodeLimit === 0) return `not allowed on ${room.node}`;
  if (rule.max === 0) return 'not allowed';
  const resource = `cpuModel:${rule.match}`;
  if (nodeLimit !== undefined) {
    const usedOnNode = usedOf(room.used, `${resource}@${room.node}`);
    if (usedOnNode >= nodeLimit) return `${usedOnNode} of ${nodeLimit} used on ${room.node}`;
  }
  const used = usedOf(room.used, resource);
  return used >= rule.max ? `${used} of ${rule.max} used` : null;
}

function usedOf(rows: readonly UsedRow[] | null, resource: string): number {
  return rows?.find((row) => row.resource === resource)?.used ?? 0;
}

/** What one option of the select reads: the model, marked current, or with why it is not offered. */
export function cpuModelLabel(choice: CpuModelChoice, current: string | null): string {
  if (choice.model === current) return `${choice.model} (current)`;
  return choice.reason === null ? choice.model : `${choice.model} (${choice.reason})`;
}

/** The hint under the select: what the list is, and what it leaves out. */
export function cpuModelHint(options: CpuModelOptions): string {
  if (!options.limited) {
    return 'The lab policy does not limit CPU models, and lists none to choose from.';
  }
  const listed = 'Lists the current model and the models the lab policy allows by name.';
  if (options.patterns.length === 0) return listed;
  return `${listed} The policy also allows models matching ${options.patterns.join(', ')}, which cannot be listed here.`;
}

/** The note under the select naming the listed models that cannot be chosen, or null for none. */
export function cpuModelUnavailableNote(options: CpuModelOptions): string | null {
  const blocked = options.models.filter((choice) => !choice.available);
  if (blocked.length === 0) return null;
  const names = blocked.map((choice) => `${choice.model} (${choice.reason ?? 'no room'})`);
  return `Cannot be chosen now: ${names.join('; ')}.`;
}

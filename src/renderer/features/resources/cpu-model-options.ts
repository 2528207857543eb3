// The CPU models the resources dialog offers. A policy rule names models by pattern (`x86-64-v2*`,
// `/^EPYC/`), and a pattern cannot be listed as choices; only a rule that names one model exactly
// can. So the dialog offers those models and the VM's current one, and names the patterns so the
// user knows what else the policy allows.

/** A `cpuModels` rule of the policy as `quota:constraints` gives it. */
export interface CpuModelRule {
  match: string;
  max: number;
}

/** What the CPU model select offers, and the rules it could not list. */
export interface CpuModelOptions {
  /** The current model first, then each model a rule names exactly, in the policy's order. */
  models: string[];
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
): CpuModelOptions {
  const named = rules
    // A rule with max 0 forbids its model, so offering it could only be refused.
    .filter((rule) => exactName.test(rule.match) && rule.max > 0)
    .map((rule) => rule.match);
  const patterns = rules.filter((rule) => !exactName.test(rule.match)).map((rule) => rule.match);
  const models = [...new Set([...(current === null ? [] : [current]), ...named])];
  return { models, patterns: [...new Set(patterns)], limited: rules.length > 0 };
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

// The recovery-plan search over an abstract model: levers with options (days, money), an evaluator that
// gives the limit of a configuration at a horizon. Finds the shortest horizon, then the least money, then
// the fewest steps that reach the target — or else the highest limit reachable.

import { assert } from "../kernel/index.js";

export interface LeverOption {
  /** Days from the decision until this option is complete. */
  readonly days: number;
  readonly moneyMinor: number;
  /** The lever's feature value once complete. */
  readonly value: number;
}

export interface SearchLever {
  readonly id: string;
  /** Options in order of increasing strength (for a money lever: increasing money). */
  readonly options: readonly LeverOption[];
  /** True when the options cost money (at most one money lever). */
  readonly money: boolean;
  /** Extra horizons at which this lever's effect changes (e.g. a 90-day average settling). */
  readonly horizons?: readonly number[];
  /** Preference among free options at a horizon: higher is better (e.g. the characteristic's points). */
  readonly preference?: (option: LeverOption) => number;
}

/** A choice per lever: an option index, or −1 for "not used". */
export type Configuration = readonly number[];

export interface SearchModel {
  readonly levers: readonly SearchLever[];
  /** The earliest day (from the decision) a re-evaluation may happen; horizons start there. */
  readonly earliestDay: number;
  /** Days beyond which no plan is offered. */
  readonly horizonMaxDays: number;
  /** The limit a re-evaluation at `day` gives with these choices made. */
  evaluate(config: Configuration, day: number): number;
}

export interface SearchResult {
  readonly config: Configuration;
  readonly day: number;
  readonly limitMinor: number;
  readonly moneyMinor: number;
  readonly reachedTarget: boolean;
  readonly evaluations: number;
}

/** A search never evaluates more than this many configurations (bounded work per plan). */
export const planEvaluationsMax = 2_000;

function moneyOf(levers: readonly SearchLever[], config: Configuration): number {
  let total = 0;
  for (let i = 0; i < config.length; i++) {
    const choice = config[i]!;
    if (choice >= 0) total += levers[i]!.options[choice]!.moneyMinor;
  }
  return total;
}

/** The model's evaluations, counted against the budget. */
class BudgetedModel {
  evaluations = 0;
  constructor(private readonly model: SearchModel) {}

  evaluate(config: Configuration, day: number): number {
    this.evaluations++;
    assert(this.evaluations <= planEvaluationsMax, "plan search exceeded its evaluation budget");
    return this.model.evaluate(config, day);
  }
}

/** Each option's preference (its index when the lever states none): fixed, so computed once per search. */
function preferencesOf(lever: SearchLever): number[] {
  const preference = lever.preference;
  return lever.options.map((o, i) => (preference ? preference(o) : i));
}

/** The free lever's preferred option available by `day` (the last of the best), or −1. */
function preferredChoice(lever: SearchLever, preferences: readonly number[], day: number): number {
  let choice = -1;
  let bestPreference = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < lever.options.length; i++) {
    if (lever.options[i]!.days > day) continue;
    const p = preferences[i]!;
    if (p >= bestPreference) {
      bestPreference = p;
      choice = i;
    }
  }
  return choice;
}

/**
 * Horizon by horizon (ascending): every free lever at its preferred option available by then, the money
 * lever at each level (ascending). The first horizon that reaches the target wins at its least money;
 * then free steps are dropped one at a time (longest first) while the target still holds.
 * Without a target reached, the highest limit wins (earliest, then least money).
 */
export function searchPlan(model: SearchModel, targetMinor: number): SearchResult {
  const { levers } = model;
  const moneyIndex = levers.findIndex((l) => l.money);
  assert(levers.filter((l) => l.money).length <= 1, "a plan has at most one money lever");
  const horizonSet = new Set<number>([model.earliestDay]);
  for (const lever of levers) {
    for (const o of lever.options) horizonSet.add(Math.max(o.days, model.earliestDay));
    for (const h of lever.horizons ?? []) horizonSet.add(Math.max(h, model.earliestDay));
  }
  const horizons = [...horizonSet].filter((h) => h <= model.horizonMaxDays).sort((a, b) => a - b);
  const budgeted = new BudgetedModel(model);
  const preferences = levers.map((lever) => (lever.money ? [] : preferencesOf(lever)));
  const moneyOptions = moneyIndex < 0 ? [] : levers[moneyIndex]!.options;

  let best: { config: Configuration; day: number; limit: number; money: number } | null = null;
  for (const day of horizons) {
    const free: number[] = [];
    for (let i = 0; i < levers.length; i++) {
      const lever = levers[i]!;
      free.push(lever.money ? -1 : preferredChoice(lever, preferences[i]!, day));
    }
    // Money levels: none (−1), then each option in order.
    for (let level = -1; level < moneyOptions.length; level++) {
      if (level >= 0 && moneyOptions[level]!.days > day) continue;
      const config = free.slice();
      if (moneyIndex >= 0) config[moneyIndex] = level;
      const limit = budgeted.evaluate(config, day);
      const money = moneyOf(levers, config);
      if (best === null || limit > best.limit || (limit === best.limit && money < best.money)) {
        best = { config, day, limit, money };
      }
      if (limit >= targetMinor) break;
    }
    if (best !== null && best.limit >= targetMinor) break;
  }
  if (best === null) {
    const none = levers.map(() => -1);
    return {
      config: none,
      day: model.earliestDay,
      limitMinor: budgeted.evaluate(none, model.earliestDay),
      moneyMinor: 0,
      reachedTarget: false,
      evaluations: budgeted.evaluations,
    };
  }
  // Drop free steps that are not needed, longest first.
  const goal = Math.min(targetMinor, best.limit);
  const config = best.config.slice();
  const order = config
    .map((choice, i) => ({ i, days: choice >= 0 ? levers[i]!.options[choice]!.days : -1 }))
    .filter((x) => x.days >= 0 && !levers[x.i]!.money)
    .sort((a, b) => b.days - a.days || a.i - b.i);
  for (const { i } of order) {
    const saved = config[i]!;
    config[i] = -1;
    if (budgeted.evaluate(config, best.day) < goal) config[i] = saved;
  }
  const finalLimit = budgeted.evaluate(config, best.day);
  return {
    config,
    day: best.day,
    limitMinor: finalLimit,
    moneyMinor: moneyOf(levers, config),
    reachedTarget: finalLimit >= targetMinor,
    evaluations: budgeted.evaluations,
  };
}

// Personas and latent traits of simulated customers. Each customer draws from its own forked stream
// (`customer:<index>`), so adding customers never reshuffles the others. Traits are hidden from the engine:
// it sees only the events they cause.

import { emptyFeatureState } from "../features/index.js";
import type { Rng } from "../kernel/index.js";
import type { PersonaName } from "./types.js";
import type { Customer } from "./world-state.js";

export interface Persona {
  readonly name: PersonaName;
  /** Relative share of the population. */
  readonly weight: number;
  /** Daily chance of logging in / paying with the app (scaled by the customer's activity). */
  readonly loginChance: number;
  readonly paymentChance: number;
  /** Daily chance of a drawdown while the line has headroom. */
  readonly drawdownChance: number;
  /** Share of the available amount drawn: [low, high]. */
  readonly drawShare: readonly [number, number];
  /** Repays each drawdown in full within a week (borrow-and-repay cycling). */
  readonly cycles: boolean;
  /** Daily chance of paying everything off early. */
  readonly payoffChance: number;
  /** Shift of the latent risk. */
  readonly riskShift: number;
  /** Latent risk change per month (positive deteriorates), from `driftFromMonth` on. */
  readonly riskDriftPerMonth: number;
  /** Joins during the simulation rather than in its first weeks; no bureau history at first. */
  readonly joinsLate: boolean;
}

export const personas: readonly Persona[] = [
  {
    name: "steady_user",
    weight: 30,
    loginChance: 0.45,
    paymentChance: 0.25,
    drawdownChance: 0.012,
    drawShare: [0.1, 0.5],
    cycles: false,
    payoffChance: 0.004,
    riskShift: -0.5,
    riskDriftPerMonth: 0,
    joinsLate: false,
  },
  {
    name: "heavy_borrower",
    weight: 14,
    loginChance: 0.55,
    paymentChance: 0.3,
    drawdownChance: 0.06,
    drawShare: [0.5, 1],
    cycles: false,
    payoffChance: 0.001,
    riskShift: 0.6,
    riskDriftPerMonth: 0,
    joinsLate: false,
  },
  {
    name: "cycler",
    weight: 12,
    loginChance: 0.5,
    paymentChance: 0.3,
    drawdownChance: 0.05,
    drawShare: [0.3, 0.9],
    cycles: true,
    payoffChance: 0,
    riskShift: 0.1,
    riskDriftPerMonth: 0,
    joinsLate: false,
  },
  {
    name: "dormant",
    weight: 10,
    loginChance: 0.03,
    paymentChance: 0.01,
    drawdownChance: 0.002,
    drawShare: [0.1, 0.4],
    cycles: false,
    payoffChance: 0.003,
    riskShift: -0.2,
    riskDriftPerMonth: 0,
    joinsLate: false,
  },
  {
    name: "deteriorating",
    weight: 10,
    loginChance: 0.4,
    paymentChance: 0.2,
    drawdownChance: 0.03,
    drawShare: [0.3, 0.9],
    cycles: false,
    payoffChance: 0.002,
    riskShift: 0.2,
    riskDriftPerMonth: 0.22,
    joinsLate: false,
  },
  {
    name: "recovering",
    weight: 9,
    loginChance: 0.4,
    paymentChance: 0.2,
    drawdownChance: 0.015,
    drawShare: [0.2, 0.6],
    cycles: false,
    payoffChance: 0.003,
    riskShift: 1.2,
    riskDriftPerMonth: -0.2,
    joinsLate: false,
  },
  {
    name: "newcomer",
    weight: 15,
    loginChance: 0.35,
    paymentChance: 0.15,
    drawdownChance: 0.02,
    drawShare: [0.2, 0.7],
    cycles: false,
    payoffChance: 0.003,
    riskShift: 0.3,
    riskDriftPerMonth: 0,
    joinsLate: true,
  },
];

const personaWeightTotal = personas.reduce((s, p) => s + p.weight, 0);

/** Days over which established customers open their lines at the start. */
export const establishedOnboardingDays = 60;

export interface Traits {
  readonly persona: Persona;
  /** Monthly income, minor units. */
  readonly incomeMinor: number;
  /** Latent risk at the start: standard normal plus the persona's shift. */
  readonly risk0: number;
  /** 0–1: repays on time when able. */
  readonly discipline: number;
  /** 0–1: scales app activity. */
  readonly activity: number;
  /** 0–1: scales borrowing. */
  readonly appetite: number;
  /** External debt in months of income at zero latent risk. */
  readonly debtMonths: number;
  /** Verifications done at onboarding (1–6). */
  readonly verifications: number;
  /** Day index (from the start) when the line opens. */
  readonly onboardDay: number;
  /** Month from which the persona's drift applies. */
  readonly driftFromMonth: number;
}

function pickPersona(rng: Rng): Persona {
  let x = rng.next() * personaWeightTotal;
  for (const p of personas) {
    x -= p.weight;
    if (x < 0) return p;
  }
  return personas[personas.length - 1]!;
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Draws a customer's traits from its own stream. `days` is the simulation's length. */
export function drawTraits(rng: Rng, days: number, months: number): Traits {
  const persona = pickPersona(rng);
  const risk0 = rng.normal() + persona.riskShift;
  // Income: log-normal around 8,000 CNY a month, a little lower for riskier customers.
  const incomeCny = Math.exp(Math.log(8_000) + 0.45 * rng.normal() - 0.12 * risk0);
  const incomeMinor = Math.max(2_000_00, Math.round(incomeCny) * 100);
  const discipline = clamp01(0.85 - 0.12 * risk0 + 0.1 * rng.normal());
  const activity = clamp01(0.7 + 0.25 * rng.normal());
  const appetite = clamp01(0.6 + 0.15 * risk0 + 0.2 * rng.normal());
  const debtMonths = Math.max(0, 1.2 + 0.9 * risk0 + 0.6 * rng.normal());
  const verifications = Math.max(1, Math.min(6, Math.round(3.2 - 0.8 * risk0 + rng.normal())));
  const onboardDay = persona.joinsLate
    ? rng.int(0, Math.max(0, days - 30))
    : rng.int(0, Math.min(establishedOnboardingDays, days - 1));
  const driftFromMonth = rng.int(0, Math.max(0, Math.floor(months / 2)));
  return {
    persona,
    incomeMinor,
    risk0,
    discipline,
    activity,
    appetite,
    debtMonths,
    verifications,
    onboardDay,
    driftFromMonth,
  };
}

/** Customer `number` ("c000042"), with its own stream forked from the run's root and its traits drawn. */
export function newCustomer(root: Rng, number: number, days: number, months: number): Customer {
  const id = `c${String(number).padStart(6, "0")}`;
  const rng = root.fork(`customer:${number}`);
  const traits = drawTraits(rng, days, months);
  return {
    idx: number,
    customerId: id,
    lineId: `line-${id}`,
    rng,
    traits,
    line: null,
    pending: [],
    features: emptyFeatureState(),
    bureau: null,
    previous: null,
    lastBorrowerReevaluationMs: null,
    version: 0,
    distressed: false,
    lateUntilDay: -1,
    drawdowns: 0,
    repayments: 0,
    eventSeq: 0,
    payoffDay: null,
    verified: 0,
    lastDecreaseDay: null,
    applications180: [],
    plan: null,
    everDpd30: false,
    everDpd90: false,
    observed: null,
    badAfterObservation: false,
    lastDpd: 0,
  };
}

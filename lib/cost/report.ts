import { CostDrivers } from './drivers';
import { HOURLY, HOURS_PER_30_DAYS, PER_USE, PRICES_AS_OF } from './prices';

export interface CostLine {
  readonly price: string;
  readonly quantity: number;
  readonly source: string;
  /** USD per hour, or undefined when the price table has no price for it. */
  readonly hourly?: number;
}

export interface LabCost {
  readonly lab: string;
  readonly lines: CostLine[];
  /** Sum of the known lines. */
  readonly knownHourly: number;
  /** True when some line has no price: the total is then a lower bound. */
  readonly incomplete: boolean;
  readonly perUse: string[];
}

export function labCost(lab: string, drivers: CostDrivers): LabCost {
  const lines = drivers.idle.map((driver) => {
    const unit = HOURLY[driver.price];
    return { ...driver, hourly: unit === undefined ? undefined : unit * driver.quantity };
  });
  return {
    lab,
    lines,
    knownHourly: lines.reduce((sum, line) => sum + (line.hourly ?? 0), 0),
    incomplete: lines.some((line) => line.hourly === undefined),
    perUse: drivers.perUse,
  };
}

/** "$0.0163/h, $11.72 per 30 days", the form the lab guides quote. */
export function costSummary(cost: LabCost): string {
  const atLeast = cost.incomplete ? 'at least ' : '';
  return `${atLeast}$${cost.knownHourly.toFixed(4)}/h, `
    + `${atLeast}$${(cost.knownHourly * HOURS_PER_30_DAYS).toFixed(2)} per 30 days`;
}

export function formatCostReport(costs: LabCost[]): string {
  const width = Math.max(...costs.map((cost) => cost.lab.length));
  const out = [`Idle cost per lab, us-east-1 on-demand prices of ${PRICES_AS_OF} (npm run cost):`, ''];
  for (const cost of costs) {
    out.push(`  ${cost.lab.padEnd(width)}  ${costSummary(cost)}${cost.incomplete ? '  (some prices unknown)' : ''}`);
  }
  for (const cost of costs) {
    out.push('', `${cost.lab}`);
    if (cost.lines.length === 0) out.push('  nothing runs while idle');
    for (const line of cost.lines) {
      const label = `${formatQuantity(line.quantity)} x ${line.price.replace(/^[a-z0-9]+:/, '')}`;
      const value = line.hourly === undefined ? 'unknown (no price in the table)' : `$${line.hourly.toFixed(4)}/h`;
      out.push(`  ${label.padEnd(44)} ${value.padStart(12)}   ${line.source}`);
    }
    if (cost.perUse.length > 0) {
      out.push('  pay per use, on top:', ...cost.perUse.map((key) => `    ${key}: ${PER_USE[key] ?? 'unknown'}`));
    }
  }
  return out.join('\n');
}

function formatQuantity(quantity: number): string {
  return Number.isInteger(quantity) ? String(quantity) : quantity.toFixed(2);
}

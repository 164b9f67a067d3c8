import type { Plan, PlanObligation } from '../compiler/plan.js';

/**
 * Moves every date of a plan by whole years. The time-skipping server's clock starts at the real
 * "now"; run as written, a 2022 directive would first replay four years of missed cycles, which
 * measures catch-up, not a year of the directive's life. Whole years keep months and weekdays of
 * the text's deadlines close (day-off shifts may differ by a day or two: fine for a benchmark).
 */
export function shiftPlanYears(plan: Plan, years: number): Plan {
  const d = (iso: string): string => {
    const [y, m, day] = iso.split('-').map(Number) as [number, number, number];
    const target = new Date(Date.UTC(y + years, m - 1, 1));
    const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
    target.setUTCDate(Math.min(day, last));
    return target.toISOString().slice(0, 10);
  };
  const obligation = (o: PlanObligation): PlanObligation => {
    switch (o.kind) {
      case 'deadline':
        return { ...o, due: d(o.due), effectiveDue: d(o.effectiveDue) };
      case 'recurring':
        return { ...o, anchor: d(o.anchor), firstDue: d(o.firstDue), ...(o.until ? { until: d(o.until) } : {}) };
      case 'ongoing':
        return { ...o, anchor: d(o.anchor), firstDue: d(o.firstDue) };
      case 'event':
        return o;
    }
  };
  return {
    ...plan,
    directive: { ...plan.directive, issued: d(plan.directive.issued), asOf: d(plan.directive.asOf) },
    obligations: plan.obligations.map(obligation),
    hash: `${plan.hash}+${years}y`,
  };
}

/** Years to add so the directive is issued within the coming year of `nowMs`. */
export function yearsToNow(issued: string, nowMs: number): number {
  const now = new Date(nowMs);
  let years = now.getUTCFullYear() - Number(issued.slice(0, 4));
  const shifted = (y: number) => Date.parse(`${Number(issued.slice(0, 4)) + y}${issued.slice(4)}T00:00:00Z`);
  while (shifted(years) < nowMs) years++;
  return years;
}

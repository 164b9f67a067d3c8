import { createHash } from 'node:crypto';
import { PLAN_VERSION, type Plan, type PlanObligation, type PlanUnit } from '../compiler/plan.js';

/**
 * A plan shaped like a real provincial directive, scaled to `instances` (obligations × units): 100
 * units by default; `unitCount` 3,334 and 100,000 instances is a national directive's shape (34
 * provinces and 3,321 communes after the 2025 merger, 30 obligations each).
 */
export function syntheticPlan(instances: number, id = 'bench-directive', unitCount = Math.min(100, instances)): Plan {
  const obligationCount = Math.ceil(instances / unitCount);
  const units: Record<string, PlanUnit> = {
    coordinator: { id: 'coordinator', name: { vi: 'Sở Thông tin và Truyền thông', en: 'DIC' }, kind: 'department', email: 'dic@province.example' },
    leadership: { id: 'leadership', name: { vi: 'Chủ tịch UBND', en: 'Chair' }, kind: 'leadership', email: 'chair@province.example' },
  };
  const unitIds: string[] = [];
  for (let u = 0; u < unitCount; u++) {
    const uid = `unit-${String(u).padStart(3, '0')}`;
    unitIds.push(uid);
    units[uid] = { id: uid, name: { vi: `Đơn vị ${u}`, en: `Unit ${u}` }, kind: u % 2 ? 'district' : 'department', email: `${uid}@province.example` };
  }
  const obligations: PlanObligation[] = [];
  let left = instances;
  for (let o = 0; o < obligationCount; o++) {
    const assignees = unitIds.slice(0, Math.min(unitCount, left));
    left -= assignees.length;
    const due = `2030-${String((o % 12) + 1).padStart(2, '0')}-15`;
    obligations.push({
      id: `obligation-${o}`,
      kind: 'deadline',
      clause: `${Math.floor(o / 10) + 1}.${o % 10}`,
      title: { vi: `Nhiệm vụ số ${o} theo chỉ thị`, en: `Task ${o} of the directive` },
      assignees,
      cooperating: ['coordinator'],
      reviewer: 'coordinator',
      evidence: [{ kind: 'document', name: 'report', title: { vi: 'Báo cáo kết quả', en: 'Report' }, required: true }],
      reminders: ['P7D', 'P1D'],
      escalation: [
        { after: 'P0D', to: ['coordinator'], roles: ['coordinator'] },
        { after: 'P7D', to: ['leadership'], roles: ['leadership'] },
      ],
      dependsOn: [],
      due,
      effectiveDue: due,
    });
  }
  const body = {
    planVersion: PLAN_VERSION,
    directive: {
      id,
      number: '1/CT-BENCH',
      issued: '2030-01-01',
      timezone: 'Asia/Ho_Chi_Minh',
      title: { vi: 'Chỉ thị thử tải', en: 'Load-test directive' },
      issuer: 'leadership',
      implements: [],
      revision: 1,
      calendar: { id: 'vn', dueOnDayOff: 'next-working-day' as const },
      asOf: '2030-01-01',
      registry: 'registries/bench.yaml',
    },
    roles: { coordinator: 'coordinator', leadership: 'leadership' },
    obligations,
    units,
  };
  return { ...body, hash: createHash('sha256').update(JSON.stringify(body)).digest('hex') };
}

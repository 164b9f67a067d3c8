/**
 * The actor comes from the credential, and an action that reaches Temporal without going through
 * the server is recognisable in the audit (issue 9, item 4): someone with raw Temporal access
 * signals a submission under a name of their choosing; the audit line says `origin: unrecorded`,
 * while the same action through the API says `recorded` and names the signed-in account.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listAudit } from '../../activities/store/audit.js';
import { SIGNAL, instanceWorkflowId, type SubmitEvidenceSignal } from '../../workflows/types.js';
import { startServerHarness, type ServerHarness } from './harness.js';

const D = 'test-directive';
let h: ServerHarness;

beforeAll(async () => {
  h = await startServerHarness();
  await h.deployFixture();
}, 240_000);
afterAll(async () => {
  await h?.close();
});

it('records the signed-in account as the actor, and marks a raw signal as not through the server', async () => {
  const officer = await h.account('nguyen.van.a', 'so-y-te', ['officer']);
  const f = new FormData();
  for (const [k, v] of Object.entries({ directive: D, obligation: 'drill', unit: 'so-y-te', note: 'báo cáo diễn tập' })) f.append(k, v);
  f.append('report', new Blob(['%PDF-1.4 diễn tập']), 'dien-tap.pdf');
  const r = await h.request(officer, 'POST', '/api/v1/submissions', f);
  expect(r.statusCode, r.body).toBe(201);
  const { submissionId } = r.json() as { submissionId: string };

  // Someone with Temporal access, not through the server: a made-up id and a made-up name.
  const workflowId = instanceWorkflowId(D, 'drill', 'so-gd');
  const forged: SubmitEvidenceSignal = { submissionId: randomUUID(), items: [{ name: 'report', kind: 'document', value: 'x.pdf' }], submittedBy: 'so-gd/giam-doc' };
  await h.env.client.workflow.getHandle(workflowId).signal(SIGNAL.submitEvidence, forged);

  const submitted = await h.until(
    'both submissions in the audit',
    async () => (await listAudit(h.db.pool, D)).filter((a) => a.action === 'evidence-submitted'),
    (rows) => rows.length === 2,
  );
  const viaApi = submitted.find((a) => a.detail?.submissionId === submissionId)!;
  expect(viaApi.actor).toBe('so-y-te/nguyen.van.a');
  expect(viaApi.detail?.origin).toBe('recorded');
  const raw = submitted.find((a) => a.detail?.submissionId === forged.submissionId)!;
  expect(raw.actor).toBe('so-gd/giam-doc');
  expect(raw.detail?.origin).toBe('unrecorded');
}, 120_000);

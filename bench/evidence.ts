import type { EvidenceRequirement } from '../compiler/plan.js';

/** Values that pass each field format (compiler/plan.ts), as an officer would type them. */
const SAMPLE: Record<string, string> = {
  text: 'Nguyễn Văn A',
  email: 'attt@unit.example',
  phone: '024 3825 1234',
  date: '2022-12-09',
  number: '1',
  uri: 'https://unit.example/bao-cao',
};

/** The value a unit gives for a field, link or attestation requirement (documents are files). */
export function sampleValue(r: Exclude<EvidenceRequirement, { kind: 'document' }>): string {
  if (r.kind === 'field') return SAMPLE[r.format] ?? 'x';
  if (r.kind === 'link') return 'https://unit.example/minh-chung';
  return 'yes';
}

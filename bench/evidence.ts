// The sample values live beside the evidence checks they must pass (service/evidence.ts), where
// rehearsals (`chithi rehearse`) use them too.
export { sampleValue } from '../service/evidence.js';

// The worker's workflowsPath: every export here is a workflow type.
export { obligationInstance } from './instance.js';
export { postbox } from './postbox.js';

export { createMemoryEngine } from '../../platform/engines.ts';

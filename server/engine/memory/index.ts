export { createMemoryEngine } from '../redis/index.ts';

/**
 * `npx tsx load/fake-mall/main.ts [--port 7070] [--failure-rate 0.3] [--latency 50]
 * [--notify http://127.0.0.1:8080/v1/mall/notify]`: a fake mall for the demo; then start Roomcast
 * with MALL_URL=http://127.0.0.1:7070/orders and the same MALL_SECRET.
 */
import { parseArgs } from 'node:util';
import { FakeMall } from './mall.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '7070' },
    'failure-rate': { type: 'string', default: '0' },
    latency: { type: 'string', default: '0' },
    notify: { type: 'string', default: 'http://127.0.0.1:8080/v1/mall/notify' },
    secret: { type: 'string', default: process.env.MALL_SECRET ?? 'dev-mall-secret' },
  },
});
const mall = await FakeMall.start(
  { secret: values.secret, failureRate: Number(values['failure-rate']), latencyMs: Number(values.latency), notifyUrl: values.notify },
  Number(values.port),
);
console.log(`fake mall at ${mall.url} (failure rate ${values['failure-rate']}); Ctrl-C to stop`);
process.on('SIGINT', () => void mall.close().then(() => process.exit(0)));

/**
 * `npm run token -- --sub u1 --role viewer --tags new,vip [--name Ann] [--channel live01] [--chats wrA,wrB] [--rooms r1,r2] [--ttl 86400]`
 * prints a JWT signed with the configured secret, as the brand's backend would issue it.
 */
import { parseArgs } from 'node:util';
import { issueToken, secretKey } from '../auth/token.ts';
import { loadConfig } from '../config/load.ts';

const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', default: 'viewer' },
    tags: { type: 'string', multiple: true },
    channel: { type: 'string' },
    /** WeCom groups (chat ids) the user is in, or as a manager runs. */
    chats: { type: 'string', multiple: true },
    /** The rooms a host runs: its host ops on any other room are refused. */
    rooms: { type: 'string', multiple: true },
    ttl: { type: 'string', default: '86400' },
  },
});

if (!values.sub) {
  console.error('usage: npm run token -- --sub <user id> [--role viewer|host|manager] [--tags new,vip] [--name N] [--channel C] [--chats wrA,wrB] [--rooms r1,r2] [--ttl seconds]');
  process.exit(2);
}
if (!['viewer', 'host', 'manager'].includes(values.role)) {
  console.error(`--role must be viewer, host or manager (got ${values.role})`);
  process.exit(2);
}

if (values.role === 'host' && !values.rooms) {
  console.error('--role host needs --rooms: a host token runs the rooms it names, and no other');
  process.exit(2);
}

const config = loadConfig();
const list = (values: string[] = []) => values.flatMap((v) => v.split(',')).filter(Boolean);
const token = await issueToken(
  {
    sub: values.sub,
    role: values.role as 'viewer',
    tags: list(values.tags),
    chats: list(values.chats),
    rooms: list(values.rooms),
    ...(values.name ? { name: values.name } : {}),
    ...(values.channel ? { channel: values.channel } : {}),
  },
  secretKey(config.auth.jwtSecret),
  Number(values.ttl),
);
console.log(token);

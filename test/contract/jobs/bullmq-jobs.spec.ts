import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { runJobDriverContract } from './jobs.contract';

// Redis has databases 0-15: this suite's own number would be out of range, so it uses DB 1 and a
// prefix unique to the run, removed at the end.
const REDIS_URL = process.env.TEST_JOBS_REDIS_URL ?? 'redis://127.0.0.1:6379/1';
const RUN = `rmq17-${randomBytes(4).toString('hex')}`;
let apps = 0;

runJobDriverContract('BullMQ (real Redis)', {
  kind: 'bullmq',
  options: () => ({ redisUrl: REDIS_URL, jobPrefix: `${RUN}-${apps++}`, shutdownTimeoutMs: 5000 }),
  async cleanup() {
    const redis = new Redis(REDIS_URL);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${RUN}-*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  },
});

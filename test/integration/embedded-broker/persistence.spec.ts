import { Redis } from 'ioredis';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../../src/transport/embedded-broker';
import { waitUntil } from '../../contract/contract-helpers';
import { BrokerFixture, collect } from './broker-fixture';

// Redis database 13 belongs to these tests (one database per work stream on the shared server).
const REDIS_URL = 'redis://127.0.0.1:6379/13';

describe('embedded broker: Redis persistence', () => {
  const fixture = new BrokerFixture();
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    await redis.flushdb();
  });
  afterEach(() => fixture.closeAll());
  afterAll(() => redis.quit());

  it('keeps a persistent session and its queued QoS 1 messages across a broker restart', async () => {
    const first = await fixture.start({}, { redisUrl: REDIS_URL });
    const port = first.port;
    const app = await fixture.connect(port, { clientId: 'durable-app', clean: false });
    await app.subscribeAsync('readings/#', { qos: 1 });
    await app.endAsync();
    const device = await fixture.connect(port, { clientId: 'device-1' });
    for (let i = 0; i < 20; i++) await device.publishAsync(`readings/${i}`, String(i), { qos: 1 });
    await device.endAsync();
    await first.close();

    const second: EmbeddedBroker = await startEmbeddedBroker({ port, redisUrl: REDIS_URL });
    try {
      const back = await fixture.connect(port, { clientId: 'durable-app', clean: false });
      expect(back.connected).toBe(true);
      const received = collect(back);
      await waitUntil('the 20 queued readings', () => received.length === 20);
      expect(received.map((m) => m.payload)).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
      await back.endAsync();
    } finally {
      await second.close();
    }
  });

  it('keeps its keys under routemq:broker:, apart from the app', async () => {
    await fixture.start({}, { redisUrl: REDIS_URL });
    const keys = await redis.keys('*');
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => !key.startsWith('routemq:broker:'))).toEqual([]);
  });
});

import { runKillScenario } from './kill-scenario';

// Redis database 13 belongs to these tests (one database per work stream on the shared server).
const REDIS_URL = 'redis://127.0.0.1:6379/13';

describe('embedded broker: SIGKILL of the app under load (1,000 QoS 1 readings)', () => {
  it('in memory (negative control), loses the backlog it had acknowledged, as the start log says', async () => {
    const outcome = await runKillScenario(REDIS_URL, false);
    console.log('embedded broker in memory, SIGKILL under load:', outcome);
    expect(outcome.acknowledged).toBe(1000);
    expect(outcome.lost).toBeGreaterThan(0);
  }, 180_000);
});

import 'reflect-metadata';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Controller, createApp, Module, Param, Topic } from 'routemq';
import { TestClient } from '../../utils/test-client';

let active = 0;
let maxActive = 0;
const done: string[] = [];

@Controller('emb')
class SharedController {
  @Topic('jobs/{id}', { qos: 1, shared: true, workers: 3 })
  async job(@Param('id') id: string) {
    active++;
    maxActive = Math.max(maxActive, active);
    await new Promise((resolve) => setTimeout(resolve, 30));
    active--;
    done.push(id);
  }
}

@Module({ controllers: [SharedController] })
class SharedModule {}

describe('workers on the embedded broker (no shared subscriptions)', () => {
  it('says so at start and serves the route in this process, N messages at once, dropping nothing', async () => {
    let logs = '';
    const sink = new Writable({ write: (chunk, _enc, next) => ((logs += String(chunk)), next()) });
    const app = await createApp(SharedModule, { env: {}, port: 0, logger: pino({ level: 'info' }, sink) });
    await app.start();
    try {
      expect(logs).toContain('no worker processes (the embedded broker (aedes) has no shared subscriptions');
      expect(app.workers).toEqual([]);
      const client = await TestClient.connect(`mqtt://127.0.0.1:${app.embeddedBrokerPort}`, 4);
      await Promise.all(Array.from({ length: 9 }, (_, i) => client.publish(`emb/jobs/${i}`, {})));
      while (done.length < 9) await new Promise((resolve) => setTimeout(resolve, 10));
      await client.close();
      expect(done.sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8']);
      expect(maxActive).toBe(3);
    } finally {
      await app.stop();
    }
  });
});

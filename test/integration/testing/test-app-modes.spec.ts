import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Controller, Module, MqttPublisher, Param, Payload, Topic, injectable } from 'routemq';
import { createTestApp, type TestApp, type TestAppOptions } from 'routemq/testing';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../../src/transport/embedded-broker';
import { describeExternalBroker, externalBrokerUrl } from '../../utils/external-broker';

/** A service the tests replace with a fake in one line. */
@injectable()
class PaymentApi {
  charge(amount: number): string {
    throw new Error(`the real payment API must not run in tests (amount ${amount})`);
  }
}

const run = randomUUID().slice(0, 8); // a shared broker must not mix two runs
@Controller(`shop-${run}`)
class ShopController {
  constructor(
    private readonly payments: PaymentApi,
    private readonly publisher: MqttPublisher,
  ) {}

  @Topic('orders/{order_id}/pay', { qos: 1, reply: `shop-${run}/orders/{order_id}/receipt` })
  async pay(@Param('order_id') id: string, @Payload() body: { amount: number }) {
    if (body.amount <= 0) throw new Error('amount must be positive');
    const receipt = this.payments.charge(body.amount);
    await this.publisher.publish(`shop-${run}/audit/${id}`, { receipt }, { qos: 1 });
    return { order: id, receipt };
  }

  @Topic('orders/+/#')
  seen() {
    return 'seen';
  }
}

@Module({ controllers: [ShopController], providers: [PaymentApi] })
class ShopModule {}

const fakePayments = { charge: (amount: number) => `fake-receipt-${amount}` };

/** The same test body for every mode: only the options differ. */
function shopScenarios(options: () => TestAppOptions): void {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(ShopModule, {
      ...options(),
      retryAttempts: 1,
      providers: [{ token: PaymentApi, useValue: fakePayments }],
    });
  });
  afterAll(() => t?.close());

  it('returns every matching route outcome, the reply and the publishes made meanwhile', async () => {
    const { outcomes, published } = await t.dispatch(`shop-${run}/orders/o1/pay`, { amount: 5 }, { qos: 1 });
    expect(outcomes.map((o) => [o.route.handler, o.result]).sort()).toEqual([
      ['ShopController.pay', { order: 'o1', receipt: 'fake-receipt-5' }],
      ['ShopController.seen', 'seen'],
    ]);
    expect(published.map((m) => [m.topic, m.json]).sort()).toEqual([
      [`shop-${run}/audit/o1`, { receipt: 'fake-receipt-5' }],
      [`shop-${run}/orders/o1/receipt`, { order: 'o1', receipt: 'fake-receipt-5' }],
    ]);
    expect(t.publishedOn(`shop-${run}/audit/+`).length).toBeGreaterThanOrEqual(1);
  });

  it('reports a handler error as the outcome', async () => {
    const { error } = await t.dispatch(`shop-${run}/orders/o2/pay`, { amount: 0 }, { qos: 1 });
    expect((error as Error).message).toBe('amount must be positive');
  });

  it('waits for a publish on a topic filter', async () => {
    void t.dispatch(`shop-${run}/orders/o3/pay`, { amount: 7 }, { qos: 1 });
    const audit = await t.waitForPublish(`shop-${run}/audit/o3`);
    expect(audit.json).toEqual({ receipt: 'fake-receipt-7' });
  });

  it('resolves with no outcome for a topic no route matches', async () => {
    expect((await t.dispatch(`shop-${run}/nothing`, {})).outcomes).toEqual([]);
  });
}

describe('createTestApp in memory (no broker, no sockets)', () => {
  shopScenarios(() => ({}));

  it('is in memory mode, with the memory broker at hand', async () => {
    const t = await createTestApp(ShopModule);
    expect(t.mode).toBe('memory');
    expect(t.broker.clientIds).toEqual(['routemq-test-app']);
    await t.close();
  });
});

describe('createTestApp against the embedded aedes broker (MQTT 3.1.1)', () => {
  let broker: EmbeddedBroker;
  beforeAll(async () => {
    broker = await startEmbeddedBroker({ port: 0 });
  });
  afterAll(() => broker?.close());
  shopScenarios(() => ({ broker: `mqtt://127.0.0.1:${broker.port}`, protocolVersion: 4 }));

  it('is in broker mode and has no memory broker', async () => {
    const t = await createTestApp(ShopModule, {
      broker: `mqtt://127.0.0.1:${broker.port}`,
      protocolVersion: 4,
    });
    expect(t.mode).toBe('broker');
    expect(() => t.broker).toThrow(/real broker/);
    await t.close();
  });
});

describeExternalBroker('createTestApp against Mosquitto (MQTT 5)', () => {
  shopScenarios(() => ({ broker: externalBrokerUrl() }));
});

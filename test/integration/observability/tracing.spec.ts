import 'reflect-metadata';
import { Controller, Module, MqttPublisher, Param, Topic, createApp, type RouteMQApp } from 'routemq';
import { startMosquitto, type MosquittoInstance } from '../../utils/mosquitto';
import { TestClient } from '../../utils/test-client';

@Controller('traced')
class RelayController {
  constructor(private readonly publisher: MqttPublisher) {}

  @Topic('{id}/in', { qos: 1 })
  async relay(@Param('id') id: string) {
    await this.publisher.publish(`traced/${id}/out`, { id }, { qos: 1 });
  }
}

@Module({ controllers: [RelayController] })
class RelayModule {}

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('W3C trace context over MQTT 5 user properties (dedicated Mosquitto)', () => {
  let broker: MosquittoInstance;
  let app: RouteMQApp;
  let client: TestClient;

  beforeAll(async () => {
    broker = await startMosquitto();
    app = await createApp(RelayModule, { env: {}, broker: broker.url, logLevel: 'silent' });
    await app.start();
    client = await TestClient.connect(broker.url);
    await client.subscribe('traced/+/out');
  });
  afterAll(async () => {
    await client?.close();
    await app?.stop();
    await broker?.stop();
  });

  it('passes the traceparent and tracestate of a message on to what its handler publishes', async () => {
    await client.publish(
      'traced/d1/in',
      {},
      { properties: { userProperties: { traceparent: TRACEPARENT, tracestate: 'rojo=00f067aa0ba902b7' } } },
    );
    const out = await client.next('traced/d1/out');
    expect(out.properties.userProperties).toEqual({
      traceparent: TRACEPARENT,
      tracestate: 'rojo=00f067aa0ba902b7',
    });
  });

  it('publishes untraced messages without trace properties', async () => {
    await client.publish('traced/d2/in', {});
    const out = await client.next('traced/d2/out');
    expect(out.properties.userProperties).toBeUndefined();
  });
});

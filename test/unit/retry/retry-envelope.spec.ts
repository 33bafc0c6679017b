import {
  messageOf,
  openRetryEnvelope,
  sealRetryEnvelope,
  toRetryEnvelope,
} from '../../../src/retry/retry-envelope';
import type { InboundMessage } from '../../../src/transport/transport';

const SECRET = 'a-secret-of-more-than-16-chars';
const message: InboundMessage = {
  topic: 'orders/o1',
  payload: Buffer.from([0xff, 0x00, 0x7b]),
  qos: 1,
  retain: false,
  dup: false,
  properties: {
    responseTopic: 'replies/o1',
    correlationData: Buffer.from('c-1'),
    userProperties: { tenant: 'a' },
    contentType: 'application/octet-stream',
  },
};

describe('retry envelope', () => {
  it('round-trips a retry, bytes and MQTT 5 properties included, marked as a redelivery', () => {
    const sealed = sealRetryEnvelope(
      toRetryEnvelope('Orders.create', message, { id: 'o1' }, 2, 1_700_000_000_000),
      SECRET,
    );
    const back = openRetryEnvelope(sealed, SECRET);
    expect(back).toMatchObject({ route: 'Orders.create', attempt: 2, notBefore: 1_700_000_000_000 });
    const again = back && messageOf(back);
    expect(again?.payload.equals(message.payload)).toBe(true);
    expect(again?.properties.correlationData?.toString()).toBe('c-1');
    expect(again?.properties.userProperties).toEqual({ tenant: 'a' });
    expect(again?.dup).toBe(true);
  });

  it('refuses an envelope sealed under another key', () => {
    const sealed = sealRetryEnvelope(
      toRetryEnvelope('Orders.create', message, {}, 2, 0),
      'another-secret-of-16-chars',
    );
    expect(openRetryEnvelope(sealed, SECRET)).toBeUndefined();
  });

  it.each([
    ['not JSON', 'not json'],
    ['null', 'null'],
    ['no mac', JSON.stringify({ body: '{}' })],
  ])('refuses %s', (_name, text) => {
    expect(openRetryEnvelope(Buffer.from(text), SECRET)).toBeUndefined();
  });
});

import pino from 'pino';
import type { DeadLetter } from '../../../src/pipeline/dead-letter';
import { DeadLetterKeeper } from '../../../src/dead-letters/dead-letter-keeper';
import type { DeadLetterStore } from '../../../src/dead-letters/dead-letter-store';

const letter: DeadLetter = {
  topic: 't/1',
  payload: 'x',
  payloadEncoding: 'utf8',
  payloadBytes: 1,
  error: { name: 'Error', message: 'boom' },
  attempts: 3,
  route: 'A.b',
  template: 't/{id}',
  qos: 1,
  failedAt: new Date().toISOString(),
};

/** A store that keeps letters in an array, or fails every write while `down`. */
function arrayStore(kind: DeadLetterStore['kind']): DeadLetterStore & { kept: DeadLetter[]; down: boolean } {
  const kept: DeadLetter[] = [];
  return {
    kind,
    description: kind,
    kept,
    down: false,
    async add(l) {
      if (this.down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      kept.push(l);
      return String(kept.length);
    },
    list: async () => [],
    get: async () => undefined,
    markReplayed: async () => undefined,
    remove: async () => 0,
    purgeBefore: async () => 0,
    countByRoute: async () => ({}),
    close: async () => undefined,
  };
}

const logger = pino({ level: 'silent' });

describe('DeadLetterKeeper', () => {
  it('stores first, then publishes; a failed publish does not undo the store', async () => {
    const store = arrayStore('database');
    const published: string[] = [];
    const keeper = new DeadLetterKeeper({
      publish: async (topic) => {
        published.push(topic);
        throw new Error('broker down');
      },
      logger,
      store: () => store,
      fallbackAfterMs: 1000,
    });
    await keeper.keep('dl/t/1', letter);
    expect(store.kept).toEqual([letter]);
    expect(published).toEqual(['dl/t/1']);
  });

  it('rejects while the store is down (the message stays unacknowledged), then uses the fallback past the bound', async () => {
    const store = arrayStore('redis');
    store.down = true;
    const fallback = arrayStore('file');
    let now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const keeper = new DeadLetterKeeper({
      publish: async () => undefined,
      logger,
      store: () => store,
      fallback,
      fallbackAfterMs: 60_000,
    });
    await expect(keeper.keep('dl/t/1', letter)).rejects.toThrow('ECONNREFUSED');
    now += 59_000;
    await expect(keeper.keep('dl/t/1', letter)).rejects.toThrow('ECONNREFUSED');
    expect(fallback.kept).toEqual([]);
    now += 2_000;
    await keeper.keep('dl/t/1', letter);
    expect(fallback.kept).toEqual([letter]);
    jest.restoreAllMocks();
  });

  it('with topic-only, the publish is the only home: its failure rejects', async () => {
    const keeper = new DeadLetterKeeper({
      publish: async () => {
        throw new Error('broker down');
      },
      logger,
      store: () => undefined,
      fallbackAfterMs: 0,
    });
    await expect(keeper.keep('dl/t/1', letter)).rejects.toThrow('broker down');
  });
});

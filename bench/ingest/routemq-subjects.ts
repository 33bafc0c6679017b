/**
 * The RouteMQ subjects of the ingest benchmark: (b) a route inserting one row per message with
 * concurrency 1, (c) the same with concurrency 16 (a pool of 16 connections), (d) a batch route
 * (500 / 50 ms) with one multi-row INSERT per batch. Production settings: MQTT 5, a persistent
 * session, LOG_LEVEL=warn.
 * @module
 */
import 'reflect-metadata';
import {
  Batch,
  Controller,
  createApp,
  Module,
  Payload,
  Ctx,
  Topic,
  UseMiddleware,
  type BatchItem,
  type MessageContext,
  type Middleware,
  type Next,
} from 'routemq';
import type { Progress } from './progress';
import { BATCH_SIZE, BATCH_WAIT_MS, rowOf, WINDOW, type SubjectSettings } from './protocol';
import type { Store } from './store';

export async function runRouteMQ(settings: SubjectSettings, store: Store, progress: Progress): Promise<void> {
  /** Marks the first message's arrival, before any batching (the same clock as the bare subjects). */
  class Arrival implements Middleware {
    handle(_ctx: MessageContext, next: Next): Promise<unknown> {
      progress.arrived();
      return next();
    }
  }
  const concurrency = settings.subject === 'routemq-rows-16' ? 16 : 1;

  @Controller('ingest')
  @UseMiddleware(Arrival)
  class RowsController {
    @Topic('{device}/data', { qos: 1, concurrency })
    async store(@Payload() payload: Buffer, @Ctx() ctx: MessageContext) {
      await store.insertOne(rowOf(ctx.topic, payload));
      progress.stored(1);
    }
  }

  @Controller('ingest')
  @UseMiddleware(Arrival)
  class BatchController {
    @Topic('{device}/data', { qos: 1, batch: { maxSize: BATCH_SIZE, maxWaitMs: BATCH_WAIT_MS } })
    async store(@Batch(Buffer) items: BatchItem<Buffer>[]) {
      await store.insertMany(items.map((item) => rowOf(item.topic, item.payload)));
      progress.stored(items.length);
    }
  }

  const controller = settings.subject === 'routemq-batch' ? BatchController : RowsController;
  @Module({ controllers: [controller] })
  class IngestModule {}

  const app = await createApp(IngestModule, {
    env: {
      MQTT_BROKER: settings.url,
      MQTT_CLIENT_ID: settings.clientId,
      MQTT_RECEIVE_MAXIMUM: String(WINDOW),
      LOG_LEVEL: 'warn',
    },
  });
  await app.start();
}

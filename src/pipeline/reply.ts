import type { ExecutableRoute } from './executable-route';
import type { MessageContext, PublishFn } from './message-context';

/**
 * Publishes a handler's result: to the MQTT 5 response topic with the request's correlation data
 * (MQTT 5.0 section 4.10), else to the route's `reply` topic (the MQTT 3.1.1 fallback).
 */
export async function publishReply(
  ctx: MessageContext,
  route: ExecutableRoute,
  publish: PublishFn,
): Promise<void> {
  const { responseTopic, correlationData } = ctx.packet.properties;
  if (responseTopic !== undefined) {
    const properties = correlationData === undefined ? undefined : { correlationData };
    await publish(responseTopic, ctx.result, { qos: ctx.packet.qos, properties });
    return;
  }
  if (route.replyTopic) await publish(route.replyTopic(ctx.params), ctx.result, { qos: route.qos });
}

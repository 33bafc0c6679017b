import { Router } from 'routemq';

/**
 * Routes can also be declared in code: `health/ping` answers on `health/pong` (or on the request's
 * MQTT 5 response topic). Both styles end in the same route table.
 */
export const healthRouter = new Router({ name: 'health' });
healthRouter.on('health/ping', () => ({ ok: true, at: new Date().toISOString() }), { reply: 'health/pong' });

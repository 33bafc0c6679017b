/**
 * The small HTTP endpoint of an app (HTTP_PORT): `/metrics` for Prometheus, `/health` for liveness and
 * `/ready` for readiness. node:http only: three GET routes need no framework.
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RouteMQError } from '../errors';
import type { ReadinessReport } from './readiness';

/** What the endpoint serves. */
export interface EndpointHandlers {
  /** The Prometheus exposition text and its content type. */
  metrics(): Promise<{ readonly contentType: string; readonly body: string }>;
  ready(): Promise<ReadinessReport>;
}

/** A listening endpoint. */
export interface HttpEndpoint {
  /** The port it listens on (the chosen one when HTTP_PORT=0). */
  readonly port: number;
  close(): Promise<void>;
}

/** Scrapes and probes are small: anything slow is a stuck client, not a request to wait for. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Starts listening; rejects with ERR_HTTP_LISTEN_FAILED (naming HTTP_PORT) when the port is taken or
 * not allowed.
 *
 * @example
 * ```ts
 * const endpoint = await startHttpEndpoint('0.0.0.0', 9464, { metrics, ready });
 * // curl :9464/metrics, :9464/health, :9464/ready
 * await endpoint.close();
 * ```
 */
export async function startHttpEndpoint(
  host: string,
  port: number,
  handlers: EndpointHandlers,
): Promise<HttpEndpoint> {
  const server = createServer((request, response) => {
    serve(request, response, handlers).catch((error: unknown) => reply(response, 500, text(describe(error))));
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = REQUEST_TIMEOUT_MS;
  await listen(server, host, port);
  return {
    port: (server.address() as AddressInfo).port,
    close: () => close(server),
  };
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  handlers: EndpointHandlers,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return reply(response, 405, text('method not allowed'));
  }
  const path = (request.url ?? '/').split('?')[0];
  if (path === '/health') return reply(response, 200, json({ status: 'ok' }));
  if (path === '/ready') {
    const report = await handlers.ready();
    return reply(response, report.ready ? 200 : 503, json(report));
  }
  if (path === '/metrics') {
    const { contentType, body } = await handlers.metrics();
    return reply(response, 200, { contentType, body });
  }
  return reply(response, 404, text('not found: try /metrics, /health or /ready'));
}

interface Body {
  readonly contentType: string;
  readonly body: string;
}

function reply(response: ServerResponse, status: number, { contentType, body }: Body): void {
  response.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

function json(value: unknown): Body {
  return { contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(value)}\n` };
}

function text(value: string): Body {
  return { contentType: 'text/plain; charset=utf-8', body: `${value}\n` };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'the port is taken' : (error.code ?? error.message);
      reject(
        new RouteMQError(
          'ERR_HTTP_LISTEN_FAILED',
          `The HTTP endpoint cannot listen on ${host}:${port} (HTTP_PORT): ${reason}. ` +
            'Choose another HTTP_PORT (0 picks a free one), or unset it to run without /metrics, /health and /ready.',
          { cause: error },
        ),
      );
    });
    server.listen(port, host, () => resolve());
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections of a scraper would hold close() open.
    server.closeAllConnections();
  });
}

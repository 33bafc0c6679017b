/**
 * OpenTelemetry, when the application uses it. `@opentelemetry/api` is an optional peer dependency:
 * loaded only here, only at start, and only used when a tracer provider (an SDK) was registered
 * before `app.start()`. Without one, messages carry no span and cost nothing more.
 * @module
 */
import type * as OtelApi from '@opentelemetry/api';

/** The OpenTelemetry API module and RouteMQ's tracer from the registered SDK. */
export interface OtelTracing {
  readonly api: typeof OtelApi;
  readonly tracer: OtelApi.Tracer;
}

/** The tracer provider the API hands out before any SDK is registered delegates to a no-op. */
interface ProxyProvider {
  getDelegateTracer?(name: string, version?: string): OtelApi.Tracer | undefined;
}

/**
 * The OpenTelemetry tracer to use, or undefined when the API is not installed or no SDK registered a
 * tracer provider (spans would be no-ops: skip them altogether).
 *
 * @example
 * ```ts
 * const otel = loadOtel(); // after NodeSDK.start() in the app's tracing setup
 * otel?.tracer.startSpan('process sensors/+/data');
 * ```
 */
export function loadOtel(load: () => unknown = requireOtel): OtelTracing | undefined {
  let api: typeof OtelApi;
  try {
    api = load() as typeof OtelApi;
  } catch {
    return undefined;
  }
  const provider = api.trace.getTracerProvider();
  const proxy = provider as ProxyProvider;
  const tracer =
    typeof proxy.getDelegateTracer === 'function'
      ? proxy.getDelegateTracer('routemq')
      : provider.getTracer('routemq');
  return tracer ? { api, tracer } : undefined;
}

function requireOtel(): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@opentelemetry/api');
}

/**
 * The TLS pieces under test, re-exported for the specs of this folder.
 * @module
 */
import { toClientOptions } from '../../../../src/transport/mqtt-transport-options';
import type { TlsClientOptions } from '../../../../src/transport/tls-options';

export { isTlsBroker, readTlsOptions } from '../../../../src/transport/tls-options';

/** The mqtt.js client options that TLS settings turn into. */
export function toClientOptionsTls(tls: TlsClientOptions | undefined): object {
  return toClientOptions({ url: 'mqtts://b:8883', tls }, 5);
}

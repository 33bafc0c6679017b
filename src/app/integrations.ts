import type { AppConfig } from './config';
import type { Integration } from './integration';
import type { FlatModule } from './module';

/** The integrations this configuration and module graph ask for, in start order. */
export function createIntegrations(_config: AppConfig, _modules: FlatModule): Integration[] {
  return [];
}

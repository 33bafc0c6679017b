import { Lifecycle, type DependencyContainer, type InjectionToken } from 'tsyringe';
import { ConfigError } from '../errors';
import type { ClassProvider, FactoryProvider, Provider, ValueProvider } from './module';

function isClassProvider(p: Provider): p is ClassProvider {
  return typeof p === 'object' && p !== null && 'useClass' in p;
}
function isValueProvider(p: Provider): p is ValueProvider {
  return typeof p === 'object' && p !== null && 'useValue' in p;
}
function isFactoryProvider(p: Provider): p is FactoryProvider {
  return typeof p === 'object' && p !== null && 'useFactory' in p;
}

/**
 * Registers module providers in the app container, later registrations winning (so an override given
 * to createApp replaces a module's). Every malformed provider is reported in one ConfigError.
 */
export function registerProviders(container: DependencyContainer, providers: readonly Provider[]): void {
  const problems: string[] = [];
  providers.forEach((provider, index) => {
    const problem = registerProvider(container, provider);
    if (problem) problems.push(`providers[${index}]: ${problem}`);
  });
  if (problems.length > 0) throw new ConfigError('ERR_MODULE_INVALID', problems, 'Invalid providers');
}

function registerProvider(container: DependencyContainer, provider: Provider): string | undefined {
  if (typeof provider === 'function') {
    container.register(provider, { useClass: provider }, { lifecycle: Lifecycle.Singleton });
    return undefined;
  }
  if (typeof provider !== 'object' || provider === null) {
    return `${String(provider)} is not a provider. Use a class or { token, useClass | useValue | useFactory }.`;
  }
  const token = (provider.token ?? provider.provide) as InjectionToken<unknown> | undefined;
  if (token === undefined) return 'the provider has no token. Add `token: SomeClassOrSymbol` (or `provide`).';
  if (isClassProvider(provider)) {
    const lifecycle = provider.singleton === false ? Lifecycle.Transient : Lifecycle.Singleton;
    container.register(token, { useClass: provider.useClass }, { lifecycle });
  } else if (isValueProvider(provider)) {
    container.register(token, { useValue: provider.useValue });
  } else if (isFactoryProvider(provider)) {
    container.register(token, { useFactory: provider.useFactory });
  } else {
    return `the provider for ${describeToken(token)} has none of useClass, useValue, useFactory.`;
  }
  return undefined;
}

/** A readable name for a token in messages. */
export function describeToken(token: unknown): string {
  if (typeof token === 'function') return token.name;
  if (typeof token === 'symbol') return token.description ?? token.toString();
  return String(token);
}

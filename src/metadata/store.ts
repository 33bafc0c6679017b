import type { ControllerArgs } from './types';

/**
 * The only mutable metadata: what decorators recorded, keyed by class. A WeakMap, not a global list of
 * "every decorated class": the app receives its controllers explicitly, so tests need no reset.
 */
const controllers = new WeakMap<object, ControllerArgs>();

/** The record of a class, created empty on first use (decorators on methods run before the class's). */
export function controllerArgsOf(target: object): ControllerArgs {
  let args = controllers.get(target);
  if (!args) {
    args = {
      isController: false,
      middleware: [],
      routes: [],
      methodMiddleware: new Map(),
      params: new Map(),
    };
    controllers.set(target, args);
  }
  return args;
}

/** The record of a class if any decorator touched it. */
export function findControllerArgs(target: object): ControllerArgs | undefined {
  return controllers.get(target);
}

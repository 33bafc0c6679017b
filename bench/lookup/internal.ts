/**
 * RouteMQ's routing internals, loaded from the compiled library (dist/lib) that the app runs: they are
 * not public exports, and the bench measures exactly the code the dispatcher calls.
 * @module
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as RouteTableModule from '../../dist/lib/routing/route-table';
import type * as TopicTemplateModule from '../../dist/lib/routing/topic-template';

const LIB = join(__dirname, '../../lib');
const load = createRequire(__filename);

export const { RouteTable } = load(join(LIB, 'routing/route-table.js')) as typeof RouteTableModule;
export const { parseTemplate } = load(join(LIB, 'routing/topic-template.js')) as typeof TopicTemplateModule;
export type { RouteTableEntry } from '../../dist/lib/routing/route-table';
export type { CompiledTemplate } from '../../dist/lib/routing/topic-template';

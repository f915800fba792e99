// collection functions of the ARM expression language.
import type { FnDef } from '../evaluator.js';

export const collection: Record<string, FnDef> = {};

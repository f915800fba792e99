// The registry of ARM template functions, keyed by lower-case name. One module per family.
import type { FnDef } from '../evaluator.js';
import { cidr } from './cidr.js';
import { collection } from './collection.js';
import { date } from './date.js';
import { deployment, listFunction } from './deployment.js';
import { lambda } from './lambda.js';
import { logical } from './logical.js';
import { numeric } from './numeric.js';
import { string } from './string.js';

export const FUNCTIONS: Readonly<Record<string, FnDef>> = Object.assign(
  Object.create(null) as Record<string, FnDef>,
  cidr,
  collection,
  date,
  deployment,
  lambda,
  logical,
  numeric,
  string,
);

// The same table as a Map: FUNCTIONS has 200 keys and no prototype, so V8 keeps it as a dictionary, and reading it
// by a name the parser just sliced first looks the name up in V8's string table.
const BY_NAME = new Map<string, FnDef>(Object.entries(FUNCTIONS));

/** The definition of a function by its lower-case name, including the open-ended list*() family. */
export function lookupFunction(lowerName: string): FnDef | undefined {
  return BY_NAME.get(lowerName) ?? listFunction(lowerName);
}

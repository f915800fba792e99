// Worker thread entry of cli/parallel.ts: lints each target the main thread sends with the options it was started
// with, and posts back the result reduced to what the formatters read (slimResult).
import { parentPort, workerData } from 'node:worker_threads';
import { slimResult } from '../engine/index.js';
import { rules as registry } from '../rules/index.js';
import { lintTarget } from '../api/run.js';
import { sessionsOf } from './transfer.js';
import type { FromWorker, ToWorker, WorkerSetup } from './transfer.js';

const setup = workerData as WorkerSetup;
const byId = new Map(registry.map((r) => [r.id, r]));
// Each target with its own variant of the session options (its template's configuration), as on the main thread.
const sessionFor = sessionsOf({ ...setup.options, rules: setup.ruleIds.map((id) => byId.get(id)!) }, setup.variants);

parentPort!.on('message', (m: ToWorker) => {
  let reply: FromWorker;
  try {
    reply = { index: m.index, result: slimResult(lintTarget(m.target, sessionFor(m.variant), setup.options.parameters), setup.keepGraph) };
  } catch (e) {
    reply = { index: m.index, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  try {
    parentPort!.postMessage(reply);
  } catch (e) {
    // Something in the result cannot be cloned: a bug to report, not a template problem.
    parentPort!.postMessage({ index: m.index, error: `Cannot send the result of ${m.target.template} to the main thread: ${(e as Error).message}` } satisfies FromWorker);
  }
});

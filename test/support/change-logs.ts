import type { ChangeLog } from '../../mock-server/src/store/change-log.js';

/** A change log that records each call and accepts it, or refuses it while `refusing` is set. */
export function recordingLog() {
  const calls: string[] = [];
  let refusing = false;
  const answer = (call: string) => {
    calls.push(call);
    return refusing ? Promise.reject(new Error(`refused: ${call}`)) : Promise.resolve();
  };
  const log: ChangeLog = {
    insert: (doc) => answer(`insert ${doc.session.id}`),
    update: (doc) => answer(`update ${doc.session.id}`),
    remove: (id) => answer(`remove ${id}`),
    memory: (entry) => answer(`memory ${entry.id}`),
    clear: (ids) => answer(`clear ${ids.length}`),
    settled: () => undefined,
    taggedChanges: () => [],
    flush: async () => undefined,
    compact: async () => undefined,
    close: async () => undefined,
  };
  return {
    log,
    calls,
    refuse(on: boolean) {
      refusing = on;
    },
  };
}

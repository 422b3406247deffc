import type { SessionsData } from '../../src/control/index.js';

/** One stored session with its organisation and messages, as the snapshot returns it. */
export type SessionDocument = SessionsData['sessions'][number];

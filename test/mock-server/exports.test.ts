import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as root from 'fold-sessions-mock';
import * as control from 'fold-sessions-mock/control';
import * as msw from 'fold-sessions-mock/msw';

describe('fold-sessions-mock exports exactly its public surface', () => {
  it('the Node entry', () => {
    expect(Object.keys(root).sort()).toEqual(
      [
        'ControlError',
        'LowdbSessionStore',
        'ModelServerError',
        'SessionsService',
        'StoreOpenError',
        'answerMalformedRequests',
        'createApp',
        'createManualClock',
        'createSessionsApi',
        'createTestClock',
        'defaultLimits',
        'defaultSummarizer',
        'developmentKeys',
        'mergeData',
        'openAIEmbedder',
        'openAISummarizer',
        'openDurableStore',
        'openFileStore',
        'operationIds',
        'randomId',
        'removeInterruptedWrites',
        'resolveLimits',
        'sequentialIds',
        'sessionFixture',
        'sessionFile',
        'sessionsDirectory',
      ].sort(),
    );
  });

  it('the MSW entry', () => {
    expect(Object.keys(msw).sort()).toEqual(
      [
        'ControlError',
        'createManualClock',
        'createSessionsHandlers',
        'createTestClock',
        'defaultBaseUrl',
        'defaultLimits',
        'defaultOrgId',
        'defaultSummarizer',
        'mergeData',
        'ModelServerError',
        'openAIEmbedder',
        'openAISummarizer',
        'operationIds',
        'randomId',
        'sequentialIds',
        'sessionFixture',
      ].sort(),
    );
  });

  it('the control client entry', () => {
    expect(Object.keys(control).sort()).toEqual(['ControlError', 'connectControl']);
  });

  it('lists every entry point by name, with no export *', () => {
    for (const entry of ['index.ts', 'msw/index.ts', 'control/index.ts', 'surface.ts']) {
      expect(readFileSync(`mock-server/src/${entry}`, 'utf8'), entry).not.toMatch(/export \*/);
    }
  });

  it('the Express and MSW adapters import only the api layer, never the domain', () => {
    for (const folder of ['express', 'msw']) {
      for (const file of readdirSync(`mock-server/src/${folder}`)) {
        expect(readFileSync(`mock-server/src/${folder}/${file}`, 'utf8'), `${folder}/${file}`).not.toMatch(/from '\.\.\/core\//);
      }
    }
  });

  it('the operation ids come from the spec', () => {
    expect(root.operationIds).toEqual(['listSessions', 'createSession', 'getSession', 'deleteSession', 'addMessage', 'updateContext', 'closeSession', 'completeSession', 'queryMemory']);
  });
});

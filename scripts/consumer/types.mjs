// Type-checks a consumer file against the installed tarballs with a given TypeScript: skipLibCheck
// off, so every published declaration file is checked too, and any public function or class whose
// parameters or result degrade to `any` is a type error. `all` uses every public entry of both
// packages; `sdk` only fold-sessions' main entry (for a project without zod).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './process.mjs';

const anyCheck = `
type IsAny<T> = 0 extends 1 & T ? true : false;
type AnyParam<A extends readonly unknown[]> = true extends { [I in keyof A]: IsAny<A[I]> }[number] ? true : false;
/** The names of a module's exports that are \`any\`, or functions and classes taking or giving \`any\`. */
type LeaksAny<M> = {
  [K in keyof M]: IsAny<M[K]> extends true
    ? K
    : M[K] extends abstract new (...args: infer A) => infer I
      ? AnyParam<A> extends true ? K : IsAny<I> extends true ? K : never
      : M[K] extends (...args: infer A) => infer R
        ? AnyParam<A> extends true ? K : IsAny<Awaited<R>> extends true ? K : never
        : never;
}[keyof M];
type NoneOf<K extends never> = K;
`;

const sdkUse = `
async function useSdk(): Promise<Session> {
  const fold = new FoldSessions({ apiKey: 'key', baseURL: 'http://127.0.0.1:4010' });
  const session = await fold.sessions.create({ name: 'typed', context: { plan: 'pro' } });
  // @ts-expect-error: a name is a string, so the SDK's types are real, not any
  await fold.sessions.create({ name: 1 });
  for await (const item of fold.sessions.list({ status: 'active' })) item.status satisfies SessionStatus;
  const error: unknown = new Error('x');
  if (isFoldSessionsError(error, NotFoundError)) error.status satisfies number;
  return session;
}
`;

const sources = {
  sdk: `import * as sdk from 'fold-sessions';
import { FoldSessions, NotFoundError, isFoldSessionsError, type Session, type SessionStatus } from 'fold-sessions';
${anyCheck}
export type Checked = NoneOf<LeaksAny<typeof sdk>>;
${sdkUse}
export { useSdk };
`,
  all: `import * as sdk from 'fold-sessions';
import { FoldSessions, NotFoundError, isFoldSessionsError, type Session, type SessionStatus } from 'fold-sessions';
import * as schemas from 'fold-sessions/zod';
import * as validation from 'fold-sessions/validation';
import * as mock from 'fold-sessions-mock';
import * as msw from 'fold-sessions-mock/msw';
import * as control from 'fold-sessions-mock/control';
${anyCheck}
export type Checked = [
  NoneOf<LeaksAny<typeof sdk>>,
  NoneOf<LeaksAny<typeof schemas>>,
  NoneOf<LeaksAny<typeof validation>>,
  NoneOf<LeaksAny<typeof mock>>,
  NoneOf<LeaksAny<typeof msw>>,
  NoneOf<LeaksAny<typeof control>>,
];
${sdkUse}
function useMock(): void {
  const app = mock.createApp({ logger: false, keys: { key: 'org' } });
  const server = app.listen(0, '127.0.0.1');
  // @ts-expect-error: the app is an Express application, not any
  app.notAnExpressMethod();
  server.close();
  const { handlers, controller } = msw.createSessionsHandlers({ baseUrl: 'https://api.example.test' });
  controller.clock.advance(1_000);
  handlers.length satisfies number;
  schemas.zSession.safeParse({}).success satisfies boolean;
  new FoldSessions({ apiKey: 'key', validateResponses: validation.responseValidator });
}
async function useControl(): Promise<void> {
  const remote = control.connectControl({ baseURL: 'http://127.0.0.1:4010', token: 'token' });
  await remote.fail('addMessage', { status: 503, times: 1, retryAfter: 0 });
  // @ts-expect-error: operation ids come from the spec, so a made-up one is refused
  await remote.fail('notAnOperation', { status: 503 });
  const [first] = await remote.requests({ operationId: 'addMessage' });
  first?.status satisfies number | null | undefined;
  const error: unknown = new Error('x');
  if (error instanceof control.ControlError) error.status satisfies number;
}
export { useSdk, useMock, useControl };
`,
};

const moduleFor = { node16: 'node16', nodenext: 'nodenext', bundler: 'esnext' };

/** Checks `entries` under `resolution` with the TypeScript whose tsc is `tsc.bin`, version `tsc.version`. */
export async function checkTypes({ dir, resolution, entries, tsc }) {
  // A file and a config per check, so checks of one project can run side by side.
  const name = `${entries}.${resolution}.ts${tsc.version}`;
  const file = `consumer.${name}.ts`;
  writeFileSync(join(dir, file), sources[entries]);
  const config = `tsconfig.${name}.json`;
  writeFileSync(
    join(dir, config),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023', 'DOM', 'DOM.Iterable'],
          module: moduleFor[resolution],
          moduleResolution: resolution,
          strict: true,
          skipLibCheck: false,
          noEmit: true,
        },
        files: [file],
      },
      null,
      2,
    ),
  );
  await run(process.execPath, [tsc.bin, '-p', config], { cwd: dir });
  return `tsc -p ${config}`;
}

// Type-checks a consumer file against the installed tarballs: skipLibCheck off, so every
// published declaration file is checked too, and any public function or class whose parameters
// or result degrade to `any` is a type error.
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
import * as mock from 'fold-sessions-mock';
import * as msw from 'fold-sessions-mock/msw';
${anyCheck}
export type Checked = [
  NoneOf<LeaksAny<typeof sdk>>,
  NoneOf<LeaksAny<typeof schemas>>,
  NoneOf<LeaksAny<typeof mock>>,
  NoneOf<LeaksAny<typeof msw>>,
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
}
export { useSdk, useMock };
`,
};

const moduleFor = { node16: 'node16', nodenext: 'nodenext', bundler: 'esnext' };

export async function checkTypes({ root, dir, resolution, entries }) {
  const file = `consumer-${entries}.ts`;
  writeFileSync(join(dir, file), sources[entries]);
  const config = `tsconfig.${entries}.${resolution}.json`;
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
  await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', config], { cwd: dir });
  return `tsc -p ${config}`;
}

import type { FailureStatus, InjectedFailure } from 'fold-sessions-mock';
import { connectControl } from 'fold-sessions-mock/control';
import { describe, expectTypeOf, it } from 'vitest';

// Type-level: `npm run typecheck` fails when fail() accepts a status the operation does not document.
const control = connectControl({ baseURL: 'http://127.0.0.1:9', token: 'token' });

describe("control.fail() types: each operation's documented error statuses, from the spec", () => {
  it('takes the statuses of the operation', () => {
    expectTypeOf<FailureStatus<'getSession'>>().toEqualTypeOf<400 | 401 | 404 | 429 | 500 | 503>();
    expectTypeOf<FailureStatus<'listSessions'>>().toEqualTypeOf<400 | 401 | 429 | 500 | 503>();
    expectTypeOf(control.fail<'getSession'>).parameter(1).toEqualTypeOf<InjectedFailure<400 | 401 | 404 | 429 | 500 | 503>>();
    expectTypeOf(control.fail<'getSession'>).parameter(1).not.toEqualTypeOf<InjectedFailure>();
  });

  it("takes for 'all' only the statuses every operation documents", () => {
    expectTypeOf<FailureStatus<'all'>>().toEqualTypeOf<400 | 401 | 429 | 500 | 503>();
  });

  it('refuses an undocumented status at compile time', () => {
    // Never run: each line must fail to compile for the test to pass.
    const never = () => {
      // @ts-expect-error 418 is documented by no operation
      void control.fail('getSession', { status: 418 });
      // @ts-expect-error getSession documents no 422
      void control.fail('getSession', { status: 422 });
      // @ts-expect-error not every operation documents 404
      void control.fail('all', { status: 404 });
      void control.fail('addMessage', { status: 422 });
      void control.fail('getSession', { networkError: true, times: 2 });
      // A matcher keeps the status typing.
      // @ts-expect-error getSession documents no 422, with a matcher too
      void control.fail('getSession', { status: 422, match: { sessionId: 'sess_1' } });
      void control.fail('getSession', { status: 404, match: { sessionId: 'sess_1', headers: { 'x-a': { present: true } } }, priority: 2, name: 'n' });
      // @ts-expect-error a function matcher is in-process only
      void control.fail('getSession', { status: 404, match: () => true });
    };
    expectTypeOf(never).toBeFunction();
  });
});

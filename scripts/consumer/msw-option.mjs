// Source text written for msw 3, as msw 2 spells it: msw 3 renamed the `onUnhandledRequest` option
// of `server.listen()` and `worker.start()` to `onUnhandledFrame`, and that is the only change the
// consumer checks make to a copied file for msw 2.
export const MSW_2_RENAME = 'onUnhandledFrame → onUnhandledRequest';

export function forMsw(source, mswMajor) {
  if (mswMajor >= 3) return source;
  const uses = source.split('onUnhandledFrame').length - 1;
  if (uses !== 1) throw new Error(`expected one onUnhandledFrame to rename for msw ${mswMajor}, found ${uses}`);
  return source.replace('onUnhandledFrame', 'onUnhandledRequest');
}

import { describe, expect, it } from 'vitest';
import { parseCli, UsageError } from '../../../mock-server/src/cli-options.js';

const serve = (argv: string[]) => {
  const command = parseCli(argv, {});
  if (command.kind !== 'serve') throw new Error('expected serve');
  return command.options;
};

describe('CLI options: --proxy, --record, --fixtures', () => {
  it('takes an upstream URL and a recording file, and keeps everything in memory', () => {
    expect(serve(['--proxy', 'https://api.fold.run', '--record', 'recorded.json'])).toMatchObject({ proxy: 'https://api.fold.run', record: 'recorded.json', db: undefined });
    expect(serve(['--fixtures', 'recorded.json'])).toMatchObject({ fixtures: 'recorded.json', db: undefined, proxy: undefined });
    expect(serve([])).toMatchObject({ proxy: undefined, record: undefined, fixtures: undefined, db: './data/sessions.json' });
  });

  it.each([
    [['--proxy', 'api.fold.run'], '--proxy must be an http(s) URL'],
    [['--proxy', 'https://api.fold.run?x=1'], '--proxy must be an http(s) URL'],
    [['--record', 'recorded.json'], '--record needs --proxy'],
    [['--proxy', 'https://api.fold.run', '--fixtures', 'f.json'], 'Use either --proxy or --fixtures'],
    [['--fixtures', 'f.json', '--db', 'x.json'], '--fixtures keeps everything in memory; drop --db'],
    [['--proxy', 'https://api.fold.run', '--db', 'x.json'], '--proxy keeps everything in memory; drop --db'],
  ])('refuses %j', (argv, message) => {
    expect(() => serve(argv)).toThrow(UsageError);
    expect(() => serve(argv)).toThrow(message);
  });
});

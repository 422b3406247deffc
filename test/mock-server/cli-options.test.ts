import { describe, expect, it } from 'vitest';
import { parseCli, UsageError } from '../../mock-server/src/cli-options.js';

const serve = (argv: string[], env: Record<string, string> = {}) => {
  const command = parseCli(argv, env);
  if (command.kind !== 'serve') throw new Error('expected serve');
  return command.options;
};

describe('CLI options', () => {
  it('defaults: port 4010, host 127.0.0.1, ./data/sessions.json, the development key, no limits or faults', () => {
    expect(serve([])).toEqual({
      port: 4010,
      host: '127.0.0.1',
      db: './data/sessions.json',
      durability: 'fsync',
      compactAfter: { bytes: 64 * 1024 * 1024, records: 64_000 },
      repair: false,
      keys: { fold_dev_key: 'org_dev' },
      developmentKey: true,
      rateLimit: undefined,
      latencyMs: 0,
      faultRate: 0,
      seed: 1,
      controlToken: expect.stringMatching(/^fold_control_[A-Za-z0-9]{20}$/),
      generatedControlToken: true,
      journalLimit: 1000,
      limits: {},
      graceMs: 10_000,
      headerTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
    });
    expect(serve([]).controlToken).not.toBe(serve([]).controlToken);
  });

  it('reads every flag', () => {
    expect(
      serve(['--port', '0', '--host', '0.0.0.0', '--in-memory', '--keys', 'k1=org_1,k2=org_2', '--rate-limit', '100/min', '--latency', '25', '--fault-rate', '0.2', '--seed', '7', '--control-token', 'ctl-secret-1', '--journal', '50', '--grace', '250']),
    ).toEqual({
      port: 0,
      host: '0.0.0.0',
      db: undefined,
      durability: 'fsync',
      compactAfter: { bytes: 64 * 1024 * 1024, records: 64_000 },
      repair: false,
      keys: { k1: 'org_1', k2: 'org_2' },
      developmentKey: false,
      rateLimit: 100,
      latencyMs: 25,
      faultRate: 0.2,
      seed: 7,
      controlToken: 'ctl-secret-1',
      generatedControlToken: false,
      journalLimit: 50,
      limits: {},
      graceMs: 250,
      headerTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
    });
    expect(serve(['--no-control']).controlToken).toBeUndefined();
    expect(serve(['--rate-limit', '5']).rateLimit).toBe(5);
    expect(serve(['--db', '/tmp/x.json']).db).toBe('/tmp/x.json');
    expect(serve(['--durability', 'process', '--compact-after', '8'])).toMatchObject({ durability: 'process', compactAfter: { bytes: 8 * 1024 * 1024, records: 8000 } });
    expect(serve(['--compact-after', '512KiB']).compactAfter).toEqual({ bytes: 512 * 1024, records: Number.MAX_SAFE_INTEGER });
    expect(serve(['--compact-after', '40records']).compactAfter).toEqual({ bytes: Number.MAX_SAFE_INTEGER, records: 40 });
    expect(serve(['--repair']).repair).toBe(true);
    expect(() => serve(['--in-memory', '--repair'])).toThrow(/--repair apply to a --db database/);
  });

  it('--header-timeout and --request-timeout, in ms from 100', () => {
    expect(serve(['--header-timeout', '500', '--request-timeout', '2000'])).toMatchObject({ headerTimeoutMs: 500, requestTimeoutMs: 2000 });
    expect(() => serve(['--header-timeout', '50'])).toThrow('--header-timeout must be an integer from 100 to 600000, got "50"');
  });

  it('--limit name=value, repeatable, for every limit; anything else exits with the list of names', () => {
    expect(serve(['--limit', 'messages-per-session=500', '--limit', 'session-bytes=65536', '--limit', 'summary-answer-bytes=4096'])).toMatchObject({
      limits: { messagesPerSession: 500, sessionBytes: 65536 },
      summaryAnswerBytes: 4096,
    });
    const names = ['sessions-per-organisation', 'idempotency-records', 'idempotency-bytes', 'journal-bytes', 'journal-body-bytes'];
    for (const name of names) expect(Object.values(serve(['--limit', `${name}=7`]).limits)).toEqual([7]);
    expect(() => serve(['--limit', 'messages=5'])).toThrow(/--limit takes name=value with a whole number, the name one of messages-per-session, session-bytes, .*summary-answer-bytes; got "messages=5"/);
    expect(() => serve(['--limit', 'session-bytes=0'])).toThrow(/--limit session-bytes must be an integer from 1/);
    expect(() => serve(['--limit', 'session-bytes=-1'])).toThrow(/--limit takes name=value/);
  });

  it('takes keys from FOLD_SESSIONS_KEYS, with --keys winning', () => {
    expect(serve([], { FOLD_SESSIONS_KEYS: 'env_key=org_env' }).keys).toEqual({ env_key: 'org_env' });
    expect(serve(['--keys', 'flag_key=org_flag'], { FOLD_SESSIONS_KEYS: 'env_key=org_env' }).keys).toEqual({ flag_key: 'org_flag' });
  });

  it('takes the control token from FOLD_SESSIONS_CONTROL_TOKEN, with --control-token winning', () => {
    expect(serve([], { FOLD_SESSIONS_CONTROL_TOKEN: 'env-token-1' })).toMatchObject({ controlToken: 'env-token-1', generatedControlToken: false });
    expect(serve(['--control-token', 'flag-token-1'], { FOLD_SESSIONS_CONTROL_TOKEN: 'env-token-1' }).controlToken).toBe('flag-token-1');
    expect(serve(['--no-control'], { FOLD_SESSIONS_CONTROL_TOKEN: 'env-token-1' }).controlToken).toBeUndefined();
  });

  it('--summarizer openai and --embeddings openai, with keys from the environment only', () => {
    const options = serve(
      ['--summarizer', 'openai', '--summarizer-url', 'http://127.0.0.1:11434/v1', '--summarizer-model', 'llama3.2', '--embeddings', 'openai', '--embeddings-model', 'nomic-embed-text'],
      { FOLD_SESSIONS_SUMMARIZER_KEY: 'sk-1' },
    );
    expect(options.summarizer).toEqual({ url: 'http://127.0.0.1:11434/v1', model: 'llama3.2', apiKey: 'sk-1' });
    expect(options.embeddings).toEqual({ url: 'http://127.0.0.1:11434/v1', model: 'nomic-embed-text', apiKey: 'sk-1' });
    expect(serve([], { FOLD_SESSIONS_SUMMARIZER_KEY: 'sk-1' })).toMatchObject({ summarizer: undefined, embeddings: undefined });
    expect(serve(['--embeddings', 'openai', '--embeddings-url', 'https://api.example/v1', '--embeddings-model', 'e'], { FOLD_SESSIONS_EMBEDDINGS_KEY: 'sk-2' }).embeddings).toEqual({
      url: 'https://api.example/v1',
      model: 'e',
      apiKey: 'sk-2',
    });
  });

  it('--help', () => {
    expect(parseCli(['--help'])).toEqual({ kind: 'help' });
    expect(parseCli(['-h'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--port', 'abc'], /--port must be an integer/],
    [['--port', '70000'], /--port/],
    [['--rate-limit', 'fast'], /--rate-limit must look like/],
    [['--rate-limit', '0'], /--rate-limit must be an integer from 1/],
    [['--fault-rate', '1.5'], /--fault-rate must be a number from 0 to 1/],
    [['--fault-rate', 'half'], /--fault-rate/],
    [['--latency', '-5'], /--latency/],
    [['--seed', 'x'], /--seed/],
    [['--keys', 'nokey'], /key=org/],
    [['--keys', 'a=1,a=2'], /twice/],
    [['--db', 'x.json', '--in-memory'], /either --db or --in-memory/],
    [['--colour'], /Unknown option/],
    [['serve'], /positional/],
    [['--control-token', 'short'], /--control-token must be 8 to 256 characters/],
    [['--control-token', 'has space in it'], /--control-token must be/],
    [['--control-token', 'abcdefgh', '--no-control'], /either --control-token or --no-control/],
    [['--keys', 'same-secret=org_1', '--control-token', 'same-secret'], /must differ from every API key/],
    [['--journal', '0'], /--journal must be an integer from 1/],
    [['--durability', 'sometimes'], /--durability must be fsync or process/],
    [['--in-memory', '--durability', 'process'], /apply to a --db database/],
    [['--compact-after', '0'], /--compact-after must be a positive number of MiB/],
    [['--compact-after', '5GB'], /--compact-after must be/],
    [['--summarizer', 'gpt'], /--summarizer must be default or openai/],
    [['--summarizer', 'openai', '--summarizer-model', 'm'], /needs --summarizer-url/],
    [['--summarizer', 'openai', '--summarizer-url', 'http://x/v1'], /needs --summarizer-model/],
    [['--summarizer-model', 'm'], /need --summarizer openai/],
    [['--embeddings', 'openai', '--embeddings-model', 'e'], /needs --embeddings-url/],
    [['--embeddings', 'on'], /--embeddings must be off or openai/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(UsageError);
    expect(() => parseCli(argv)).toThrow(message);
  });
});

// `npm run bench`: the reference server next to a bare Express baseline doing the same work in
// memory, Prism's mock and json-server 1.x, side by side in one run; plus database growth, start-up
// to the first answer on large databases (next to json-server on the same data), and the SDK
// against other HTTP clients (overhead per call and bundle size). Prints one table with pass/fail
// per target and writes bench/results.json. Not part of `npm test`. `npm run bench -- --clients`
// runs the HTTP clients' comparison alone.
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { clientSizes } from './client-sizes.mjs';
import { firstAnswer } from './first-answer.mjs';
import { writeGrowthDatabase } from './growth-db.mjs';
import { checkoutRevision, removeRevision, root, sourceFlags, startBaseline, startJsonServer, startPrism, startReference } from './processes.mjs';

const startedAt = Date.now();
// Each cell is measured in `rounds` slices that alternate between the targets, so that a slow
// moment of a shared machine does not land on one target only.
const settings = { connections: 10, warmupSeconds: 1, rounds: 2, roundSeconds: 2, growthRounds: 2, growthSeconds: 3, sdkCalls: 3000 };
const benchKey = 'bench_key';
const createKey = 'bench_create_key';
// Creates go to their own organisation, so the list scenario always pages over the same sessions.
const keys = `${benchKey}=org_bench,${createKey}=org_bench_create`;
const appendSessions = 100;
const content = 'The customer asks whether the pro plan includes priority support and how to upgrade mid-cycle.';
const json = { 'content-type': 'application/json' };
const auth = (key) => ({ authorization: `Bearer ${key}` });
const log = (line) => process.stderr.write(`${line}\n`);
// `BENCH_COMPARE=<git revision> npm run bench` also measures that revision's server, in memory,
// in the same alternating slices, and prints the working tree's throughput as a ratio of it.
const compareRevision = process.env.BENCH_COMPARE;

// Each scenario's requests rotate over `requests(ids)`, a path each with an optional body of its
// own; `jsonServer` is the same work in json-server's routes (a session's messages are a
// collection of their own, embedded on request; its POST to a collection rewrites db.json).
const scenarios = [
  {
    id: 'get',
    label: 'GET /sessions/{id} (10 messages)',
    method: 'GET',
    requests: (ids) => [{ path: `/sessions/${ids.get}` }],
    jsonServer: { method: 'GET', requests: (ids) => [{ path: `/sessions/${ids.get}?_embed=messages` }] },
  },
  {
    id: 'append',
    label: 'POST /sessions/{id}/messages',
    method: 'POST',
    headers: json,
    body: JSON.stringify({ role: 'user', content }),
    requests: (ids) => ids.append.map((id) => ({ path: `/sessions/${id}/messages` })),
    jsonServer: { method: 'POST', headers: json, requests: (ids) => ids.append.map((id) => ({ path: '/messages', body: JSON.stringify({ sessionId: id, role: 'user', content }) })) },
  },
  {
    id: 'create',
    label: 'POST /sessions',
    method: 'POST',
    key: createKey,
    headers: json,
    body: JSON.stringify({ name: 'bench', ttl_seconds: 86_400 }),
    requests: () => [{ path: '/sessions' }],
    jsonServer: { method: 'POST', headers: json, body: JSON.stringify({ name: 'bench', ttl_seconds: 86_400 }), requests: () => [{ path: '/sessions' }] },
  },
  {
    id: 'list',
    label: 'GET /sessions?limit=20',
    method: 'GET',
    requests: () => [{ path: '/sessions?limit=20' }],
    jsonServer: { method: 'GET', requests: () => [{ path: '/sessions?_page=1&_per_page=20' }] },
  },
];
/** What a scenario sends to target `key`. */
const shapeFor = (scenario, key) => (key === 'jsonServer' ? scenario.jsonServer : scenario);

async function call(url, method, path, key, body) {
  const response = await fetch(`${url}${path}`, { method, headers: { ...auth(key), ...(body && json) }, body: body && JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 200)}`);
  return { text, value: JSON.parse(text) };
}

/** The sessions every scenario needs: one with 10 messages to read, `appendSessions` to append to. */
async function seedReference(url) {
  const get = (await call(url, 'POST', '/sessions', benchKey, { name: 'read me', ttl_seconds: 86_400 })).value.id;
  for (let i = 0; i < 10; i++) await call(url, 'POST', `/sessions/${get}/messages`, benchKey, { role: i % 2 ? 'assistant' : 'user', content });
  const append = [];
  for (let i = 0; i < appendSessions; i++) append.push((await call(url, 'POST', '/sessions', benchKey, { name: `append ${i}`, ttl_seconds: 86_400 })).value.id);
  return { get, append };
}

/** The same sessions in json-server: one with 10 messages to read, `appendSessions` to append to. */
async function seedJsonServer(url) {
  const get = (await call(url, 'POST', '/sessions', benchKey, { name: 'read me', ttl_seconds: 86_400 })).value.id;
  for (let i = 0; i < 10; i++) await call(url, 'POST', '/messages', benchKey, { sessionId: get, role: i % 2 ? 'assistant' : 'user', content });
  const append = [];
  for (let i = 0; i < appendSessions; i++) append.push((await call(url, 'POST', '/sessions', benchKey, { name: `append ${i}`, ttl_seconds: 86_400 })).value.id);
  return { get, append };
}

/** What the baseline's records copy: the reference server's answers to a create and an append. */
async function baselineTemplates(url, ids) {
  return {
    session: (await call(url, 'POST', '/sessions', createKey, { name: 'bench', ttl_seconds: 86_400 })).value,
    message: (await call(url, 'POST', `/sessions/${ids.append[0]}/messages`, benchKey, { role: 'user', content })).value,
  };
}

/** One autocannon run; requests rotate over `requests` (a path and an optional body each). */
async function cannon(url, { method, headers, body, key = benchKey }, requests, seconds) {
  let next = 0;
  const allHeaders = { ...auth(key), ...headers };
  const result = await autocannon({
    url,
    connections: settings.connections,
    duration: seconds,
    method,
    headers: allHeaders,
    body,
    requests: [
      {
        method,
        headers: allHeaders,
        body,
        setupRequest: (request) => {
          const { path, body: own } = requests[next++ % requests.length];
          return { ...request, path, body: own ?? body };
        },
      },
    ],
  });
  return {
    ok: result['2xx'],
    seconds: result.duration,
    rps: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

/** Warms every target up, then measures them in alternating slices; sums requests, averages latencies. */
async function measureScenario(scenario, targets, ids) {
  const run = (key, server, seconds) => {
    const shape = shapeFor(scenario, key);
    return cannon(server.url, shape, shape.requests(ids[key]), seconds);
  };
  for (const { key, server } of targets) await run(key, server, settings.warmupSeconds);
  const slices = new Map(targets.map(({ key }) => [key, []]));
  for (let round = 0; round < settings.rounds; round++) {
    for (const { key, server } of targets) slices.get(key).push(await run(key, server, settings.roundSeconds));
  }
  const mean = (values) => Math.round((values.reduce((sum, value) => sum + value, 0) / values.length) * 10) / 10;
  return targets.map(({ key }) => {
    const parts = slices.get(key);
    const ok = parts.reduce((sum, part) => sum + part.ok, 0);
    const seconds = parts.reduce((sum, part) => sum + part.seconds, 0);
    return {
      target: key,
      ok,
      seconds,
      rps: ok / seconds,
      p50: mean(parts.map((part) => part.p50)),
      p99: mean(parts.map((part) => part.p99)),
      failed: parts.reduce((sum, part) => sum + part.failed, 0),
    };
  });
}

function runSdkOverhead(url, sessionId) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'scripts/bench/sdk-overhead.mjs'), url, benchKey, sessionId, String(settings.sdkCalls)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1))) : reject(new Error(`sdk-overhead exited ${code}`))));
  });
}

/** Runs a bench script from source in its own process; resolves with the JSON of its last line. */
function runScript(script) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...sourceFlags, join(root, script)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1))) : reject(new Error(`${script} exited ${code}`))));
  });
}

/** Append throughput on a database of `sessions` × `messages` (existing sessions) vs a near-empty one. */
async function growth(dir) {
  const emptyDb = join(dir, 'growth-empty', 'sessions.json');
  const bigDb = join(dir, 'growth-big', 'sessions.json');
  await mkdir(join(dir, 'growth-empty'));
  log('growth: writing 1,000 sessions × 100 messages');
  const bigIds = await writeGrowthDatabase(bigDb, { orgId: 'org_bench', sessions: 1000, messages: 100 });
  const loadStarted = Date.now();
  const [empty, big] = await Promise.all([
    startReference('file store, near-empty', { db: emptyDb, keys }, join(dir, 'growth-empty.log')),
    startReference('file store, 100,000 messages', { db: bigDb, keys }, join(dir, 'growth-big.log')),
  ]);
  const loadMs = Date.now() - loadStarted;
  try {
    // The big database really loaded: its sessions are there, with their messages.
    const probe = (await call(big.url, 'GET', `/sessions/${bigIds[500]}`, benchKey)).value;
    if (probe.message_count !== 100) throw new Error(`growth database did not load: ${probe.message_count} messages`);
    const emptyIds = [];
    for (let i = 0; i < appendSessions; i++) emptyIds.push((await call(empty.url, 'POST', '/sessions', benchKey, { name: `g${i}`, ttl_seconds: 86_400 })).value.id);
    const append = scenarios.find((scenario) => scenario.id === 'append');
    const appendsTo = (ids) => ids.map((id) => ({ path: `/sessions/${id}/messages` }));
    const bigAppends = appendsTo(bigIds.filter((_, i) => i % 10 === 0));
    const sums = { empty: { ok: 0, seconds: 0, p50: [], p99: [] }, big: { ok: 0, seconds: 0, p50: [], p99: [] } };
    await cannon(empty.url, append, appendsTo(emptyIds), settings.warmupSeconds);
    await cannon(big.url, append, bigAppends, settings.warmupSeconds);
    for (let round = 0; round < settings.growthRounds; round++) {
      for (const [name, server, requests] of [['empty', empty, appendsTo(emptyIds)], ['big', big, bigAppends]]) {
        const result = await cannon(server.url, append, requests, settings.growthSeconds);
        sums[name].ok += result.ok;
        sums[name].seconds += result.seconds;
        sums[name].p50.push(result.p50);
        sums[name].p99.push(result.p99);
      }
    }
    const summary = (s) => ({ rps: s.ok / s.seconds, p50: Math.max(...s.p50), p99: Math.max(...s.p99) });
    const result = { storedMessages: 100_000, loadMs, nearEmpty: summary(sums.empty), big: summary(sums.big) };
    result.ratio = result.big.rps / result.nearEmpty.rps;
    return result;
  } finally {
    await Promise.all([empty.stop(), big.stop()]);
  }
}

const fixed = (value, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mib = (bytes) => (bytes === undefined ? 'unknown' : `${fixed(bytes / 2 ** 20)} MiB`);

/**
 * The HTTP clients side by side: one interleaved run of sequential GETs against the in-memory
 * reference server, and the bundle of a one-GET app for each; with the SDK's two targets.
 */
async function compareClients(url, sessionId) {
  // Both measure the package as published.
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'sdk/tsconfig.build.json')], { stdio: 'inherit' });
  log('bench: HTTP clients, overhead per call');
  const overhead = await runSdkOverhead(url, sessionId);
  log('bench: HTTP clients, bundle size');
  const sizes = await clientSizes();
  const raw = overhead.clients['raw fetch'];
  const fold = overhead.clients['fold-sessions sessions.get'];
  const ky = overhead.clients.ky;
  const generated = overhead.clients['bare generated hey-api call'];
  const lines = [
    `HTTP clients: ${overhead.calls} sequential GET /sessions/{id} (10 messages) each on loopback, interleaved in blocks of 100; ` +
      `raw fetch ${fixed(raw.medianUs)} µs median. Bundle: a one-GET app, esbuild min + gzip.`,
    '',
    '| client | overhead per call (median over raw fetch) | mean µs per call | bundle |',
    '|---|---:|---:|---:|',
    ...Object.entries(overhead.clients)
      .filter(([name]) => name !== 'raw fetch')
      .sort(([, a], [, b]) => a.overheadUs - b.overheadUs)
      .map(([name, c]) => `| ${name === 'fold-sessions sessions.get' ? `**${name}**` : name} | +${fixed(c.overheadUs)} µs | ${fixed(c.meanUs)} | ${fixed(sizes[name], 1)} KB |`),
  ];
  const checks = [
    {
      name: "fold-sessions sessions.get overhead below ky's",
      value: fold.overheadUs,
      threshold: ky.overheadUs,
      pass: fold.overheadUs < ky.overheadUs,
      shown: `+${fixed(fold.overheadUs)} vs +${fixed(ky.overheadUs)} µs`,
    },
    {
      name: 'fold-sessions sessions.get overhead below the bare generated call + 15 µs',
      value: fold.overheadUs,
      threshold: generated.overheadUs + 15,
      pass: fold.overheadUs < generated.overheadUs + 15,
      shown: `+${fixed(fold.overheadUs)} vs +${fixed(generated.overheadUs)} + 15 µs`,
    },
  ];
  return { overhead, sizes, lines, checks };
}

async function clientsOnly() {
  const dir = await mkdtemp(join(tmpdir(), 'fold-sessions-bench-'));
  const memory = await startReference('reference, in memory', { keys }, join(dir, 'memory.log'));
  try {
    const ids = await seedReference(memory.url);
    const { overhead, sizes, lines, checks } = await compareClients(memory.url, ids.get);
    console.log([...lines, '', ...checks.map((c) => `${c.pass ? 'PASS' : 'FAIL'}  ${c.name} (${c.shown})`)].join('\n'));
    console.log(`\nNode ${process.versions.node}, ${cpus().length} CPUs (${cpus()[0]?.model})`);
    await mkdir(join(root, 'bench'), { recursive: true });
    await writeFile(join(root, 'bench', 'clients.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.versions.node, overhead, sizes, checks }, null, 2)}\n`);
  } finally {
    await memory.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'fold-sessions-bench-'));
  const logFile = (name) => join(dir, `${name}.log`);
  const targets = [];
  let revisionTree;
  try {
    log(`bench: targets starting (logs in ${dir})`);
    const prismStarting = startPrism(logFile('prism'));
    const [memory, file, fileProcess] = await Promise.all([
      startReference('reference, in memory', { keys }, logFile('memory')),
      startReference('reference, file store', { db: join(dir, 'file', 'sessions.json'), keys }, logFile('file')),
      startReference('reference, file store, --durability process', { db: join(dir, 'file-process', 'sessions.json'), keys, args: ['--durability', 'process'] }, logFile('file-process')),
    ]);
    const ids = { memory: await seedReference(memory.url), file: await seedReference(file.url), fileProcess: await seedReference(fileProcess.url) };
    if (compareRevision) {
      revisionTree = checkoutRevision(compareRevision, dir);
      const revision = await startReference(`reference @${compareRevision}, in memory`, { keys, tree: revisionTree }, logFile('revision'));
      ids.revision = await seedReference(revision.url);
      targets.push({ key: 'revision', server: revision });
    }
    const templatesFile = join(dir, 'baseline-templates.json');
    await writeFile(templatesFile, JSON.stringify(await baselineTemplates(memory.url, ids.memory)));
    const baseline = await startBaseline(templatesFile, logFile('baseline'));
    ids.baseline = await seedReference(baseline.url);
    const jsonServerDb = join(dir, 'json-server', 'db.json');
    await mkdir(join(dir, 'json-server'));
    await writeFile(jsonServerDb, JSON.stringify({ sessions: [], messages: [] }));
    const jsonServer = await startJsonServer('json-server', jsonServerDb, logFile('json-server'));
    ids.jsonServer = await seedJsonServer(jsonServer.url);
    const prism = await prismStarting;
    // Prism answers from the spec's examples and checks nothing exists, so any well-formed id will do.
    ids.prism = { get: 'sess_0123456789abcdefgh', append: ['sess_0123456789abcdefgh'] };
    targets.push(
      { key: 'baseline', server: baseline },
      { key: 'prism', server: prism },
      { key: 'jsonServer', server: jsonServer },
      { key: 'file', server: file },
      { key: 'fileProcess', server: fileProcess },
      { key: 'memory', server: memory },
    );
    const names = {
      baseline: 'baseline (bare Express, in memory)',
      prism: 'prism mock',
      jsonServer: 'json-server 1.x (db.json)',
      file: 'reference, file store (fsync)',
      fileProcess: 'reference, file store (--durability process)',
      memory: 'reference, --in-memory',
      revision: `reference @${compareRevision}, --in-memory`,
    };

    const rows = [];
    for (const scenario of scenarios) {
      log(`bench: ${scenario.label}`);
      for (const result of await measureScenario(scenario, targets, ids)) rows.push({ scenario: scenario.id, label: scenario.label, ...result });
    }
    const rowOf = (scenario, target) => rows.find((row) => row.scenario === scenario && row.target === target);
    for (const row of rows) {
      row.ratio = row.rps / rowOf(row.scenario, 'baseline').rps;
      row.vsPrism = row.rps / rowOf(row.scenario, 'prism').rps;
      row.vsJsonServer = row.rps / rowOf(row.scenario, 'jsonServer').rps;
    }

    const sdk = await compareClients(memory.url, ids.memory.get);
    await Promise.all(targets.map(({ server }) => server.stop()));
    targets.length = 0;
    const grown = await growth(dir);
    log('bench: memory query at 1,000 and 100,000 summaries');
    const memoryQuery = await runScript('scripts/bench/memory-query.mjs');

    log('bench: start-up and disk use on 1,000 sessions × 100 messages + a 100,000-record journal');
    const startup = await runScript('scripts/bench/startup.mjs');

    const first = await firstAnswer(dir, log);

    const checks = [];
    const check = (name, value, threshold, pass, shown) => checks.push({ name, value, threshold, pass, shown });
    const times = (value, digits = 2) => `${fixed(value, digits)} ×`;
    // The store's targets: durable writes (fsync) against bare Express in memory, Prism and
    // json-server; reads on every store against bare Express in memory and Prism.
    for (const scenario of ['append', 'create']) {
      const row = rowOf(scenario, 'file');
      check(`durable ${row.label} (fsync): ≥ 0.9 × baseline`, row.ratio, 0.9, row.ratio >= 0.9, times(row.ratio));
      check(`durable ${row.label} (fsync): ≥ 2 × prism mock`, row.vsPrism, 2, row.vsPrism >= 2, times(row.vsPrism, 1));
      check(`durable ${row.label} (fsync): ≥ 8 × json-server`, row.vsJsonServer, 8, row.vsJsonServer >= 8, times(row.vsJsonServer, 1));
    }
    for (const target of ['file', 'memory']) {
      for (const scenario of ['get', 'list']) {
        const row = rowOf(scenario, target);
        check(`${row.label}, ${names[target]}: ≥ 0.9 × baseline`, row.ratio, 0.9, row.ratio >= 0.9, times(row.ratio));
        check(`${row.label}, ${names[target]}: ≥ 2 × prism mock`, row.vsPrism, 2, row.vsPrism >= 2, times(row.vsPrism, 1));
      }
    }
    check('append at 100,000 stored messages: ≥ 0.8 × near-empty', grown.ratio, 0.8, grown.ratio >= 0.8, times(grown.ratio));
    check('start-up (1,000 × 100 + 100,000 journal records): ≤ 3 × read + JSON.parse', startup.ratio, 3, startup.ratio <= 3, times(startup.ratio));
    check('disk after compaction: ≤ 1.5 × the documents\' JSON', startup.diskRatio, 1.5, startup.diskRatio <= 1.5, times(startup.diskRatio));
    const { tenThousand: small, hundredThousand: big } = first;
    check(
      'first answer on 10,000 sessions × 10 messages: ≤ 1.0 × json-server',
      small.ratio,
      1,
      small.ratio <= 1,
      `${fixed(small.reference.ms)} vs ${fixed(small.jsonServer.ms)} ms, ${times(small.ratio)}`,
    );
    check(
      'RSS once answering, 10,000 sessions × 10 messages: ≤ 1.0 × json-server',
      small.rssRatio,
      1,
      small.rssRatio <= 1,
      `${mib(small.reference.rss)} vs ${mib(small.jsonServer.rss)}, ${times(small.rssRatio)}`,
    );
    if (big.error) check('first answer on 100,000 sessions × 10 messages: ≤ 5 s', undefined, 5000, false, `did not open: ${big.error}`);
    else check('first answer on 100,000 sessions × 10 messages: ≤ 5 s', big.ms, 5000, big.ms <= 5000, `${fixed(big.ms / 1000, 2)} s, RSS ${mib(big.rss)}`);
    checks.push(...sdk.checks);
    check('memory query at 100,000 summaries: ≤ 5 × at 1,000', memoryQuery.ratio, 5, memoryQuery.ratio <= 5, times(memoryQuery.ratio));
    const versus = compareRevision
      ? scenarios.map((scenario) => `${scenario.label}: in memory ${fixed(rowOf(scenario.id, 'memory').rps / rowOf(scenario.id, 'revision').rps, 3)} × @${compareRevision}`)
      : [];

    const lines = [
      '| scenario | target | req/s | p50 ms | p99 ms | × baseline |',
      '|---|---|---:|---:|---:|---:|',
      ...rows.map(
        (row) =>
          `| ${row.label} | ${names[row.target]} | ${fixed(row.rps)} | ${row.p50} | ${row.p99} | ${fixed(row.ratio, 2)} |` +
          (row.failed ? ` ${row.failed} non-2xx or errors` : ''),
      ),
      `| append, near-empty database | reference, file store | ${fixed(grown.nearEmpty.rps)} | ${grown.nearEmpty.p50} | ${grown.nearEmpty.p99} | |`,
      `| append, 1,000 sessions × 100 messages | reference, file store | ${fixed(grown.big.rps)} | ${grown.big.p50} | ${grown.big.p99} | ${fixed(grown.ratio, 2)} × near-empty |`,
      '',
      ...sdk.lines,
      '',
      `Start-up on 1,000 sessions × 100 messages + ${fixed(startup.journalRecords)} journal records (median of 3): ${fixed(startup.openMs)} ms, ` +
        `vs ${fixed(startup.parseMs)} ms to read and JSON.parse the same files (${times(startup.ratio)}); after compaction ` +
        `${fixed(startup.disk.apparent / 1e6, 1)} MB on disk (${fixed(startup.disk.blocks / 1e6, 1)} MB in blocks) for ${fixed(startup.disk.json / 1e6, 1)} MB of documents' JSON`,
      '',
      `First answer on 10,000 sessions × 10 messages (spawn to the first answer to GET /sessions/{id}, median of ${small.reference.runs.length}): ` +
        `fold-sessions-mock CLI ${fixed(small.reference.ms)} ms, RSS ${mib(small.reference.rss)}; json-server on the same data as db.json ` +
        `${fixed(small.jsonServer.ms)} ms, RSS ${mib(small.jsonServer.rss)}`,
      big.error
        ? `100,000 sessions × 10 messages (written in ${fixed(big.writeMs / 1000, 1)} s): did not open: ${big.error}`
        : `First answer on 100,000 sessions × 10 messages (written in ${fixed(big.writeMs / 1000, 1)} s): ${fixed(big.ms)} ms, RSS ${mib(big.rss)}`,
      '',
      `Memory query (median of 60, top_k 5): a topic query ${fixed(memoryQuery[1000].indexedMs, 3)} ms at 1,000 summaries, ` +
        `${fixed(memoryQuery[100000].indexedMs, 3)} ms at 100,000 (a full scan, as before the word index: ${fixed(memoryQuery[100000].scanMs, 1)} ms); ` +
        `a query of words every summary has: ${fixed(memoryQuery[100000].everySummaryMs, 1)} ms at 100,000`,
      '',
      ...versus,
      ...(versus.length > 0 ? [''] : []),
      ...checks.map((c) => `${c.pass ? 'PASS' : 'FAIL'}  ${c.name} (${c.shown})`),
    ];
    const elapsed = (Date.now() - startedAt) / 1000;
    console.log(lines.join('\n'));
    console.log(
      `\n${settings.connections} connections; per cell ${settings.warmupSeconds} s warm-up, then ${settings.rounds} × ${settings.roundSeconds} s ` +
        `alternating with the other targets; Node ${process.versions.node}, ${cpus().length} CPUs; ${fixed(elapsed)} s in all`,
    );

    await mkdir(join(root, 'bench'), { recursive: true });
    const results = { date: new Date().toISOString(), node: process.versions.node, cpus: cpus().length, cpuModel: cpus()[0]?.model, settings, rows, growth: grown, startup, firstAnswer: first, sdk: { overhead: sdk.overhead, sizes: sdk.sizes }, memoryQuery, checks, elapsedSeconds: elapsed };
    await writeFile(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`${checks.filter((c) => c.pass).length} of ${checks.length} targets hold; results in bench/results.json`);
  } finally {
    await Promise.all(targets.map(({ server }) => server.stop()));
    if (revisionTree) removeRevision(revisionTree);
    await rm(dir, { recursive: true, force: true });
  }
}

await (process.argv.includes('--clients') ? clientsOnly() : main());

// The SDK's own cost: the same GET through FoldSessions and through raw fetch, one call at a
// time, in blocks that alternate which goes first. Run with the workspace sources:
//   node --conditions=fold-sessions-source --import tsx scripts/bench/sdk-overhead.mjs <url> <apiKey> <sessionId> [calls]
// Prints one JSON line.
import { FoldSessions } from 'fold-sessions';

const [url, apiKey, sessionId, callsArg] = process.argv.slice(2);
const calls = Number(callsArg ?? 4000);
const block = 100;

const fold = new FoldSessions({ apiKey, baseURL: url, maxRetries: 2 });
const raw = async () => {
  const response = await fetch(`${url}/sessions/${sessionId}`, { headers: { authorization: `Bearer ${apiKey}` } });
  if (!response.ok) throw new Error(`raw GET answered ${response.status}`);
  return response.json();
};
const sdk = () => fold.sessions.get(sessionId);

async function time(call, n, into) {
  for (let i = 0; i < n; i++) {
    const started = process.hrtime.bigint();
    await call();
    into.push(Number(process.hrtime.bigint() - started) / 1e3);
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;

// Warm both paths (JIT, connections) before measuring.
const ignored = [];
await time(raw, 300, ignored);
await time(sdk, 300, ignored);

const rawTimes = [];
const sdkTimes = [];
for (let done = 0, round = 0; done < calls; done += block, round++) {
  if (round % 2 === 0) {
    await time(raw, block, rawTimes);
    await time(sdk, block, sdkTimes);
  } else {
    await time(sdk, block, sdkTimes);
    await time(raw, block, rawTimes);
  }
}

const result = {
  calls,
  rawMeanUs: mean(rawTimes),
  sdkMeanUs: mean(sdkTimes),
  rawMedianUs: median(rawTimes),
  sdkMedianUs: median(sdkTimes),
};
result.overhead = result.sdkMeanUs / result.rawMeanUs - 1;
result.medianOverhead = result.sdkMedianUs / result.rawMedianUs - 1;
process.stdout.write(`${JSON.stringify(result)}\n`);

// fold-sessions-mcp from its tarball, as an MCP host starts it: the installed bin over stdio in
// --sandbox, spoken to in JSON-RPC lines: initialize, tools/list (nine tools), then a whole small
// conversation (create, add, close, queryMemory) and a tool error for an add to the closed session.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const request = (id, method, params = {}) => JSON.stringify({ jsonrpc: '2.0', id, method, params });
const call = (id, name, args) => request(id, 'tools/call', { name, arguments: args });

/** Runs the installed `fold-sessions-mcp --sandbox` with `node` in `dir`; resolves with a summary line. */
export async function runMcpSmoke({ dir, node, timeoutMs = 60_000 }) {
  const bin = join(dir, 'node_modules', 'fold-sessions-mcp', 'dist', 'bin.js');
  const child = spawn(node.bin, [bin, '--sandbox'], { cwd: dir, env: { ...process.env, ...node.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let buffer = '';
  let stderr = '';
  const answers = new Map();
  const waiting = new Map();
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
      const line = buffer.slice(0, at).trim();
      buffer = buffer.slice(at + 1);
      if (!line) continue;
      const message = JSON.parse(line);
      if (message.id === undefined) continue;
      answers.set(message.id, message);
      waiting.get(message.id)?.(message);
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let next = 0;
  const ask = (line) =>
    new Promise((resolve, reject) => {
      const id = next;
      waiting.set(id, resolve);
      exited.then(() => reject(new Error(`fold-sessions-mcp exited before answering request ${id}: ${stderr.slice(0, 500)}`)));
      child.stdin.write(`${line}\n`);
    });
  const result = async (line) => {
    const answer = await ask(line);
    next += 1;
    if (answer.error) throw new Error(`JSON-RPC error: ${JSON.stringify(answer.error)}`);
    return answer.result;
  };
  try {
    await result(request(next, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'consumer-check', version: '1.0.0' } }));
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    const { tools } = await result(request(next, 'tools/list'));
    const names = tools.map((tool) => tool.name).sort();
    const operations = ['addMessage', 'closeSession', 'completeSession', 'createSession', 'deleteSession', 'getSession', 'listSessions', 'queryMemory', 'updateContext'];
    for (const operation of operations) if (!names.includes(operation)) throw new Error(`no tool ${operation} among ${names.join(', ')}`);
    const created = await result(call(next, 'createSession', { name: 'Consumer check: parcel' }));
    if (created.isError) throw new Error(`createSession failed: ${JSON.stringify(created)}`);
    const id = created.structuredContent.id;
    const added = await result(call(next, 'addMessage', { id, role: 'user', content: 'Where is my parcel?' }));
    if (added.isError) throw new Error(`addMessage failed: ${JSON.stringify(added)}`);
    const closed = await result(call(next, 'closeSession', { id }));
    if (closed.structuredContent?.status !== 'closed') throw new Error(`closeSession answered ${JSON.stringify(closed)}`);
    const memory = await result(call(next, 'queryMemory', { query_text: 'parcel' }));
    if (!(memory.structuredContent?.count >= 1)) throw new Error(`queryMemory found nothing: ${JSON.stringify(memory)}`);
    const refused = await result(call(next, 'addMessage', { id, role: 'user', content: 'Too late' }));
    if (!refused.isError || refused.structuredContent?.code !== 'CONFLICT') throw new Error(`an add to a closed session answered ${JSON.stringify(refused)}`);
    return `${tools.length} tools; create, add, close, queryMemory (${memory.structuredContent.count} match), CONFLICT as a tool error`;
  } finally {
    clearTimeout(timer);
    child.stdin.end();
    child.kill('SIGTERM');
    await exited;
  }
}

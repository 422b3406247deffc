import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startReferenceServer } from '../support/reference-server.js';
import { connectStdio, mcpBin, sourceFlags } from './connect.js';

const readme = readFileSync(new URL('../../mcp/README.md', import.meta.url), 'utf8');
const manifest = JSON.parse(readFileSync(new URL('../../mcp/package.json', import.meta.url), 'utf8'));

interface HostEntry {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** The `mcpServers` entries of the README's JSON blocks, as a host would read them. */
const entries: [string, HostEntry][] = [...readme.matchAll(/```json\n([\s\S]*?)```/g)]
  .map((match) => JSON.parse(match[1]!))
  .filter((config) => config.mcpServers)
  .flatMap((config) => Object.entries<HostEntry>(config.mcpServers));

// Tool results, loosely typed: the tests walk them like any JSON document.
type Structured = Record<string, any>;

describe('the MCP host configuration in mcp/README.md', () => {
  it('has the API entry and the sandbox entry', () => {
    expect(entries.map(([name]) => name)).toEqual(['fold-sessions', 'fold-sessions-sandbox']);
  });

  it.each(entries)('%s runs this package through npx', (_name, entry) => {
    expect(entry.command).toBe('npx');
    expect(entry.args.slice(0, 2)).toEqual(['-y', manifest.name]);
    expect(Object.keys(manifest.bin)).toEqual([manifest.name]);
  });

  it.each(entries)('%s, started as written, runs create → add → close → queryMemory', async (_name, entry) => {
    const reference = entry.env ? await startReferenceServer() : undefined;
    // `npx -y fold-sessions-mcp` runs the package's bin; here the bin's source with the same
    // arguments after it and the same environment names, the values pointed at a local server.
    const local: Record<string, string> = { FOLD_API_KEY: reference?.apiKey ?? '', FOLD_BASE_URL: reference?.url ?? '' };
    const env: Record<string, string> = {};
    for (const name of Object.keys(entry.env ?? {})) {
      expect(Object.keys(local), `${name} is not an environment variable of the server`).toContain(name);
      env[name] = local[name]!;
    }
    const server = await connectStdio(process.execPath, [...sourceFlags, mcpBin, ...entry.args.slice(2)], env);
    try {
      const call = async (name: string, args: Record<string, unknown>) => {
        const result = await server.client.callTool({ name, arguments: args });
        expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
        return result.structuredContent as Structured;
      };
      const session = await call('createSession', { name: 'Readme rehearsal' });
      await call('addMessage', { id: session.id, role: 'user', content: 'Where is my parcel?' });
      await call('closeSession', { id: session.id });
      let matches: Structured[] = [];
      for (let attempt = 0; attempt < 100 && matches.length === 0; attempt++) {
        matches = (await call('queryMemory', { query_text: 'parcel' })).matches;
        if (matches.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(matches[0]?.metadata.session_id).toBe(session.id);
    } finally {
      await server.close();
      await reference?.close();
    }
  });

  it('shows a tool error with the fields the server sends', async () => {
    const example = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1]!)).find((block) => block.code === 'CONFLICT');
    const server = await connectStdio(process.execPath, [...sourceFlags, mcpBin, '--sandbox'], {});
    try {
      const created = await server.client.callTool({ name: 'createSession', arguments: { name: 'x' } });
      const id = (created.structuredContent as Structured).id;
      await server.client.callTool({ name: 'closeSession', arguments: { id } });
      const refused = await server.client.callTool({ name: 'addMessage', arguments: { id, role: 'user', content: 'hi' } });
      const actual = refused.structuredContent as Structured;
      expect(Object.keys(actual).sort()).toEqual(Object.keys(example).sort());
      expect(actual.error).toBe(example.error.replace('sess_4f9aK2mQ7xT1bZ8c', id));
      expect(actual.hint).toBe(example.hint);
      expect(actual.details).toEqual({ ...example.details, id });
    } finally {
      await server.close();
    }
  });
});

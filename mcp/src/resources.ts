import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { isFoldSessionsError, NotFoundError, type FoldSessions } from 'fold-sessions';
import { renderTranscript } from './transcript.js';

/** The URI scheme of sessions: `fold-session://<id>`. */
export const sessionUriScheme = 'fold-session';

/** How many sessions `resources/list` shows: the newest page of the API. */
export const listedSessions = 100;

export const sessionUri = (id: string): string => `${sessionUriScheme}://${encodeURIComponent(id)}`;

/**
 * Sessions as resources: `resources/list` gives the newest sessions, `resources/read` of
 * `fold-session://<id>` gives the session with its transcript and context twice, as JSON and as
 * Markdown.
 */
export function registerSessionResources(server: McpServer, client: FoldSessions): void {
  const template = new ResourceTemplate(`${sessionUriScheme}://{id}`, {
    list: async () => {
      const page = await client.sessions.list({ limit: listedSessions });
      return {
        resources: page.items.map((session) => ({
          uri: sessionUri(session.id),
          name: session.id,
          title: session.name,
          description: `${session.status} session, ${session.message_count} messages`,
          mimeType: 'application/json',
        })),
      };
    },
  });
  server.registerResource(
    'session',
    template,
    {
      title: 'Session',
      description: 'A session of the Sessions API: its state, context and every message, as JSON and as Markdown.',
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      const id = decodeURIComponent(String(variables.id));
      try {
        const session = await client.sessions.get(id);
        return {
          contents: [
            { uri: uri.href, mimeType: 'application/json', text: JSON.stringify(session, null, 2) },
            { uri: uri.href, mimeType: 'text/markdown', text: renderTranscript(session) },
          ],
        };
      } catch (error) {
        // -32002 is the resource-not-found code of the MCP specification.
        if (isFoldSessionsError(error, NotFoundError)) throw new McpError(-32002 as ErrorCode, `No session ${id}: ${error.message}`, { uri: uri.href });
        if (isFoldSessionsError(error)) throw new McpError(ErrorCode.InternalError, error.message, { uri: uri.href });
        throw error;
      }
    },
  );
}

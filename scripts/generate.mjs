import { writeFileSync } from 'node:fs';
import { createClient } from '@hey-api/openapi-ts';
import { renderApiTable } from './api-table.mjs';
import { mcpToolsFile, renderMcpTools } from './mcp-tools.mjs';
import { apiTableFile, controlGeneratorConfig, generatedFolders, generatorConfig } from './openapi-ts.config.mjs';

await createClient(generatorConfig(generatedFolders.sessions));
await createClient(controlGeneratorConfig(generatedFolders.control));
writeFileSync(apiTableFile, renderApiTable());
writeFileSync(mcpToolsFile, renderMcpTools());

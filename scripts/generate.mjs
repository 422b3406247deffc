import { writeFileSync } from 'node:fs';
import { renderApiTable, renderOperationIds } from './api-table.mjs';
import { mcpToolsFile, renderMcpTools } from './mcp-tools.mjs';
import { apiTableFile, controlGeneratorConfig, generatedFolders, generateInto, generatorConfig, operationIdsFile } from './openapi-ts.config.mjs';

await generateInto(generatorConfig, generatedFolders.sessions);
await generateInto(controlGeneratorConfig, generatedFolders.control);
writeFileSync(apiTableFile, renderApiTable());
writeFileSync(operationIdsFile, renderOperationIds());
writeFileSync(mcpToolsFile, renderMcpTools());

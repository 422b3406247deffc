import { createClient } from '@hey-api/openapi-ts';
import { generatorConfig } from './openapi-ts.config.mjs';

const output = process.argv[2] ?? 'sdk/src/generated';
await createClient(generatorConfig(output));

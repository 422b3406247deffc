#!/usr/bin/env node
// The command's entry. Node's compile cache goes on first (where the running Node has it), so
// that later starts skip compiling; then the command line itself, which the build bundles into
// one module of this package's code (a start reads it instead of a hundred files).
import module from 'node:module';

module.enableCompileCache?.();
await import('./cli.js');

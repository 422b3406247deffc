/**
 * fold-sessions-mock: the Sessions API reference server. Node entry: the Express app, the file
 * store, and everything the core and the framework-neutral API layer export.
 */
export * from './core/index.js';
export * from './api/index.js';
export { createApp, createService, developmentKeys, type CreateAppOptions } from './express/app.js';
export { fileDocuments, openFileStore, sessionsDirectory, StoreOpenError } from './file-store.js';

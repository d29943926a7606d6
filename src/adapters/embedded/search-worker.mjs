// Entry of the search worker thread when the service runs from TypeScript (tests, tsx; compiled,
// dist/ starts search-worker.js itself). Node 20 does not carry the tsx loader the main thread was
// started with (npm start, mocha) into worker threads, so the worker registers it itself and
// then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./search-worker.ts');

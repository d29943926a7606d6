// Entry of the OCR worker thread when the service runs from TypeScript (tests, tsx; compiled,
// dist/ starts ocr-worker.js itself): as search-worker.mjs, it registers tsx, then loads the worker.
import { register } from 'tsx/esm/api';

register();
await import('./ocr-worker.ts');

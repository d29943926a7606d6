// Entry of the OCR process when the service runs from TypeScript (tests, tsx; compiled, dist/
// starts ocr-process.js itself): as search-worker.mjs, it registers tsx, then loads the process.
import { register } from 'tsx/esm/api';

register();
await import('./ocr-process.ts');

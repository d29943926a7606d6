/** The public pages' paths, built in one place. */
import { href } from './html.js';

export const recordPath = (censusNumber: string) => `/records/${censusNumber}`;
export const personPath = (name: string, dynasty: string | null | undefined) => href(`/persons/${encodeURIComponent(name)}`, { dynasty });
export const searchPath = (params: Record<string, string | number | null | undefined>) => href('/', params);
export const citePath = (censusNumber: string, format: string) => href(`/api/records/${censusNumber}/cite`, { format });

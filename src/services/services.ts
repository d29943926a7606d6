/** The services, built once from the adapters: used by the composition root and by tests alike. */
import type { Adapters } from '../adapters/create-adapters.js';
import type { Vocabulary } from '../domain/vocabulary.js';
import { AuthService } from './auth-service.js';
import { RecordService } from './record-service.js';
import { SearchIndexer, SearchService } from './search-service.js';
import { UnitService } from './unit-service.js';

export interface Services {
  auth: AuthService;
  records: RecordService;
  units: UnitService;
  search: SearchService;
  indexer: SearchIndexer;
  /** Where records and the search index are kept, for /health and logs. */
  storeDescription: string;
  searchDescription: string;
}

export function createServices(
  adapters: Adapters,
  options: { sessionHours: number; vocabulary: Vocabulary; log?: (message: string, error?: unknown) => void },
): Services {
  const indexer = new SearchIndexer(adapters.store, adapters.search, options.log);
  return {
    auth: new AuthService(adapters.store, options.sessionHours),
    records: new RecordService(adapters.store, options.vocabulary, () => indexer.notify()),
    units: new UnitService(adapters.store),
    search: new SearchService(adapters.store, adapters.search),
    indexer,
    storeDescription: adapters.store.description,
    searchDescription: adapters.search.description,
  };
}

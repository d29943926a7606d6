/**
 * The OAI-PMH 2.0 repository of the public catalogue (docs: README, Open sharing). Published
 * records only; a record withdrawn after publication stays as a deleted record for good
 * (deletedRecord `persistent`), from the store's public states (RecordStore.publicRecords).
 *
 * Lists are ordered by census number and resumed after the last one given (the token carries
 * the query and that census number), never by position or by datestamp: a record updated during
 * a harvest keeps its place, so it is neither skipped nor given twice. (Ordered by datestamp, a
 * record already given that is updated would move ahead of the harvest and come again.)
 *
 * The guarantee, for a list harvested to its end through its resumption tokens: every record
 * of the public catalogue whose datestamp was at or before the harvest's first responseDate,
 * and within its from, until and set, appears exactly once — in its state when its page was
 * read, so as deleted if it was withdrawn before the harvest reached it — unless a change
 * during the harvest moved it out of the harvester's `until` or set. A change made during the
 * harvest — an update, a withdrawal, a new publication — shows in it or not, as the record sorts
 * after or before the place reached; every such change has a datestamp at or after the first
 * responseDate, so the next harvest `from` that responseDate gives each of those records once,
 * in its newest state. (test/integration/oai-harvest.test.ts holds a 10,000-record catalogue to
 * this while it is written between every two pages.) One edge: a write is stamped when the
 * service starts it and is seen when its transaction ends, milliseconds later; one stamped in
 * the second before that responseDate and ended after it can escape both harvests. Harvesters
 * that start the next harvest a minute before the last responseDate close it, as is common.
 */
import type { CensusRecord } from '../domain/census-record.js';
import { OAI_DC, renderOaiDc, type RenderContext } from '../domain/oai-dc.js';
import {
  GRANULARITY, OaiError, datestampOf, decodeToken, divisionSpec, encodeToken, errorXml, parseRequest, responseXml,
  selectiveBounds, unitSpec, type OaiRequest, type ResumptionState,
} from '../domain/oai-pmh.js';
import type { Vocabulary } from '../domain/vocabulary.js';
import { element, escapeXml } from '../domain/xml.js';
import type { CatalogueStore, PublicRecordFilter, PublicRecordState } from '../ports/catalogue-store.js';

/**
 * A metadata format the repository disseminates: its prefix, schema and namespace (§4.4), and
 * how a record is written in it — one XML element, namespaced, for <metadata>. oai_dc is built
 * in; `mods` and `marcxml` are registered by the composition root.
 */
export interface MetadataFormat {
  prefix: string;
  schema: string;
  namespace: string;
  render(record: CensusRecord, context: RenderContext): string;
}

export const OAI_DC_FORMAT: MetadataFormat = { ...OAI_DC, render: renderOaiDc };

export interface OaiOptions {
  /** PUBLIC_BASE_URL: the base URL is `${baseUrl}/oai`. */
  baseUrl: string;
  /** The `<repository-id>` of identifiers `oai:<repository-id>:<census number>` (GUJI_OAI_REPOSITORY_ID). */
  repositoryId: string;
  repositoryName: string;
  adminEmail: string;
  /** Records or headers per list response (GUJI_OAI_PAGE_SIZE). */
  pageSize: number;
  rights: string;
}

export class OaiService {
  private readonly formats = new Map<string, MetadataFormat>();

  constructor(
    private readonly store: CatalogueStore,
    private readonly vocabulary: Vocabulary,
    private readonly options: OaiOptions,
    formats: readonly MetadataFormat[] = [OAI_DC_FORMAT],
  ) {
    for (const format of formats) this.register(format);
  }

  register(format: MetadataFormat): void {
    this.formats.set(format.prefix, format);
  }

  get baseUrl(): string {
    return `${this.options.baseUrl}/oai`;
  }

  identifierOf(censusNumber: string): string {
    return `oai:${this.options.repositoryId}:${censusNumber}`;
  }

  /** Answers a request given as its name and value pairs (query string or form body, repeats kept). */
  async respond(pairs: readonly [string, string][], now: Date = new Date()): Promise<string> {
    const responseDate = datestampOf(now);
    let request: OaiRequest;
    try {
      request = parseRequest(pairs);
    } catch (e) {
      if (e instanceof OaiError) return responseXml(responseDate, this.baseUrl, null, errorXml(e));
      throw e;
    }
    try {
      return responseXml(responseDate, this.baseUrl, request, await this.answer(request, responseDate));
    } catch (e) {
      if (!(e instanceof OaiError)) throw e;
      // badArgument found while answering (a date, say): the request is echoed without arguments (§3.2).
      return responseXml(responseDate, this.baseUrl, e.code === 'badArgument' ? null : request, errorXml(e));
    }
  }

  private async answer(request: OaiRequest, responseDate: string): Promise<string> {
    const { args } = request;
    switch (request.verb) {
      case 'Identify':
        return this.identify(responseDate);
      case 'ListMetadataFormats':
        if (args.identifier !== undefined) await this.stateOf(args.identifier);
        return element('ListMetadataFormats', {}, [...this.formats.values()].map((f) => element('metadataFormat', {}, [
          element('metadataPrefix', {}, escapeXml(f.prefix)), element('schema', {}, escapeXml(f.schema)), element('metadataNamespace', {}, escapeXml(f.namespace)),
        ].join(''))).join(''));
      case 'ListSets':
        if (args.resumptionToken !== undefined) throw new OaiError('badResumptionToken', 'The set list comes whole: this repository issues no resumption token for it.');
        return this.listSets();
      case 'GetRecord': {
        const state = await this.stateOf(args.identifier!);
        const format = this.format(args.metadataPrefix!);
        return element('GetRecord', {}, await this.recordXml(state, format, await this.unitNames()));
      }
      case 'ListIdentifiers':
      case 'ListRecords': {
        const state: Omit<ResumptionState, 'after' | 'cursor'> & Partial<ResumptionState> = args.resumptionToken !== undefined
          ? decodeToken(args.resumptionToken, request.verb)
          : { verb: request.verb, metadataPrefix: args.metadataPrefix!, ...selectiveBounds(args.from, args.until), ...(args.set ? { set: args.set } : {}) };
        return this.list(state);
      }
    }
  }

  private async identify(responseDate: string): Promise<string> {
    const earliest = (await this.store.records.earliestPublicDatestamp()) ?? responseDate;
    return element('Identify', {}, [
      element('repositoryName', {}, escapeXml(this.options.repositoryName)),
      element('baseURL', {}, escapeXml(this.baseUrl)),
      element('protocolVersion', {}, '2.0'),
      element('adminEmail', {}, escapeXml(this.options.adminEmail)),
      element('earliestDatestamp', {}, earliest),
      element('deletedRecord', {}, 'persistent'),
      element('granularity', {}, GRANULARITY),
    ].join(''));
  }

  /**
   * Sets (§4.6): every record is in `unit:<province>-<code>` of its collecting unit, and, when
   * classified, in `division:<pinyin>` of its 四部 division; `unit` and `division` hold them all.
   */
  private async listSets(): Promise<string> {
    const units = await this.store.units.list();
    const set = (spec: string, name: string) => element('set', {}, element('setSpec', {}, escapeXml(spec)) + element('setName', {}, escapeXml(name)));
    return element('ListSets', {}, [
      set('unit', '收藏单位 Collecting units'),
      ...units.map((u) => set(unitSpec(`${u.province}-${u.code}`), u.name)),
      set('division', '四部分类 Divisions of the four-part classification'),
      ...this.vocabulary.terms('division').map((term) => set(divisionSpec(term), term)),
    ].join(''));
  }

  private format(prefix: string): MetadataFormat {
    const format = this.formats.get(prefix);
    if (!format) throw new OaiError('cannotDisseminateFormat', `This repository does not disseminate ${prefix}; ListMetadataFormats lists what it does.`);
    return format;
  }

  private async stateOf(identifier: string): Promise<PublicRecordState> {
    const prefix = `oai:${this.options.repositoryId}:`;
    const state = identifier.startsWith(prefix) ? await this.store.records.publicRecord(identifier.slice(prefix.length)) : null;
    if (!state) throw new OaiError('idDoesNotExist', `No record of this repository has the identifier ${identifier}.`);
    return state;
  }

  /** The store's filter for a set spec, or null when no such set exists. */
  private setFilter(spec: string | undefined): PublicRecordFilter | null {
    if (spec === undefined || spec === 'unit') return {};
    if (spec === 'division') return { division: true };
    if (spec.startsWith('unit:')) return { unit: spec.slice('unit:'.length) };
    const term = this.vocabulary.terms('division').find((t) => divisionSpec(t) === spec);
    return term ? { division: term } : null;
  }

  private async list(query: Omit<ResumptionState, 'after' | 'cursor'> & Partial<ResumptionState>): Promise<string> {
    const format = this.format(query.metadataPrefix);
    const setFilter = this.setFilter(query.set);
    if (!setFilter) throw new OaiError('noRecordsMatch', `This repository has no set ${query.set}; ListSets lists its sets.`);
    const filter: PublicRecordFilter = { ...setFilter, from: query.from, until: query.until };
    const { pageSize } = this.options;
    const found = await this.store.records.publicRecords({ ...filter, after: query.after, limit: pageSize + 1 });
    const page = found.slice(0, pageSize);
    if (page.length === 0) throw new OaiError('noRecordsMatch', 'No record matches these arguments.');
    const cursor = query.cursor ?? 0;
    const more = found.length > pageSize;
    const units = await this.unitNames();
    const items = await Promise.all(page.map(async (state) => (query.verb === 'ListRecords'
      ? this.recordXml(state, format, units)
      : this.headerXml(state, (await this.publishedRecord(state)) === null))));
    let token = '';
    // §3.5: a list in several parts ends with an empty token; one that fits a response has none.
    if (more || cursor > 0) {
      // An estimate while records are written (§3.5 allows it), never less than what was given.
      const total = Math.max(await this.store.records.countPublicRecords(filter), cursor + page.length + (more ? 1 : 0));
      const next = more ? encodeToken({ ...query, after: page.at(-1)!.censusNumber, cursor: cursor + page.length } as ResumptionState) : undefined;
      token = element('resumptionToken', { completeListSize: total, cursor }, next);
    }
    return element(query.verb, {}, items.join('') + token);
  }

  /** The record as it is now when it is still published; null when it is not (withdrawn, or withdrawn since the state was read). */
  private async publishedRecord(state: PublicRecordState): Promise<CensusRecord | null> {
    if (state.deleted) return null;
    const record = await this.store.records.get(state.censusNumber);
    return record?.status === 'published' ? record : null;
  }

  private headerXml(state: PublicRecordState, deleted: boolean): string {
    const specs = [unitSpec(state.unit), ...(state.division ? [divisionSpec(state.division)] : [])];
    return element('header', { status: deleted ? 'deleted' : undefined }, [
      element('identifier', {}, escapeXml(this.identifierOf(state.censusNumber))),
      element('datestamp', {}, state.datestamp),
      ...specs.map((s) => element('setSpec', {}, escapeXml(s))),
    ].join(''));
  }

  private async recordXml(state: PublicRecordState, format: MetadataFormat, units: Map<string, string>): Promise<string> {
    const record = await this.publishedRecord(state);
    if (!record) return element('record', {}, this.headerXml(state, true));
    const context: RenderContext = { unitName: units.get(state.unit) ?? state.unit, baseUrl: this.options.baseUrl, rights: this.options.rights };
    return element('record', {}, this.headerXml(state, false) + element('metadata', {}, format.render(record, context)));
  }

  private async unitNames(): Promise<Map<string, string>> {
    return new Map((await this.store.units.list()).map((u) => [`${u.province}-${u.code}`, u.name]));
  }
}

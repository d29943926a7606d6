/**
 * The static files — public/ (the pages, their scripts, styles and pictures), Mirador's build and
 * the Universal Viewer's — served under issue 20's performance budget:
 *
 * - One way to serve a page. Every page's HTML goes through `page()`, which fills in what all pages
 *   share (src/http/pages/site-layout.ts: the head, the site's header) and versions its URLs.
 * - Versioned URLs. `page()` adds `?v=<8 hex digits of the file's SHA-256>` to the `src`, `href` and `data-…-src` of each local file it names. A
 *   request carrying the file's current version is cached for a year and never revalidated
 *   (`immutable`, RFC 8246); any other request gets `no-cache` and an ETag, so a changed file is
 *   seen at once (RFC 9111 §5.2.2.4: no-cache = store, but revalidate before each use). The
 *   public/*.html files stay as written. The pages' scripts name their modules versioned too
 *   (`import … from './ui.js?v=…'`), so that a page opened again asks for none of them: on a slow
 *   link each revalidation was a round trip, one after another down the imports (record.js →
 *   share.js → content-state.js). A script's version is then the hash of what is served — its
 *   imports' versions included — so a changed module changes the version of every script that
 *   imports it, up to the page: a page never pairs a new module with an old script kept a year.
 * - Compression made once. Text files (scripts, styles, SVG, JSON) are compressed once per content
 *   and kept in memory, brotli at quality 9 and gzip at level 9, asynchronously (zlib's thread
 *   pool, not the event loop). Measured on Mirador 3.4.3's 2.34 MB bundle: brotli 11 takes 4.9 s
 *   of CPU for 444 kB, brotli 9 0.16 s for 488 kB, brotli 4 (the compression middleware's
 *   per-request setting) 35 ms for 552 kB, gzip 9 56 ms for 581 kB. Once at 0.16 s beats 35 ms on
 *   every request; 4.9 s would hold the first reader for the last 10 %.
 *   Pages' HTML is made per request (server rendering, versioned URLs) and small: the compression
 *   middleware (src/http/compress.ts) compresses it as it goes.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Request, RequestHandler, Response } from 'express';
import { notModified } from './conditional-get.js';
import { withSiteLayout } from './pages/site-layout.js';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Where URL paths lead: a folder under a prefix, or one file at one path. */
type Mount = { prefix: string; dir: string } | { path: string; file: string };

/** Text worth compressing; images, fonts and the like are compressed already. */
const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.svg', '.json', '.map', '.txt', '.xml']);
/** A year: the longest RFC 9111 §5.2.2.1 lets a cache count on. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'public, no-cache';
/**
 * `src="/…"`, `href="/…"` or `data-…-src="/…"` (what a script loads later: a viewer) naming a
 * local path without query or fragment.
 */
const LOCAL_URL = /(\s)(src|href|data-[a-z-]*src)="(\/[^"?#]*)"/g;
/**
 * A page script's static import of a local module — `import … from '…'`, `import '…'`, `export …
 * from '…'` — by a relative or rooted path to a .js file, without query or fragment.
 */
const LOCAL_IMPORT = /(\b(?:from|import)\s*)(['"])(\.{0,2}\/[^'"?#\s]+\.js)\2/g;

/**
 * brotli whenever the client accepts it (smaller than gzip), else gzip, else the bytes as they
 * are; a request without Accept-Encoding gets them as they are, as the compression package does.
 */
function chosenEncoding(req: Request): 'br' | 'gzip' | 'identity' {
  if (!req.get('accept-encoding')) return 'identity';
  if (req.acceptsEncodings('br') === 'br') return 'br';
  return req.acceptsEncodings('gzip') === 'gzip' ? 'gzip' : 'identity';
}

interface Known {
  mtimeMs: number;
  size: number;
  version: string;
  encoded: Map<string, Promise<Buffer>>;
  /** A page script as served, its imports versioned, and the version of each module it imports. */
  served?: { bytes: Buffer; imports: Map<string, string> };
}

/** A file's bytes as served: a page script with its imports versioned, any other as on disk. */
const servedBytes = (file: string, known: Known): Promise<Buffer> => (known.served ? Promise.resolve(known.served.bytes) : readFile(file));

export class StaticAssets {
  private readonly known = new Map<string, Known>();

  constructor(private readonly mounts: readonly Mount[]) {}

  private static readonly byFolder = new Map<string, StaticAssets>();

  /**
   * The pages' files: the folder at `/`, Mirador's self-contained build at
   * /vendor/mirador.min.js and the Universal Viewer's build under /vendor/uv (its script loads its
   * chunks and assets from beside itself), each from its pinned npm package. One per folder, so
   * the server-rendered pages and the file server share what they have hashed and compressed.
   */
  static forPages(folder: string): StaticAssets {
    let assets = StaticAssets.byFolder.get(folder);
    if (!assets) {
      const require = createRequire(import.meta.url);
      assets = new StaticAssets([
        { path: '/vendor/mirador.min.js', file: require.resolve('mirador/dist/mirador.min.js') },
        { prefix: '/vendor/uv/', dir: path.join(path.dirname(require.resolve('universalviewer/package.json')), 'dist') },
        { prefix: '/', dir: folder },
      ]);
      StaticAssets.byFolder.set(folder, assets);
    }
    return assets;
  }

  /** The file a URL path names, or null: nothing outside the mounts, no dot files. */
  resolve(urlPath: string): string | null {
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return null;
    }
    if (decoded.includes('\0') || decoded.split('/').some((part) => part.startsWith('.'))) return null;
    for (const mount of this.mounts) {
      if ('file' in mount) {
        if (decoded === mount.path) return mount.file;
      } else if (decoded.startsWith(mount.prefix)) {
        const file = path.join(mount.dir, decoded.slice(mount.prefix.length));
        if (!file.startsWith(mount.dir)) return null;
        return file;
      }
    }
    return null;
  }

  /**
   * What is known of a file as it now is (made again when its size or time changed, or a module it
   * imports did); null when none. `importing`: the scripts whose imports are being versioned, for
   * a cycle of imports, which is left unversioned where it closes.
   */
  private current(file: string, importing: ReadonlySet<string> = new Set()): Known | null {
    let stats: Stats;
    try {
      stats = statSync(file);
    } catch {
      return null;
    }
    if (!stats.isFile()) return null;
    const seen = this.known.get(file);
    const within = new Set(importing).add(file);
    const unchanged = (known: Known) => [...(known.served?.imports ?? [])].every(([module, version]) => this.current(module, within)?.version === version);
    if (seen && seen.mtimeMs === stats.mtimeMs && seen.size === stats.size && unchanged(seen)) return seen;
    const bytes = readFileSync(file);
    const served = this.isPageScript(file) ? this.withVersionedImports(file, bytes.toString('utf8'), within) : undefined;
    const version = createHash('sha256').update(served?.bytes ?? bytes).digest('hex').slice(0, 8);
    const known: Known = { mtimeMs: stats.mtimeMs, size: stats.size, version, encoded: new Map(), served };
    this.known.set(file, known);
    return known;
  }

  /** A script of the pages' folder (the viewers' builds are served as they are). */
  private isPageScript(file: string): boolean {
    const folder = this.pagesDir();
    const inside = folder === undefined ? null : path.relative(folder, file);
    return inside !== null && file.endsWith('.js') && !inside.startsWith('..') && !path.isAbsolute(inside);
  }

  /** The script with each local module it imports given that module's version. */
  private withVersionedImports(file: string, source: string, importing: ReadonlySet<string>): Known['served'] {
    const at = `/${path.relative(this.pageFolder(), file).split(path.sep).join('/')}`;
    const imports = new Map<string, string>();
    const text = source.replace(LOCAL_IMPORT, (whole, keyword: string, quote: string, specifier: string) => {
      const module = this.resolve(path.posix.resolve(path.posix.dirname(at), specifier));
      const known = module && !importing.has(module) ? this.current(module, importing) : null;
      if (!module || !known) return whole;
      imports.set(module, known.version);
      return `${keyword}${quote}${specifier}?v=${known.version}${quote}`;
    });
    return { bytes: Buffer.from(text), imports };
  }

  /** The page as served, the one way pages are: its shared parts filled in, each local file it names given its version. */
  page(html: string): string {
    return this.versioned(withSiteLayout(html));
  }

  private versioned(html: string): string {
    return html.replace(LOCAL_URL, (whole, space: string, attribute: string, url: string) => {
      const file = url.endsWith('/') ? null : this.resolve(url);
      const known = file && this.current(file);
      return known ? `${space}${attribute}="${url}?v=${known.version}"` : whole;
    });
  }

  /**
   * Sends a page of the folder (public/<file>) made by `page()`; revalidated on each use unless
   * `cacheControl` says otherwise.
   */
  sendPage(req: Request, res: Response, file: string, cacheControl = REVALIDATE): void {
    this.send(req, res, readFileSync(path.join(this.pageFolder(), file), 'utf8'), cacheControl);
  }

  /** Sends a page made on request (`html` as written, before `page()`), its validator its text's hash. */
  send(req: Request, res: Response, html: string, cacheControl = REVALIDATE): void {
    const text = this.page(html);
    res.type('html').set('Cache-Control', cacheControl);
    if (notModified(req, res, `"${createHash('sha256').update(text).digest('hex').slice(0, 16)}"`)) return;
    res.send(text);
  }

  private pageFolder(): string {
    const folder = this.pagesDir();
    if (folder === undefined) throw new Error('no pages folder');
    return folder;
  }

  /** The folder mounted at `/`, if any. */
  private pagesDir(): string | undefined {
    const root = this.mounts.find((m) => 'prefix' in m && m.prefix === '/');
    return root && 'dir' in root ? root.dir : undefined;
  }

  /** Serves GET and HEAD of the mounted files; anything else goes on. */
  handler(): RequestHandler {
    return (req, res, next) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      const urlPath = req.path.endsWith('/') ? `${req.path}index.html` : req.path;
      const file = this.resolve(urlPath);
      const known = file && this.current(file);
      if (!file || !known) return next();
      if (file.endsWith('.html')) {
        this.send(req, res, readFileSync(file, 'utf8'));
        return;
      }
      this.sendFile(req, res, file, known).catch(next);
    };
  }

  private async sendFile(req: Request, res: Response, file: string, known: Known): Promise<void> {
    const extension = path.extname(file).toLowerCase();
    const compressible = COMPRESSIBLE.has(extension);
    res.type(extension);
    res.set('Cache-Control', req.query.v === known.version ? IMMUTABLE : REVALIDATE);
    if (compressible) res.vary('Accept-Encoding');
    const encoding = compressible ? chosenEncoding(req) : 'identity';
    const coded = encoding !== 'identity';
    // Each representation its own strong validator (RFC 9110 §8.8.3.3: a compressed body is a different one).
    if (notModified(req, res, `"${known.version}${coded ? `-${encoding}` : ''}"`)) return;
    const body = await (coded ? this.encoded(file, known, encoding) : servedBytes(file, known));
    if (coded) res.set('Content-Encoding', encoding);
    res.set('Content-Length', String(body.length));
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /** The file compressed as `encoding`, made once per content. */
  private encoded(file: string, known: Known, encoding: 'br' | 'gzip'): Promise<Buffer> {
    let made = known.encoded.get(encoding);
    if (!made) {
      made = servedBytes(file, known).then((bytes) => encoding === 'br'
        ? brotli(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
        : gzip(bytes, { level: 9 }));
      // A failure is not remembered: the next request tries again.
      made.catch(() => known.encoded.delete(encoding));
      known.encoded.set(encoding, made);
    }
    return made;
  }
}

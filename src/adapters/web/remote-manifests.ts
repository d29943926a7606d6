/**
 * Fetches another site's IIIF manifest for an exhibit item, as a server asked to fetch any URL
 * must (OWASP SSRF Prevention Cheat Sheet): http(s) only; every address the name resolves to is
 * checked when the connection is made (so a name re-pointed after a first check cannot reach
 * inside), and private, loopback, link-local and other special-purpose addresses (RFC 6890) are
 * refused; redirects are followed a few times, each checked again; the whole exchange has a
 * time limit and the body a size limit.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { RemoteManifestError, type RemoteManifests } from '../../ports/remote-manifests.js';

export interface RemoteManifestLimits {
  /** Whole exchange, redirects included (GUJI_EXHIBIT_FETCH_SECONDS). */
  timeoutMs: number;
  /** Bytes of the manifest (GUJI_EXHIBIT_FETCH_MB). */
  maxBytes: number;
  /** Tests only: let loopback and private addresses through (a test server listens on 127.0.0.1). */
  allowPrivate?: boolean;
}
export const DEFAULT_REMOTE_MANIFEST_LIMITS: RemoteManifestLimits = { timeoutMs: 10_000, maxBytes: 4 * 1024 * 1024 };
const MAX_REDIRECTS = 3;

// RFC 6890 special-purpose blocks (and multicast): nothing an exhibit's manifest is served from.
const SPECIAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 3],
] as const) SPECIAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 127], ['::ffff:0:0', 96], ['64:ff9b::', 96], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
  SPECIAL.addSubnet(net, bits, 'ipv6');
}

/** Whether an address is one no exhibit may make the server reach. */
export function isSpecialAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is the IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return SPECIAL.check(mapped[1]!, 'ipv4');
  return SPECIAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class WebRemoteManifests implements RemoteManifests {
  constructor(private readonly limits: RemoteManifestLimits = DEFAULT_REMOTE_MANIFEST_LIMITS) {}

  /** dns.lookup, refusing special-purpose addresses: used by the socket itself, so the address checked is the one connected to. */
  private readonly guardedLookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = !this.limits.allowPrivate && addresses.find((a) => isSpecialAddress(a.address));
      if (refused) return callback(Object.assign(new Error('private address'), { code: 'EPRIVATE' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };

  async fetch(url: string): Promise<unknown> {
    const signal = AbortSignal.timeout(this.limits.timeoutMs);
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const answer = await this.get(current, signal);
      if ('redirect' in answer) {
        current = new URL(answer.redirect, current).href;
        continue;
      }
      try {
        return JSON.parse(answer.body);
      } catch {
        throw new RemoteManifestError('the answer is not JSON');
      }
    }
    throw new RemoteManifestError(`more than ${MAX_REDIRECTS} redirects`);
  }

  private get(url: string, signal: AbortSignal): Promise<{ body: string } | { redirect: string }> {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return Promise.reject(new RemoteManifestError('only http and https URLs are read'));
    // A literal address never goes through lookup: check it here.
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !this.limits.allowPrivate && isSpecialAddress(host)) {
      return Promise.reject(new RemoteManifestError(`${host} is a private or special-purpose address`));
    }
    const client = target.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = client.get(target, { lookup: this.guardedLookup, signal, headers: { Accept: 'application/ld+json, application/json', 'User-Agent': 'guji exhibits' } }, (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400 && response.headers.location) {
          response.resume();
          return resolve({ redirect: response.headers.location });
        }
        if (status !== 200) {
          response.resume();
          return reject(new RemoteManifestError(`the server answered HTTP ${status}`));
        }
        const declared = Number(response.headers['content-length'] ?? 0);
        if (declared > this.limits.maxBytes) {
          response.destroy();
          return reject(new RemoteManifestError(`the manifest is larger than ${this.limits.maxBytes} bytes`));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.limits.maxBytes) {
            response.destroy();
            reject(new RemoteManifestError(`the manifest is larger than ${this.limits.maxBytes} bytes`));
          } else chunks.push(chunk);
        });
        response.on('end', () => resolve({ body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (e) => reject(this.reason(e)));
      });
      request.on('error', (e) => reject(this.reason(e)));
    });
  }

  private reason(e: Error & { code?: string }): RemoteManifestError {
    if (e instanceof RemoteManifestError) return e;
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return new RemoteManifestError(`no answer within ${this.limits.timeoutMs / 1000} s`);
    if (e.code === 'EPRIVATE') return new RemoteManifestError('the name resolves to a private or special-purpose address');
    if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return new RemoteManifestError('the host name does not resolve');
    if (e.code === 'ECONNREFUSED') return new RemoteManifestError('the server refused the connection');
    return new RemoteManifestError(`the server could not be reached (${e.code ?? e.name})`);
  }
}

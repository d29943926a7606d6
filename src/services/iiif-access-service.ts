/**
 * Access tokens of the IIIF Authorization Flow (src/iiif/auth.ts): what the token page hands a
 * viewer for the probe and info.json. A token is the staff session sealed (AES-256-GCM) under a
 * key made at start with an expiry: it works on /iiif reads only (never the API, where the
 * session itself is needed), dies with the session (each use re-checks it, so signing out or
 * an admin ending the sessions ends the viewer's access at once), after ACCESS_TOKEN_SECONDS,
 * and at a restart — the viewer then simply asks the token page again. Nothing is stored.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Actor } from '../domain/workflow.js';
import { ACCESS_TOKEN_SECONDS } from '../iiif/auth.js';
import type { AuthService } from './auth-service.js';

const PREFIX = 'iiif.';
/** A sealed session token is far shorter; longer input is not ours and is not decrypted. */
const MAX_TOKEN_LENGTH = 200;

export class IiifAccessService {
  private readonly key = randomBytes(32);

  constructor(
    private readonly auth: AuthService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Whether a bearer token is one of ours (else it is a session token for AuthService). */
  static isAccessToken(token: string): boolean {
    return token.startsWith(PREFIX);
  }

  /** The actor behind a session token (the access cookie); null when it no longer signs anyone in. */
  async sessionActor(sessionToken: string): Promise<Actor | null> {
    return this.auth.authenticate(sessionToken).catch(() => null);
  }

  /** An access token for a live session; null when the session has ended. */
  async grant(sessionToken: string): Promise<string | null> {
    if (!(await this.sessionActor(sessionToken))) return null;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const expires = Math.floor(this.now().getTime() / 1000) + ACCESS_TOKEN_SECONDS;
    const sealed = Buffer.concat([cipher.update(`${expires}.${sessionToken}`, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }

  /** The actor behind an access token; null when it is forged, expired or its session has ended. */
  async actor(accessToken: string): Promise<Actor | null> {
    if (!IiifAccessService.isAccessToken(accessToken) || accessToken.length > MAX_TOKEN_LENGTH) return null;
    const raw = Buffer.from(accessToken.slice(PREFIX.length), 'base64url');
    if (raw.length < 29) return null;
    let plain: string;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
    const dot = plain.indexOf('.');
    if (Number(plain.slice(0, dot)) * 1000 < this.now().getTime()) return null;
    return this.sessionActor(plain.slice(dot + 1));
  }
}

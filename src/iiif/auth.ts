/**
 * IIIF Authorization Flow API 2.0 (https://iiif.io/api/auth/2.0/) for the scans of unpublished
 * records, and the IIIF Authentication API 1.0 (https://iiif.io/api/auth/1.0/) beside it,
 * because the viewers we serve speak only 1.0: Mirador 3.4 (state/sagas/iiif.js, auth.js:
 * `auth/1/login`, `auth/1/token`, `auth/1/logout`, no Auth 2 type anywhere) and the Universal
 * Viewer 4.4 (manifesto's `loadExternalResourcesAuth1`, `AUTH_1_*` profiles only). Both flows
 * share the same three endpoints — access (a same-origin window where staff sign in), token (an
 * iframe page that posts the token to the viewer) and logout — so 1.0 costs only its
 * descriptions and the 1.0 fields of the token message. Pure: descriptions and messages only.
 *
 * The access cookie (set by the access window, HttpOnly, SameSite=Strict, Path=/iiif) is what
 * authorizes the images themselves, as both specifications intend: image tiles are loaded by
 * `<img>`/OpenSeadragon and cannot carry a bearer token. The token goes to the probe (2.0) and
 * to info.json (1.0).
 */
import type { InternationalString } from '@iiif/presentation-3';

export const AUTH2_CONTEXT = 'http://iiif.io/api/auth/2/context.json';
export const AUTH1_CONTEXT = 'http://iiif.io/api/auth/1/context.json';
/** The access cookie: the viewer's copy of the staff session, for /iiif reads only. */
export const ACCESS_COOKIE = 'guji-iiif';
/** Seconds an access token lives (2.0 §2.3.3 `expiresIn`); the viewer asks again after. */
export const ACCESS_TOKEN_SECONDS = 3600;

const both = (zh: string, en: string): InternationalString => ({ 'zh-Hans': [zh], en: [en] });

const TEXT = {
  label: both('工作人员登录', 'Staff sign-in'),
  heading: both('此书尚未发布', 'This book is not published yet'),
  note: both(
    '未发布之书的影像仅供古籍普查工作人员审阅。工作人员请登录 guji 后查看。',
    'Scans of unpublished books are for the census staff who review them. Staff: sign in to guji to see them.',
  ),
  confirmLabel: both('登录', 'Sign in'),
  forbiddenHeading: both('无权查看此书', 'Not yours to see'),
  forbiddenNote: both('此书尚未发布，只有其收藏单位的普查员、审核员和管理员可以查看。', 'This book is not published yet: only its unit\'s surveyors, reviewers and admins may see it.'),
  errorHeading: both('未能登录查看器', 'The viewer could not sign in'),
  errorNote: both('请在 guji 登录后重试。', 'Sign in to guji and try again.'),
  logout: both('退出查看器', 'Sign out of the viewer'),
};

/** Why an unpublished book's scans are withheld, for the manifest a client gets instead. */
export const withheldText = { heading: TEXT.heading, note: TEXT.note };

const flat = (s: InternationalString) => `${s['zh-Hans']![0]} / ${s.en![0]}`;

export interface AuthEndpoints {
  probe: string;
  access: string;
  token: string;
  logout: string;
}

export const authEndpoints = (baseUrl: string, imageId: string): AuthEndpoints => ({
  probe: `${baseUrl}/iiif/auth/probe/${imageId}`,
  access: `${baseUrl}/iiif/auth/access`,
  token: `${baseUrl}/iiif/auth/token`,
  logout: `${baseUrl}/iiif/auth/logout`,
});

/**
 * The 2.0 probe (§2.1) with its `active` access service (§2.2: "the client MUST open the access
 * service in a new window … the user interacts with the content provider"), token (§2.3) and
 * logout (§2.4) services. Declared on the content resource — the painting body, beside its
 * image service — as §2.1 has it ("the probe service is declared in the service property of
 * the access-controlled resource"), and not inside the image service or info.json: Mirador 3
 * calls `getProfile().match(…)` on every service there, and a 2.0 probe has no profile, which
 * leaves its window empty.
 */
export function probeService(e: AuthEndpoints): Record<string, unknown> {
  return {
    id: e.probe,
    type: 'AuthProbeService2',
    // The Universal Viewer 4 asks every service of a painting body for its profile (manifesto's
    // getProfile, which falls back to dcterms:conformsTo) and fails on none; a 2.0 probe has no
    // profile, so it says, truthfully, which specification it follows.
    'dcterms:conformsTo': 'https://iiif.io/api/auth/2.0/',
    service: [
      {
        id: e.access,
        type: 'AuthAccessService2',
        profile: 'active',
        label: TEXT.label,
        heading: TEXT.heading,
        note: TEXT.note,
        confirmLabel: TEXT.confirmLabel,
        service: [
          { id: e.token, type: 'AuthAccessTokenService2', errorHeading: TEXT.errorHeading, errorNote: TEXT.errorNote },
          { id: e.logout, type: 'AuthLogoutService2', label: TEXT.logout },
        ],
      },
    ],
  };
}

/**
 * The 1.0 `login` service (§3.1) with the same access, token and logout endpoints, in the image
 * service's `service` (in info.json and in the manifest), where Mirador 3 and the Universal
 * Viewer look for it.
 */
export function loginService(e: AuthEndpoints): Record<string, unknown> {
  return {
    '@context': AUTH1_CONTEXT,
    '@id': e.access,
    // The 1.0 types Presentation 3.0 names for older services (§3.2 service, "AuthCookieService1",
    // "AuthTokenService1", "AuthLogoutService1"), without which its schema refuses them.
    '@type': 'AuthCookieService1',
    profile: 'http://iiif.io/api/auth/1/login',
    label: flat(TEXT.label),
    header: flat(TEXT.heading),
    description: flat(TEXT.note),
    confirmLabel: flat(TEXT.confirmLabel),
    failureHeader: flat(TEXT.errorHeading),
    failureDescription: flat(TEXT.errorNote),
    service: [
      { '@id': e.token, '@type': 'AuthTokenService1', profile: 'http://iiif.io/api/auth/1/token' },
      { '@id': e.logout, '@type': 'AuthLogoutService1', profile: 'http://iiif.io/api/auth/1/logout', label: flat(TEXT.logout) },
    ],
  };
}

/**
 * The probe's answer (2.0 §2.1.1): `status` is the HTTP status the image would get; a 401 or
 * 403 says why in `heading` and `note`, which viewers show instead of a blank error.
 */
export function probeResult(status: 200 | 401 | 403): Record<string, unknown> {
  const result: Record<string, unknown> = { '@context': AUTH2_CONTEXT, type: 'AuthProbeResult2', status };
  if (status === 401) Object.assign(result, { heading: TEXT.heading, note: TEXT.note });
  if (status === 403) Object.assign(result, { heading: TEXT.forbiddenHeading, note: TEXT.forbiddenNote });
  return result;
}

export type TokenError = 'missingAspect' | 'invalidOrigin' | 'invalidRequest';

/**
 * What the token page posts to the viewer (2.0 §2.3.3 AuthAccessToken2 / AuthAccessTokenError2),
 * with the 1.0 fields (`accessToken`, `expiresIn`, `messageId`; `error`, `description`) that
 * Mirador 3 and the Universal Viewer read: the same message serves both.
 */
export function tokenMessage(messageId: string, answer: { accessToken: string } | { error: TokenError }): Record<string, unknown> {
  if ('accessToken' in answer) {
    return { '@context': AUTH2_CONTEXT, type: 'AuthAccessToken2', accessToken: answer.accessToken, expiresIn: ACCESS_TOKEN_SECONDS, messageId };
  }
  // 1.0 §3.3 error conditions: missingCredentials (no cookie), invalidOrigin, invalidRequest.
  const v1 = answer.error === 'missingAspect' ? 'missingCredentials' : answer.error;
  return {
    '@context': AUTH2_CONTEXT, type: 'AuthAccessTokenError2', profile: answer.error, heading: TEXT.errorHeading, note: TEXT.errorNote, messageId,
    error: v1, description: flat(TEXT.errorNote),
  };
}

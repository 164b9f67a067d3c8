/**
 * Single sign-on (OpenID Connect, authorization code with PKCE, state and nonce) with openid-client.
 * The provider says who the person is; chithi decides what they may do, from an account an
 * administrator provisioned (`chithi users add`). Sign-in never creates an account: a province's
 * Keycloak knows every civil servant, and each of them acting in chithi is a decision.
 */
import * as oidc from 'openid-client';
import type { OidcSettings } from '../../common/config.js';
import { HttpError } from '../errors.js';

/** The signed, short-lived cookie that carries one sign-in from the redirect to the callback. */
export const OIDC_COOKIE = 'chithi_oidc';
export const OIDC_COOKIE_MINUTES = 10;

/** What the callback must check: kept by the browser (signed cookie) so no server state is needed. */
export interface PendingSignIn {
  verifier: string;
  state: string;
  nonce: string;
}

/** A loopback issuer over plain HTTP is a developer's or a test's provider; anything else must be HTTPS. */
function isLoopback(url: URL): boolean {
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/**
 * The provider's configuration, discovered on first use and kept: the server starts even when
 * the provider is down (local accounts keep working), and a failed discovery is retried at the
 * next sign-in rather than remembered.
 */
export class OidcClient {
  private config: Promise<oidc.Configuration> | undefined;

  constructor(
    readonly settings: OidcSettings,
    /** `<public URL>/auth/oidc/callback`, registered at the provider. */
    readonly redirectUri: string,
  ) {}

  private configuration(): Promise<oidc.Configuration> {
    if (!this.config) {
      const issuer = new URL(this.settings.issuer);
      const p = oidc.discovery(issuer, this.settings.clientId, this.settings.clientSecret, undefined, {
        ...(isLoopback(issuer) && { execute: [oidc.allowInsecureRequests] }),
        timeout: 10,
      });
      this.config = p;
      p.catch(() => {
        if (this.config === p) this.config = undefined;
      });
    }
    return this.config.catch((err: unknown) => {
      throw providerError(this.settings.issuer, err);
    });
  }

  /** Where to send the browser, and what its cookie must remember. */
  async start(): Promise<{ url: string; pending: PendingSignIn }> {
    const config = await this.configuration();
    const pending: PendingSignIn = { verifier: oidc.randomPKCECodeVerifier(), state: oidc.randomState(), nonce: oidc.randomNonce() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: 'openid profile email',
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  /**
   * Exchanges the code in `callbackUrl` and returns the login claim's value (undefined when the
   * provider did not send it). The claim is read from the ID token, else from the userinfo endpoint
   * (Keycloak, for one, may leave preferred_username out of the ID token).
   */
  async finish(callbackUrl: URL, pending: PendingSignIn): Promise<string | undefined> {
    const config = await this.configuration();
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      throw providerError(this.settings.issuer, err);
    }
    const claims = tokens.claims()!;
    const claim = this.settings.loginClaim;
    let value: unknown = claims[claim];
    if (value === undefined) {
      try {
        value = (await oidc.fetchUserInfo(config, tokens.access_token, claims.sub))[claim];
      } catch (err) {
        throw providerError(this.settings.issuer, err);
      }
    }
    return typeof value === 'string' && value !== '' ? value : undefined;
  }
}

function providerError(issuer: string, err: unknown): HttpError {
  const why = err instanceof Error ? err.message : String(err);
  return new HttpError(
    502,
    'sign-on-provider',
    {
      vi: `Đăng nhập một lần không thành công: nhà cung cấp ${issuer} không phản hồi đúng (${why}). Thử đăng nhập lại; nếu vẫn lỗi, báo quản trị viên kiểm tra OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET.`,
      en: `Single sign-on failed: the provider ${issuer} did not answer as expected (${why}). Try signing in again; if it keeps failing, ask an administrator to check OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET.`,
    },
    undefined,
    { cause: err },
  );
}

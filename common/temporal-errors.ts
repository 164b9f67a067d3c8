/**
 * Vì sao không kết nối được Temporal, nói đúng nguyên nhân: máy chủ chưa chạy, chứng chỉ bị từ
 * chối (tệp nào), khoá API sai. SDK chỉ báo "Failed to connect before the deadline" khi bắt tay
 * TLS hỏng, nên ở đây thử lại một kết nối TCP/TLS với đúng các thiết lập để biết lý do.
 * Why Temporal cannot be reached, named truly: the server is not running, a certificate was refused
 * (which file), the API key is wrong. The client SDK reports a failed TLS handshake only as "Failed
 * to connect before the deadline", so a failed connection is probed again with a bare TCP/TLS
 * handshake using the same settings, which does say why.
 */
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { Bilingual } from './cli-spec.js';
import { ConfigError, tlsConfig, type TemporalSettings } from './config.js';

/** gRPC status codes this module tells apart (grpc.status). */
const UNAVAILABLE = 14;
const UNAUTHENTICATED = 16;
const PERMISSION_DENIED = 7;

export interface GrpcStatus {
  code: number;
  details: string;
}

// The worker's native connection (Rust, tonic) reports a status only in its message, by the
// code's description: "code: 'The request does not have valid authentication credentials', message: "…"".
const TONIC_CODES: [RegExp, number][] = [
  [/code: 'The request does not have valid authentication credentials'/, UNAUTHENTICATED],
  [/code: 'The caller does not have permission to execute the specified operation'/, PERMISSION_DENIED],
];

/** The gRPC status anywhere in an error's cause chain (the SDK wraps it in ServiceError). */
export function grpcStatus(err: unknown): GrpcStatus | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const { code, details } = e as { code?: unknown; details?: unknown };
    if (typeof code === 'number' && typeof details === 'string') return { code, details };
    for (const [re, tonicCode] of TONIC_CODES) {
      if (re.test(e.message)) return { code: tonicCode, details: /message: "([^"]*)"/.exec(e.message)?.[1] ?? '' };
    }
  }
  return undefined;
}

/**
 * Lỗi xác thực hoặc phân quyền từ máy chủ, nói bằng lời; các mã khác: undefined.
 * An authentication or authorisation status in words; undefined for any other status.
 */
export function explainAuthStatus(t: Partial<TemporalSettings>, status: GrpcStatus): Bilingual | undefined {
  const why = status.details || `gRPC ${status.code}`;
  const atVi = t.address ? ` tại ${t.address}` : '';
  const at = t.address ? ` at ${t.address}` : '';
  if (status.code === UNAUTHENTICATED) {
    if (t.apiKey !== undefined) {
      return {
        vi: `Máy chủ Temporal${atVi} từ chối khoá API trong TEMPORAL_API_KEY (${why}): khoá sai, đã hết hạn hoặc bị thu hồi.`,
        en: `The Temporal server${at} refused the API key in TEMPORAL_API_KEY (${why}): it is wrong, expired or revoked.`,
      };
    }
    if (t.tls?.certPath) {
      return {
        vi: `Máy chủ Temporal${atVi} không chấp nhận chứng chỉ máy khách TEMPORAL_TLS_CERT (${t.tls.certPath}) để xác thực (${why}).`,
        en: `The Temporal server${at} does not accept the client certificate TEMPORAL_TLS_CERT (${t.tls.certPath}) as credentials (${why}).`,
      };
    }
    return {
      vi: `Máy chủ Temporal${atVi} yêu cầu xác thực (${why}): đặt TEMPORAL_API_KEY, hoặc TEMPORAL_TLS_CERT và TEMPORAL_TLS_KEY.`,
      en: `The Temporal server${at} requires credentials (${why}): set TEMPORAL_API_KEY, or TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY.`,
    };
  }
  if (status.code === PERMISSION_DENIED) {
    const creds = t.apiKey !== undefined ? 'TEMPORAL_API_KEY' : t.tls?.certPath ? `TEMPORAL_TLS_CERT (${t.tls.certPath})` : 'chithi';
    return {
      vi: `Máy chủ Temporal${atVi} nhận ra ${creds} nhưng không cho truy cập namespace "${t.namespace ?? 'default'}" (${why}): kiểm tra TEMPORAL_NAMESPACE và quyền của khoá/chứng chỉ.`,
      en: `The Temporal server${at} knows ${creds} but denies it namespace "${t.namespace ?? 'default'}" (${why}): check TEMPORAL_NAMESPACE and the key's or certificate's permissions.`,
    };
  }
  return undefined;
}

/**
 * Lỗi gRPC của một lệnh gọi sau khi đã kết nối, nếu nó nói về kết nối hay quyền; còn lại undefined.
 * A call's gRPC failure after connecting, when it is about the connection or credentials.
 */
export function explainCallFailure(t: TemporalSettings, err: unknown): ConfigError | undefined {
  const status = grpcStatus(err);
  if (!status) return undefined;
  const auth = explainAuthStatus(t, status);
  if (auth) return new ConfigError(auth, { cause: err });
  if (status.code === UNAVAILABLE) {
    return new ConfigError(
      {
        vi: `Mất kết nối tới máy chủ Temporal tại ${t.address} (${status.details}). Máy chủ còn chạy không? (npm start)`,
        en: `Lost the connection to the Temporal server at ${t.address} (${status.details}). Is it still running? (npm start)`,
      },
      { cause: err },
    );
  }
  return undefined;
}

interface Endpoint {
  host: string;
  port: number;
}

export function parseAddress(address: string): Endpoint {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
  if (v6) return { host: v6[1]!, port: Number(v6[2] ?? 7233) };
  const i = address.lastIndexOf(':');
  return i > 0 ? { host: address.slice(0, i), port: Number(address.slice(i + 1)) } : { host: address, port: 7233 };
}

type ProbeResult = { ok: true; tlsOnPlain?: boolean } | { ok: false; stage: 'tcp' | 'handshake' | 'after-handshake'; error: NodeJS.ErrnoException };

// What an HTTP/2 client sends first: the server answers with its SETTINGS, or, having refused our
// certificate after a TLS 1.3 handshake, with an alert.
const H2_PREFACE = Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]);

function settle(socket: Socket, timeoutMs: number, onReady: (done: (r: ProbeResult) => void) => void, stageOf: () => 'tcp' | 'handshake' | 'after-handshake'): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let finished = false;
    const done = (r: ProbeResult) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done({ ok: false, stage: stageOf(), error: Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' }) }), timeoutMs);
    socket.once('error', (error: NodeJS.ErrnoException) => done({ ok: false, stage: stageOf(), error }));
    socket.once('close', () => done({ ok: false, stage: stageOf(), error: Object.assign(new Error('the server closed the connection'), { code: 'ECONNRESET' }) }));
    onReady(done);
  });
}

/** A bare TCP or TLS handshake with the settings the SDK was given, to learn why it failed. */
async function probe(t: TemporalSettings, timeoutMs: number): Promise<ProbeResult> {
  const { host, port } = parseAddress(t.address);
  const tls = tlsConfig(t);
  if (!tls) {
    let stage: 'tcp' | 'after-handshake' = 'tcp';
    const socket = netConnect({ host, port });
    const plain = await settle(socket, timeoutMs, (done) => socket.once('connect', () => done({ ok: true })), () => stage);
    stage = 'after-handshake';
    if (!plain.ok) return plain;
    // Something listens: a TLS-only frontend would explain a failed plaintext connection.
    const s = tlsConnect({ host, port, ...(isIP(host) ? {} : { servername: host }), rejectUnauthorized: false, ALPNProtocols: ['h2'] });
    const sniff = await settle(s, timeoutMs, (done) => s.once('secureConnect', () => done({ ok: true })), () => 'handshake');
    return { ok: true, tlsOnPlain: sniff.ok };
  }
  const servername = tls.serverNameOverride ?? (isIP(host) ? undefined : host);
  let stage: 'tcp' | 'handshake' | 'after-handshake' = 'tcp';
  const socket: TLSSocket = tlsConnect({
    host,
    port,
    ...(servername !== undefined && { servername }),
    ...(tls.serverRootCACertificate && { ca: Buffer.from(tls.serverRootCACertificate) }),
    ...(tls.clientCertPair && { cert: Buffer.from(tls.clientCertPair.crt), key: Buffer.from(tls.clientCertPair.key) }),
    ALPNProtocols: ['h2'],
  });
  socket.once('connect', () => (stage = 'handshake'));
  return settle(
    socket,
    timeoutMs,
    (done) =>
      socket.once('secureConnect', () => {
        stage = 'after-handshake';
        socket.once('data', () => done({ ok: true }));
        socket.write(H2_PREFACE);
      }),
    () => stage,
  );
}

const SERVER_CERT_CODES = /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_[A-Z_]+|ERR_TLS_CERT_ALTNAME_INVALID|INVALID_CA|UNABLE_TO_DECRYPT_CERT_SIGNATURE|INVALID_PURPOSE)$/;
const CLIENT_CERT_ALERTS = /ALERT_(CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED|DECRYPT_ERROR)/;
const NOT_TLS = /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|UNKNOWN_PROTOCOL|HTTP_REQUEST/;

function reasonOf(e: NodeJS.ErrnoException): string {
  // OpenSSL's messages carry its address and source line: keep the words ("tlsv13 alert certificate required").
  const message = /SSL routines:[^:]*:([^:]+)/.exec(e.message)?.[1] ?? e.message.trim();
  return e.code && !message.includes(e.code) ? `${message}, ${e.code}` : message;
}

/**
 * Lời giải thích cho một kết nối Temporal thất bại (`err` của SDK), có `cause` là lỗi gốc.
 * Explains a failed Temporal connection (`err` from the SDK), keeping it as `cause`.
 */
export async function explainConnectFailure(t: TemporalSettings, err: unknown, opts: { probeTimeoutMs?: number } = {}): Promise<ConfigError> {
  if (err instanceof ConfigError) return err;
  const status = grpcStatus(err);
  const auth = status && explainAuthStatus(t, status);
  if (auth) return new ConfigError(auth, { cause: err });
  const a = t.address;
  const text = await (async (): Promise<Bilingual> => {
    let result: ProbeResult;
    try {
      result = await probe(t, opts.probeTimeoutMs ?? 3000);
    } catch (probeErr) {
      if (probeErr instanceof ConfigError) return probeErr.text;
      result = { ok: true };
    }
    const sdk = err instanceof Error ? err.message : String(err);
    if (result.ok) {
      if (result.tlsOnPlain) {
        return {
          vi: `Máy chủ tại ${a} chỉ nhận kết nối TLS (${sdk}): đặt TEMPORAL_TLS=true, hoặc TEMPORAL_TLS_CA nếu chứng chỉ của nó do CA riêng ký.`,
          en: `The server at ${a} only takes TLS connections (${sdk}): set TEMPORAL_TLS=true, or TEMPORAL_TLS_CA if its certificate is signed by a private CA.`,
        };
      }
      return {
        vi: `Không kết nối được máy chủ Temporal tại ${a}: ${sdk}`,
        en: `Cannot connect to the Temporal server at ${a}: ${sdk}`,
      };
    }
    const e = result.error;
    const why = reasonOf(e);
    if (result.stage === 'tcp' || e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') {
      if (e.code === 'ECONNREFUSED') {
        return {
          vi: `Không có máy chủ Temporal nào đang chạy tại ${a} (kết nối bị từ chối). Hãy khởi động nó bằng: npm start`,
          en: `Nothing is listening at ${a} (connection refused): the Temporal server is not running. Start it with: npm start`,
        };
      }
      if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') {
        return {
          vi: `Không tìm thấy máy "${parseAddress(a).host}" (${why}): kiểm tra TEMPORAL_ADDRESS.`,
          en: `Host "${parseAddress(a).host}" not found (${why}): check TEMPORAL_ADDRESS.`,
        };
      }
      return {
        vi: `Không kết nối được tới ${a} (${why}): sai máy hay cổng trong TEMPORAL_ADDRESS, hoặc tường lửa chặn?`,
        en: `Cannot open a connection to ${a} (${why}): a wrong host or port in TEMPORAL_ADDRESS, or a firewall?`,
      };
    }
    if (e.code && SERVER_CERT_CODES.test(e.code)) {
      const tls = t.tls ?? {};
      if (e.code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
        const name = tls.serverName ?? parseAddress(a).host;
        return {
          vi: `Chứng chỉ của máy chủ Temporal tại ${a} bị từ chối: nó không cấp cho tên "${name}" (${why}). Đặt TEMPORAL_TLS_SERVER_NAME là tên ghi trong chứng chỉ.`,
          en: `The Temporal server's certificate was refused at ${a}: it is not issued for "${name}" (${why}). Set TEMPORAL_TLS_SERVER_NAME to the name it carries.`,
        };
      }
      if (/EXPIRED|NOT_YET_VALID/.test(e.code)) {
        return {
          vi: `Chứng chỉ của máy chủ Temporal tại ${a} bị từ chối: chưa có hoặc đã hết hiệu lực (${why}).`,
          en: `The Temporal server's certificate was refused at ${a}: it is expired or not yet valid (${why}).`,
        };
      }
      return tls.caPath
        ? {
            vi: `Chứng chỉ của máy chủ Temporal tại ${a} bị từ chối: nó không do CA trong TEMPORAL_TLS_CA (${tls.caPath}) ký (${why}).`,
            en: `The Temporal server's certificate was refused at ${a}: it is not signed by the CA in TEMPORAL_TLS_CA (${tls.caPath}) (${why}).`,
          }
        : {
            vi: `Chứng chỉ của máy chủ Temporal tại ${a} bị từ chối: không CA nào hệ thống tin cậy đã ký nó (${why}). Đặt TEMPORAL_TLS_CA là tệp CA đã ký.`,
            en: `The Temporal server's certificate was refused at ${a}: no CA this system trusts signed it (${why}). Set TEMPORAL_TLS_CA to the CA that did.`,
          };
    }
    // A server that refuses the client certificate says so with an alert (Go's crypto/tls), or
    // just hangs up once the handshake is over (Node's): either way before any HTTP/2 answer.
    const hungUp = result.stage === 'after-handshake' && e.code === 'ECONNRESET';
    if (hungUp || CLIENT_CERT_ALERTS.test(e.code ?? '') || CLIENT_CERT_ALERTS.test(e.message.toUpperCase().replace(/ /g, '_'))) {
      const cert = t.tls?.certPath;
      return cert
        ? {
            vi: `Máy chủ Temporal tại ${a} từ chối chứng chỉ máy khách TEMPORAL_TLS_CERT (${cert}) (${why}): nó không do CA mà máy chủ tin cậy ký, hoặc đã hết hạn.`,
            en: `The Temporal server at ${a} refused the client certificate TEMPORAL_TLS_CERT (${cert}) (${why}): it is not signed by a CA the server trusts, or it has expired.`,
          }
        : hungUp
          ? {
              vi: `Máy chủ tại ${a} đóng kết nối ngay sau bắt tay TLS (${why}): có lẽ nó yêu cầu chứng chỉ máy khách; đặt TEMPORAL_TLS_CERT và TEMPORAL_TLS_KEY.`,
              en: `The server at ${a} closed the connection right after the TLS handshake (${why}): it probably requires a client certificate; set TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY.`,
            }
          : {
              vi: `Máy chủ Temporal tại ${a} yêu cầu chứng chỉ máy khách (${why}): đặt TEMPORAL_TLS_CERT và TEMPORAL_TLS_KEY.`,
              en: `The Temporal server at ${a} requires a client certificate (${why}): set TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY.`,
            };
    }
    if (NOT_TLS.test(e.code ?? '') || NOT_TLS.test(e.message.toUpperCase().replace(/ /g, '_'))) {
      return {
        vi: `Máy chủ tại ${a} không dùng TLS (${why}), nhưng TLS đang bật (TEMPORAL_TLS, TEMPORAL_TLS_*, TEMPORAL_API_KEY): với máy chủ cục bộ, bỏ các biến đó.`,
        en: `The server at ${a} does not speak TLS (${why}), but TLS is on (TEMPORAL_TLS, TEMPORAL_TLS_*, TEMPORAL_API_KEY): for the local dev server, unset them.`,
      };
    }
    return {
      vi: `Bắt tay TLS với máy chủ Temporal tại ${a} thất bại (${why}).`,
      en: `The TLS handshake with the Temporal server at ${a} failed (${why}).`,
    };
  })();
  return new ConfigError(text, { cause: err });
}

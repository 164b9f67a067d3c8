import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createSecureServer, type Http2SecureServer, type ServerHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Throwaway PKI for TLS tests: files in a temp dir, valid for two days. */
export interface TestPki {
  dir: string;
  /** The CA that signed `server` (trusted by a correctly configured client). */
  ca: string;
  /** Another CA, which signed nothing the server presents. */
  otherCa: string;
  /** Certificate for SERVER_NAME, signed by `ca`. */
  server: { cert: string; key: string };
  /** A client certificate signed by `otherCa`: a server trusting `ca` refuses it. */
  strangerClient: { cert: string; key: string };
  remove(): void;
}

export const SERVER_NAME = 'temporal.test';

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function makePki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'chithi-tls-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const caExt = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'];
  openssl(dir, ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=chithi test CA', ...caExt]);
  openssl(dir, ['req', '-x509', ...ec, '-keyout', 'other-ca.key', '-out', 'other-ca.pem', '-days', '2', '-subj', '/CN=some other CA', ...caExt]);
  const leaf = (name: string, cn: string, ca: string, ext: string) => {
    writeFileSync(join(dir, `${name}.ext`), ext);
    openssl(dir, ['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`]);
    return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
  };
  const server = leaf('server', SERVER_NAME, 'ca', `subjectAltName=DNS:${SERVER_NAME}\nextendedKeyUsage=serverAuth\n`);
  const strangerClient = leaf('client', 'stranger', 'other-ca', 'extendedKeyUsage=clientAuth\n');
  return {
    dir,
    ca: join(dir, 'ca.pem'),
    otherCa: join(dir, 'other-ca.pem'),
    server,
    strangerClient,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A TLS gRPC endpoint on 127.0.0.1 standing in for a Temporal frontend that refuses every call as
 * UNAUTHENTICATED, as Temporal Cloud does for a wrong API key. `mtls` makes it require a client
 * certificate signed by the PKI's CA.
 */
export interface FakeFrontend {
  address: string;
  /** The `authorization` headers received. */
  authorizations: string[];
  close(): Promise<void>;
}

export async function startFakeFrontend(pki: TestPki, opts: { mtls?: boolean } = {}): Promise<FakeFrontend> {
  const authorizations: string[] = [];
  const sessions = new Set<ServerHttp2Session>();
  const server: Http2SecureServer = createSecureServer({
    key: readFileSync(pki.server.key),
    cert: readFileSync(pki.server.cert),
    ca: readFileSync(pki.ca),
    requestCert: opts.mtls ?? false,
    rejectUnauthorized: opts.mtls ?? false,
  });
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  server.on('stream', (stream, headers) => {
    const auth = headers.authorization;
    if (typeof auth === 'string') authorizations.push(auth);
    // A trailers-only gRPC response.
    stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '16', 'grpc-message': 'Request unauthorized: invalid API key' }, { endStream: true });
  });
  // Handshakes the client aborts must not surface as unhandled errors.
  server.on('tlsClientError', () => undefined);
  server.on('sessionError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle HTTP/2 sessions would keep close() waiting.
        for (const s of sessions) s.destroy();
      }),
  };
}

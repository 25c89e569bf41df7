import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getProvider } from '@nangohq/providers';
import {
  PATCH_KEYS,
  POST_KEYS,
  UNIQUE_KEY,
  UUID_V4,
  checkAuthMode,
  checkCredentials,
  checkCustom,
  invalidBody,
  supportError,
  unknownKeys,
  legacyConfig,
  type Reply,
  type StoredIntegration,
} from './fake-nango-schema';

export type { Reply } from './fake-nango-schema';

/** One request the fake server received. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  /** The status the client saw: 0 when the connection was dropped or never answered. */
  readonly status: number;
}

/**
 * What a fault does to one request: `drop` and `502` let the stand-in handle it (so Nango changes),
 * then close the connection without an answer, or answer as a failing proxy; `hang` never answers.
 */
export type Fault = 'drop' | 502 | 'hang';

/** A request as an {@link FakeNango.intercept} hook sees it, before the stand-in handles it. */
export interface InterceptedRequest {
  readonly method: string;
  /** Path and query, as sent (still percent-encoded). */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The raw request body. */
  readonly body: string;
}

/** What one Nango environment holds. */
interface EnvironmentStore {
  readonly integrations: Map<string, StoredIntegration>;
  /** Connection count per unique key (Nango refuses to rename an integration that has any). */
  readonly connections: Map<string, number>;
}

/**
 * A stand-in for Nango's public integrations API (0.71.4), answering as a real 0.71.4 server was
 * observed to answer (docs/nango-registration.md, "The Nango stand-in"): secret key auth, JSON
 * content type, unknown body and query keys, the unique key and scopes formats, complete
 * credentials, provider auth modes and default scopes from @nangohq/providers, 400 on a duplicate
 * key, 404 on a missing one, renames refused while connections exist.
 */
export class FakeNango {
  public readonly requests: ReceivedRequest[] = [];
  public readonly integrations = new Map<string, StoredIntegration>();
  /** Connection count per unique key (Nango refuses to rename an integration that has any). */
  public readonly connections = new Map<string, number>();
  /**
   * Answers in place of the stand-in when it returns a reply: to make Nango fail with any status,
   * or echo what it was sent.
   */
  public intercept?: (request: InterceptedRequest) => Reply | undefined;
  /**
   * The server's other environments, by their secret key: each holds its own integrations, as a
   * Nango environment does (integrations belong to one environment, and a key to one environment).
   */
  public readonly otherEnvironments = new Map<string, EnvironmentStore>();
  /** The environment of the request being answered. */
  private store: EnvironmentStore = this;
  /** One-shot faults by `METHOD /path` (no query). */
  private readonly faults = new Map<string, Fault>();
  /** Requests left hanging whose connection the client has not closed yet. */
  private readonly hanging = new Set<ServerResponse>();
  private server?: Server;
  private baseUrl = 'http://127.0.0.1';

  /**
   * @param secretKey the environment's secret key, with every scope
   * @param keysWithoutCredentials other valid keys, lacking `environment:integrations:read_credentials`
   */
  constructor(
    public readonly secretKey: string,
    public readonly keysWithoutCredentials: readonly string[] = [],
  ) {}

  /** Adds an empty environment of this server, with a new secret key of every scope; `otherEnvironments.delete(key)` removes it. */
  public addEnvironment(): EnvironmentStore & { readonly secretKey: string } {
    const environment = {
      secretKey: randomUUID(),
      integrations: new Map<string, StoredIntegration>(),
      connections: new Map<string, number>(),
    };
    this.otherEnvironments.set(environment.secretKey, environment);
    return environment;
  }

  /**
   * Makes the next `method` request to `path` (percent-encoded, without query) fail with `fault`,
   * once: a lost answer, as a proxy, a network fault or a killed runner leaves it.
   */
  public failNext(method: string, path: string, fault: Fault): void {
    this.faults.set(`${method} ${path}`, fault);
  }

  /** How many requests are left hanging with their connection still open. */
  public get openHangingRequests(): number {
    return this.hanging.size;
  }

  /** Starts listening on 127.0.0.1 and returns the base URL. */
  public async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.read(req).then((raw) => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const key = `${req.method} ${url.pathname}`;
        const fault = this.faults.get(key);
        this.faults.delete(key);
        const [status, body]: Reply =
          fault === 'hang'
            ? [0, undefined]
            : (this.intercept?.({ method: req.method ?? '', path: req.url ?? '/', headers: req.headers, body: raw }) ??
              this.handle(req, raw));
        let parsed: unknown = raw;
        try {
          parsed = raw ? JSON.parse(raw) : undefined;
        } catch {
          // keep the raw text
        }
        const seen = fault === undefined ? status : fault === 502 ? 502 : 0;
        this.requests.push({ method: req.method ?? '', path: url.pathname + url.search, body: parsed, status: seen });
        this.answer(res, fault, status, body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  public async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Requests that changed (or tried to change) Nango. */
  public writes(): ReceivedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
  }

  private answer(res: ServerResponse, fault: Fault | undefined, status: number, body: unknown): void {
    if (fault === 'hang') {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
    } else if (fault === 'drop') {
      res.socket?.destroy();
    } else if (fault === 502) {
      res.writeHead(502, { 'Content-Type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    } else if (Buffer.isBuffer(body)) {
      // Bytes as they are, UTF-8 or not: what a misbehaving proxy may answer.
      res.writeHead(status, { 'Content-Type': 'application/octet-stream' }).end(body);
    } else if (typeof body === 'string') {
      // Express answers a route it does not have with an HTML page.
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' }).end(body);
    } else {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    }
  }

  private read(req: IncomingMessage): Promise<string> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      // Decoded once whole: a character split across chunks stays one character.
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  }

  private handle(req: IncomingMessage, raw: string): Reply {
    const authError = (code: string, message: string): Reply => [
      401,
      { error: { message: `Authentication failed. ${message}`, code, payload: {} } },
    ];
    const auth = req.headers.authorization;
    if (!auth) return authError('missing_auth_header', 'The request is missing the Authorization header.');
    const key = auth.replace(/^Bearer /, '');
    if (!UUID_V4.test(key)) return authError('invalid_secret_key_format', 'The provided secret key is not a UUID v4.');
    const other = this.otherEnvironments.get(key);
    if (key !== this.secretKey && !other && !this.keysWithoutCredentials.includes(key))
      return authError('unknown_account', 'The provided authorization header does not match any account.');
    this.store = other ?? this;
    const readsCredentials = key === this.secretKey || other !== undefined;

    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const config = /^\/config\/([^/]+)$/.exec(url.pathname);
    if (config && req.method === 'GET')
      return legacyConfig(
        this.store.integrations.get(decodeURIComponent(config[1])),
        this.store.connections.get(decodeURIComponent(config[1])) ?? 0,
        url.searchParams.get('include_creds') === 'true',
        readsCredentials,
      );
    const match = /^\/integrations(?:\/([^/]+))?$/.exec(url.pathname);
    const routes = match && (match[1] === undefined ? ['POST'] : ['GET', 'PATCH', 'DELETE']);
    if (!routes) return [500, supportError()];
    if (!routes.includes(req.method ?? '')) return [404, `<pre>Cannot ${req.method} ${url.pathname}</pre>`];
    const uniqueKey = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
    if (
      (req.method === 'POST' || req.method === 'PATCH') &&
      !/^application\/json\b/.test(req.headers['content-type'] ?? '')
    ) {
      return [
        415,
        { error: { code: 'invalid_content_type', message: 'Content-Type header must be application/json' } },
      ];
    }
    const query = [...url.searchParams.keys()];
    const allowedQuery = req.method === 'GET' ? ['include'] : [];
    const unknownQuery = query.filter((q) => !allowedQuery.includes(q));
    if (unknownQuery.length > 0)
      return [
        400,
        {
          error: {
            code: 'invalid_query_params',
            errors: unknownQuery.map((q) => ({
              code: 'unrecognized_keys',
              message: `Unrecognized key: "${q}"`,
              path: [],
            })),
          },
        },
      ];
    const include = url.searchParams.getAll('include');
    if (include.some((i) => i !== 'webhook' && i !== 'credentials'))
      return [
        400,
        {
          error: {
            code: 'invalid_query_params',
            errors: [{ code: 'invalid_union', message: 'Invalid input', path: ['include'] }],
          },
        },
      ];
    if (uniqueKey !== undefined && !UNIQUE_KEY.test(uniqueKey))
      return [400, { error: { code: 'invalid_uri_params', errors: [{ path: ['uniqueKey'] }] } }];

    let body: Record<string, unknown> = {};
    if (req.method === 'POST' || req.method === 'PATCH') {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return invalidBody([{ code: 'invalid_type', message: 'Invalid JSON', path: [] }]);
      }
    }

    if (uniqueKey === undefined) return this.create(body);
    const stored = this.store.integrations.get(uniqueKey);
    switch (req.method) {
      case 'GET':
        if (!stored)
          return [404, { error: { code: 'not_found', message: `Integration "${uniqueKey}" does not exist` } }];
        return [200, { data: this.toPublic(stored, include.includes('credentials') && readsCredentials) }];
      case 'PATCH':
        return this.update(uniqueKey, stored, body);
      default:
        if (!stored) return [404, { error: { code: 'not_found', message: 'Integration does not exist' } }];
        this.store.integrations.delete(uniqueKey);
        this.store.connections.delete(uniqueKey);
        return [200, { success: true }];
    }
  }

  private create(body: Record<string, unknown>): Reply {
    const unknown = unknownKeys(body, POST_KEYS);
    if (unknown) return unknown;
    if (typeof body.unique_key !== 'string' || !UNIQUE_KEY.test(body.unique_key) || body.unique_key.length > 255) {
      return invalidBody([
        {
          code: 'invalid_format',
          message: 'Invalid string: must match pattern /^[a-zA-Z0-9~:.@ _-]+$/',
          path: ['unique_key'],
        },
      ]);
    }
    const provider = typeof body.provider === 'string' ? getProvider(body.provider) : null;
    if (!provider) return invalidBody([{ code: 'invalid_string', message: 'Invalid provider', path: ['provider'] }]);
    if (body.credentials === undefined)
      return [400, { error: { code: 'invalid_body', message: 'Missing credentials' } }];
    const bad = checkCredentials(body.credentials) ?? checkAuthMode(body.credentials, body.provider as string);
    if (bad) return bad;
    const badCustom = checkCustom(body.custom);
    if (badCustom) return badCustom;
    if (this.store.integrations.has(body.unique_key))
      return invalidBody([{ code: 'invalid_string', message: 'Unique key already exists', path: ['uniqueKey'] }]);
    const c = body.credentials as Record<string, string>;
    const now = new Date().toISOString();
    const stored: StoredIntegration = {
      unique_key: body.unique_key,
      provider: body.provider as string,
      display_name: typeof body.display_name === 'string' ? body.display_name : provider.display_name,
      // An empty or missing scopes string gets the provider's default scopes.
      credentials: {
        type: c.type,
        client_id: c.client_id,
        client_secret: c.client_secret,
        scopes: c.scopes || provider.default_scopes?.join(',') || null,
        webhook_secret: null,
      },
      custom: this.hasEntries(body.custom) ? { ...(body.custom as Record<string, string>) } : null,
      created_at: now,
      updated_at: now,
    };
    this.store.integrations.set(stored.unique_key, stored);
    return [200, { data: this.toPublic(stored, false) }];
  }

  private update(uniqueKey: string, stored: StoredIntegration | undefined, body: Record<string, unknown>): Reply {
    const unknown = unknownKeys(body, PATCH_KEYS);
    if (unknown) return unknown;
    const badShape =
      (body.credentials === undefined ? undefined : checkCredentials(body.credentials)) ?? checkCustom(body.custom);
    if (badShape) return badShape;
    if (!stored) return [404, { error: { code: 'not_found', message: `Integration "${uniqueKey}" does not exist` } }];
    const badMode = body.credentials === undefined ? undefined : checkAuthMode(body.credentials, stored.provider);
    if (badMode) return badMode;
    const newKey = body.unique_key;
    if (typeof newKey === 'string' && newKey !== uniqueKey) {
      if (this.store.integrations.has(newKey))
        return [400, { error: { code: 'invalid_body', message: 'uniqueKey is already used by another integration' } }];
      if ((this.store.connections.get(uniqueKey) ?? 0) > 0)
        return [
          400,
          { error: { code: 'invalid_body', message: "Can't rename an integration with active connections" } },
        ];
      this.store.integrations.delete(uniqueKey);
      stored.unique_key = newKey;
      this.store.integrations.set(newKey, stored);
    }
    if (typeof body.display_name === 'string') stored.display_name = body.display_name;
    // Nango merges `custom` and never removes a key (integration.service.ts, update).
    if (this.hasEntries(body.custom)) stored.custom = { ...stored.custom, ...(body.custom as Record<string, string>) };
    if (body.credentials !== undefined) {
      const c = body.credentials as Record<string, string>;
      stored.credentials = {
        ...stored.credentials,
        client_id: c.client_id,
        client_secret: c.client_secret,
        ...(c.scopes !== undefined ? { scopes: c.scopes || null } : {}),
      };
    }
    stored.updated_at = new Date().toISOString();
    return [200, { data: this.toPublic(stored, false) }];
  }

  private hasEntries(custom: unknown): boolean {
    return typeof custom === 'object' && custom !== null && Object.keys(custom).length > 0;
  }

  private toPublic(stored: StoredIntegration, withCredentials: boolean): Record<string, unknown> {
    // In the real server's order.
    return {
      unique_key: stored.unique_key,
      provider: stored.provider,
      display_name: stored.display_name,
      logo: `${this.baseUrl}/images/template-logos/${stored.provider}.svg`,
      ...(withCredentials ? { credentials: stored.credentials } : {}),
      forward_webhooks: true,
      created_at: stored.created_at,
      updated_at: stored.updated_at,
    };
  }
}

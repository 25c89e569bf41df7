import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getProvider } from '@nangohq/providers';

/** One request the fake server received. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly status: number;
}

/** A request as an {@link FakeNango.intercept} hook sees it, before the stand-in handles it. */
export interface InterceptedRequest {
  readonly method: string;
  /** Path and query, as sent (still percent-encoded). */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The raw request body. */
  readonly body: string;
}

/** Status and JSON body to answer with. */
export type Reply = [number, unknown];

interface StoredIntegration {
  unique_key: string;
  provider: string;
  display_name: string;
  credentials: { type: string; client_id: string; client_secret: string; scopes: string | null; webhook_secret: null };
  /** Kept by Nango, returned only by the deprecated GET /config/{key}?include_creds=true. */
  custom?: Record<string, string> | null;
  created_at: string;
  updated_at: string;
}

const UUID_V4 = /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/i;
const UNIQUE_KEY = /^[a-zA-Z0-9~:.@ _-]+$/;
const SCOPES = /^[0-9a-zA-Z:/_.*-]+(,[0-9a-zA-Z:/_.*-]+)*$/;
const POST_KEYS = [
  'provider',
  'unique_key',
  'display_name',
  'credentials',
  'forward_webhooks',
  'integration_config',
  'custom',
];
const PATCH_KEYS = ['unique_key', 'display_name', 'credentials', 'forward_webhooks', 'integration_config', 'custom'];
const OAUTH_KEYS = ['type', 'client_id', 'client_secret', 'scopes', 'webhook_secret'];

const invalidBody = (errors: unknown[]): Reply => [400, { error: { code: 'invalid_body', errors } }];
const supportError = () => {
  const id = randomUUID();
  return {
    error: {
      message: `An error occurred. Please contact support with this unique id: "${id}"`,
      code: 'generic_error_support',
      payload: id,
    },
  };
};

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

  /** Starts listening on 127.0.0.1 and returns the base URL. */
  public async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.read(req).then((raw) => {
        const [status, body] =
          this.intercept?.({ method: req.method ?? '', path: req.url ?? '/', headers: req.headers, body: raw }) ??
          this.handle(req, raw);
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        let parsed: unknown = raw;
        try {
          parsed = raw ? JSON.parse(raw) : undefined;
        } catch {
          // keep the raw text
        }
        this.requests.push({ method: req.method ?? '', path: url.pathname + url.search, body: parsed, status });
        // Express answers a route it does not have with an HTML page.
        if (typeof body === 'string') res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' }).end(body);
        else res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
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

  private read(req: IncomingMessage): Promise<string> {
    return new Promise((resolve) => {
      let data = '';
      req.on('data', (chunk: Buffer) => (data += chunk.toString()));
      req.on('end', () => resolve(data));
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
      return this.legacyConfig(
        decodeURIComponent(config[1]),
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

  private unknownKeys(body: Record<string, unknown>, allowed: string[], path: string[] = []): Reply | undefined {
    const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
    if (unknown.length === 0) return undefined;
    return invalidBody(unknown.map((k) => ({ code: 'unrecognized_keys', message: `Unrecognized key: "${k}"`, path })));
  }

  /** Nango's schema check of an OAuth credentials object (before it looks anything up). */
  private checkCredentials(credentials: unknown): Reply | undefined {
    if (typeof credentials !== 'object' || credentials === null)
      return invalidBody([{ code: 'invalid_union', message: 'invalid credentials object', path: ['credentials'] }]);
    const c = credentials as Record<string, unknown>;
    const unknown = this.unknownKeys(c, OAUTH_KEYS, ['credentials']);
    if (unknown) return unknown;
    for (const field of ['client_id', 'client_secret']) {
      if (typeof c[field] !== 'string' || (c[field] as string).length === 0)
        return invalidBody([{ code: 'invalid_type', message: `Required`, path: ['credentials', field] }]);
    }
    if (!['OAUTH1', 'OAUTH2', 'TBA'].includes(String(c.type)))
      return invalidBody([
        { code: 'invalid_union', message: 'invalid credentials object', path: ['credentials', 'type'] },
      ]);
    if (c.scopes !== undefined && (typeof c.scopes !== 'string' || (c.scopes !== '' && !SCOPES.test(c.scopes)))) {
      return invalidBody([
        { code: 'invalid_format', message: 'Invalid string: must match pattern', path: ['credentials', 'scopes'] },
      ]);
    }
    return undefined;
  }

  private checkAuthMode(credentials: unknown, provider: string): Reply | undefined {
    if ((credentials as { type: string }).type === getProvider(provider)?.auth_mode) return undefined;
    return [400, { error: { code: 'invalid_body', message: 'incompatible credentials auth type and provider auth' } }];
  }

  private create(body: Record<string, unknown>): Reply {
    const unknown = this.unknownKeys(body, POST_KEYS);
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
    const bad =
      this.checkCredentials(body.credentials) ?? this.checkAuthMode(body.credentials, body.provider as string);
    if (bad) return bad;
    const badCustom = this.checkCustom(body.custom);
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
    const unknown = this.unknownKeys(body, PATCH_KEYS);
    if (unknown) return unknown;
    const badShape =
      (body.credentials === undefined ? undefined : this.checkCredentials(body.credentials)) ??
      this.checkCustom(body.custom);
    if (badShape) return badShape;
    if (!stored) return [404, { error: { code: 'not_found', message: `Integration "${uniqueKey}" does not exist` } }];
    const badMode = body.credentials === undefined ? undefined : this.checkAuthMode(body.credentials, stored.provider);
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

  /** Nango's `custom: z.record(z.string(), z.string())`. */
  private checkCustom(custom: unknown): Reply | undefined {
    if (custom === undefined) return undefined;
    if (typeof custom !== 'object' || custom === null || Array.isArray(custom))
      return invalidBody([
        {
          code: 'invalid_type',
          message: `Invalid input: expected record, received ${typeof custom}`,
          path: ['custom'],
        },
      ]);
    const bad = Object.entries(custom).find(([, v]) => typeof v !== 'string');
    return bad
      ? invalidBody([
          {
            code: 'invalid_type',
            message: `Invalid input: expected string, received ${typeof bad[1]}`,
            path: ['custom', bad[0]],
          },
        ])
      : undefined;
  }

  /** Nango's deprecated GET /config/{key} (config.controller.ts getProviderConfig), the one route that returns `custom`. */
  private legacyConfig(uniqueKey: string, includeCreds: boolean, readsCredentials: boolean): Reply {
    const stored = this.store.integrations.get(uniqueKey);
    if (!stored) {
      return [
        400,
        {
          error: {
            message:
              'There is no Provider Configuration matching this key. Please make sure this value exists in the Nango dashboard {}',
            code: 'unknown_provider_config',
            payload: {},
          },
        },
      ];
    }
    if (!includeCreds)
      return [200, { config: { unique_key: stored.unique_key, provider: stored.provider, syncs: [], actions: [] } }];
    if (!readsCredentials)
      return [
        403,
        {
          error: {
            code: 'forbidden',
            message: 'Insufficient scope. Required: environment:integrations:read_credentials',
          },
        },
      ];
    const c = stored.credentials;
    return [
      200,
      {
        config: {
          unique_key: stored.unique_key,
          provider: stored.provider,
          client_id: c.client_id,
          client_secret: c.client_secret,
          custom: stored.custom,
          scopes: c.scopes,
          app_link: null,
          auth_mode: 'OAUTH2',
          created_at: stored.created_at,
          syncs: [],
          actions: [],
          has_webhook: false,
          webhook_secret: null,
          connections: [],
          docs: getProvider(stored.provider)?.docs,
          connection_count: this.store.connections.get(uniqueKey) ?? 0,
          has_webhook_user_defined_secret: false,
          webhook_url: null,
        },
      },
    ];
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

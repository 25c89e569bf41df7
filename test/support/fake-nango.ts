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

interface StoredIntegration {
  unique_key: string;
  provider: string;
  display_name: string;
  credentials: { type: string; client_id: string; client_secret: string; scopes: string | null; webhook_secret: null };
  created_at: string;
  updated_at: string;
}

const UUID_V4 = /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/i;
const UNIQUE_KEY = /^[a-zA-Z0-9~:.@ _-]+$/;
const SCOPES = /^[0-9a-zA-Z:/_.*-]+(,[0-9a-zA-Z:/_.*-]+)*$/;
const POST_KEYS = ['provider', 'unique_key', 'display_name', 'credentials', 'forward_webhooks', 'integration_config', 'custom'];
const PATCH_KEYS = ['unique_key', 'display_name', 'credentials', 'forward_webhooks', 'integration_config', 'custom'];
const OAUTH_KEYS = ['type', 'client_id', 'client_secret', 'scopes', 'webhook_secret'];

type Reply = [number, unknown];
const invalidBody = (errors: unknown[]): Reply => [400, { error: { code: 'invalid_body', errors } }];

/**
 * A stand-in for Nango's public integrations API (0.71), strict where Nango is strict: secret key
 * auth, unknown body keys, the unique key and scopes formats, complete credentials, provider auth
 * modes from @nangohq/providers, 400 on a duplicate key and 404 on a missing one.
 */
export class FakeNango {
  public readonly requests: ReceivedRequest[] = [];
  public readonly integrations = new Map<string, StoredIntegration>();
  private server?: Server;

  constructor(public readonly secretKey: string) {}

  /** Starts listening on 127.0.0.1 and returns the base URL. */
  public async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.read(req).then((raw) => {
        const [status, body] = this.handle(req, raw);
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        let parsed: unknown = raw;
        try {
          parsed = raw ? JSON.parse(raw) : undefined;
        } catch {
          // keep the raw text
        }
        this.requests.push({ method: req.method ?? '', path: url.pathname + url.search, body: parsed, status });
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
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
    const auth = req.headers.authorization;
    if (!auth) return [401, { error: { code: 'missing_auth_header', message: 'Authentication failed. The request is missing the Authorization header.', payload: {} } }];
    const key = auth.replace(/^Bearer /, '');
    if (!UUID_V4.test(key)) return [401, { error: { code: 'invalid_secret_key_format', message: 'Authentication failed. The provided secret key is not a UUID v4.', payload: {} } }];
    if (key !== this.secretKey) return [401, { error: { code: 'unknown_account', message: 'Authentication failed. The provided secret key does not match an account.', payload: {} } }];

    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/integrations(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match) return [404, { error: { code: 'not_found', message: 'Route not found' } }];
    const uniqueKey = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
    const query = [...url.searchParams.keys()];
    const allowedQuery = req.method === 'GET' && uniqueKey ? ['include'] : [];
    const unknownQuery = query.filter((q) => !allowedQuery.includes(q));
    if (unknownQuery.length > 0) return [400, { error: { code: 'invalid_query_params', errors: unknownQuery.map((q) => ({ code: 'unrecognized_keys', message: `Unrecognized key: "${q}"`, path: [] })) } }];
    if (uniqueKey !== undefined && !UNIQUE_KEY.test(uniqueKey)) return [400, { error: { code: 'invalid_uri_params', errors: [{ path: ['uniqueKey'] }] } }];

    let body: Record<string, unknown> = {};
    if (req.method === 'POST' || req.method === 'PATCH') {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return invalidBody([{ code: 'invalid_type', message: 'Invalid JSON', path: [] }]);
      }
    }

    if (req.method === 'POST' && uniqueKey === undefined) return this.create(body);
    if (uniqueKey === undefined) return [404, { error: { code: 'not_found', message: 'Route not found' } }];
    const stored = this.integrations.get(uniqueKey);
    switch (req.method) {
      case 'GET':
        if (!stored) return [404, { error: { code: 'not_found', message: `Integration "${uniqueKey}" does not exist` } }];
        return [200, { data: this.toPublic(stored, url.searchParams.getAll('include').includes('credentials')) }];
      case 'PATCH':
        return this.update(uniqueKey, stored, body);
      case 'DELETE':
        if (!stored) return [404, { error: { code: 'not_found', message: 'Integration does not exist' } }];
        this.integrations.delete(uniqueKey);
        return [200, { success: true }];
      default:
        return [404, { error: { code: 'not_found', message: 'Route not found' } }];
    }
  }

  private unknownKeys(body: Record<string, unknown>, allowed: string[], path: string[] = []): Reply | undefined {
    const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
    if (unknown.length === 0) return undefined;
    return invalidBody([{ code: 'unrecognized_keys', message: `Unrecognized key(s) in object: ${unknown.map((k) => `'${k}'`).join(', ')}`, path }]);
  }

  /** Nango's schema check of an OAuth credentials object (before it looks anything up). */
  private checkCredentials(credentials: unknown): Reply | undefined {
    if (typeof credentials !== 'object' || credentials === null) return invalidBody([{ code: 'invalid_union', message: 'invalid credentials object', path: ['credentials'] }]);
    const c = credentials as Record<string, unknown>;
    const unknown = this.unknownKeys(c, OAUTH_KEYS, ['credentials']);
    if (unknown) return unknown;
    for (const field of ['client_id', 'client_secret']) {
      if (typeof c[field] !== 'string' || (c[field] as string).length === 0) return invalidBody([{ code: 'invalid_type', message: `Required`, path: ['credentials', field] }]);
    }
    if (!['OAUTH1', 'OAUTH2', 'TBA'].includes(String(c.type))) return invalidBody([{ code: 'invalid_union', message: 'invalid credentials object', path: ['credentials', 'type'] }]);
    if (c.scopes !== undefined && (typeof c.scopes !== 'string' || (c.scopes !== '' && !SCOPES.test(c.scopes)))) {
      return invalidBody([{ code: 'invalid_format', message: 'Invalid string: must match pattern', path: ['credentials', 'scopes'] }]);
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
      return invalidBody([{ code: 'invalid_format', message: 'Invalid string: must match pattern /^[a-zA-Z0-9~:.@ _-]+$/', path: ['unique_key'] }]);
    }
    const provider = typeof body.provider === 'string' ? getProvider(body.provider) : null;
    if (!provider) return invalidBody([{ code: 'invalid_string', message: 'Invalid provider', path: ['provider'] }]);
    if (body.credentials === undefined) return [400, { error: { code: 'invalid_body', message: 'Missing credentials' } }];
    const bad = this.checkCredentials(body.credentials) ?? this.checkAuthMode(body.credentials, body.provider as string);
    if (bad) return bad;
    if (this.integrations.has(body.unique_key)) return invalidBody([{ code: 'invalid_string', message: 'Unique key already exists', path: ['uniqueKey'] }]);
    const c = body.credentials as Record<string, string>;
    const now = new Date().toISOString();
    const stored: StoredIntegration = {
      unique_key: body.unique_key,
      provider: body.provider as string,
      display_name: typeof body.display_name === 'string' ? body.display_name : provider.display_name,
      credentials: { type: c.type, client_id: c.client_id, client_secret: c.client_secret, scopes: c.scopes || null, webhook_secret: null },
      created_at: now,
      updated_at: now,
    };
    this.integrations.set(stored.unique_key, stored);
    return [200, { data: this.toPublic(stored, false) }];
  }

  private update(uniqueKey: string, stored: StoredIntegration | undefined, body: Record<string, unknown>): Reply {
    const unknown = this.unknownKeys(body, PATCH_KEYS);
    if (unknown) return unknown;
    const badShape = body.credentials === undefined ? undefined : this.checkCredentials(body.credentials);
    if (badShape) return badShape;
    if (!stored) return [404, { error: { code: 'not_found', message: `Integration "${uniqueKey}" does not exist` } }];
    const badMode = body.credentials === undefined ? undefined : this.checkAuthMode(body.credentials, stored.provider);
    if (badMode) return badMode;
    if (typeof body.display_name === 'string') stored.display_name = body.display_name;
    if (body.credentials !== undefined) {
      const c = body.credentials as Record<string, string>;
      stored.credentials = { ...stored.credentials, client_id: c.client_id, client_secret: c.client_secret, ...(c.scopes !== undefined ? { scopes: c.scopes } : {}) };
    }
    stored.updated_at = new Date().toISOString();
    return [200, { data: this.toPublic(stored, false) }];
  }

  private toPublic(stored: StoredIntegration, withCredentials: boolean): Record<string, unknown> {
    const { credentials, ...rest } = stored;
    return { ...rest, logo: `http://127.0.0.1/images/template-logos/${stored.provider}.svg`, forward_webhooks: true, ...(withCredentials ? { credentials } : {}) };
  }
}

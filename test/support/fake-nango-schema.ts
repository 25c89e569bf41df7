import { randomUUID } from 'node:crypto';
import { getProvider } from '@nangohq/providers';

// Nango 0.71.4's request checks, as the stand-in answers them (zod schemas of packages/server).

/** An integration as the stand-in keeps it. */
export interface StoredIntegration {
  unique_key: string;
  provider: string;
  display_name: string;
  credentials: { type: string; client_id: string; client_secret: string; scopes: string | null; webhook_secret: null };
  /** Kept by Nango, returned only by the deprecated GET /config/{key}?include_creds=true. */
  custom?: Record<string, string> | null;
  created_at: string;
  updated_at: string;
}

/** Status and JSON body to answer with. */
export type Reply = [number, unknown];

export const UUID_V4 = /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/i;
export const UNIQUE_KEY = /^[a-zA-Z0-9~:.@ _-]+$/;
const SCOPES = /^[0-9a-zA-Z:/_.*-]+(,[0-9a-zA-Z:/_.*-]+)*$/;
export const POST_KEYS = [
  'provider',
  'unique_key',
  'display_name',
  'credentials',
  'forward_webhooks',
  'integration_config',
  'custom',
];
export const PATCH_KEYS = [
  'unique_key',
  'display_name',
  'credentials',
  'forward_webhooks',
  'integration_config',
  'custom',
];
const OAUTH_KEYS = ['type', 'client_id', 'client_secret', 'scopes', 'webhook_secret'];

export const invalidBody = (errors: unknown[]): Reply => [400, { error: { code: 'invalid_body', errors } }];
export const supportError = () => {
  const id = randomUUID();
  return {
    error: {
      message: `An error occurred. Please contact support with this unique id: "${id}"`,
      code: 'generic_error_support',
      payload: id,
    },
  };
};

export function unknownKeys(body: Record<string, unknown>, allowed: string[], path: string[] = []): Reply | undefined {
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length === 0) return undefined;
  return invalidBody(unknown.map((k) => ({ code: 'unrecognized_keys', message: `Unrecognized key: "${k}"`, path })));
}

/** Nango's schema check of an OAuth credentials object (before it looks anything up). */
export function checkCredentials(credentials: unknown): Reply | undefined {
  if (typeof credentials !== 'object' || credentials === null)
    return invalidBody([{ code: 'invalid_union', message: 'invalid credentials object', path: ['credentials'] }]);
  const c = credentials as Record<string, unknown>;
  const unknown = unknownKeys(c, OAUTH_KEYS, ['credentials']);
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

export function checkAuthMode(credentials: unknown, provider: string): Reply | undefined {
  if ((credentials as { type: string }).type === getProvider(provider)?.auth_mode) return undefined;
  return [400, { error: { code: 'invalid_body', message: 'incompatible credentials auth type and provider auth' } }];
}

/** Nango's `custom: z.record(z.string(), z.string())`. */
export function checkCustom(custom: unknown): Reply | undefined {
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
export function legacyConfig(
  stored: StoredIntegration | undefined,
  connections: number,
  includeCreds: boolean,
  readsCredentials: boolean,
): Reply {
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
        connection_count: connections,
        has_webhook_user_defined_secret: false,
        webhook_url: null,
      },
    },
  ];
}

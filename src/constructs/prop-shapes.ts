import type { Shape } from '../core/shape';

// The kinds of value each construct prop holds, checked at run time before any other check
// (src/core/shape.ts): what the props' TypeScript types say, for callers that TypeScript does not check.

const strings: Shape = { list: 'string' };
const stringMap: Shape = { map: 'string' };

const NANGO: Shape = {
  object: { serverUrl: 'string', callbackUrl: 'string', secretKey: 'string', environment: 'string' },
};
const ADDED_PERMISSION: Shape = {
  object: {
    api: 'string',
    name: 'string',
    id: 'string',
    justification: 'string',
    access: 'string',
    adminConsentRequired: 'boolean',
  },
};
const CLIENT_SECRET: Shape = { object: { keyId: 'string', expires: 'string', description: 'string' } };
const EXISTING_APP: Shape = {
  object: {
    applicationObjectId: 'string',
    applicationClientId: 'string',
    servicePrincipalObjectId: 'string',
    permissionGrantIds: stringMap,
    clientSecrets: { list: CLIENT_SECRET },
  },
};

/** Props that `MicrosoftIntegrationApp` and `KindoMicrosoftIntegrations` share. */
const OPTIONS: Readonly<Record<string, Shape>> = {
  nango: NANGO,
  namePrefix: 'string',
  signInAudience: 'string',
  owners: strings,
  preventDuplicateNames: 'boolean',
  secretLifetimeDays: 'number',
  secretRotation: 'string',
  secretExpiryWarningDays: 'number',
  adminConsent: 'boolean',
  tenantId: 'string',
  requireAssignment: 'boolean',
  allowedGroups: { either: [strings, { map: strings }] },
};

/** `MicrosoftIntegrationAppProps`. */
export const APP_PROP_SHAPES: Readonly<Record<string, Shape>> = {
  ...OPTIONS,
  integration: 'string',
  nangoUniqueKey: 'string',
  nangoProvider: 'string',
  adoptExistingNangoIntegration: 'boolean',
  removePermissions: strings,
  addPermissions: { list: ADDED_PERMISSION },
  nangoFields: stringMap,
  fabricSqlEndpointHost: 'string',
  fabricLakehouseDatabase: 'string',
  existingApplicationObjectId: 'string',
  existingApplicationClientId: 'string',
  existingServicePrincipalObjectId: 'string',
  existingPermissionGrantIds: stringMap,
  existingClientSecrets: { list: CLIENT_SECRET },
};

/** `KindoMicrosoftIntegrationsProps`. */
export const INTEGRATIONS_PROP_SHAPES: Readonly<Record<string, Shape>> = {
  ...OPTIONS,
  integrations: strings,
  nangoUniqueKeys: stringMap,
  nangoProviders: stringMap,
  adoptExistingNangoIntegrations: strings,
  nangoFields: { map: stringMap },
  removePermissions: { map: strings },
  addPermissions: { map: { list: ADDED_PERMISSION } },
  fabricSqlEndpointHost: 'string',
  fabricLakehouseDatabase: 'string',
  existingApps: { map: EXISTING_APP },
};

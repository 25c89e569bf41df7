import type { AddedPermission } from '../catalog/permission-changes';
import type { Shape, ShapesOf } from '../core/shape';
import type { ExistingApp, ExistingClientSecret } from './existing-app';
import type {
  MicrosoftIntegrationAppOptions,
  MicrosoftIntegrationAppProps,
  NangoOptions,
} from './microsoft-integration-app-props';

// The kinds of value each construct prop holds, checked at run time before any other check
// (src/core/shape.ts): what the props' TypeScript types say, for callers that TypeScript does not check.
// Each table is typed with ShapesOf<the type>, so a prop added to a type without its shape does not compile;
// KindoMicrosoftIntegrations' own table, built from these pieces, sits beside its props.

export const strings: Shape = { list: 'string' };
export const stringMap: Shape = { map: 'string' };

const NANGO_OPTIONS: ShapesOf<NangoOptions> = {
  serverUrl: 'string',
  callbackUrl: 'string',
  secretKey: 'secret',
  environment: 'string',
};
export const ADDED_PERMISSION: ShapesOf<AddedPermission> = {
  api: 'string',
  name: 'string',
  id: 'string',
  justification: 'string',
  access: 'string',
  adminConsentRequired: 'boolean',
};
const CLIENT_SECRET: ShapesOf<ExistingClientSecret> = { keyId: 'string', expires: 'string', description: 'string' };
export const EXISTING_APP: ShapesOf<ExistingApp> = {
  applicationObjectId: 'string',
  applicationClientId: 'string',
  servicePrincipalObjectId: 'string',
  permissionGrantIds: stringMap,
  clientSecrets: { list: { object: CLIENT_SECRET } },
};

/** Props that `MicrosoftIntegrationApp` and `KindoMicrosoftIntegrations` share. */
export const OPTIONS: ShapesOf<MicrosoftIntegrationAppOptions> = {
  nango: { object: NANGO_OPTIONS },
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
export const APP_PROP_SHAPES: ShapesOf<MicrosoftIntegrationAppProps> = {
  ...OPTIONS,
  integration: 'string',
  nangoUniqueKey: 'string',
  nangoProvider: 'string',
  adoptExistingNangoIntegration: 'boolean',
  removePermissions: strings,
  addPermissions: { list: { object: ADDED_PERMISSION } },
  nangoFields: stringMap,
  fabricSqlEndpointHost: 'string',
  fabricLakehouseDatabase: 'string',
  existingApplicationObjectId: 'string',
  existingApplicationClientId: 'string',
  existingServicePrincipalObjectId: 'string',
  existingPermissionGrantIds: stringMap,
  existingClientSecrets: { list: { object: CLIENT_SECRET } },
};

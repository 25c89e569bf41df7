import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { catalog } from '../../src/catalog/catalog';
import { KindoMicrosoftIntegrations } from '../../src/constructs/kindo-microsoft-integrations';
import type { SynthesizedStack } from '../../src/review/types';

type Tf = Record<string, any>;

export const OBJECT_ID = '0f8e2c6d-1b2a-4c3d-9e8f-7a6b5c4d3e2f';
export const CLIENT_ID = '6e5d4c3b-2a19-4f08-8e7d-6c5b4a392817';
export const SP_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
export const SECRET_KEY_ID = '3d0b3d5f-8c55-4f1e-9d0c-2b7f0a1e4c11';
export const GRANT_ID = 'xyz0AbCdEfGhIjKlMnOpQrStUvWx-AbCdEfGhIjKlMn';
export const CALLBACK = 'https://api.nango.dev/oauth/callback';

/** Teams adopted by object ID with its service principal and Graph grant, as `cdktf synth` writes it ("//" metadata kept). */
export function adoptedTeams(): SynthesizedStack[] {
  const stack = new TerraformStack(Testing.app(), 'test');
  const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue;
  new KindoMicrosoftIntegrations(stack, 'Kindo', {
    integrations: ['teams', 'outlook'],
    nango: { secretKey },
    adoptExistingNangoIntegrations: ['teams'],
    existingApps: {
      teams: {
        applicationObjectId: OBJECT_ID,
        servicePrincipalObjectId: SP_ID,
        permissionGrantIds: { 'Microsoft Graph': GRANT_ID },
        clientSecrets: [{ keyId: SECRET_KEY_ID, expires: '2027-05-01T10:00:00Z', description: 'Kindo integration' }],
      },
    },
  });
  return [{ name: 'test', config: stack.toTerraform() }];
}

export const addressOf = (tf: Tf, type: string, part: string) =>
  `${type}.${Object.keys(tf.resource[type]).find((k) => k.includes(part))!}`;

/**
 * A `terraform show -json` plan of that synth's first apply, per Terraform's JSON output format
 * (developer.hashicorp.com/terraform/internals/json-format, "Change Representation"; `importing` as in
 * hashicorp/terraform internal/command/jsonplan/plan.go): the hand-made app has another redirect URI,
 * a Graph permission the guide does not list for Teams and its maker as sole owner; the grant holds one scope
 * more; the service principal already matches. The new secret is created (azuread_application_password
 * cannot be imported).
 */
export function firstApplyPlan(tf: Tf, planted: string): Tf {
  const scopes = catalog().teams.apis[0].permissions;
  const mailSend = catalog().outlook.apis[0].permissions.find((p) => p.name === 'Mail.Send')!;
  const access = scopes.map((p) => ({ id: p.id, type: 'Scope' }));
  const app = addressOf(tf, 'azuread_application', 'teams');
  const change = (
    address: string,
    type: string,
    actions: string[],
    before: Tf | null,
    after: Tf | null,
    importing?: string,
  ) => ({
    address,
    mode: 'managed',
    type,
    name: address.split('.')[1],
    provider_name: 'registry.terraform.io/hashicorp/azuread',
    change: {
      actions,
      before,
      after,
      after_unknown: actions.includes('create') ? { id: true, key_id: true, value: true } : {},
      before_sensitive: actions.includes('create') ? false : {},
      after_sensitive: type === 'azuread_application_password' ? { value: true } : {},
      ...(importing ? { importing: { id: importing } } : {}),
    },
  });
  const appBefore = {
    id: `/applications/${OBJECT_ID}`,
    client_id: CLIENT_ID,
    display_name: 'Kindo - Microsoft Teams',
    notes: null,
    owners: ['8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b'],
    sign_in_audience: 'AzureADMyOrg',
    web: [{ redirect_uris: ['https://nango.example.com/oauth/callback'], homepage_url: null }],
    required_resource_access: [
      {
        resource_app_id: '00000003-0000-0000-c000-000000000000',
        resource_access: [...access, { id: mailSend.id, type: 'Scope' }],
      },
    ],
  };
  const appAfter = {
    ...appBefore,
    notes:
      "Kindo integration 'teams' (Microsoft Teams), managed by Terraform with kindo-microsoft-integrations. Permissions as in Kindo's guide.",
    owners: ['8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b', '00000000-0000-0000-0000-000000000001'],
    web: [{ redirect_uris: [CALLBACK], homepage_url: null }],
    required_resource_access: [{ resource_app_id: '00000003-0000-0000-c000-000000000000', resource_access: access }],
  };
  const sp = { id: `/servicePrincipals/${SP_ID}`, client_id: CLIENT_ID, use_existing: null };
  const grant = addressOf(tf, 'azuread_service_principal_delegated_permission_grant', 'teams');
  return {
    format_version: '1.2',
    terraform_version: '1.11.4',
    resource_changes: [
      change(
        addressOf(tf, 'azuread_service_principal', 'teams'),
        'azuread_service_principal',
        ['no-op'],
        sp,
        sp,
        `/servicePrincipals/${SP_ID}`,
      ),
      change(app, 'azuread_application', ['update'], appBefore, appAfter, `/applications/${OBJECT_ID}`),
      change(
        grant,
        'azuread_service_principal_delegated_permission_grant',
        ['update'],
        { id: `/oauth2PermissionGrants/${GRANT_ID}`, claim_values: [...scopes.map((p) => p.name), 'Mail.Send'] },
        { id: `/oauth2PermissionGrants/${GRANT_ID}`, claim_values: scopes.map((p) => p.name) },
        `/oauth2PermissionGrants/${GRANT_ID}`,
      ),
      change(addressOf(tf, 'azuread_application_password', 'teams'), 'azuread_application_password', ['create'], null, {
        display_name: 'Kindo integration',
        value: planted,
      }),
    ],
  };
}

import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { catalog, type IntegrationId } from '../../src/catalog/catalog';
import {
  KindoMicrosoftIntegrations,
  type KindoMicrosoftIntegrationsProps,
} from '../../src/constructs/kindo-microsoft-integrations';
import { NANGO_ENVIRONMENT_VARIABLE } from '../../src/nango/nango-variables';
import type { Body } from './module';

// The constructs and the HCL module given the same selection and permission changes: the module's
// inputs for the constructs' props, and what the constructs synthesize, to compare with what the
// module's own expressions evaluate to.

export const OUTLOOK_WITHOUT_MAIL_SEND: Partial<KindoMicrosoftIntegrationsProps> = {
  removePermissions: { outlook: ['Mail.Send'] },
};
/** Graph's Mail.Read, justified, as add_permissions takes it. */
export const ADDED_MAIL_READ = {
  api: 'Microsoft Graph',
  name: 'Mail.Read',
  id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca',
  justification: 'Kindo summarizes mail about the channels it reads',
};
export const TEAMS_WITH_MAIL_READ: Partial<KindoMicrosoftIntegrationsProps> = {
  addPermissions: { teams: [ADDED_MAIL_READ] },
};
// Every WindowsDefenderATP scope of defender's guide list, so that its grant and lookup go away.
export const DEFENDER_WITHOUT_WDATP: Partial<KindoMicrosoftIntegrationsProps> = {
  removePermissions: {
    defender: catalog()
      .defender.apis.find((a) => a.name === 'WindowsDefenderATP')!
      .permissions.map((p) => `WindowsDefenderATP/${p.name}`),
  },
};

/** Settings per integration id as a TF_VAR value (JSON is valid HCL); the module spells one attribute of an addition in snake case. */
export const settingsOf = (settings: Record<string, unknown>) =>
  JSON.stringify(settings).replace(/"adminConsentRequired"/g, '"admin_consent_required"');

/** The module's variables for a selection and the constructs' props. */
export function moduleVars(
  integrations: readonly IntegrationId[],
  props: Partial<KindoMicrosoftIntegrationsProps>,
): Record<string, string> {
  const settings = Object.fromEntries(
    integrations.map((id) => [
      id,
      {
        ...(props.removePermissions?.[id] ? { remove_permissions: props.removePermissions[id] } : {}),
        ...(props.addPermissions?.[id] ? { add_permissions: props.addPermissions[id] } : {}),
      },
    ]),
  );
  return { integrations: settingsOf(settings), ...(props.adminConsent === false ? { admin_consent: 'false' } : {}) };
}

/** The constructs' stack for a selection, as the module's tests compare it: the environment recorded, as the module records it. */
function constructsFor(integrations: readonly IntegrationId[], props: Partial<KindoMicrosoftIntegrationsProps>) {
  const stack = new TerraformStack(Testing.app(), 'constructs');
  const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue;
  const environment = new TerraformVariable(stack, 'nango_environment', NANGO_ENVIRONMENT_VARIABLE).stringValue;
  new KindoMicrosoftIntegrations(stack, 'Kindo', { integrations, nango: { secretKey, environment }, ...props });
  return stack.toTerraform() as {
    resource: Record<string, Record<string, Body>>;
    data: Record<string, Record<string, Body>>;
  };
}

/** Blocks Terraform's synth of the constructs holds, by resource type, for a selection. */
export function constructInstances(
  integrations: readonly IntegrationId[],
  props: Partial<KindoMicrosoftIntegrationsProps> = {},
): Record<string, number> {
  const config = constructsFor(integrations, props);
  const counts: Record<string, number> = {};
  for (const [kind, prefix] of [
    ['resource', ''],
    ['data', 'data.'],
  ] as const) {
    for (const [type, blocks] of Object.entries(config[kind] ?? {}))
      counts[`${prefix}${type}`] = Object.keys(blocks).length;
  }
  return counts;
}

/** What an integration's app requests, by API application ID, as constructs or module state it. */
export interface Requested {
  /** required_resource_access: scope IDs by API. */
  readonly access: Record<string, string[]>;
  /** Admin-consent grants that exist: scope names by API. */
  readonly grants: Record<string, string[]>;
  /** The scopes registered with Nango. */
  readonly scopes: string;
  readonly notes: string;
}

/** Per integration, what Terraform's synth of the constructs requests for a selection. */
export function constructRequests(
  integrations: readonly IntegrationId[],
  props: Partial<KindoMicrosoftIntegrationsProps>,
): Record<string, Requested> {
  const config = constructsFor(integrations, props);
  // Construct paths are constructs/Kindo/<integration id>/…
  const of = (type: string, id: string) =>
    Object.values(config.resource[type] ?? {}).filter((b) => b['//'].metadata.path.split('/')[2] === id);
  return Object.fromEntries(
    integrations.map((id) => {
      const [app] = of('azuread_application', id);
      const apiOf = (grant: Body) =>
        config.data.azuread_service_principal[
          /data\.azuread_service_principal\.(\w+)(\[0\])?\./.exec(grant.resource_service_principal_object_id)![1]
        ].client_id;
      const requested: Requested = {
        access: Object.fromEntries(
          app.required_resource_access.map((r: Body) => [r.resource_app_id, r.resource_access.map((a: Body) => a.id)]),
        ),
        grants: Object.fromEntries(
          of('azuread_service_principal_delegated_permission_grant', id).map((g) => [apiOf(g), g.claim_values]),
        ),
        scopes: of('terraform_data', id).find((d) => d.triggers_replace?.scopes)!.triggers_replace.scopes,
        notes: app.notes,
      };
      return [id, requested];
    }),
  );
}

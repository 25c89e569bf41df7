import { join } from 'node:path';
import type {
  ApiPublicIntegrationCredentials,
  PatchPublicIntegration,
  PostPublicIntegration,
} from '@nangohq/types' with { 'resolution-mode': 'import' };
import {
  AssetType,
  Fn,
  TerraformAsset,
  TerraformElement,
  TerraformStack,
  Token,
  type TerraformVariableConfig,
} from 'cdktf';
import { Construct } from 'constructs';
import { settingNotApplicable, baseUrl, checkPattern, checkServiceUrl, isToken } from '../core/validate';
import { KNOWN_NANGO_FIELDS, checkNangoFields } from './nango-fields';
import { checkNangoProvider, takesCustomSettings } from './nango-providers';
import { perStack } from '../core/per-stack';
import { TerraformData } from '../core/terraform-data';
import { KindoConfigError } from '../core/errors';

/** Nango's rule for integration unique keys (`providerConfigKeySchema` in Nango's server). */
export const NANGO_UNIQUE_KEY_PATTERN = /^[a-zA-Z0-9~:.@ _-]{1,255}$/;
/** Nango's rule for one OAuth scope in an integration's comma-separated `scopes`. */
const NANGO_SCOPE_PATTERN = /^[0-9a-zA-Z:/_.*-]+$/;
/** Nango's rule for environment names (`envSchema` in packages/server/lib/helpers/validation.ts). */
export const NANGO_ENVIRONMENT_PATTERN = /^[a-z0-9_-]{1,255}$/;

/** Properties of a {@link NangoRegistration}. */
export interface NangoRegistrationProps {
  /**
   * Kindo integration id the registration belongs to; named in every error message.
   * @example 'teams'
   */
  readonly integrationId: string;
  /**
   * Base URL of the Nango API.
   * @example 'https://api.nango.dev'
   */
  readonly serverUrl: string;
  /**
   * Nango secret key of the environment to register in. Must be a token: a literal would be written
   * into the synthesized configuration. Use an ephemeral variable (Terraform ≥ 1.10), which keeps it
   * out of state and saved plans; it reaches only create-time provisioners. Destroy-time requests
   * take it from the environment variable {@link NANGO_SECRET_KEY_ENV}.
   */
  readonly secretKey: string;
  /**
   * Name of the Nango environment the secret key belongs to. Recorded in state when the registration
   * is first applied; a later plan that names another environment fails, naming both and the steps of
   * a move, since the old environment's key is not at hand to delete the integration there. May be a
   * token, e.g. a variable with a `null` default: `null` records nothing and checks nothing.
   * @default - not recorded: a switch of environments goes unnoticed until the next push fails with 404
   * @example 'prod'
   */
  readonly environment?: string;
  /**
   * Unique key of the Nango integration; Kindo refers to the integration by it.
   * @example 'kindo-teams'
   */
  readonly uniqueKey: string;
  /**
   * Nango provider key, from Nango's catalog (@nangohq/providers).
   * @example 'microsoft-tenant-specific'
   */
  readonly provider: string;
  /** Name shown in the Nango dashboard. */
  readonly displayName: string;
  /** OAuth scopes Nango requests at sign-in, in order; sent as one comma-separated string. */
  readonly scopes: readonly string[];
  /** Application (client) ID of the Entra app. */
  readonly clientId: string;
  /** Client secret of the Entra app. Must be a token, e.g. `ApplicationPassword.value`. */
  readonly clientSecret: string;
  /**
   * Key ID of the client secret. It changes whenever the secret is rotated, which makes the
   * rotation show in the plan without showing the secret.
   */
  readonly clientSecretKeyId: string;
  /**
   * Integration-specific fields (step 4 of Kindo's guide: tenant ID, Purview endpoint URL, Azure
   * subscription ID, target user ID…), by name; registered in the Nango integration's `custom`
   * settings. Never secrets: a name that says secret, password, key, token or credential is refused.
   * `''` clears a field Nango holds.
   * @default - none
   * @example { tenant_id: '72f988bf-86f1-41af-91ab-2d7cd011db47', purview_endpoint: 'https://contoso.purview.azure.com' }
   */
  readonly fields?: Readonly<Record<string, string>>;
  /**
   * Take over an integration with this unique key that already exists in Nango and was not
   * created by this Terraform state: its client ID, secret, scopes and name are overwritten in
   * place (its connections are kept), and destroying the registration deletes it.
   * May be a token (a boolean Terraform expression).
   * @default false - the first apply fails, naming the key, and the existing integration is left as it is
   */
  readonly adoptExisting?: boolean;
}

const SCRIPT_ASSET_ID = 'KindoNangoRegistrationScript';
const REGISTRATION_ID = 'Registration';

/** The registration script, copied once per stack into its Terraform directory. */
function scriptPath(scope: Construct): string {
  const stack = TerraformStack.of(scope);
  const asset =
    (stack.node.tryFindChild(SCRIPT_ASSET_ID) as TerraformAsset | undefined) ??
    new TerraformAsset(stack, SCRIPT_ASSET_ID, {
      path: join(__dirname, '..', '..', 'assets', 'nango-registration.sh'),
      type: AssetType.FILE,
    });
  return `\${path.module}/${asset.path}`;
}

/**
 * Environment variable from which destroy-time requests (delete, rename) take the Nango secret key:
 * Terraform lets destroy-time provisioners reference only their own object, and the key is kept
 * out of state. It is the variable Terraform itself reads `var.nango_secret_key` from.
 */
export const NANGO_SECRET_KEY_ENV = 'TF_VAR_nango_secret_key';

/** The `nango_environment` variable of the default stack and of the HCL module. */
export const NANGO_ENVIRONMENT_VARIABLE: TerraformVariableConfig = {
  type: 'string',
  default: Token.nullValue(),
  description:
    'Name of the Nango environment nango_secret_key belongs to, e.g. "prod". Recorded in state at the first apply; a later plan that names another environment fails, naming both and the two steps of a move (docs/nango-registration.md). null records nothing.',
  validation: [
    {
      condition: `\${var.nango_environment == null || can(regex(${JSON.stringify(NANGO_ENVIRONMENT_PATTERN.source)}, var.nango_environment))}`,
      // Terraform evaluates the message whatever the condition, and a null cannot be interpolated.
      errorMessage:
        'nango_environment is ${jsonencode(var.nango_environment)}; expected a Nango environment name: 1 to 255 lower-case letters, digits, _ or -, e.g. "prod".',
    },
  ],
};

/** Values sent to Nango, as NangoRegistration knows them at synth (references where they are tokens). */
interface RegisteredValues {
  readonly uniqueKey: string;
  readonly provider: string;
  readonly displayName: string;
  readonly scopes: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Integration-specific fields (see {@link NangoRegistrationProps.fields}); a map or a token. */
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * The bodies of `POST /integrations` and `PATCH /integrations/{uniqueKey}`: everything the
 * registration sends to Nango. Nango's PATCH replaces the whole credentials object, so it is always
 * sent complete; it merges `custom` and cannot remove a key, so the guide's fields that are not
 * configured are sent blank.
 */
export function nangoRequestBodies(v: RegisteredValues): {
  post: PostPublicIntegration['Body'];
  patch: PatchPublicIntegration['Body'];
} {
  const credentials = {
    type: 'OAUTH2',
    client_id: v.clientId,
    client_secret: v.clientSecret,
    scopes: v.scopes,
  } as const satisfies ApiPublicIntegrationCredentials;
  const literal = !isToken(v.fields);
  const takesCustom = takesCustomSettings(v.provider);
  // A blank field on create would only store an empty value.
  const set = literal ? Object.fromEntries(Object.entries(v.fields).filter(([, value]) => value !== '')) : v.fields;
  const cleared = Object.fromEntries(Object.keys(KNOWN_NANGO_FIELDS).map((name) => [name, '']));
  return {
    post: {
      unique_key: v.uniqueKey,
      provider: v.provider,
      display_name: v.displayName,
      credentials,
      ...(!literal || Object.keys(set).length > 0 ? { custom: set } : {}),
    },
    patch: {
      display_name: v.displayName,
      credentials,
      ...(takesCustom ? { custom: literal ? { ...cleared, ...v.fields } : Fn.merge([cleared, v.fields]) } : {}),
    },
  };
}

/** The destroy-time request that deletes the integration an object of `Registration` stands for. */
function deleteProvisioner(script: string) {
  return {
    type: 'local-exec' as const,
    when: 'destroy' as const,
    command: `sh "${script}" delete`,
    environment: {
      KINDO_INTEGRATION: '${self.triggers_replace.integration}',
      NANGO_SERVER_URL: '${self.triggers_replace.server_url}',
      NANGO_UNIQUE_KEY: '${self.input.unique_key}',
    },
  };
}

/**
 * A `removed` block (Terraform ≥ 1.9) for the `Registration` of a NangoRegistration that is no longer
 * in the configuration: Terraform runs destroy-time provisioners only for resources whose
 * configuration it still has, so without it an integration dropped from the selection would stay in
 * Nango. A `removed` block whose address is not in state does nothing.
 */
class RemovedRegistration extends TerraformElement {
  constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  public override toTerraform(): Record<string, unknown> {
    const { type, ...provisioner } = deleteProvisioner(scriptPath(this));
    return {
      removed: [
        {
          from: `terraform_data.${this.friendlyUniqueId}`,
          lifecycle: { destroy: true },
          provisioner: [{ [type]: provisioner }],
        },
      ],
    };
  }
}

/**
 * Registers one Entra app with Nango's integrations API (step 4 of Kindo's guide), in the same
 * Terraform run that creates the app. Plans never write to Nango: the requests are made by
 * local-exec provisioners, which run only at apply and destroy. The Nango secret key reaches only
 * create-time provisioners, so with an ephemeral variable it is in neither state nor plan.
 *
 * - `Registration` (terraform_data) stands for the Nango integration itself. Its creation claims the
 *   unique key: it POSTs, and fails when Nango already has the key, unless `adoptExisting`; a failed
 *   creation leaves it tainted, and Terraform runs no destroy-time provisioner for a tainted object.
 *   Destroying it DELETEs the integration, with the key from {@link NANGO_SECRET_KEY_ENV}.
 * - `Sync` (terraform_data) carries every registered value in `triggers_replace`, so a plan shows
 *   each change for review; when one changes, its replacement PATCHes Nango. When the unique key
 *   changes, the replaced object first renames the integration (PATCH `unique_key`).
 */
export class NangoRegistration extends Construct {
  /**
   * Declares that `scope` no longer holds the NangoRegistration with construct id `id` it held in an
   * earlier configuration, so that the next apply deletes that integration from Nango (a `removed`
   * block with a destroy-time provisioner). Does nothing when the registration was never applied.
   */
  public static removed(scope: Construct, id: string): void {
    new RemovedRegistration(new Construct(scope, id), REGISTRATION_ID);
  }

  /** Unique key of the Nango integration. */
  public readonly uniqueKey: string;
  /** Nango provider key. */
  public readonly provider: string;
  /** Scopes as registered: one comma-separated string. */
  public readonly scopes: string;
  /** Integration-specific fields as registered (see {@link NangoRegistrationProps.fields}). */
  public readonly fields: Readonly<Record<string, string>>;
  /** Stands for the Nango integration: its creation claims the key, its destruction deletes it. */
  public readonly registration: TerraformData;
  /** Pushes the registered values to Nango whenever one of them changes. */
  public readonly sync: TerraformData;
  /**
   * Records the Nango environment the integration was registered in, and fails a plan that names
   * another; undefined when no environment is given.
   */
  public readonly environment?: TerraformData;

  constructor(scope: Construct, id: string, props: NangoRegistrationProps) {
    super(scope, id);
    checkServiceUrl('nango.serverUrl', props.serverUrl);
    const serverUrl = perStack(this, `baseUrl:${props.serverUrl}`, () => baseUrl(props.serverUrl));
    checkPattern(
      'nangoUniqueKey',
      props.uniqueKey,
      NANGO_UNIQUE_KEY_PATTERN,
      "1 to 255 letters, digits or ~ : . @ _ - and spaces, e.g. 'kindo-teams'",
    );
    props.scopes.forEach((s, i) => {
      checkPattern(`scopes[${i}]`, s, NANGO_SCOPE_PATTERN, 'an OAuth scope of letters, digits and : / _ . * -');
    });
    checkNangoProvider('nangoProvider', props.provider);
    checkPattern('displayName', props.displayName, /^.{1,255}$/s, "1 to 255 characters, Nango's limit");
    checkPattern('clientId', props.clientId, /^.{1,255}$/s, "1 to 255 characters, Nango's limit");
    if (!isToken(props.secretKey)) throw literalSecret('nango.secretKey');
    if (!isToken(props.clientSecret)) throw literalSecret('clientSecret');
    const fields = props.fields ?? {};
    checkNangoFields('nangoFields', fields);
    if (!takesCustomSettings(props.provider) && (isToken(fields) || Object.keys(fields).length > 0)) {
      throw settingNotApplicable(
        'nangoFields',
        props.provider,
        'whose Nango provider takes `integration_config` instead of `custom` settings',
      );
    }

    this.uniqueKey = props.uniqueKey;
    this.provider = props.provider;
    this.scopes = props.scopes.join(',');
    this.fields = fields;

    const script = scriptPath(this);
    const bodies = nangoRequestBodies({ ...props, scopes: this.scopes, fields });
    const secrets = {
      // Each Fn call is a new token (and a captured stack trace): the key's is made once per stack.
      NANGO_SECRET_KEY: perStack(this, `sensitive:${props.secretKey}`, () => Fn.sensitive(props.secretKey)),
      NANGO_CLIENT_SECRET: Fn.sensitive(props.clientSecret),
    };
    // A destroy-time provisioner cannot reference a token, so a unique key given as one cannot be
    // renamed in place: changing it replaces Registration, which deletes the old integration and
    // creates the new one.
    const renamable = !isToken(props.uniqueKey);
    const adopt = props.adoptExisting ?? false;

    this.environment =
      props.environment === undefined
        ? undefined
        : this.recordEnvironment(props.environment, props.integrationId, props.uniqueKey);

    this.registration = new TerraformData(this, REGISTRATION_ID, {
      // `terraform destroy -target` on the record also deletes the integration: the first step of a move.
      dependsOn: this.environment && [this.environment],
      triggersReplace: {
        integration: props.integrationId,
        server_url: serverUrl,
        ...(renamable ? {} : { unique_key: props.uniqueKey }),
      },
      // In place: the destroy-time DELETE reads the key from here, so it follows renames.
      input: { unique_key: props.uniqueKey, adopt_existing: adopt },
      provisioners: [
        {
          type: 'local-exec',
          command: `sh "${script}" claim`,
          environment: {
            KINDO_INTEGRATION: props.integrationId,
            NANGO_SERVER_URL: serverUrl,
            NANGO_UNIQUE_KEY: props.uniqueKey,
            NANGO_PROVIDER: props.provider,
            // A token's string form is its string token, as Token.asString gives it.
            NANGO_ADOPT: String(adopt),
            NANGO_POST_BODY: Fn.sensitive(Fn.jsonencode(bodies.post)),
            ...secrets,
          },
        },
        deleteProvisioner(script),
      ],
    });
    const registrationAddress = `${this.registration.terraformResourceType}.${this.registration.friendlyUniqueId}`;

    this.sync = new TerraformData(this, 'Sync', {
      triggersReplace: {
        server_url: serverUrl,
        unique_key: props.uniqueKey,
        provider: props.provider,
        display_name: props.displayName,
        scopes: this.scopes,
        client_id: props.clientId,
        client_secret_key_id: props.clientSecretKeyId,
        // Shown as (sensitive value); kept so that `verify` can compare Nango's secret with it by hash.
        // State holds it already (the app's password); the Nango secret key stays out of state.
        client_secret: Fn.sensitive(props.clientSecret),
        // One entry per field, so that a plan shows each field's change on its own.
        ...(isToken(fields)
          ? { fields: Fn.jsonencode(fields) }
          : Object.fromEntries(Object.entries(fields).map(([name, value]) => [`field.${name}`, value]))),
      },
      dependsOn: [this.registration],
      provisioners: [
        {
          type: 'local-exec',
          command: `sh "${script}" sync`,
          environment: {
            KINDO_INTEGRATION: props.integrationId,
            NANGO_SERVER_URL: serverUrl,
            NANGO_UNIQUE_KEY: props.uniqueKey,
            NANGO_PROVIDER: props.provider,
            NANGO_REGISTRATION_ADDRESS: registrationAddress,
            NANGO_PATCH_BODY: Fn.sensitive(Fn.jsonencode(bodies.patch)),
            ...secrets,
          },
        },
        // Runs when Sync is replaced or destroyed; a destroy-time provisioner takes its literals from
        // the current configuration, so it sees the old key in `self` and the new one here.
        ...(renamable
          ? [
              {
                type: 'local-exec' as const,
                when: 'destroy' as const,
                command: `sh "${script}" rename`,
                environment: {
                  KINDO_INTEGRATION: props.integrationId,
                  NANGO_SERVER_URL: '${self.triggers_replace.server_url}',
                  NANGO_UNIQUE_KEY: '${self.triggers_replace.unique_key}',
                  NANGO_NEW_UNIQUE_KEY: props.uniqueKey,
                },
              },
            ]
          : []),
      ],
    });
  }

  /**
   * `Environment`: the environment name in `input`, which `ignore_changes` keeps as first applied, so
   * that at plan `self.output` is the recorded name and the postcondition compares it with the one
   * given. Replaced (without a request) only when a name is given where none was, or the reverse.
   */
  private recordEnvironment(environment: string, integrationId: string, uniqueKey: string): TerraformData {
    checkPattern(
      'nango.environment',
      environment,
      NANGO_ENVIRONMENT_PATTERN,
      "a Nango environment name: 1 to 255 lower-case letters, digits, _ or -, e.g. 'prod'",
    );
    const given = isToken(environment) ? environment : JSON.stringify(environment);
    const shown = (expression: string) => `\${coalesce(${expression}, "none")}`;
    const record = new TerraformData(this, 'Environment', {
      input: { name: environment },
      // The integration names the record in plans and reviews; it never changes.
      triggersReplace: { integration: integrationId, recorded: isToken(environment) ? `\${${given} != null}` : true },
    });
    const address = `${record.terraformResourceType}.${record.friendlyUniqueId}`;
    record.lifecycle = {
      ignoreChanges: ['input'],
      postcondition: [
        {
          condition: isToken(environment)
            ? `\${self.output.name == null || ${given} == null || self.output.name == ${given}}`
            : `\${self.output.name == null || self.output.name == ${given}}`,
          // Names the record's own address, so it is set once the record exists. A null cannot be
          // interpolated, and Terraform may evaluate the message whatever the condition.
          errorMessage: nangoEnvironmentSwitchedMessage(
            `Kindo integration '${integrationId}'`,
            uniqueKey,
            shown('self.output.name'),
            isToken(environment) ? shown(environment) : environment,
            address,
          ),
        },
      ],
    };
    return record;
  }
}

/** A secret given as a literal string, which would be written into the synthesized configuration. */
export function literalSecret(field: string): KindoConfigError {
  return new KindoConfigError(
    'LITERAL_SECRET',
    `\`${field}\` is a literal string; expected a token, such as a sensitive TerraformVariable (new TerraformVariable(this, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue), so that the secret never lands in the synthesized configuration`,
  );
}

/**
 * The plan names another Nango environment than the one the state registered the integration in
 * (a `postcondition` of NangoRegistration's `Environment`). The arguments are HCL expressions or
 * literal text: the message is evaluated by Terraform, at plan.
 */
export function nangoEnvironmentSwitchedMessage(
  who: string,
  uniqueKey: string,
  recorded: string,
  given: string,
  address: string,
): string {
  return (
    `${who}: this Terraform state registered Nango integration '${uniqueKey}' in Nango environment '${recorded}', and this plan names environment '${given}' ` +
    `(nango.environment; nango_environment in the default stack and the module). Nothing was changed: deleting the integration from '${recorded}' needs that environment's secret key, which Terraform does not keep. ` +
    `Expected '${recorded}' with its secret key. To move to '${given}': with '${recorded}' and its secret key in TF_VAR_nango_secret_key, run terraform destroy -target='${address}' ` +
    `(prefixed with module.<name>. inside a module; it deletes the integration from '${recorded}' and leaves the Entra app), then apply with '${given}' and its key. See docs/nango-registration.md.`
  );
}

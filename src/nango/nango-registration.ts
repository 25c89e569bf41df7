import { join } from 'node:path';
import { AssetType, Fn, TerraformAsset, TerraformElement, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { settingNotApplicable, baseUrl, checkPattern, checkServiceUrl, isToken } from '../core/validate';
import { checkNangoFields } from './nango-fields';
import { checkNangoProvider, takesCustomSettings } from './nango-providers';
import { nangoRequestBodies } from './nango-request-bodies';
import { recordEnvironment } from './nango-environment';
import { templateOf } from './terraform-json';
import { call } from '../core/hcl-expression';
import { perStack } from '../core/per-stack';
import { TerraformData } from '../core/terraform-data';
import { KindoConfigError } from '../core/errors';

export { NANGO_ENVIRONMENT_VARIABLE, NANGO_SECRET_KEY_ENV } from './nango-variables';

/** Nango's rule for integration unique keys (`providerConfigKeySchema` in Nango's server). */
export const NANGO_UNIQUE_KEY_PATTERN = /^[a-zA-Z0-9~:.@ _-]{1,255}$/;
/** Nango's rule for one OAuth scope in an integration's comma-separated `scopes`. */
const NANGO_SCOPE_PATTERN = /^[0-9a-zA-Z:/_.*-]+$/;
const DOCS = 'docs/nango-registration.md';

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
   * take it from the environment variable `TF_VAR_nango_secret_key`.
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
  /** Name shown in the Nango dashboard; sent exactly as given. */
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
 * A local-exec provisioner running the script with `action`. The script's path reaches `sh` through
 * the environment, quoted, so that no character of the module's path is shell syntax.
 */
function runScript(scope: Construct, action: string, environment: Record<string, string>) {
  return {
    type: 'local-exec' as const,
    command: `sh "$KINDO_NANGO_SCRIPT" ${action}`,
    environment: { KINDO_NANGO_SCRIPT: scriptPath(scope), ...environment },
  };
}

/** The destroy-time request that deletes the integration an object of `Registration` stands for. */
function deleteProvisioner(scope: Construct) {
  return {
    ...runScript(scope, 'delete', {
      KINDO_INTEGRATION: '${self.triggers_replace.integration}',
      NANGO_SERVER_URL: '${self.triggers_replace.server_url}',
      NANGO_UNIQUE_KEY: '${self.input.unique_key}',
    }),
    when: 'destroy' as const,
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
    const { type, ...provisioner } = deleteProvisioner(this);
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

/** Checks the props at synth (values known only at plan are not checked); returns the fields. */
function checkProps(props: NangoRegistrationProps): Readonly<Record<string, string>> {
  checkServiceUrl('nango.serverUrl', props.serverUrl);
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
  return fields;
}

/** What the provisioners and triggers of one registration are built from. */
interface Wiring {
  /** Every literal string as Terraform must hold it to stay that string ({@link templateOf}). */
  readonly integration: string;
  readonly serverUrl: string;
  readonly uniqueKey: string;
  readonly provider: string;
  readonly clientId: string;
  readonly scopes: string;
  /** A destroy-time provisioner cannot reference a token, so only a literal unique key can be renamed in place. */
  readonly renamable: boolean;
  readonly adopt: boolean;
  readonly bodies: { readonly post: string; readonly patch: string };
  readonly secrets: { readonly NANGO_SECRET_KEY: string; readonly NANGO_CLIENT_SECRET: string };
}

/** `sensitive(value)`: this package's own call where it can write it, cdktf's Fn otherwise. */
const sensitive = (value: string): string => call('sensitive', value)?.toString() ?? Fn.sensitive(value);

function wiring(scope: Construct, props: NangoRegistrationProps, fields: Readonly<Record<string, string>>): Wiring {
  const serverUrl = perStack(scope, `baseUrl:${props.serverUrl}`, () => baseUrl(props.serverUrl));
  const secretKey = perStack(scope, `sensitive:${props.secretKey}`, () => sensitive(props.secretKey));
  const clientSecret = sensitive(props.clientSecret);
  const scopes = props.scopes.join(',');
  return {
    integration: templateOf(props.integrationId),
    serverUrl: templateOf(serverUrl),
    uniqueKey: templateOf(props.uniqueKey),
    provider: templateOf(props.provider),
    clientId: templateOf(props.clientId),
    scopes: templateOf(scopes),
    renamable: !isToken(props.uniqueKey),
    adopt: props.adoptExisting ?? false,
    // The secret as a sensitive value: the bodies that hold it are sensitive too.
    bodies: nangoRequestBodies({ ...props, scopes, clientSecret, fields }),
    secrets: { NANGO_SECRET_KEY: secretKey, NANGO_CLIENT_SECRET: clientSecret },
  };
}

/**
 * `Registration`: its creation claims the unique key (GET, then POST, or take what this registration
 * made already, or adopt); its destruction deletes the integration.
 */
function claimResource(scope: Construct, w: Wiring, environment: TerraformData | undefined): TerraformData {
  return new TerraformData(scope, REGISTRATION_ID, {
    // `terraform destroy -target` on the record also deletes the integration: the first step of a move.
    dependsOn: environment && [environment],
    triggersReplace: {
      integration: w.integration,
      server_url: w.serverUrl,
      ...(w.renamable ? {} : { unique_key: w.uniqueKey }),
    },
    // In place: the destroy-time DELETE reads the key from here, so it follows renames.
    input: { unique_key: w.uniqueKey, adopt_existing: w.adopt },
    provisioners: [
      runScript(scope, 'claim', {
        KINDO_INTEGRATION: w.integration,
        NANGO_SERVER_URL: w.serverUrl,
        NANGO_UNIQUE_KEY: w.uniqueKey,
        NANGO_PROVIDER: w.provider,
        NANGO_CLIENT_ID: w.clientId,
        // A token's string form is its string token, as Token.asString gives it.
        NANGO_ADOPT: String(w.adopt),
        NANGO_POST_BODY: w.bodies.post,
        ...w.secrets,
      }),
      deleteProvisioner(scope),
    ],
  });
}

/**
 * `Sync`: every registered value but the client secret in `triggers_replace`, so that a plan shows each
 * change for review and a change PATCHes Nango; a rotation shows as its key ID. Terraform's debug log
 * prints every value of a terraform_data, so the secret itself reaches only the provisioner.
 */
function syncResource(
  scope: Construct,
  props: NangoRegistrationProps,
  fields: Readonly<Record<string, string>>,
  w: Wiring,
  registration: TerraformData,
): TerraformData {
  const registrationAddress = `${registration.terraformResourceType}.${registration.friendlyUniqueId}`;
  return new TerraformData(scope, 'Sync', {
    triggersReplace: {
      server_url: w.serverUrl,
      unique_key: w.uniqueKey,
      provider: w.provider,
      display_name: templateOf(props.displayName),
      scopes: w.scopes,
      client_id: w.clientId,
      client_secret_key_id: templateOf(props.clientSecretKeyId),
      // One entry per field, so that a plan shows each field's change on its own.
      ...(isToken(fields)
        ? { fields: call('jsonencode', fields)?.toString() ?? Fn.jsonencode(fields) }
        : Object.fromEntries(Object.entries(fields).map(([name, value]) => [`field.${name}`, templateOf(value)]))),
    },
    dependsOn: [registration],
    provisioners: [
      runScript(scope, 'sync', {
        KINDO_INTEGRATION: w.integration,
        NANGO_SERVER_URL: w.serverUrl,
        NANGO_UNIQUE_KEY: w.uniqueKey,
        NANGO_PROVIDER: w.provider,
        NANGO_REGISTRATION_ADDRESS: registrationAddress,
        NANGO_PATCH_BODY: w.bodies.patch,
        ...w.secrets,
      }),
      // Runs when Sync is replaced or destroyed; a destroy-time provisioner takes its literals from
      // the current configuration, so it sees the old key in `self` and the new one here.
      ...(w.renamable
        ? [
            {
              ...runScript(scope, 'rename', {
                KINDO_INTEGRATION: w.integration,
                NANGO_SERVER_URL: '${self.triggers_replace.server_url}',
                NANGO_UNIQUE_KEY: '${self.triggers_replace.unique_key}',
                NANGO_PROVIDER: '${self.triggers_replace.provider}',
                NANGO_CLIENT_ID: '${self.triggers_replace.client_id}',
                NANGO_NEW_UNIQUE_KEY: w.uniqueKey,
                NANGO_REGISTRATION_ADDRESS: registrationAddress,
              }),
              when: 'destroy' as const,
            },
          ]
        : []),
    ],
  });
}

/**
 * Registers one Entra app with Nango's integrations API (step 4 of Kindo's guide), in the same
 * Terraform run that creates the app. Plans never write to Nango: the requests are made by
 * local-exec provisioners, which run only at apply and destroy. The Nango secret key reaches only
 * create-time provisioners, so with an ephemeral variable it is in neither state nor plan.
 *
 * - `Registration` (terraform_data) stands for the Nango integration itself. Its creation claims the
 *   unique key: it POSTs; when Nango has the key already, it takes the integration only if it holds
 *   this registration's client ID and secret (an earlier apply whose answer was lost), or with
 *   `adoptExisting`, and fails otherwise; a failed creation leaves it tainted, and Terraform runs no
 *   destroy-time provisioner for a tainted object. Destroying it DELETEs the integration, with the key
 *   from `TF_VAR_nango_secret_key`.
 * - `Sync` (terraform_data) carries every registered value but the secret in `triggers_replace`, so a
 *   plan shows each change for review; when one changes, its replacement PATCHes Nango. When the
 *   unique key changes, the replaced object first renames the integration (PATCH `unique_key`).
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
    const fields = checkProps(props);
    this.uniqueKey = props.uniqueKey;
    this.provider = props.provider;
    this.scopes = props.scopes.join(',');
    this.fields = fields;
    const w = wiring(this, props, fields);
    this.environment =
      props.environment === undefined ? undefined : recordEnvironment(this, props.environment, props.integrationId);
    this.registration = claimResource(this, w, this.environment);
    this.sync = syncResource(this, props, fields, w, this.registration);
  }
}

/** A secret given as a literal string, which would be written into the synthesized configuration. */
export function literalSecret(field: string): KindoConfigError {
  return new KindoConfigError(
    'LITERAL_SECRET',
    `\`${field}\` is a literal string; expected a token, such as a sensitive TerraformVariable's stringValue, so that the secret never lands in the synthesized configuration`,
    `${DOCS}#providing-the-nango-secret-key`,
  );
}

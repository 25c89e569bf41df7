import { join } from 'node:path';
import type {
  ApiPublicIntegrationCredentials,
  PatchPublicIntegration,
  PostPublicIntegration,
} from '@nangohq/types' with { 'resolution-mode': 'import' };
import { AssetType, Fn, TerraformAsset, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { literalSecret } from '../core/errors';
import { checkNangoProvider } from './nango-providers';
import { TerraformCheck } from '../core/terraform-check';
import { TerraformData } from '../core/terraform-data';
import { baseUrl, checkPattern, checkServiceUrl, isToken } from '../core/validate';

/** Nango's rule for integration unique keys (`providerConfigKeySchema` in Nango's server). */
export const NANGO_UNIQUE_KEY_PATTERN = /^[a-zA-Z0-9~:.@ _-]{1,255}$/;
/** Nango's rule for one OAuth scope in an integration's comma-separated `scopes`. */
const NANGO_SCOPE_PATTERN = /^[0-9a-zA-Z:/_.*-]+$/;

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
   * Nango secret key of the environment to register in. Must be a token (e.g. a sensitive
   * `TerraformVariable`): a literal would be written into the synthesized configuration.
   */
  readonly secretKey: string;
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
   * Read the registration back from Nango (hashicorp/http `http` data source, GET only) in a
   * `check` block, so that a plan warns when Nango differs from the configuration.
   * @default true - the stack needs the hashicorp/http provider
   */
  readonly driftCheck?: boolean;
}

const SCRIPT_ASSET_ID = 'KindoNangoRegistrationScript';

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
 * Registers one Entra app with Nango's integrations API (step 4 of Kindo's guide), in the same
 * Terraform run that creates the app. Plans never write to Nango: the requests are made by
 * local-exec provisioners, which run only at apply and destroy.
 *
 * - `Registration` (terraform_data) stands for the Nango integration itself: destroying it DELETEs
 *   the integration. It is create-before-destroy, so replacing it never runs that DELETE.
 * - `Sync` (terraform_data) carries every registered value in `triggers_replace`, so a plan shows
 *   each change for review; when one changes, its replacement PATCHes Nango (or POSTs when Nango
 *   does not have the integration yet).
 */
export class NangoRegistration extends Construct {
  /** Unique key of the Nango integration. */
  public readonly uniqueKey: string;
  /** Nango provider key. */
  public readonly provider: string;
  /** Scopes as registered: one comma-separated string. */
  public readonly scopes: string;
  /** Stands for the Nango integration; its destruction deletes it. */
  public readonly registration: TerraformData;
  /** Pushes the registered values to Nango whenever one of them changes. */
  public readonly sync: TerraformData;

  constructor(scope: Construct, id: string, props: NangoRegistrationProps) {
    super(scope, id);
    checkServiceUrl('nango.serverUrl', props.serverUrl);
    const serverUrl = baseUrl(props.serverUrl);
    checkPattern('nangoUniqueKey', props.uniqueKey, NANGO_UNIQUE_KEY_PATTERN, "1 to 255 letters, digits or ~ : . @ _ - and spaces, e.g. 'kindo-teams'");
    props.scopes.forEach((s, i) => checkPattern(`scopes[${i}]`, s, NANGO_SCOPE_PATTERN, 'an OAuth scope of letters, digits and : / _ . * -'));
    checkNangoProvider('nangoProvider', props.provider);
    checkPattern('displayName', props.displayName, /^.{1,255}$/s, "1 to 255 characters, Nango's limit");
    checkPattern('clientId', props.clientId, /^.{1,255}$/s, "1 to 255 characters, Nango's limit");
    if (!isToken(props.secretKey)) throw literalSecret('nango.secretKey');
    if (!isToken(props.clientSecret)) throw literalSecret('clientSecret');

    this.uniqueKey = props.uniqueKey;
    this.provider = props.provider;
    this.scopes = props.scopes.join(',');

    const script = scriptPath(this);
    const credentials = {
      type: 'OAUTH2',
      client_id: props.clientId,
      client_secret: props.clientSecret,
      scopes: this.scopes,
    } as const satisfies ApiPublicIntegrationCredentials;
    const postBody = {
      unique_key: props.uniqueKey,
      provider: props.provider,
      display_name: props.displayName,
      credentials,
    } satisfies PostPublicIntegration['Body'];
    // Nango's PATCH replaces the whole credentials object, so it is always sent complete.
    const patchBody = { display_name: props.displayName, credentials } satisfies PatchPublicIntegration['Body'];

    this.registration = new TerraformData(this, 'Registration', {
      triggersReplace: {
        integration: props.integrationId,
        server_url: serverUrl,
        unique_key: props.uniqueKey,
        // The destroy provisioner may read only `self`, so the key it deletes with lives here;
        // `input` would leak it through `output`, which Terraform does not mark sensitive.
        secret_key: Fn.sensitive(props.secretKey),
      },
      lifecycle: { createBeforeDestroy: true },
      provisioners: [
        {
          type: 'local-exec',
          when: 'destroy',
          command: `sh "${script}" delete`,
          environment: {
            KINDO_INTEGRATION: '${self.triggers_replace.integration}',
            NANGO_SERVER_URL: '${self.triggers_replace.server_url}',
            NANGO_UNIQUE_KEY: '${self.triggers_replace.unique_key}',
            NANGO_SECRET_KEY: '${self.triggers_replace.secret_key}',
          },
        },
      ],
    });

    this.sync = new TerraformData(this, 'Sync', {
      triggersReplace: {
        server_url: serverUrl,
        unique_key: props.uniqueKey,
        provider: props.provider,
        display_name: props.displayName,
        scopes: this.scopes,
        client_id: props.clientId,
        client_secret_key_id: props.clientSecretKeyId,
      },
      dependsOn: [this.registration],
      provisioners: [
        {
          type: 'local-exec',
          command: `sh "${script}" upsert`,
          environment: {
            KINDO_INTEGRATION: props.integrationId,
            NANGO_SERVER_URL: serverUrl,
            NANGO_UNIQUE_KEY: props.uniqueKey,
            NANGO_PROVIDER: props.provider,
            NANGO_SECRET_KEY: Fn.sensitive(props.secretKey),
            NANGO_CLIENT_SECRET: Fn.sensitive(props.clientSecret),
            NANGO_POST_BODY: Fn.sensitive(Fn.jsonencode(postBody)),
            NANGO_PATCH_BODY: Fn.sensitive(Fn.jsonencode(patchBody)),
          },
        },
      ],
    });

    if (props.driftCheck ?? true) this.addDriftCheck(serverUrl, props);
  }

  private addDriftCheck(serverUrl: string, props: NangoRegistrationProps): void {
    const address = `${this.sync.terraformResourceType}.${this.sync.friendlyUniqueId}`;
    new TerraformCheck(this, 'DriftCheck', (name) => {
      const http = `data.http.${name}`;
      // The body carries the client secret (include=credentials): it is compared, never printed.
      // Credentials are left out when the secret key may not read them: then only the provider counts.
      // Written as one HCL string rather than cdktf expression tokens, which cost about 0.1 s of synth
      // per integration.
      const registered = (path: string, expected: string) => `try(jsondecode(${http}.response_body).data.${path}, ${expected}) == ${expected}`;
      // Inside an expression cdktf writes references bare; literals need quotes.
      const value = (v: string) => (isToken(v) ? v : JSON.stringify(v));
      return {
        dataSource: {
          type: 'http',
          config: {
            url: `${serverUrl}/integrations/${props.uniqueKey}?include=credentials`,
            request_headers: { Accept: 'application/json', Authorization: Fn.sensitive(`Bearer ${props.secretKey}`) },
            // Read once Sync has pushed its changes, so a first plan does not warn about what apply creates.
            depends_on: [address],
          },
        },
        assertions: [
          {
            condition: `\${${http}.status_code == 200}`,
            errorMessage: `Nango has no integration '${props.uniqueKey}' for Kindo integration '${props.integrationId}' (HTTP \${${http}.status_code}). If it was deleted outside Terraform, register it again with: terraform apply -replace=${address}`,
          },
          {
            condition: `\${${http}.status_code != 200 || (${[
              `try(jsondecode(${http}.response_body).data.provider, "") == ${value(props.provider)}`,
              registered('credentials.client_id', value(props.clientId)),
              registered('credentials.scopes', value(this.scopes)),
            ].join(' && ')})}`,
            errorMessage: `Nango integration '${props.uniqueKey}' (Kindo integration '${props.integrationId}') differs from this configuration in its provider, client ID or scopes: it was changed outside Terraform. Push the configured values again with: terraform apply -replace=${address}`,
          },
        ],
      };
    });
  }
}

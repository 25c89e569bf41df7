import { ApplicationPasswordA as ApplicationPassword } from '@cdktf/provider-azuread/lib/application-password';
import { Fn, Op, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { call, expression } from '../core/hcl-expression';
import { perStack } from '../core/per-stack';
import { TerraformCheck } from '../core/terraform-check';
import { literal } from '../core/terraform-literal';
import { checkWholeNumber, isToken } from '../core/validate';

// Step 3 of Kindo's guide: the client secret, its lifetime, rotation and the expiry warning
// (docs/entra-apps.md#client-secret-lifetime-and-rotation).

const DEFAULT_SECRET_LIFETIME_DAYS = 180;
const MAX_SECRET_LIFETIME_DAYS = 730;
const DEFAULT_SECRET_EXPIRY_WARNING_DAYS = 30;

/** The secret's settings as given, or their defaults. */
export interface SecretSettings {
  readonly lifetimeDays: number;
  readonly warningDays: number;
  readonly rotation?: string;
}

/** Checks the secret's lifetime (1 to 730 days) and warning days (0 to 730). */
export function validateSecretSettings(props: {
  readonly secretLifetimeDays?: number;
  readonly secretExpiryWarningDays?: number;
  readonly secretRotation?: string;
}): SecretSettings {
  const lifetimeDays = props.secretLifetimeDays ?? DEFAULT_SECRET_LIFETIME_DAYS;
  checkWholeNumber('secretLifetimeDays', lifetimeDays, 1, MAX_SECRET_LIFETIME_DAYS, 'days');
  const warningDays = props.secretExpiryWarningDays ?? DEFAULT_SECRET_EXPIRY_WARNING_DAYS;
  checkWholeNumber('secretExpiryWarningDays', warningDays, 0, MAX_SECRET_LIFETIME_DAYS, 'days');
  return { lifetimeDays, warningDays, rotation: props.secretRotation };
}

/**
 * The client secret of the app `applicationId` (`/applications/<object id>`), created before the one
 * it replaces is deleted, and the plan's expiry warning unless its days are 0.
 * @param integration names the integration in the warning
 */
export function createClientSecret(
  scope: Construct,
  applicationId: string,
  settings: SecretSettings,
  integration: string,
): ApplicationPassword {
  const { lifetimeDays: days, rotation } = settings;
  const secret = new ApplicationPassword(scope, 'ClientSecret', {
    applicationId,
    displayName: 'Kindo integration',
    // plantimestamp(), unlike timestamp(), is known at plan, so a new secret's expiry is too and the
    // expiry check stays quiet on a first plan. Fixed at creation: without ignore_changes every plan
    // would move it, so a new secretLifetimeDays applies from the next rotation only.
    endDate: perStack(scope, `endDate:${days}`, () =>
      isToken(days)
        ? Fn.timeadd(Fn.plantimestamp(), `${Token.asString(Op.mul(days, 24))}h`)
        : Token.asString(call('timeadd', expression`plantimestamp()`, `${days * 24}h`)),
    ),
    rotateWhenChanged: rotation !== undefined ? { rotation: literal(rotation) } : undefined,
    lifecycle: { createBeforeDestroy: true, ignoreChanges: ['end_date'] },
  });
  if (isToken(settings.warningDays) || settings.warningDays > 0)
    addSecretExpiryCheck(scope, secret, settings.warningDays, integration);
  return secret;
}

/** The guide's "rotate client secrets according to your organization's policy": every plan warns ahead of expiry. */
function addSecretExpiryCheck(scope: Construct, secret: ApplicationPassword, days: number, integration: string): void {
  // Inside the condition's expression cdktf writes the references bare.
  const hours = isToken(days) ? `format("%dh", ${Token.asString(days)} * 24)` : `"${days * 24}h"`;
  new TerraformCheck(scope, 'SecretExpiry', () => {
    // Built at synth from the secret's address rather than from its endDate token: the same text,
    // without a token to create and resolve per synth pass.
    const address = `${secret.terraformResourceType}.${secret.friendlyUniqueId}`;
    return {
      assertions: [
        {
          // A days value known only at plan turns the warning off at 0, as a literal 0 does at synth.
          condition: `\${${isToken(days) ? `${Token.asString(days)} == 0 || ` : ''}timecmp(${address}.end_date, timeadd(plantimestamp(), ${hours})) > 0}`,
          errorMessage: `The client secret of Kindo integration '${integration}' expires at \${${address}.end_date}, within ${days} days: rotate it by changing secretRotation, or with terraform apply -replace=${address}`,
        },
      ],
    };
  });
}

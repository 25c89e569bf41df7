import { Fn, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { attribute, call } from '../core/hcl-expression';
import { TerraformData } from '../core/terraform-data';
import { clientIdentity } from './stack-lookups';

/** Construct id of the record of the identity that first applied an integration; its Terraform address derives from it. */
export const FIRST_APPLIER_ID = 'FirstApplier';

/**
 * The owners of one integration's app registration and service principal, in either mode: the given
 * object IDs (checked and lower-cased by the caller) and the identity that first applied the
 * integration (docs/entra-apps.md#owners).
 *
 * azuread 3.7 removes every owner the configuration does not list, so owners built from the identity
 * running the plan (`azuread_client_config`) flip whenever another identity plans. That identity is
 * instead recorded once, in a `terraform_data` whose `input` later plans leave as applied
 * (`ignore_changes`), and read from `input`, which is known at plan: the first apply adds the caller,
 * as azuread needs to keep it an owner under `Application.ReadWrite.OwnedBy`, and no later caller
 * changes it. `terraform apply -replace` of the record hands ownership to the identity running it.
 */
export function integrationOwners(scope: Construct, owners: readonly string[] | undefined): string[] {
  const record = new TerraformData(scope, FIRST_APPLIER_ID, {
    input: { object_id: clientIdentity(scope).objectId },
    lifecycle: { ignoreChanges: ['input'] },
  });
  const firstApplier = attribute(record, 'input.object_id');
  if (owners === undefined) return [firstApplier];
  const all = call('concat', owners, [firstApplier]);
  return Token.asList(all ? call('distinct', all)! : Fn.distinct(Fn.concat([owners, [firstApplier]])));
}

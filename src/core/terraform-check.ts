import { TerraformElement } from 'cdktf';
import type { Construct } from 'constructs';

/** What a check block holds: at most one scoped data source, and its assertions. */
export interface CheckConfig {
  readonly dataSource?: { readonly type: string; readonly config: Record<string, unknown> };
  readonly assertions: readonly { readonly condition: string; readonly errorMessage: string }[];
}

/**
 * A Terraform `check` block. cdktf 0.21 has no construct for check blocks, so this element writes
 * their JSON form itself. Terraform evaluates checks on every plan and apply and reports failed
 * assertions, and errors of their scoped data source, as warnings.
 *
 * `build` receives the name of the scoped data source (unique in the stack, so
 * `data.<type>.<name>` addresses it) and is called at synth.
 */
export class TerraformCheck extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    private readonly build: (dataSourceName: string) => CheckConfig,
  ) {
    super(scope, id, 'check');
  }

  public override toTerraform(): Record<string, unknown> {
    const name = this.friendlyUniqueId;
    const { dataSource, assertions } = this.build(name);
    return {
      check: {
        [name]: {
          ...(dataSource ? { data: { [dataSource.type]: { [name]: dataSource.config } } } : {}),
          assert: assertions.map((a) => ({ condition: a.condition, error_message: a.errorMessage })),
        },
      },
    };
  }
}

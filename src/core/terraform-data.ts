import {
  TerraformResource,
  anyToHclTerraform,
  anyToTerraform,
  hashMapper,
  hashMapperHcl,
  type TerraformMetaArguments,
  dependable,
} from 'cdktf';
import { dependency } from './hcl-expression';
import type { Construct } from 'constructs';

/** Configuration of a {@link TerraformData} resource. */
export interface TerraformDataConfig extends TerraformMetaArguments {
  readonly triggersReplace?: Record<string, unknown>;
  /** Stored in state and copied to `output`; a change is an in-place update, which runs no provisioner. */
  readonly input?: Record<string, unknown>;
}

/**
 * Terraform's built-in `terraform_data` resource. cdktf's own `DataResource` adds a validation that
 * runs `terraform version` once per instance at synth (about 90 ms each: 2.3 s for the default
 * stack's 26); the README states the Terraform version this package needs instead.
 */
export class TerraformData extends TerraformResource {
  private readonly triggers?: Record<string, unknown>;
  private readonly input?: Record<string, unknown>;

  constructor(scope: Construct, id: string, config: TerraformDataConfig) {
    const { triggersReplace, input, dependsOn, ...meta } = config;
    super(scope, id, {
      terraformResourceType: 'terraform_data',
      terraformGeneratorMetadata: { providerName: 'terraform' },
      ...meta,
    });
    // cdktf would make a token with a captured stack trace per entry; the same address, written at synth.
    this.dependsOn = dependsOn?.map((d) => (d instanceof TerraformResource ? dependency(d) : dependable(d)));
    this.triggers = triggersReplace;
    this.input = input;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      triggers_replace: hashMapper(anyToTerraform)(this.triggers),
      input: hashMapper(anyToTerraform)(this.input),
    };
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return {
      triggers_replace: hashMapperHcl(anyToHclTerraform)(this.triggers),
      input: hashMapperHcl(anyToHclTerraform)(this.input),
    };
  }
}

import type { TerraformVariableValidationConfig } from 'cdktf';

// What both modules' variable validations are written with.

/** A GUID, as the constructs check it (src/core/validate.ts), for HCL's regex(). */
export const GUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** A value as an HCL literal (JSON's string, list and object syntax is valid HCL). */
export const hcl = (value: unknown): string => JSON.stringify(value);

/** One validation block from an HCL condition and its message template. */
export const rule = (condition: string, errorMessage: string): TerraformVariableValidationConfig => ({
  condition: `\${${condition}}`,
  errorMessage,
});

/** Refuses entries of the map variable `input` for integrations that are not enabled, naming them. */
export const onlyEnabledEntries = (input: string): TerraformVariableValidationConfig =>
  rule(
    `length(setsubtract(keys(var.${input}), var.integrations)) == 0`,
    `${input} has entries for \${join(", ", setsubtract(keys(var.${input}), var.integrations))}, which are not in integrations; expected entries only for enabled integrations.`,
  );

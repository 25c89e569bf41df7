import { isToken } from './validate';

/**
 * A literal string as Terraform must receive it to keep it literal. Terraform reads every string of
 * a JSON configuration as a template, so a `${` or `%{` in a name, note or Nango field would start an
 * expression or a directive and be evaluated (`${file("/etc/passwd")}`); `$${` and `%%{` are the
 * template language's escapes for them
 * (https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences).
 * cdktf writes literal strings through unchanged, so every string a user or a file supplies goes
 * through this before it reaches a resource, an output or a provisioner.
 *
 * A value holding a token is Terraform's to evaluate and is returned unchanged: build strings from
 * literal parts escaped one by one (`literal(prefix) + literal(name)`), not after joining them.
 */
export function literal(value: string): string {
  if (isToken(value)) return value;
  return value.replace(/([$%])\{/g, (_, sign: string) => `${sign}${sign}{`);
}

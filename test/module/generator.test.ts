import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { inline, print, WIDTH } from '../../scripts/module/hcl-expression';
import { parse } from '../../scripts/module/hcl-parse';
import { namesOf, withNames } from '../../scripts/module/names';
import { naming } from '../../scripts/module/preflight';
import { moduleWording } from '../../scripts/module/wording';
import { ROOT } from '../support/module';

const GENERATOR = [
  'scripts/generate-module.ts',
  ...readdirSync(join(ROOT, 'scripts/module'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `scripts/module/${f}`),
];

/** Every function of a TypeScript file with its length in lines. */
function functionLengths(path: string): { name: string; lines: number }[] {
  const text = readFileSync(join(ROOT, path), 'utf8');
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: { name: string; lines: number }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const line = (pos: number) => source.getLineAndCharacterOfPosition(pos).line;
      const name = node.name?.getText(source) ?? `(anonymous at line ${line(node.getStart(source)) + 1})`;
      found.push({ name: `${path}: ${name}`, lines: line(node.getEnd()) - line(node.getStart(source)) + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('module generator (scripts/generate-module.ts, scripts/module/)', () => {
  test('has no function over 100 lines, and few over 60', () => {
    const all = GENERATOR.flatMap(functionLengths);
    expect(all.filter((f) => f.lines > 100)).toEqual([]);
    expect(all.filter((f) => f.lines > 60).length).toBeLessThanOrEqual(2);
  });

  test("writes no block of the modules in a TypeScript string: the hand-written parts are .tf files (the READMEs' examples aside)", () => {
    for (const path of GENERATOR.filter((p) => !/\/readmes?\.ts$/.test(p))) {
      const text = readFileSync(join(ROOT, path), 'utf8');
      expect(text, path).not.toMatch(/['`]\s*(variable|output|locals) "?[a-z_]*"? ?\{/);
      expect(text, path).not.toMatch(/\\\\"\\\$\{/);
    }
  });

  test.each([
    'length(setsubtract(keys(var.integrations), keys(local.catalog))) == 0',
    '{ for id, integration in local.integrations : id => integration if integration.auth_flow == "delegated" }',
    'join("\\n", [for id in keys(azuread_application_password.this) : "The client secret of Kindo integration \'${id}\' expires at ${azuread_application_password.this[id].end_date}" if !(var.x == 0 || timecmp(azuread_application_password.this[id].end_date, timeadd(plantimestamp(), format("%dh", var.x * 24))) > 0)])',
    'sensitive(jsonencode({ "unique_key" = each.value.k, "credentials" = { "type" = "OAUTH2", "client_id" = azuread_application.this[each.key].client_id }, "custom" = merge({ "tenant_id" = local.tenant_id }, each.value.f) }))',
    'merge([for id, app in local.x : { for api, grant in lookup(app, "ids", {}) : "${id}/${api}" => grant }]...)',
    '!contains(["read", "write"], e.access) ? ["${e.access}"] : []',
    'data.azuread_service_principals.api_presence.service_principals[*].client_id',
  ])('lays out %s on lines of at most WIDTH columns where it can, reading back the same expression', (source) => {
    const node = parse(source);
    const printed = print(node, '  ', 8);
    // A long template comes back as join("", [...]) of its pieces: the same string.
    const unsplit = (text: string) =>
      text.replace(
        /join\("", \[((?:"[^"\\]*(?:\\.[^"\\]*)*"(?:, )?)+)\]\)/g,
        (_, items: string) => `"${[...items.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]).join('')}"`,
      );
    expect(unsplit(inline(parse(printed)))).toBe(inline(node));
    for (const line of printed.split('\n')) expect(line.length, line).toBeLessThanOrEqual(WIDTH);
  });

  test('breaks a for expression that filters over lines, its condition on a line of its own', () => {
    expect(print(parse('[for p in local.x : p.name if p.api == "Microsoft Graph"]'))).toBe(
      '[\n  for p in local.x : p.name\n  if p.api == "Microsoft Graph"\n]',
    );
  });

  test("writes a hand-written local's one-line expression by its name, also where its parts are named first", () => {
    const names = namesOf({
      nango_server_url: 'trimsuffix(var.nango_server_url, "/")',
      nango_callback_url: 'coalesce(var.nango_callback_url, "${local.nango_server_url}/oauth/callback")',
      service_url_pattern: '"^https://"',
    });
    expect(
      withNames(
        {
          a: '${trimsuffix(var.nango_server_url, "/")}/oauth',
          b: '${coalesce(var.nango_callback_url, "${trimsuffix(var.nango_server_url, "/")}/oauth/callback")}',
          c: '^https://',
        },
        names,
      ),
    ).toEqual({ a: '${local.nango_server_url}/oauth', b: '${local.nango_callback_url}', c: '^https://' });
  });

  test("reads what the locals have already settled as it is: the owners with the first applier's record, the lower-cased tenant", () => {
    expect(
      withNames(
        {
          owners:
            '${distinct(concat([for key, val in toset(local.owners) : lower(val)], [terraform_data.first_applier[each.key].input.object_id]))}',
          fields: '${jsonencode(merge({ tenant_id = lower(local.tenant_id) }, each.value.nango_fields))}',
          client: '${lower(each.value.client_id)}',
        },
        namesOf({}),
      ),
    ).toEqual({
      owners: '${local.integration_owners[each.key]}',
      fields: '${jsonencode(each.value.nango_fields)}',
      client: '${each.value.client_id}',
    });
  });

  test("words the constructs' messages as the module's inputs and addresses", () => {
    expect(
      moduleWording(
        'rotate it by changing secretRotation, or with terraform apply -replace=azuread_application_password.this["teams"]; addPermissions, removePermissions',
      ),
    ).toBe(
      'rotate it by changing secret_rotation, or with terraform apply -replace=module.<name>.azuread_application_password.this["teams"]; add_permissions, remove_permissions',
    );
  });

  test("writes a message of the constructs that names its requesters once, the verb chosen by the list's length", () => {
    const message = (requesters: string[]) =>
      `${requesters.join(', ')} request${requesters.length === 1 ? 's' : ''} its scopes, so it failed`;
    expect(naming(message, 'r')).toBe(
      '"${join(", ", r)} ${length(r) == 1 ? "requests" : "request"} its scopes, so it failed"',
    );
  });
});

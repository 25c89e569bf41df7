import { INTEGRATION_IDS } from '../../src/catalog/catalog';
import type { FoundApp } from '../../src/adopt/match';
import { ARGUMENTS_AS_BEFORE, renderHcl } from '../../src/adopt/render-hcl';
import { expression } from './hcl';

// The modules' READMEs (what they do, then their Requirements, Providers, Modules, Resources, Inputs and
// Outputs laid out as terraform-docs' "markdown table" formatter lays them out) and the examples.

type Body = Record<string, unknown>;

/** What a README documents, read from the module's own files. */
export interface ModuleDoc {
  readonly requiredVersion: string;
  readonly providers: Record<string, { source: string; version: string }>;
  readonly modules: Record<string, string>;
  readonly resources: readonly { kind: 'resource' | 'data'; type: string; name: string }[];
  readonly variables: Record<string, Body>;
  readonly outputs: Record<string, Body>;
}

// terraform-docs escapes Markdown in names and cells, and writes multi-line values as <pre> with <br>.
const escapeName = (s: string) => s.replace(/_/g, '\\_');
const cell = (s: string) =>
  s.trim().replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\n/g, '<br>');
const code = (s: string) => (s.includes('\n') ? `<pre>${cell(s)}</pre>` : `\`${s.replace(/\|/g, '\\|')}\``);
const anchor = (section: string, name: string) =>
  `<a name="${section}_${name}"></a> [${escapeName(name)}](#${section}\\_${escapeName(name)})`;
const registry = (source: string, kind: 'resource' | 'data', type: string) => {
  const [namespace, name] = source.split('/');
  return `https://registry.terraform.io/providers/${namespace}/${name}/latest/docs/${kind === 'data' ? 'data-sources' : 'resources'}/${type.slice(name.length + 1)}`;
};
/** A type as written, without hcl2json's `${…}` and with its lines' common indentation removed. */
const typeText = (type: unknown) => {
  const text = String(type).replace(/^\$\{([\s\S]*)\}$/, '$1');
  const lines = text.split('\n');
  const indent = Math.min(...lines.slice(1).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l, i) => (i === 0 ? l : l.slice(Number.isFinite(indent) ? indent - 2 : 0))).join('\n');
};

function resourceRows(doc: ModuleDoc): string[] {
  const providerOf = (type: string) => Object.entries(doc.providers).find(([name]) => type.startsWith(`${name}_`));
  return [...doc.resources]
    .sort(
      (a, b) =>
        Number(a.kind === 'data') - Number(b.kind === 'data') ||
        (`${a.type}.${a.name}` < `${b.type}.${b.name}` ? -1 : 1),
    )
    .map((r) => {
      const provider = providerOf(r.type);
      const name = `${r.type}.${r.name}`;
      return `| ${provider ? `[${name}](${registry(provider[1].source, r.kind, r.type)})` : name} | ${r.kind === 'data' ? 'data source' : 'resource'} |`;
    });
}

function inputRows(doc: ModuleDoc): string[] {
  return Object.entries(doc.variables)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, v]) => {
      const required = !('default' in v);
      const description = `${String(v.description ?? '').trim()}${v.sensitive ? ' Sensitive.' : ''}`;
      const value = required ? 'n/a' : code(expression(v.default));
      return `| ${anchor('input', name)} | ${cell(description)} | ${code(typeText(v.type))} | ${value} | ${required ? 'yes' : 'no'} |`;
    });
}

/** The README's Requirements, Providers, Modules, Resources, Inputs and Outputs, between terraform-docs' markers. */
export function terraformDocs(doc: ModuleDoc): string[] {
  const modules = Object.entries(doc.modules);
  return [
    '<!-- BEGIN_TF_DOCS -->',
    '## Requirements',
    '',
    '| Name | Version |',
    '|------|---------|',
    `| ${anchor('requirement', 'terraform')} | ${doc.requiredVersion} |`,
    ...Object.entries(doc.providers).map(([name, p]) => `| ${anchor('requirement', name)} | ${p.version} |`),
    '',
    '## Providers',
    '',
    '| Name | Version |',
    '|------|---------|',
    ...Object.entries(doc.providers).map(([name, p]) => `| ${anchor('provider', name)} | ${p.version} |`),
    ...(doc.resources.some((r) => r.type === 'terraform_data') ? [`| ${anchor('provider', 'terraform')} | n/a |`] : []),
    '',
    '## Modules',
    '',
    ...(modules.length === 0
      ? ['No modules.']
      : [
          '| Name | Source | Version |',
          '|------|--------|---------|',
          ...modules.map(([name, source]) => `| ${anchor('module', name)} | ${source} | n/a |`),
        ]),
    '',
    '## Resources',
    '',
    '| Name | Type |',
    '|------|------|',
    ...resourceRows(doc),
    '',
    '## Inputs',
    '',
    '| Name | Description | Type | Default | Required |',
    '|------|-------------|------|---------|:--------:|',
    ...inputRows(doc),
    '',
    '## Outputs',
    '',
    '| Name | Description |',
    '|------|-------------|',
    ...Object.entries(doc.outputs)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([name, o]) =>
          `| ${anchor('output', name)} | ${cell(`${String(o.description ?? '')}${o.sensitive ? ' Sensitive.' : ''}`)} |`,
      ),
    '<!-- END_TF_DOCS -->',
  ];
}

/** The `module` block of the main README's usage and of examples/basic. */
export function moduleBlock(source: string): string[] {
  const width = Math.max(...INTEGRATION_IDS.map((id) => JSON.stringify(id).length));
  return [
    'module "kindo_microsoft_integrations" {',
    `  source = "${source}"`,
    '',
    '  # All of them, as the TypeScript default stack has; `{}` takes every default.',
    '  integrations = {',
    ...INTEGRATION_IDS.map((id) => `    ${JSON.stringify(id).padEnd(width)} = {}`),
    '    # Settings per integration, e.g. fields a Kindo integration form asks for, registered with Nango',
    '    # (which integration asks for which: the package README):',
    '    # "purview-data-governance" = { nango = { fields = { purview_endpoint = "https://<account>.purview.azure.com" } } }',
    '  }',
    '  nango_server_url  = "https://api.nango.dev"',
    '  nango_secret_key  = var.nango_secret_key',
    '  nango_environment = "prod" # the environment the key belongs to: a plan naming another fails',
    '',
    "  # Apps set up by hand from Kindo's guide have the same names and stop the plan: adopt them (docs/adopting.md)",
    '  # rather than set prevent_duplicate_names = false.',
    '}',
  ];
}

// The made-up IDs of docs/adopting.md: Teams set up by hand, its service principal, Graph grant and secret.
const ADOPTED_TEAMS: FoundApp = {
  integration: 'teams',
  objectId: '0f8e2c6d-1b2a-4c3d-9e8f-7a6b5c4d3e2f',
  clientId: '6e5d4c3b-2a19-4f08-8e7d-6c5b4a392817',
  displayName: 'Kindo - Microsoft Teams',
  servicePrincipalObjectId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  grantIds: { 'Microsoft Graph': 'xyz0AbCdEfGhIjKlMnOpQrStUvWx-AbCdEfGhIjKlMn' },
  secrets: [
    {
      keyId: '3d0b3d5f-8c55-4f1e-9d0c-2b7f0a1e4c11',
      expires: '2027-04-18T09:12:44Z',
      description: 'Kindo integration',
    },
  ],
  notes: [],
};

/**
 * The root configuration's part that takes over Teams set up by hand: what `kindo-microsoft-integrations
 * adopt --format hcl` prints for it (src/adopt/render-hcl.ts), with the module's other arguments filled in.
 */
export function adoptionRoot(source: string): string[] {
  const printed = renderHcl([ADOPTED_TEAMS], 'kindo_microsoft_integrations');
  return [
    '# `kindo-microsoft-integrations adopt --format hcl` prints these from the `az` output (docs/adopting.md).',
    ...printed
      .replace(ARGUMENTS_AS_BEFORE, `  source           = "${source}"\n  nango_secret_key = var.nango_secret_key\n`)
      .split('\n'),
  ];
}

/** The opening of an example root configuration: what it is, the Terraform and provider versions, the azuread provider. */
export function rootConfigurationHeader(doc: ModuleDoc, what: string): string[] {
  return [
    '# Generated by `npm run module`; do not edit by hand.',
    `# ${what}`,
    'terraform {',
    `  required_version = "${doc.requiredVersion}"`,
    '  required_providers {',
    ...Object.entries(doc.providers).map(
      ([name, p]) => `    ${name} = {\n      source  = "${p.source}"\n      version = "${p.version}"\n    }`,
    ),
    '  }',
    '}',
    '',
    '# Tenant and credentials come from the environment: ARM_TENANT_ID, ARM_CLIENT_ID, OIDC or az login.',
    'provider "azuread" {}',
    '',
    'variable "nango_secret_key" {',
    '  type      = string',
    '  sensitive = true',
    '}',
    '',
  ];
}

const OUTPUTS = [
  'output "integrations" {',
  '  value = module.kindo_microsoft_integrations.integrations',
  '}',
  '',
  'output "client_secrets" {',
  '  value     = module.kindo_microsoft_integrations.client_secrets',
  '  sensitive = true',
  '}',
  '',
];

/** examples/basic/main.tf: a complete root configuration using the module by relative path. */
export function renderExample(doc: ModuleDoc): string {
  const what = 'A complete root configuration: terraform init && TF_VAR_nango_secret_key=... terraform plan';
  return [...rootConfigurationHeader(doc, what), ...moduleBlock('../../module'), '', ...OUTPUTS].join('\n');
}

/** examples/adopt/main.tf: Teams set up by hand, taken over. */
export function renderAdoptExample(doc: ModuleDoc): string {
  const what =
    "Teams set up by hand from Kindo's guide, taken over (docs/adopting.md): terraform init && TF_VAR_nango_secret_key=... terraform plan";
  return [
    ...rootConfigurationHeader(doc, what),
    ...adoptionRoot('../../module'),
    '',
    ...OUTPUTS,
    'output "hand_made_client_secrets" {',
    '  value = module.kindo_microsoft_integrations.hand_made_client_secrets',
    '}',
    '',
  ].join('\n');
}

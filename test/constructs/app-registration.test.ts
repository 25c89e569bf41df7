import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { MicrosoftIntegrationApp } from '../../src/constructs/microsoft-integration-app';
import { only, type Synth, synthApp } from '../support/integration-app';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OWNER = '8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const sync = (tf: Synth) =>
  Object.entries<any>(tf.resource.terraform_data).find(([k]) => k.includes('Sync'))![1].triggers_replace;

describe('app registration', () => {
  test('escapes every literal it writes, part by part, so that Terraform never evaluates it', () => {
    // A callback URL cannot hold braces at all (MALFORMED_URL: microsoft-integration-app-literals.test.ts).
    const { tf } = synthApp({ integration: 'teams', namePrefix: '${path.cwd} ' });
    expect(only(tf, 'azuread_application').display_name).toBe('$${path.cwd} Microsoft Teams');
    const fabric = synthApp({ integration: 'fabric', fabricLakehouseDatabase: 'sales${x}' });
    expect(fabric.app.fabricLakehouseDatabase).toBe('sales$${x}');
  });

  test('keeps a name prefix known only at plan as the expression it is, and escapes the name after it', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const prefix = new TerraformVariable(stack, 'prefix', { type: 'string' }).stringValue;
    new MicrosoftIntegrationApp(stack, 'App', { integration: 'fabric', namePrefix: prefix });
    expect(only(JSON.parse(Testing.synth(stack)), 'azuread_application').display_name).toBe(
      '${var.prefix}Microsoft Fabric',
    );
  });

  test('writes IDs given in capitals in lower case, as Graph returns them: tenant and owners', () => {
    const { tf, app } = synthApp({
      integration: 'teams',
      tenantId: TENANT.toUpperCase(),
      owners: [OWNER.toUpperCase()],
    });
    expect(app.tenantId).toBe(TENANT);
    expect(sync(tf)['field.tenant_id']).toBe(TENANT);
    expect(only(tf, 'azuread_application').owners).toContain(`["${OWNER}"]`);
    expect(only(tf, 'azuread_service_principal').owners).toContain(`["${OWNER}"]`);
  });

  test('lower-cases at plan the IDs known only then: tenant, each owner of a list, a list of owners', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const v = (name: string) => new TerraformVariable(stack, name, { type: 'string' }).stringValue;
    const secretKey = v('key');
    new MicrosoftIntegrationApp(stack, 'App', {
      integration: 'teams',
      nango: { secretKey },
      tenantId: v('tenant'),
      owners: [v('owner'), OWNER.toUpperCase()],
    });
    const tf = JSON.parse(Testing.synth(stack));
    expect(sync(tf)['field.tenant_id']).toBe('${lower(var.tenant)}');
    expect(only(tf, 'azuread_application').owners).toMatch(
      new RegExp(`^\\$\\{distinct\\(concat\\(\\[lower\\(var\\.owner\\), "${OWNER}"\\], \\[terraform_data\\.`),
    );
  });

  test('lists the service principal under Enterprise applications, tagged with its integration', () => {
    expect(only(synthApp({ integration: 'fabric' }).tf, 'azuread_service_principal').tags).toEqual([
      'WindowsAzureActiveDirectoryIntegratedApp',
      'kindo-integration:fabric',
    ]);
  });
});

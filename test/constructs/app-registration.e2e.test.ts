import { TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { MicrosoftIntegrationApp } from '../../src/constructs/microsoft-integration-app';
import { applyOutputs, hasTerraform } from '../support/terraform';

// Text a user may give that means something in a Terraform template, or in JSON.
const PREFIX = '${path.cwd} ';
const HOSTILE_PREFIX = '%{ if true }x%{ endif } $${y} "q\\ ✓ ';
// A URL cannot hold braces (MALFORMED_URL), so no template sequence; `$` and `%` are still written as given.
const CALLBACK = "https://nango.example.com/$$x/$path/%%/a'b/oauth/callback";
const DATABASE = '${path.cwd}%{if true}x%{endif}\\';

describe.skipIf(!hasTerraform)('app registration literals under terraform (terraform on the PATH)', () => {
  test('reach Terraform as the exact text given: name prefix, redirect URI, Fabric database', async () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const secretKey = new TerraformVariable(stack, 'k', { type: 'string', sensitive: true }).stringValue;
    const teams = new MicrosoftIntegrationApp(stack, 'Teams', {
      integration: 'teams',
      namePrefix: PREFIX,
      nango: { secretKey, callbackUrl: CALLBACK },
    });
    const fabric = new MicrosoftIntegrationApp(stack, 'Fabric', {
      integration: 'fabric',
      namePrefix: HOSTILE_PREFIX,
      fabricLakehouseDatabase: DATABASE,
    });
    new TerraformOutput(stack, 'database', { value: fabric.fabricLakehouseDatabase });
    new TerraformOutput(stack, 'redirect_uri', { value: teams.redirectUri });
    const tf = JSON.parse(Testing.synth(stack));
    const [teamsApp, fabricApp] = ['Teams', 'Fabric'].map(
      (id) => Object.entries<any>(tf.resource.azuread_application).find(([name]) => name.startsWith(id))![1],
    );
    // The synthesized strings as outputs of a configuration without providers.
    const values = await applyOutputs({
      output: {
        teams_name: { value: teamsApp.display_name },
        fabric_name: { value: fabricApp.display_name },
        redirect_uris: { value: teamsApp.web.redirect_uris },
        notes: { value: fabricApp.notes },
        database: tf.output.database,
        redirect_uri: tf.output.redirect_uri,
      },
    });
    expect(values.teams_name.value).toBe('${path.cwd} Microsoft Teams');
    expect(values.fabric_name.value).toBe(`${HOSTILE_PREFIX}Microsoft Fabric`);
    expect(values.redirect_uris.value).toEqual([CALLBACK]);
    expect(values.redirect_uri.value).toBe(CALLBACK);
    expect(values.database.value).toBe(DATABASE);
    expect(values.notes.value).toMatch(/^Kindo integration 'fabric' \(Microsoft Fabric\)/);
  }, 30_000);
});

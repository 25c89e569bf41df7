import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hasTerraform, terraform } from '../support/terraform';

const TFRC = resolve(__dirname, '..', '..', '.ci', 'terraform', 'plan.tfrc');

// The CLI configuration of the CI jobs, read by the real terraform: a provider other than
// hashicorp/azuread cannot be installed (no download is attempted for it).
describe.skipIf(!hasTerraform)('.ci/terraform/plan.tfrc (terraform on the PATH)', () => {
  test('refuses to install any provider but hashicorp/azuread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindo-tfrc-'));
    const previous = process.env.TF_CLI_CONFIG_FILE;
    process.env.TF_CLI_CONFIG_FILE = TFRC;
    try {
      writeFileSync(
        join(dir, 'main.tf.json'),
        JSON.stringify({ terraform: { required_providers: { external: { source: 'hashicorp/external' } } } }),
      );
      const init = await terraform(dir, ['init', '-input=false', '-backend=false']);
      expect(init.status).not.toBe(0);
      // Not a failed download: no installation method lists it (without this configuration, terraform asks the registry).
      expect(init.output).toMatch(/hashicorp\/external was\s+not\s+found\s+in\s+any\s+of\s+the\s+search\s+locations/);
    } finally {
      if (previous === undefined) delete process.env.TF_CLI_CONFIG_FILE;
      else process.env.TF_CLI_CONFIG_FILE = previous;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

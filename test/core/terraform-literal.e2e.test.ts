import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TerraformOutput } from 'cdktf';
import { literal } from '../../src/core/terraform-literal';
import { hasTerraform, synthToDir, terraform } from '../support/terraform';

// Every class of character that has a meaning in a Terraform template or in JSON, and text that
// only looks like one.
const HOSTILE = [
  'x${path.cwd}y',
  '%{ if true }yes%{ endif }',
  '$${already escaped} %%{too}',
  'A"B\\C',
  'line\nbreak\rcarriage\ttab',
  'unicode ✓ \u2028 \u2029 é 🙂',
  '${file("/etc/hostname")}',
  'x" == "x" ? var.secret : "x',
];

describe.skipIf(!hasTerraform)('literal under terraform (terraform on the PATH)', () => {
  test('Terraform stores each hostile value byte for byte', async () => {
    const dir = synthToDir((stack) => {
      HOSTILE.forEach((value, i) => {
        new TerraformOutput(stack, `v${i}`, { value: literal(value) });
      });
    });
    try {
      const init = await terraform(dir, ['init', '-input=false']);
      expect(init.status, init.output).toBe(0);
      const apply = await terraform(dir, ['apply', '-auto-approve', '-input=false']);
      expect(apply.status, apply.output).toBe(0);
      // The state file, not `terraform output`'s stdout, which the runner's warnings may share.
      const state = JSON.parse(readFileSync(join(dirname(dirname(dir)), 'terraform.tfstate'), 'utf8'));
      const values = state.outputs as Record<string, { value: string }>;
      expect(HOSTILE.map((_, i) => values[`v${i}`].value)).toEqual(HOSTILE);
    } finally {
      rmSync(dirname(dirname(dir)), { recursive: true, force: true });
    }
  });
});

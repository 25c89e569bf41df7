import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import type { AddedPermission } from '../../src/catalog/permission-changes';
import { KindoMicrosoftIntegrations } from '../../src/constructs/kindo-microsoft-integrations';
import { main } from '../../src/cli/main';
import { REVIEW_EXIT } from '../../src/review/review';
import type { ReviewReport } from '../../src/review/types';

type Tf = Record<string, any>;

const MAIL_READ: AddedPermission = {
  api: 'Microsoft Graph',
  name: 'Mail.Read',
  id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca',
  access: 'read',
  adminConsentRequired: false,
  justification: 'summaries of the mail threads a user asks about',
};

/** Outlook and Teams as `cdktf synth` writes them (with the "//" metadata Testing.synth strips). */
function synthesize(props: { addOutlook?: AddedPermission[]; removeTeams?: string[] } = {}): Tf {
  const stack = new TerraformStack(Testing.app(), 'test');
  const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue;
  new KindoMicrosoftIntegrations(stack, 'Kindo', {
    integrations: ['outlook', 'teams'],
    nango: { secretKey },
    addPermissions: props.addOutlook ? { outlook: props.addOutlook } : undefined,
    removePermissions: props.removeTeams ? { teams: props.removeTeams } : undefined,
  });
  return stack.toTerraform();
}

describe('review of a permission added through addPermissions', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kindo-review-added-'));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(root, { recursive: true, force: true });
  });

  const write = (name: string, tf: Tf) => {
    const dir = join(root, name, 'test');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(tf));
    return dir;
  };

  /** `review --synth head --base base`, and the report it wrote. */
  const review = (head: Tf, base: Tf) => {
    const status = main(
      ['review', '--synth', write('head', head), '--base', write('base', base), '--out', join(root, 'review.md')],
      root,
    );
    const report: ReviewReport = JSON.parse(readFileSync(join(root, 'review.json'), 'utf8'));
    return { status, report, markdown: readFileSync(join(root, 'review.md'), 'utf8') };
  };

  test('shows one added permission, requested and consented tenant-wide, with its justification, and the removal', () => {
    const { status, report, markdown } = review(
      synthesize({ addOutlook: [MAIL_READ], removeTeams: ['ChannelMessage.Send'] }),
      synthesize(),
    );
    expect(status).toBe(REVIEW_EXIT.GREW);
    expect(report.diff!.changes.map((c) => [c.kind, c.integration, c.permission?.name])).toEqual([
      ['permission-added', 'test/outlook', 'Mail.Read'],
      ['permission-removed', 'test/teams', 'ChannelMessage.Send'],
    ]);
    const outlook = report.integrations.find((i) => i.integrationId === 'outlook')!;
    expect(
      outlook.apis.flatMap((a) => a.permissions).filter((p) => p.id === MAIL_READ.id || p.name === 'Mail.Read'),
    ).toEqual([
      {
        id: MAIL_READ.id,
        name: 'Mail.Read',
        known: false,
        declared: true,
        justification: MAIL_READ.justification,
        type: 'Scope',
        access: 'read',
        adminConsentRequired: false,
        requested: true,
        consent: 'tenant-wide',
      },
    ]);
    expect(report.risks.unknownPermissions).toEqual([]);
    expect(markdown).toContain(
      '1. ⚠ New permission for `test/outlook` on Microsoft Graph: `Mail.Read` (read as declared in addPermissions, no admin consent required as declared, consented tenant-wide; justification: summaries of the mail threads a user asks about)',
    );
    expect(markdown).not.toContain('unknown permission');
    expect(markdown).toContain(
      '| `Mail.Read` (added: summaries of the mail threads a user asks about) | delegated | read (declared) | no (declared) | tenant-wide |',
    );
  });

  test('reviews an added permission without access or adminConsentRequired as write needing admin consent, their defaults', () => {
    const { access: _a, adminConsentRequired: _c, ...bare } = MAIL_READ;
    const { report } = review(synthesize({ addOutlook: [bare] }), synthesize());
    const added = report.diff!.changes[0];
    expect([added.kind, added.rank, added.permission?.access, added.permission?.adminConsentRequired]).toEqual([
      'permission-added',
      0,
      'write',
      true,
    ]);
    expect(added.summary).toContain(
      '`Mail.Read` (write as declared in addPermissions, admin consent required as declared, consented tenant-wide',
    );
  });
});

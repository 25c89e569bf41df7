import { parse } from '@cdktf/hcl2json';
import type { FoundApp } from '../../src/adopt/match';
import { ARGUMENTS_AS_BEFORE, renderHcl } from '../../src/adopt/render-hcl';

const found = (integration: FoundApp['integration'], objectId: string): FoundApp => ({
  integration,
  objectId,
  clientId: '6e5d4c3b-2a19-4f08-8e7d-6c5b4a392817',
  displayName: `Kindo - ${integration}`,
  grantIds: {},
  secrets: [],
  notes: [],
});

describe('adopt --format hcl (renderHcl)', () => {
  test("gives each app its entry of the module's integrations, taking over its Nango integration only where it is registered with Nango", async () => {
    const printed = renderHcl(
      [found('teams', '0f8e2c6d-1b2a-4c3d-9e8f-7a6b5c4d3e2f'), found('fabric', '5b4a3928-1706-4f5e-8d4c-3b2a19081726')],
      'kindo',
    );
    expect(printed).toContain(`module "kindo" {\n${ARGUMENTS_AS_BEFORE}\n  integrations = {\n`);
    const config = await parse('main.tf', printed);
    expect(config.module.kindo[0].integrations).toEqual({
      teams: { existing_app: '${local.kindo_existing_apps["teams"]}', nango: { adopt_existing: true } },
      // Fabric signs in with client credentials: no Nango integration, and the module refuses Nango settings for it.
      fabric: { existing_app: '${local.kindo_existing_apps["fabric"]}' },
    });
    expect(renderHcl([found('fabric', '5b4a3928-1706-4f5e-8d4c-3b2a19081726')], 'kindo')).not.toContain(
      'Your Nango integrations made by hand',
    );
  });
});

import { join } from 'node:path';

// Sample output of the commands `adopt` prints: `az ad app list` and `az ad sp list` (arrays of Microsoft
// Graph v1.0 application and servicePrincipal objects) and `az rest` on /oauth2PermissionGrants (Graph's
// `{ "value": [...] }` envelope), one document after another as the printed script writes them; and the
// IDs it holds.
export const FIXTURE = join(__dirname, '..', 'fixtures', 'az-adopt-output.json');
export const TEAMS = {
  objectId: '0f8e2c6d-1b2a-4c3d-9e8f-7a6b5c4d3e2f',
  clientId: '6e5d4c3b-2a19-4f08-8e7d-6c5b4a392817',
  sp: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  key: '3d0b3d5f-8c55-4f1e-9d0c-2b7f0a1e4c11',
};
export const OUTLOOK = {
  objectId: '5b4a3928-1706-4f5e-8d4c-3b2a19081726',
  sp: '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2918',
  key: '4c3b2a19-0817-4f6e-9d5c-4b3a29180716',
};
export const MCP_CLIENT = '8d7c6b5a-4938-4271-a6b5-c4d3e2f1a0b9';
export const TEAMS_GRANT = 'bWV0YUdyYW50VGVhbXNHcmFwaEFsbFByaW5jaXBhbHM';

// Sample output of the commands `adopt --saas` prints for Teams, Outlook and Fabric (test/fixtures/az-saas-output.json):
// Kindo's Teams app consented tenant-wide on Graph by an admin, one user's own consent, two groups assigned
// the default access role, one group another role and one user; no Outlook service principal; Fabric with
// one group.
export const SAAS_FIXTURE = join(__dirname, '..', 'fixtures', 'az-saas-output.json');
export const SAAS = {
  teams: { clientId: '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b', sp: '4a3b2c1d-6e5f-4a70-9b8c-1d0e2f3a4b5c' },
  outlook: { clientId: '5b4c3d2e-7f6a-4b80-8c9d-2e1f3a4b5c6d' },
  fabric: { clientId: '6c5d4e3f-8a7b-4c90-9dae-3f2a4b5c6d7e', sp: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' },
  teamsGrant: 'S0tGcmFudFRlYW1zQWxsUHJpbmNpcGFsc0dyYXBoMDE',
  groups: {
    security: '5b1c7e4a-9d2f-4e8b-a1c3-6f7d8e9a0b1c',
    everyone: '6c2d8f5b-0e3a-4f9c-b2d4-7a8e9f0b1c2d',
  },
  assignments: {
    teamsSecurity: 'Sn3HsNn3A0yPqz0iYb7pMZsbYHz4eLlMlO-ZvT4Eqmk',
    teamsEveryone: 'Tn4ItOo4B1zQr01jZc8qNatcZIz5fMmNmP-awU5Frnk',
    fabricSecurity: 'Wq7LwRr7E42Tu34mcf1tQdwfcL28iPpQpS-dzX8Iuqn',
  },
};

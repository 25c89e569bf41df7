import { synthBothModes } from '../support/both-modes';
import type { Synth } from '../support/integration-app';

const CALLER = '${data.azuread_client_config.KindoClientConfig.object_id}';
const OWNER = '8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';

/** The records of the identity that first applied each integration, by their construct path. */
const records = (tf: Synth) =>
  Object.entries<any>(tf.resource.terraform_data).filter(([name]) => name.includes('FirstApplier'));

describe('ownership', () => {
  const tf = synthBothModes([OWNER.toUpperCase()]);

  test('records, per integration in both modes, the identity applying it, and keeps the record as first applied', () => {
    const found = records(tf);
    expect(found.map(([name]) => name.replace(/_FirstApplier_.*/, '')).sort()).toEqual([
      'Kindo_fabric',
      'Kindo_teams',
      'Saas_defender',
      'Saas_outlook',
    ]);
    for (const [, record] of found) {
      expect(record.input).toEqual({ object_id: CALLER });
      expect(record.lifecycle).toEqual({ ignore_changes: ['input'] });
    }
  });

  test("gives every app registration and service principal the given owners in lower case and its integration's recorded identity, never the caller", () => {
    const objects = [
      ...Object.values<any>(tf.resource.azuread_application),
      ...Object.values<any>(tf.resource.azuread_service_principal),
    ];
    expect(objects).toHaveLength(6);
    const recorded = new Set(records(tf).map(([name]) => `terraform_data.${name}.input.object_id`));
    for (const o of objects) {
      const match = /^\$\{distinct\(concat\(\["([^"]+)"\], \[(terraform_data\.[\w]+\.input\.object_id)\]\)\)\}$/.exec(
        o.owners,
      );
      expect(match, o.owners).not.toBeNull();
      expect(match![1]).toBe(OWNER);
      expect(recorded.has(match![2])).toBe(true);
    }
    expect(JSON.stringify(objects)).not.toContain('azuread_client_config');
  });
});

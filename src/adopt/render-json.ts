import { jsonText } from './escape';
import type { FoundApp } from './match';
import { nangoRegistered } from './render-typescript';

/** The adoption file of the default stack (`KINDO_EXISTING_APPS`): KindoMicrosoftIntegrations' two adoption props as JSON. */
export function renderJson(found: readonly FoundApp[]): string {
  const existingApps = Object.fromEntries(
    found.map((f) => [
      f.integration,
      {
        applicationObjectId: f.objectId,
        ...(f.servicePrincipalObjectId ? { servicePrincipalObjectId: f.servicePrincipalObjectId } : {}),
        ...(Object.keys(f.grantIds).length > 0 ? { permissionGrantIds: f.grantIds } : {}),
        ...(f.secrets.length > 0 ? { clientSecrets: f.secrets } : {}),
      },
    ]),
  );
  return jsonText({ adoptExistingNangoIntegrations: nangoRegistered(found), existingApps });
}

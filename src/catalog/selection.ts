import { KindoConfigError, show } from '../core/errors';
import { isToken } from '../core/validate';
import { INTEGRATION_IDS, type IntegrationId } from './catalog';

/** Refuses anything but an integration id the catalog knows; ids choose what to synthesize, so never a token. */
export function checkIntegrationId(field: string, value: unknown): asserts value is IntegrationId {
  if (typeof value !== 'string' || isToken(value) || !(INTEGRATION_IDS as readonly string[]).includes(value)) {
    throw new KindoConfigError(
      'UNKNOWN_INTEGRATION',
      `unknown integration ${show(value)} in \`${field}\`; expected one of: ${INTEGRATION_IDS.join(', ')}`,
    );
  }
}

/**
 * Refuses a selection that is empty, names an unknown integration or names one twice.
 * @param itemField how an entry is named, e.g. `integrations[2]`; the list's own name by default
 */
export function checkSelection(
  field: string,
  ids: readonly unknown[],
  itemField: (index: number) => string = () => field,
): asserts ids is readonly IntegrationId[] {
  if (ids.length === 0) {
    throw new KindoConfigError(
      'EMPTY_SELECTION',
      `\`${field}\` is empty; expected at least one integration id, e.g. ['teams']`,
    );
  }
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    checkIntegrationId(itemField(i), id);
    if (seen.has(id)) {
      throw new KindoConfigError(
        'DUPLICATE_INTEGRATION',
        `integration ${show(id)} appears more than once in \`${field}\`; expected each integration id at most once`,
      );
    }
    seen.add(id);
  });
}

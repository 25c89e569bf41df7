import { mapStrings } from './hcl';

// The constructs' plan-time messages in the module's words: its inputs where the constructs name their
// props, and addresses as a root module that calls the module writes them.

/** Construct props named in the messages the module keeps, and the module input that takes each one's place. */
const INPUTS: Readonly<Record<string, string>> = {
  secretRotation: 'secret_rotation',
  addPermissions: 'add_permissions',
  removePermissions: 'remove_permissions',
};

/** The address the module's blocks have in the root module that calls it, whose name the module cannot know. */
export const MODULE_ADDRESS_PREFIX = 'module.<name>.';

/** One message in the module's words. */
export function moduleWording(message: string): string {
  return message
    .replace(/\b(secretRotation|addPermissions|removePermissions)\b/g, (prop) => INPUTS[prop])
    .replace(/-replace=([a-z_]+\.[\w-]+\[)/g, `-replace=${MODULE_ADDRESS_PREFIX}$1`);
}

/** A block's body with every error message (postconditions', checks') in the module's words. */
export function withModuleWording<T>(body: T): T {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === 'error_message' ? mapStrings(v, moduleWording) : visit(v)]),
    );
  };
  return visit(body) as T;
}

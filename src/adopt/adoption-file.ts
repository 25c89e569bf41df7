import { readFileSync } from 'node:fs';
import { parseJsonText } from '../core/json-text';
import type { ValidateFunction } from 'ajv';
import { catalog, type IntegrationId } from '../catalog/catalog';
import { KindoConfigError } from '../core/errors';
import type { ExistingApp, ExistingClientSecret } from '../constructs/existing-app';
import { validateAdoptionFile } from './adoption-file-schema-validator';
import { show } from '../core/errors';
import { formatPath, type JsonPath, prototypeKeyPath, schemaProblem } from './json-input';

// The default stack's adoption file (docs/adopting.md): what `adopt --format json` writes, named by
// KINDO_EXISTING_APPS and read at synth. src/adopt/adoption-file.schema.json says what it may hold.

/** The environment variable naming the default app's adoption file (docs/adopting.md). */
export const EXISTING_APPS_ENV = 'KINDO_EXISTING_APPS';

/** What an adoption file sets: app registrations made by hand, and their Nango integrations (KindoMicrosoftIntegrations' props of the same names). */
export interface KindoAdoption {
  /** App registrations set up by hand, per integration id. */
  readonly existingApps?: Readonly<Partial<Record<IntegrationId, ExistingApp>>>;
  /** Integrations whose Nango integration, made by hand, is taken over. */
  readonly adoptExistingNangoIntegrations?: readonly IntegrationId[];
  /** Nango unique keys of those integrations, where not `kindo-<id>`. */
  readonly nangoUniqueKeys?: Readonly<Partial<Record<IntegrationId, string>>>;
}

const DOCS = 'docs/adopting.md#the-adoption-file';
// Ajv's standalone code is not type-checked; it is a validate function compiled with `verbose: true`.
const validate = validateAdoptionFile as unknown as ValidateFunction<KindoAdoption>;

/** The adoption file refused: where in it, the value found and what is expected. */
export function adoptionFileInvalid(path: string, problem: string): KindoConfigError {
  return new KindoConfigError(
    'ADOPTION_FILE_INVALID',
    `${EXISTING_APPS_ENV} file ${show(path, Number.POSITIVE_INFINITY)}: ${problem}`,
    DOCS,
  );
}

const fieldProblem = (at: JsonPath, value: unknown, expected: string) =>
  `\`${formatPath(at)}\` is ${show(value)}; expected ${expected}`;

/**
 * The adoption file named by {@link EXISTING_APPS_ENV}, validated against its schema (every
 * refusal names the file, the entry and the field), with GUIDs in lower case as Graph returns
 * them. Unset or empty means no adoption.
 *
 * @example adoptionFromFile('kindo-existing-apps.json') // { adoptExistingNangoIntegrations: ['teams'], existingApps: { teams: { applicationObjectId: '…' } } }
 */
export function adoptionFromFile(path: string | undefined): KindoAdoption {
  if (path === undefined || path === '') return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw adoptionFileInvalid(path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  // Its problem says where the text stops being JSON, never what the text holds.
  const read = parseJsonText(text);
  if (!read.ok) throw adoptionFileInvalid(path, read.problem);
  const doc = read.value;
  checkAdoption(path, doc);
  return normalized(doc as KindoAdoption);
}

/** Refuses prototype keys, then what the schema refuses, then what it cannot say (one app per entry, known APIs). */
function checkAdoption(path: string, doc: unknown): void {
  const prototypeKey = prototypeKeyPath(doc);
  if (prototypeKey)
    throw adoptionFileInvalid(path, fieldProblem(prototypeKey, prototypeKey.at(-1), 'no key named like a prototype'));
  if (!validate(doc)) {
    const problem = schemaProblem(validate.errors ?? [], doc);
    throw adoptionFileInvalid(path, fieldProblem(problem.path, problem.value, problem.expected));
  }
  for (const [id, app] of Object.entries((doc as KindoAdoption).existingApps ?? {})) {
    if ((app.applicationObjectId === undefined) === (app.applicationClientId === undefined)) {
      const expected = 'exactly one of applicationObjectId and applicationClientId';
      throw adoptionFileInvalid(path, fieldProblem(['existingApps', id], app, expected));
    }
    const apis = catalog()[id as IntegrationId].apis.map((a) => a.name);
    for (const api of Object.keys(app.permissionGrantIds ?? {})) {
      if (!apis.includes(api)) {
        const expected = `an API integration '${id}' uses: ${apis.join(', ')}`;
        throw adoptionFileInvalid(path, fieldProblem(['existingApps', id, 'permissionGrantIds', api], api, expected));
      }
    }
  }
}

const lower = (guid: string | undefined) => guid?.toLowerCase();

/** GUIDs as Graph returns them: azuread compares them as written, so upper case would plan a change on every run. */
function normalized(doc: KindoAdoption): KindoAdoption {
  if (doc.existingApps === undefined) return doc;
  const apps = Object.entries(doc.existingApps).map(([id, app]): [string, ExistingApp] => [
    id,
    {
      ...app,
      applicationObjectId: lower(app.applicationObjectId),
      applicationClientId: lower(app.applicationClientId),
      servicePrincipalObjectId: lower(app.servicePrincipalObjectId),
      clientSecrets: app.clientSecrets?.map((s): ExistingClientSecret => ({ ...s, keyId: s.keyId.toLowerCase() })),
    },
  ]);
  const withoutUnset = apps.map(([id, app]) => [
    id,
    Object.fromEntries(Object.entries(app).filter(([, v]) => v !== undefined)),
  ]);
  return { ...doc, existingApps: Object.fromEntries(withoutUnset) };
}

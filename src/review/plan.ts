import type {
  AdoptedChange,
  AdoptedResource,
  PlannedAction,
  PlannedActionKind,
  PlannedAttributeChange,
  PlannedRedirection,
  PlanSummary,
  ReviewedIntegration,
} from './types';
import type { apiLookups } from './synth';
import { KindoConfigError, show } from '../core/errors';
import { planShapeProblem } from './plan-shape';

type Json = Record<string, any>;
type ApiLookups = ReturnType<typeof apiLookups>;

/** Attribute names whose values are never printed, whether or not Terraform marks them sensitive. */
const SECRET_LIKE_NAME = /secret|value|password|key|token|credential|private|cert/i;
/** Named like a secret but public: a consent grant's scope names, which reviewers must see change. */
const PUBLIC_NAMES = new Set(['claim_values']);
const secretLike = (k: string) => SECRET_LIKE_NAME.test(k) && !PUBLIC_NAMES.has(k);

const WHAT: Record<string, string> = {
  azuread_application: 'app registration',
  azuread_service_principal: 'enterprise application (service principal)',
  azuread_application_password: 'client secret',
  azuread_service_principal_delegated_permission_grant: 'admin consent grant',
  azuread_app_role_assignment: 'assignment of a group allowed to connect',
};

/** What a planned action does, where the resource type alone does not say it to a security reviewer. */
function described(type: string, change: Json, kind: PlannedActionKind): string | undefined {
  const saas =
    type === 'azuread_service_principal' &&
    [change.before, change.after].some((v) => isObject(v) && v.use_existing === true);
  if (saas && kind === 'delete') {
    return "Kindo SaaS enterprise application (Kindo's app): deleting it revokes every consent grant and user or group assignment it holds, including those given before Terraform adopted it";
  }
  if (saas) return "Kindo SaaS enterprise application (Kindo's app; adopted if it already exists)";
  if (type === 'azuread_service_principal_delegated_permission_grant' && kind === 'delete')
    return 'admin consent grant: deleting it revokes the consent for every user';
  if (type === 'azuread_app_role_assignment' && kind === 'delete')
    return 'assignment of a group allowed to connect: deleting it stops its members connecting where assignment is required';
  return WHAT[type];
}

const MAX_VALUE = 200;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const at = (v: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>((x, k) => (isObject(x) || Array.isArray(x) ? (x as Json)[k] : undefined), v);

/** True when a sensitivity mask (`before_sensitive`/`after_sensitive`) marks the path, a parent or anything below it. */
function marked(mask: unknown, path: readonly string[]): boolean {
  let node = mask;
  for (const k of path) {
    if (node === true) return true;
    node = isObject(node) || Array.isArray(node) ? (node as Json)[k] : undefined;
  }
  const anyTrue = (n: unknown): boolean =>
    n === true || ((isObject(n) || Array.isArray(n)) && Object.values(n).some(anyTrue));
  return anyTrue(node);
}

function action(actions: readonly string[]): PlannedActionKind | undefined {
  if (actions.includes('create') && actions.includes('delete')) return 'replace';
  if (actions.length !== 1) return undefined;
  return (['create', 'update', 'delete'] as const).find((a) => a === actions[0]);
}

/** A value from the plan as text: strings as they are, anything else as JSON (never through its own toString). */
const asText = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)));

const text = (v: unknown): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE)}…` : s;
};

/** Delegated permissions of a `required_resource_access` value, named through the catalog. */
function permissionNames(value: unknown, apis: ApiLookups): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((r: Json) => {
    const api = apis.get(String(r.resource_app_id));
    return ((r.resource_access ?? []) as Json[]).map((a) => {
      const name = a.type === 'Scope' ? api?.byId.get(String(a.id))?.name : undefined;
      return `${api?.name ?? `unknown API ${String(r.resource_app_id)}`}: ${name ?? `unknown permission ${String(a.id)} (${String(a.type)})`}`;
    });
  });
}

function attributeChange(
  change: Json,
  path: string[],
  apis: ApiLookups,
  forcesReplacement: boolean,
): PlannedAttributeChange | undefined {
  const [before, after, unknown] = [at(change.before, path), at(change.after, path), at(change.after_unknown, path)];
  // Values are compared even when secret, but only whether they differ is reported.
  if (unknown !== true && JSON.stringify(before) === JSON.stringify(after)) return undefined;
  const base = { path: path.join('.'), forcesReplacement };
  if (path.some(secretLike)) return { ...base, note: 'hidden' };
  if (marked(change.before_sensitive, path) || marked(change.after_sensitive, path))
    return { ...base, note: 'sensitive' };
  if (unknown === true)
    return isScalar(before) && before !== null
      ? { ...base, before: text(before), note: 'known after apply' }
      : { ...base, note: 'known after apply' };
  if (isScalar(before) && isScalar(after)) return { ...base, before: text(before), after: text(after) };
  const list = (v: unknown): string[] =>
    path.length === 1 && path[0] === 'required_resource_access'
      ? permissionNames(v, apis)
      : Array.isArray(v) && v.every(isScalar)
        ? v.map(text)
        : [];
  const [was, is] = [list(before), list(after)];
  if (was.length + is.length > 0)
    return { ...base, added: is.filter((x) => !was.includes(x)), removed: was.filter((x) => !is.includes(x)) };
  return { ...base, note: 'changed' };
}

function attributeChanges(change: Json, kind: PlannedActionKind, apis: ApiLookups): PlannedAttributeChange[] {
  if (kind === 'create' || kind === 'delete') return [];
  const replacePaths: string[][] = (change.replace_paths ?? []).map((p: unknown[]) => p.map(String));
  const forces = (path: string[]) => replacePaths.some((r) => path.every((k, i) => r[i] === undefined || r[i] === k));
  const keys = (v: unknown) => (isObject(v) ? Object.keys(v) : []);
  const top = [...new Set([...keys(change.before), ...keys(change.after)])].filter((k) => k !== 'id').sort();
  return top.flatMap((k) => {
    const [b, a] = [change.before?.[k], change.after?.[k]];
    // One level into maps of plain values (terraform_data's triggers_replace), so each entry shows on its own.
    const nested =
      [b, a].every((v) => v === null || v === undefined || (isObject(v) && Object.values(v).every(isScalar))) &&
      [b, a].some(isObject);
    const paths =
      nested && !SECRET_LIKE_NAME.test(k) ? [...new Set([...keys(b), ...keys(a)])].sort().map((s) => [k, s]) : [[k]];
    return paths
      .map((p) => attributeChange(change, p, apis, forces(p)))
      .filter((c): c is PlannedAttributeChange => c !== undefined);
  });
}

/** A value usable as a label: present, a plain string, not sensitive and not named like a secret. */
function safeLabel(change: Json, path: string[]): string | undefined {
  for (const side of ['after', 'before'] as const) {
    const v = at(change[side], path);
    if (
      typeof v === 'string' &&
      !path.some((k) => SECRET_LIKE_NAME.test(k)) &&
      !marked(change[`${side}_sensitive`], path)
    )
      return v;
  }
  return undefined;
}

/** What a terraform_data is, judged by its triggers: NangoRegistration's Sync carries the provider, its Registration the integration, its Environment whether a name is recorded. */
function nangoRole(change: Json, linked: boolean): string | undefined {
  const triggers = new Set(
    ['before', 'after', 'after_unknown'].flatMap((side) =>
      Object.keys(isObject(change[side]?.triggers_replace) ? change[side].triggers_replace : {}),
    ),
  );
  if (triggers.has('unique_key') && triggers.has('provider'))
    return 'Nango registration settings (pushed to Nango on apply)';
  if (triggers.has('integration') && triggers.has('server_url'))
    return 'Nango registration (deleting it deletes the Nango integration)';
  if (triggers.has('recorded')) return 'Nango environment record (a plan naming another environment fails)';
  return linked ? 'Nango registration' : undefined;
}

export function summarizePlanJson(
  plan: unknown,
  label: string,
  integrations: readonly ReviewedIntegration[],
  apis: ApiLookups,
): PlanSummary {
  const shape = planShapeProblem(plan);
  if (shape) throw reviewPlanInvalid(label, `\`${shape.path}\` ${shape.problem}`);
  if (!isObject(plan)) throw reviewPlanInvalid(label, 'it is not an object');
  const owner = new Map(integrations.flatMap((i) => i.addresses.map((a) => [a, i.key] as const)));
  const actions = ((plan.resource_changes ?? []) as Json[]).flatMap((rc): PlannedAction[] => {
    const change: Json = rc.change ?? {};
    const kind = action(change.actions ?? []);
    if (!kind || rc.mode !== 'managed') return [];
    const address = String(rc.address);
    // for_each instances (`…["<group id>"]`) belong to the integration of their resource.
    const resourceAddress = address.replace(/\[[^\]]*\]$/, '');
    const what =
      rc.type === 'terraform_data' ? nangoRole(change, owner.has(address)) : described(String(rc.type), change, kind);
    if (!what) return [];
    const label =
      owner.get(address) ??
      owner.get(resourceAddress) ??
      safeLabel(change, ['display_name']) ??
      safeLabel(change, ['triggers_replace', 'integration']) ??
      safeLabel(change, ['triggers_replace', 'display_name']) ??
      address;
    return [{ address, what, label, action: kind, attributes: attributeChanges(change, kind, apis) }];
  });
  const changes = (plan.resource_changes ?? []) as Json[];
  return {
    label,
    actions,
    redirections: redirections(changes, owner),
    adopted: adoptedResources(changes, owner, apis),
  };
}

/** URLs of one side of a change at `path`, described rather than shown when sensitive or unknown. */
function urls(change: Json, side: 'before' | 'after', path: string[]): string[] {
  if (side === 'after' && marked(change.after_unknown, path)) return ['(known after apply)'];
  if (marked(change[`${side}_sensitive`], path)) return ['(sensitive, not shown)'];
  const v = at(change[side], path);
  return (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).map(asText);
}

/**
 * Planned updates and replacements that move where secrets or authorization codes go: the
 * `server_url` trigger of a Nango registration (the Nango secret key and the client secret are sent
 * there at apply) and the redirect URIs of an app registration (the Nango callback).
 */
function redirections(changes: readonly Json[], owner: ReadonlyMap<string, string>): PlannedRedirection[] {
  return changes.flatMap((rc): PlannedRedirection[] => {
    const change: Json = rc.change ?? {};
    const kind = action(change.actions ?? []);
    if (rc.mode !== 'managed' || (kind !== 'update' && kind !== 'replace')) return [];
    const path =
      rc.type === 'terraform_data'
        ? ['triggers_replace', 'server_url']
        : rc.type === 'azuread_application'
          ? ['web', '0', 'redirect_uris']
          : undefined;
    if (!path) return [];
    const [before, after] = [urls(change, 'before', path), urls(change, 'after', path)];
    if (JSON.stringify(before) === JSON.stringify(after) && !marked(change.after_unknown, path)) return [];
    if (rc.type === 'terraform_data' && before.length === 0) return [];
    const address = String(rc.address);
    return [
      {
        address,
        label: owner.get(address) ?? address,
        what: rc.type === 'terraform_data' ? 'Nango server URL' : 'redirect URIs',
        action: kind,
        before,
        after,
      },
    ];
  });
}

/** What a change to an imported object means for the people using the integration, most disruptive first. */
function impact(path: string): { rank: number; impact: string } {
  if (path === 'web.redirect_uris')
    return { rank: 1, impact: 'sign-ins through a removed URI fail until Nango uses a remaining one' };
  if (path === 'required_resource_access') return { rank: 2, impact: 'the permissions users consent to change' };
  if (path === 'claim_values')
    return { rank: 2, impact: 'the admin consent changes: tokens lose or gain these scopes at their next refresh' };
  if (path === 'sign_in_audience') return { rank: 3, impact: 'who may sign in changes' };
  if (path === 'owners') return { rank: 4, impact: 'who may manage the app changes' };
  return { rank: 5, impact: 'no effect on connections' };
}

/** The redirect URIs of an application value's `web` block. */
const redirectUris = (v: unknown): string[] => {
  const web = at(v, ['web', '0', 'redirect_uris']);
  return Array.isArray(web) ? web.map(asText) : [];
};

/**
 * Resources the plan imports (their change carries `importing`, Terraform's JSON output format; see
 * docs/adopting.md) and what the same apply changes on them, riskiest first.
 */
function adoptedResources(
  changes: readonly Json[],
  owner: ReadonlyMap<string, string>,
  apis: ApiLookups,
): AdoptedResource[] {
  const adopted = changes.flatMap((rc): AdoptedResource[] => {
    const change: Json = rc.change ?? {};
    if (rc.mode !== 'managed' || !isObject(change.importing)) return [];
    const actions: string[] = change.actions ?? [];
    const kind = actions.length === 1 && actions[0] === 'no-op' ? 'no-op' : action(actions);
    if (!kind) return [];
    const address = String(rc.address);
    const what =
      WHAT[rc.type] ??
      (rc.type === 'terraform_data' ? nangoRole(change, owner.has(address)) : undefined) ??
      String(rc.type);
    const label = owner.get(address) ?? safeLabel(change, ['display_name']) ?? address;
    const attributes = kind === 'update' || kind === 'replace' ? attributeChanges(change, kind, apis) : [];
    const [was, is] = [redirectUris(change.before), redirectUris(change.after)];
    const uriChange: PlannedAttributeChange[] =
      rc.type === 'azuread_application' && JSON.stringify(was) !== JSON.stringify(is)
        ? [
            {
              path: 'web.redirect_uris',
              added: is.filter((u) => !was.includes(u)),
              removed: was.filter((u) => !is.includes(u)),
              forcesReplacement: false,
            },
          ]
        : [];
    const ranked: AdoptedChange[] = [
      ...uriChange,
      ...attributes.filter((c) => !(uriChange.length > 0 && c.path === 'web' && c.note === 'changed')),
    ]
      .map((c) => ({ ...c, ...impact(c.path) }))
      .sort((a, b) => a.rank - b.rank || a.path.localeCompare(b.path));
    const rank = kind === 'replace' || kind === 'delete' ? 0 : Math.min(6, ...ranked.map((c) => c.rank));
    return [
      {
        address,
        what,
        label,
        importId: typeof change.importing.id === 'string' ? change.importing.id : '',
        action: kind,
        rank,
        changes: ranked,
      },
    ];
  });
  return adopted.sort((a, b) => a.rank - b.rank || a.address.localeCompare(b.address));
}

/** A --plan file that is not `terraform show -json` output. */
export function reviewPlanInvalid(file: string, reason: string): KindoConfigError {
  return new KindoConfigError(
    'REVIEW_PLAN_INVALID',
    `${show(file)} is not a Terraform plan in JSON (${reason}); expected the output of \`terraform show -json <planfile>\`, not the plan file itself or \`terraform plan\` text`,
  );
}

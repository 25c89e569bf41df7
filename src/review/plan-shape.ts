import { show } from '../core/errors';
import { formatPath, type JsonPath } from '../adopt/json-input';

// The parts of `terraform show -json` output the review reads, checked before it reads them, so that a
// mangled or hostile --plan is refused naming where it is wrong instead of failing inside the review
// (Terraform's format: developer.hashicorp.com/terraform/internals/json-format, "Change Representation").

type Json = Record<string, unknown>;

/** Where a plan is not shaped as Terraform writes it: the JSON path, the value found and what is expected. */
export interface PlanShapeProblem {
  readonly path: string;
  readonly problem: string;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isPathStep = (v: unknown) => typeof v === 'string' || typeof v === 'number';

class Refusal {
  constructor(readonly problem: PlanShapeProblem) {}
}

function check(ok: boolean, path: JsonPath, value: unknown, expected: string): void {
  if (!ok)
    throw new Refusal({
      path: path.length > 0 ? formatPath(path) : 'the document',
      problem: `is ${show(value)}; expected ${expected}`,
    });
}

/** A list at `path` whose items each pass `item`. */
function list(value: unknown, path: JsonPath, expected: string, item: (v: unknown, at: JsonPath) => void): void {
  check(Array.isArray(value), path, value, expected);
  for (const [n, v] of (value as unknown[]).entries()) item(v, [...path, n]);
}

/** The delegated permissions the review names: `required_resource_access` of one side of a change. */
function checkPermissions(side: unknown, path: JsonPath): void {
  if (!isObject(side) || side.required_resource_access == null) return;
  list(side.required_resource_access, [...path, 'required_resource_access'], 'a list of APIs', (api, at) => {
    check(isObject(api), at, api, 'an object { resource_app_id, resource_access }');
    const { resource_app_id: appId, resource_access: access } = api as Json;
    check(isString(appId), [...at, 'resource_app_id'], appId, 'an application ID (a string)');
    if (access == null) return;
    list(access, [...at, 'resource_access'], 'a list of permissions', (p, pAt) => {
      check(isObject(p), pAt, p, 'an object { id, type }');
      const { id, type } = p as Json;
      check(isString(id), [...pAt, 'id'], id, 'a permission ID (a string)');
      check(isString(type), [...pAt, 'type'], type, "'Scope' or 'Role'");
    });
  });
}

function checkChange(change: unknown, path: JsonPath): void {
  check(isObject(change), path, change, 'an object { actions, before, after, … }');
  const c = change as Json;
  list(c.actions, [...path, 'actions'], "a list of actions such as ['update']", (a, at) =>
    check(isString(a), at, a, "an action such as 'create'"),
  );
  if (c.replace_paths != null)
    list(c.replace_paths, [...path, 'replace_paths'], 'a list of attribute paths', (p, at) =>
      list(p, at, "an attribute path such as ['display_name']", (step, stepAt) =>
        check(isPathStep(step), stepAt, step, 'an attribute name or index'),
      ),
    );
  for (const side of ['before', 'after'] as const) checkPermissions(c[side], [...path, side]);
}

function checkResourceChange(rc: unknown, path: JsonPath): void {
  check(isObject(rc), path, rc, 'an object { address, mode, type, change }');
  for (const field of ['address', 'mode', 'type'] as const) {
    const value = (rc as Json)[field];
    check(isString(value), [...path, field], value, `a ${field} (a string)`);
  }
  checkChange((rc as Json).change, [...path, 'change']);
}

/** The first place where `plan` is not shaped as the review reads it; undefined when it is. */
export function planShapeProblem(plan: unknown): PlanShapeProblem | undefined {
  try {
    check(isObject(plan), [], plan, 'an object');
    const { format_version: version, resource_changes: changes } = plan as Json;
    check(isString(version), ['format_version'], version, "Terraform's format version, such as '1.2'");
    if (changes !== undefined) list(changes, ['resource_changes'], 'a list of resource changes', checkResourceChange);
    return undefined;
  } catch (e) {
    if (e instanceof Refusal) return e.problem;
    throw e;
  }
}

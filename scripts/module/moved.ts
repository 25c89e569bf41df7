import type { Element } from './elements';
import v010 from './v0.1.0-addresses.json';
import { ModuleGeneratorError } from './generator-error';

// Anyone who applied a release re-plans clean after upgrading: each of its addresses moves to the
// block that now holds the object, release by release, as terraform-aws-modules' migrations.tf do.

/** The release this layout ships in: the modules' sources name it, and moved.tf upgrades to it. */
export const RELEASE = '0.2.0';

/** A group of moves: the release they upgrade from, and why its addresses differ. */
export interface Migration {
  readonly from: string;
  readonly why: readonly string[];
  readonly moves: readonly { readonly from: string; readonly to: string }[];
}

/** The old name of an object in v0.1.0, whose module kept the constructs' paths: `teams_admin_consent_microsoft_graph`. */
const v010Address = (e: Element) =>
  `${e.type}.${[e.integration!, ...e.segments].map((s) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()).join('_')}[${JSON.stringify(e.integration)}]`;

/** The main module's migrations, from its elements and their instance addresses. */
export function migrations(elements: readonly Element[], instances: ReadonlyMap<Element, string>): Migration[] {
  const moves = v010.addresses.map((from) => {
    const e = elements.find((x) => x.kind === 'resource' && x.integration && v010Address(x) === from);
    if (!e) throw moduleAddressWithoutSuccessor(from);
    return { from, to: instances.get(e)! };
  });
  return [
    {
      from: '0.1.0',
      why: [
        'v0.1.0 wrote one block per integration and kind (azuread_application.teams_application["teams"]);',
        `v${RELEASE} writes one block per kind, with for_each over the enabled integrations.`,
      ],
      moves,
    },
  ];
}

/** An address of the module's previous release that no object of the constructs takes over, so no `moved` block can carry it. */
export function moduleAddressWithoutSuccessor(address: string): ModuleGeneratorError {
  return new ModuleGeneratorError(
    'MODULE_ADDRESS_WITHOUT_SUCCESSOR',
    `${address} of the module's v0.1.0 has no object in the constructs to move to; expected every v0.1.0 address to have one, or a \`removed\` block for it in the module generator`,
  );
}

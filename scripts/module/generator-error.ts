/**
 * The constructs synthesized something the module generator cannot fold into HCL. Raised only by
 * `npm run module` in this repository, never to a user of the package.
 */
export class ModuleGeneratorError extends Error {
  constructor(
    /** Stable code, e.g. `MODULE_COPIES_DIFFER`. */
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ModuleGeneratorError';
  }
}

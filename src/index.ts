// The public API: what a cdktf app needs to use the constructs and to run the review and verify
// steps from code. Everything else (validators, error factories, Terraform helpers) is internal and
// may change in any release. api/kindo-microsoft-integrations.api.md records this surface: a change
// to it shows as a diff there (`npm run api`).

// Errors.
export { ERROR_CODES, KindoConfigError, type KindoErrorCode } from './core/errors';

// The catalog's ids and the shapes the constructs expose.
export {
  INTEGRATION_IDS,
  type Catalog,
  type CatalogApi,
  type CatalogConnectionField,
  type CatalogPermission,
  type IntegrationDefinition,
  type IntegrationId,
} from './catalog/catalog';
export type { AddedPermission, PermissionDeviation } from './catalog/permission-changes';

// Constructs, their props and enums.
export type {
  ExistingApp,
  ExistingAppProps,
  ExistingClientSecret,
  ExistingSaasConsent,
} from './constructs/existing-app';
export type { AllowedGroups, WhoMayConnectOptions } from './constructs/who-may-connect';
export {
  MicrosoftIntegrationApp,
  SignInAudience,
  type MicrosoftIntegrationAppOptions,
  type MicrosoftIntegrationAppProps,
  type NangoOptions,
} from './constructs/microsoft-integration-app';
export {
  KindoMicrosoftIntegrations,
  type KindoMicrosoftIntegrationsProps,
} from './constructs/kindo-microsoft-integrations';
export {
  KindoMicrosoftIntegrationsStack,
  adoptionFromFile,
  integrationsFromEnvironment,
  type KindoAdoption,
  type KindoMicrosoftIntegrationsStackProps,
} from './constructs/kindo-microsoft-integrations-stack';
export {
  KindoSaasConsent,
  type KindoSaasConsentProps,
  type KindoSaasIntegration,
} from './constructs/kindo-saas-consent';
export { NangoRegistration, type NangoRegistrationProps } from './nango/nango-registration';

// The review (`review` command) from code.
export {
  REVIEW_EXIT,
  buildReviewReport,
  diffReviews,
  loadSynthesizedStacks,
  renderReviewMarkdown,
  reviewExitCode,
  reviewStacks,
  summarizePlan,
} from './review/review';
export type * from './review/types';

// The comparison of Nango with Terraform's state (`verify` command) from code.
export {
  VERIFY_EXIT,
  registrationsFromState,
  renderVerifyTable,
  verifyRegistrations,
  type StateRegistration,
  type VerifiedIntegration,
  type VerifyCheck,
  type VerifyOptions,
  type VerifyReport,
  type VerifyStatus,
} from './nango/verify';

# For Kindo SaaS, whose app registrations live in Kindo's tenant: per enabled integration the service
# principal of Kindo's app in this tenant, its tenant-wide consent grants and who may connect
# (main.entra.tf, folded from KindoSaasConsent by `npm run module`). Files without a "Generated" header
# are written by hand.
#
# The catalog and what remove_permissions and add_permissions make of it: the main module's.
module "catalog" {
  source = "../catalog"

  integrations = var.integrations
}

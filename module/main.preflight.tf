# The tenant preflight, shared with modules/kindo-saas-consent: the plan stops, before any change, when a
# Microsoft API the enabled integrations request has no service principal in the tenant, or publishes a
# requested scope under another ID. The consent grants read each API's service principal from it.
module "tenant_preflight" {
  source = "./modules/tenant-preflight"

  requested_permissions = module.catalog.requested_permissions
  requester             = "integration"
}

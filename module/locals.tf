# Named values the module's blocks read. The blocks folded from the constructs (main.entra.tf,
# main.nango.tf, checks.tf) are written with these names: wherever a construct's body holds one of the
# one-line expressions below, `npm run module` writes `local.<name>` instead.

locals {
  nango_server_url   = trimsuffix(var.nango_server_url, "/")
  nango_callback_url = coalesce(var.nango_callback_url, "${local.nango_server_url}/oauth/callback")
  # As the messages about a change of Nango environment name the one given.
  nango_environment_named = coalesce(var.nango_environment, "none")

  # GUIDs in lower case, as Graph returns them: azuread compares IDs as given, and an ID in capitals
  # would differ from what it reads back on every plan (a replacement, where the argument forces one).
  owners    = [for o in var.owners : lower(o)]
  tenant_id = var.tenant_id == null ? data.azuread_client_config.client_config.tenant_id : lower(var.tenant_id)
  # The owners of each integration's app and service principal: the given ones and the identity that
  # first applied the integration, as its record keeps it (docs/entra-apps.md#owners). Owners taken from
  # whoever plans would flip between identities: azuread removes every owner not listed.
  integration_owners = {
    for id, record in terraform_data.first_applier : id => distinct(concat(local.owners, [record.input.object_id]))
  }

  # Each enabled integration: its catalog entry and effective permissions (modules/catalog), and its
  # settings with their defaults. An unknown id is left out: the catalog's validation names it.
  integrations = {
    for id, settings in var.integrations : id => merge(module.catalog.integrations[id], {
      nango_unique_key = coalesce(try(settings.nango.unique_key, null), "kindo-${id}")
      nango_provider = (
        try(settings.nango.provider, null) == null
        ? module.catalog.integrations[id].nango_provider
        : settings.nango.provider
      )
      # The constructs register the apps' tenant as tenant_id unless the fields give one.
      nango_fields         = merge({ tenant_id = local.tenant_id }, try(settings.nango.fields, {}))
      nango_adopt_existing = try(settings.nango.adopt_existing, false)
      allowed_groups       = [for g in coalesce(settings.allowed_groups, var.allowed_groups) : lower(g)]
      # As the constructs do for an adopted app without its service principal's ID: the portal made one
      # at the first consent, and creating another fails.
      use_existing_service_principal = try(settings.existing_app.service_principal_object_id == null, false)
    })
    if contains(keys(module.catalog.integrations), id)
  }

  nango_adoptions = [for id, integration in local.integrations : id if integration.nango_adopt_existing]

  # One assignment per integration and group, keyed "<integration>/<group object ID>", so that adding or
  # removing a group touches no other.
  allowed_group_assignments = merge([
    for id, integration in local.integrations : {
      for group in integration.allowed_groups : "${id}/${group}" => { integration = id, group = group }
    }
  ]...)

  # Patterns in RE2, which has no lookahead: the Fabric host's length is checked on its own.
  fabric_host_pattern     = "^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$"
  tcp_port_pattern        = "^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$"
  fabric_database_pattern = "^[^\\s\\][;'\"]([^\\][;'\"]{0,126}[^\\s\\][;'\"])?$"
}

output "integrations" {
  description = <<-EOT
    Per enabled integration id: its catalog entry (display_name, auth_flow, nango_provider) and, after
    remove_permissions and add_permissions, its permissions, required_resource_access (scope IDs by API
    application ID), Nango scopes, and permission_deviations (the notes' "-Mail.Send" and "+Mail.Read").
  EOT
  value = {
    for id, permissions in local.permissions : id => {
      display_name          = local.catalog[id].display_name
      auth_flow             = local.catalog[id].auth_flow
      nango_provider        = local.catalog[id].nango_provider
      permissions           = permissions
      resource_access       = { for p in permissions : p.resource_app_id => p.id... }
      nango_scopes          = local.nango_scopes[id]
      permission_deviations = local.deviations[id]
    }
  }
}

output "integration_apis" {
  description = <<-EOT
    Per "<integration id>/<API name>" of the enabled integrations, the API and the names of the scopes
    requested of it (claim_values): what one tenant-wide admin consent grant holds.
  EOT
  value = merge([
    for id, permissions in local.permissions : {
      for api, names in { for p in permissions : p.api => p.name... } :
      "${id}/${api}" => { integration = id, api = api, claim_values = names }
    }
  ]...)
}

output "requested_permissions" {
  description = "Every permission the enabled integrations request, each with the requesting integration's id."
  value = flatten([
    for id, permissions in local.permissions : [for p in permissions : merge(p, { integration = id })]
  ])
}

output "delegated" {
  description = "Ids of the integrations that sign users in (delegated permissions), all but fabric."
  value       = local.delegated
}

output "rules" {
  description = "The constructs' rules for inputs both modules take: patterns, limits and Nango's providers (rules.tf)."
  value       = local.rules
}

# Written by hand: Kindo's guide lists (catalog.tf) changed by each enabled integration's
# remove_permissions and add_permissions, as src/catalog/effective-permissions.ts changes them for the
# constructs, and the notes' record of each change, as src/constructs/microsoft-integration-app.ts writes
# it. test/module/module.e2e.test.ts compares both with the constructs for the same changes.

locals {
  delegated = [for id, entry in local.catalog : id if entry.auth_flow == "delegated"]

  # Every scope the catalog names, for checking added permissions against it.
  catalog_permissions = distinct(flatten([for entry in values(local.catalog) : entry.permissions]))

  # Known ids only: the variable's validation names an unknown one, and nothing else fails on it.
  enabled = { for id, changes in var.integrations : id => changes if contains(keys(local.catalog), id) }

  removed = {
    for id, changes in local.enabled : id => [
      for p in local.catalog[id].permissions : p
      if anytrue([for r in changes.remove_permissions : contains([p.name, "${p.api}/${p.name}"], r)])
    ]
  }

  # Additions to APIs the integration does not use are refused by the variable's validation.
  added = {
    for id, changes in local.enabled : id => [
      for a in changes.add_permissions : {
        api             = a.api
        resource_app_id = local.apis[a.api].resource_app_id
        name            = a.name
        id              = lower(a.id)
      }
      if contains(local.catalog[id].permissions[*].api, a.api)
    ]
  }

  permissions = {
    for id, removed in local.removed : id => concat(
      [for p in local.catalog[id].permissions : p if !contains(removed, p)],
      local.added[id],
    )
  }

  # As the notes name a permission: "<API>/<name>", or the name alone for Microsoft Graph.
  deviations = {
    for id, removed in local.removed : id => concat(
      [for p in removed : "-${p.api == "Microsoft Graph" ? "" : "${p.api}/"}${p.name}"],
      [for p in local.added[id] : "+${p.api == "Microsoft Graph" ? "" : "${p.api}/"}${p.name}"],
    )
  }

  # Nango signs users in to Microsoft Graph only; the other APIs are reached with the refresh token.
  # offline_access comes first, whether or not the list has it.
  nango_scopes = {
    for id, permissions in local.permissions : id => join(",", concat(["offline_access"], [
      for p in permissions : p.name if p.api == "Microsoft Graph" && p.name != "offline_access"
    ]))
  }
}

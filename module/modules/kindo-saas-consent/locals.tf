# Named values the module's blocks read; main.entra.tf, folded from KindoSaasConsent by
# `npm run module`, is written with these names.

locals {
  # GUIDs in lower case, as Graph returns them: azuread compares IDs as given, and a client ID or group
  # ID in capitals would force the service principal's or assignment's replacement on every plan.
  owners = [for o in var.owners : lower(o)]
  # The owners of each service principal: the given ones and the identity that first applied the
  # integration, as its record keeps it (docs/entra-apps.md#owners).
  integration_owners = {
    for id, record in terraform_data.first_applier : id => distinct(concat(local.owners, [record.input.object_id]))
  }

  # Each enabled integration: its catalog entry and effective permissions (../catalog) and its settings.
  # An unknown id is left out: the catalog's validation names it.
  integrations = {
    for id, settings in var.integrations : id => merge(module.catalog.integrations[id], {
      client_id      = lower(settings.client_id)
      allowed_groups = [for g in coalesce(settings.allowed_groups, var.allowed_groups) : lower(g)]
    })
    if contains(keys(module.catalog.integrations), id)
  }

  # One assignment per integration and group, keyed "<integration>/<group object ID>", so that adding or
  # removing a group touches no other.
  allowed_group_assignments = merge([
    for id, integration in local.integrations : {
      for group in integration.allowed_groups : "${id}/${group}" => { integration = id, group = group }
    }
  ]...)
}

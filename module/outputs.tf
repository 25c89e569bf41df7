output "integrations" {
  description = <<-EOT
    Per enabled integration id: client ID, object IDs, client secret's key ID and expiry, redirect URI and
    Nango registration, for Kindo and Nango. Microsoft Fabric has no redirect URI and no Nango
    registration: it signs in with client credentials.
  EOT
  value = {
    for id in keys(azuread_application.this) : id => {
      display_name                = azuread_application.this[id].display_name
      client_id                   = azuread_application.this[id].client_id
      application_object_id       = azuread_application.this[id].object_id
      service_principal_object_id = azuread_service_principal.this[id].object_id
      secret_key_id               = azuread_application_password.this[id].key_id
      secret_expires_at           = azuread_application_password.this[id].end_date
      redirect_uri                = local.integrations[id].auth_flow == "delegated" ? local.nango_callback_url : null
      nango_unique_key            = local.integrations[id].auth_flow == "delegated" ? local.integrations[id].nango_unique_key : null
      nango_provider              = local.integrations[id].auth_flow == "delegated" ? local.integrations[id].nango_provider : null
      nango_fields                = local.integrations[id].auth_flow == "delegated" ? local.integrations[id].nango_fields : null
    }
  }
}

output "client_secrets" {
  description = "Client secret per enabled integration id. Sensitive: read with `terraform output -json`."
  value       = { for id in keys(azuread_application_password.this) : id => azuread_application_password.this[id].value }
  sensitive   = true
}

output "tenant_id" {
  description = "Directory (tenant) ID of the apps."
  value       = local.tenant_id
}

output "fabric_connection" {
  description = <<-EOT
    Values for Kindo's Microsoft Fabric connection form when fabric is enabled, else null; the client
    secret is client_secrets["fabric"].
  EOT
  value = contains(keys(local.integrations), "fabric") ? {
    tenant_id          = local.tenant_id
    client_id          = azuread_application.this["fabric"].client_id
    sql_endpoint_host  = var.fabric_sql_endpoint_host
    lakehouse_database = var.fabric_lakehouse_database
  } : null
}

output "hand_made_client_secrets" {
  description = <<-EOT
    Per adopted integration id (integrations[<id>].existing_app): its client secrets made by hand, left in
    place, with the command that deletes each once Kindo works with the new secret.
  EOT
  value = {
    for id, settings in var.integrations : id => [
      for secret in settings.existing_app.client_secrets : {
        key_id      = lower(secret.key_id)
        expires     = secret.expires
        description = secret.description
        delete_command = join(" ", [
          "az ad app credential delete",
          "--id ${lower(settings.existing_app.application_object_id)}",
          "--key-id ${lower(secret.key_id)}",
        ])
      }
    ]
    if try(length(settings.existing_app.client_secrets) > 0, false)
  }
}

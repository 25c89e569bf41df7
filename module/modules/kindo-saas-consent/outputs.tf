output "service_principal_object_ids" {
  description = "Object ID of the service principal (enterprise application) of Kindo's app, per enabled integration id."
  value       = { for id, sp in azuread_service_principal.this : id => sp.object_id }
}

output "service_principals" {
  description = <<-EOT
    Per enabled integration id: Kindo's client ID, the service principal's object ID and display name
    (Kindo's app's), and whether users must be assigned, for the admin's Enterprise applications,
    Conditional Access and sign-in logs.
  EOT
  value = {
    for id, sp in azuread_service_principal.this : id => {
      client_id                    = sp.client_id
      object_id                    = sp.object_id
      display_name                 = sp.display_name
      app_role_assignment_required = sp.app_role_assignment_required
    }
  }
}

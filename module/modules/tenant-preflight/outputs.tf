output "service_principal_object_ids" {
  description = "Object ID of the tenant's service principal of each requested Microsoft API, by the API's catalog name."
  value       = { for api, lookup in data.azuread_service_principal.api : api => lookup.object_id }
}

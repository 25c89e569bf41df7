variable "requested_permissions" {
  description = <<-EOT
    Every delegated permission the enabled integrations request: the API's catalog name and application
    ID, the scope's name and ID, and the requesting integration's id (modules/catalog's output of the same
    name).
  EOT
  type = list(object({
    integration     = string
    api             = string
    resource_app_id = string
    name            = string
    id              = string
  }))
  nullable = false
}

variable "requester" {
  description = "How the messages name an integration, before its id: \"integration\" or \"Kindo SaaS integration\"."
  type        = string
  nullable    = false
}

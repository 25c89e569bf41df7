# The module's inputs, written by hand. Integration ids and permission changes are checked by
# ../catalog, which takes `integrations` as it is; GUID patterns come from its `rules` output.

variable "integrations" {
  description = <<-EOT
    The Kindo Microsoft integrations to prepare in this tenant for Kindo SaaS, by id; each gets the service
    principal of Kindo's app for it. Ids: defender, ediscovery, entra-id, entra-id-governance, excel-online,
    fabric, graph-security, intune, outlook, outlook-calendar, purview-compliance, purview-data-governance,
    sharepoint-online, teams.

    - `client_id` - the application (client) ID of Kindo's app for the integration, as Kindo publishes it
      for Kindo SaaS, in any case (written in lower case). No default: ask Kindo for the IDs of your region.
    - `remove_permissions` - (Optional) permissions of Kindo's guide list (PERMISSIONS.md) to leave out of
      the tenant-wide grants, by name or as "<API>/<name>" where two APIs share the name, e.g.
      `["Mail.Send"]`. Kindo's app may still ask for them at sign-in, where only an admin can then consent;
      the service principal's notes record each removal. `offline_access` is refused: Kindo needs its
      refresh token.
    - `add_permissions` - (Optional) delegated permissions beyond the guide list to consent to: `api` (its
      catalog name, one the integration's guide list uses: one grant per such API), `name` and `id` as the
      API's service principal publishes the scope, `justification` (at least 20 characters), and for
      reviewers `access` ("read" or "write", default "write") and `admin_consent_required` (default
      true). The service principal's notes record each addition.
    - `allowed_groups` - (Optional) object IDs of the groups whose direct members may connect this
      integration. Default: the module's `allowed_groups`.
  EOT
  type = map(object({
    client_id          = string
    remove_permissions = optional(list(string), [])
    add_permissions = optional(list(object({
      api                    = string
      name                   = string
      id                     = string
      justification          = string
      access                 = optional(string, "write")
      admin_consent_required = optional(bool, true)
    })), [])
    allowed_groups = optional(list(string))
  }))
  nullable = false

  validation {
    condition = alltrue([for i in values(var.integrations) : can(regex(module.catalog.rules.guid, i.client_id))])
    error_message = join("", [
      join("; ", [
        for id, i in var.integrations : "integrations[\"${id}\"].client_id is ${jsonencode(i.client_id)}"
        if !can(regex(module.catalog.rules.guid, i.client_id))
      ]),
      "; expected a GUID such as \"00000000-0000-0000-0000-000000000000\".",
    ])
  }

  validation {
    condition = length(distinct([for i in values(var.integrations) : lower(i.client_id)])) == length(var.integrations)
    error_message = join("", [
      join("; ", [
        for client_id in distinct([for i in values(var.integrations) : lower(i.client_id)]) : join("", [
          "integrations gives ",
          join(" and ", [for id, i in var.integrations : id if lower(i.client_id) == client_id]),
          " the same client_id ${client_id}",
        ])
        if length([for i in values(var.integrations) : i if lower(i.client_id) == client_id]) > 1
      ]),
      "; expected each integration's own client ID as Kindo publishes it (one service principal, and one",
      " set of grants, per integration).",
    ])
  }

  validation {
    condition = alltrue(flatten([
      for i in values(var.integrations) : [for g in i.allowed_groups : can(regex(module.catalog.rules.guid, g))]
      if i.allowed_groups != null
    ]))
    error_message = join("", [
      join("; ", flatten([
        for id, i in var.integrations : [
          for n, g in i.allowed_groups : "integrations[\"${id}\"].allowed_groups[${n}] is ${jsonencode(g)}"
          if !can(regex(module.catalog.rules.guid, g))
        ]
        if i.allowed_groups != null
      ])),
      "; expected a GUID such as \"00000000-0000-0000-0000-000000000000\".",
    ])
  }

  validation {
    condition = var.require_assignment || alltrue([
      for i in values(var.integrations) : length(coalesce(i.allowed_groups, [])) == 0
    ])
    error_message = join("", [
      join("; ", [
        for id, i in var.integrations : "integrations[\"${id}\"].allowed_groups is ${jsonencode(i.allowed_groups)}"
        if length(coalesce(i.allowed_groups, [])) > 0
      ]),
      " but require_assignment is not true, so every user of the tenant may connect and the list restricts",
      " nobody; expected require_assignment = true with the groups, or no allowed_groups.",
    ])
  }
}

variable "allowed_groups" {
  description = <<-EOT
    Object IDs of the groups whose direct members may connect every integration that has no
    `allowed_groups` of its own, each assigned the default access role of its enterprise application.
    Only with require_assignment = true. Group-based assignment needs Entra ID P1 or P2.
  EOT
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition = alltrue([for g in var.allowed_groups : can(regex(module.catalog.rules.guid, g))])
    error_message = join("", [
      join("; ", [
        for n, g in var.allowed_groups : "allowed_groups[${n}] is ${jsonencode(g)}"
        if !can(regex(module.catalog.rules.guid, g))
      ]),
      "; expected a GUID such as \"00000000-0000-0000-0000-000000000000\".",
    ])
  }

  validation {
    condition = var.require_assignment || length(var.allowed_groups) == 0
    error_message = join("", [
      "allowed_groups is ${jsonencode(var.allowed_groups)} but require_assignment is not true, so every user",
      " of the tenant may connect and the list restricts nobody; expected require_assignment = true with the",
      " groups, or no allowed_groups.",
    ])
  }
}

variable "require_assignment" {
  description = <<-EOT
    Require users to be assigned to the enterprise application before Entra ID issues it a token
    (app_role_assignment_required). Users are assigned through allowed_groups, or by an administrator
    under Enterprise applications.
  EOT
  type        = bool
  default     = false
  nullable    = false
}

variable "owners" {
  description = <<-EOT
    Object IDs of the users or service principals that own the service principals, in any case (written
    in lower case), besides the identity that first applied each integration, recorded
    (terraform_data.first_applier) so that two identities never remove each other
    (docs/entra-apps.md#owners).
  EOT
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition = alltrue([for o in var.owners : can(regex(module.catalog.rules.guid, o))])
    error_message = join("", [
      "owners has ",
      join(", ", [for o in var.owners : o if !can(regex(module.catalog.rules.guid, o))]),
      "; expected object IDs (GUIDs) such as \"00000000-0000-0000-0000-000000000000\".",
    ])
  }
}

variable "admin_consent" {
  description = <<-EOT
    Consent tenant-wide, for every user, to each integration's delegated permissions (one grant per API).
    With false, the service principals are created with no grant, and each user (or an admin, in Entra)
    consents at first sign-in.
  EOT
  type        = bool
  default     = true
  nullable    = false
}

# Written by hand. Both modules that call this one pass their own `integrations` variable, so the rules
# below speak of `integrations` and its paths, and hold for the main module and the Kindo SaaS one alike.

variable "integrations" {
  description = <<-EOT
    The enabled Kindo Microsoft integrations by id, with how each changes Kindo's guide list of delegated
    permissions (PERMISSIONS.md); other attributes of the caller's objects are not read:

    - `remove_permissions` - permissions of the guide list to leave out, by name, or as "<API>/<name>"
      where two APIs share the name.
    - `add_permissions` - delegated permissions beyond the guide list: the API by its catalog name, one the
      integration's guide list uses; the scope's name and ID; a justification of at least 20 characters;
      and, for reviewers, its access ("read" or "write") and whether it requires admin consent.
  EOT
  type = map(object({
    remove_permissions = optional(list(string), [])
    add_permissions = optional(list(object({
      api                    = string
      name                   = string
      id                     = string
      justification          = string
      access                 = optional(string, "write")
      admin_consent_required = optional(bool, true)
    })), [])
  }))
  nullable = false

  validation {
    condition = length(setsubtract(keys(var.integrations), keys(local.catalog))) == 0
    error_message = join("", [
      "integrations has unknown ids: ${join(", ", setsubtract(keys(var.integrations), keys(local.catalog)))};",
      " expected ids from: ${join(", ", keys(local.catalog))}.",
    ])
  }

  validation {
    condition = alltrue([
      for id, i in var.integrations : length(i.remove_permissions) + length(i.add_permissions) == 0
      if contains(keys(local.catalog), id) && !contains(local.delegated, id)
    ])
    error_message = join("", [
      join("; ", [
        for id, i in var.integrations : "integrations[\"${id}\"] changes its permissions"
        if contains(keys(local.catalog), id) && !contains(local.delegated, id)
        && length(i.remove_permissions) + length(i.add_permissions) > 0
      ]),
      "; expected remove_permissions and add_permissions only for delegated integrations (fabric signs in",
      " with client credentials, where delegated permissions do not apply).",
    ])
  }

  validation {
    condition = alltrue(flatten([
      for id, i in var.integrations : [
        for r in i.remove_permissions : length([
          for p in local.catalog[id].permissions : p if contains([p.name, "${p.api}/${p.name}"], r)
        ]) == 1
      ]
      if contains(local.delegated, id)
    ]))
    error_message = format("%s.", join("; ", flatten([
      for id, i in var.integrations : [
        for n, r in i.remove_permissions : join("", [
          "integrations[\"${id}\"].remove_permissions[${n}] is \"${r}\", which does not name exactly one",
          " permission of ${id}; expected one of its guide list: ",
          join(", ", [
            for p in local.catalog[id].permissions :
            length(distinct(local.catalog[id].permissions[*].api)) > 1 ? "${p.api}/${p.name}" : p.name
          ]),
        ])
        if length([
          for p in local.catalog[id].permissions : p if contains([p.name, "${p.api}/${p.name}"], r)
        ]) != 1
      ]
      if contains(local.delegated, id)
    ])))
  }

  # As the constructs refuse it (src/constructs/admin-consent.ts): Nango requests offline_access at every
  # sign-in, so without it the scope would be asked for but neither registered nor consented.
  validation {
    condition = alltrue(flatten([
      for i in values(var.integrations) : [for r in i.remove_permissions : !endswith("/${r}", "/offline_access")]
    ]))
    error_message = format("%s.", join("; ", flatten([
      for id, i in var.integrations : [
        for n, r in i.remove_permissions : join("", [
          "integrations[\"${id}\"].remove_permissions[${n}] is \"${r}\"; expected it kept: Nango requests",
          " offline_access at every sign-in, and Kindo needs its refresh token",
          " (docs/troubleshooting.md#synth-stops-offline_access-cannot-be-removed)",
        ])
        if endswith("/${r}", "/offline_access")
      ]
    ])))
  }

  validation {
    condition = alltrue(flatten([
      for id, i in var.integrations : [
        for a in i.add_permissions : contains(local.catalog[id].permissions[*].api, a.api)
      ]
      if contains(local.delegated, id)
    ]))
    error_message = format("%s.", join("; ", flatten([
      for id, i in var.integrations : [
        for n, a in i.add_permissions : join("", [
          "integrations[\"${id}\"].add_permissions[${n}].api is \"${a.api}\"",
          contains(keys(local.apis), a.api)
          ? join("", [
            ", which the guide list of ${id} does not use; expected one of its APIs, ",
            join(", ", distinct(local.catalog[id].permissions[*].api)),
            ", since the module grants admin consent only to those",
          ])
          : "; expected one of the APIs the catalog knows: ${join(", ", distinct(local.catalog_permissions[*].api))}",
        ])
        if !contains(local.catalog[id].permissions[*].api, a.api)
      ]
      if contains(local.delegated, id)
    ])))
  }

  validation {
    condition = alltrue(flatten([
      for id, i in var.integrations : [
        for a in i.add_permissions : (
          can(regex(local.rules.scope_name, a.name))
          && can(regex(local.rules.guid, a.id))
          && length(trimspace(a.justification)) >= local.rules.min_justification
          && contains(["read", "write"], a.access)
        )
      ]
      if contains(local.delegated, id)
    ]))
    error_message = format("%s.", join("; ", flatten([
      for id, i in var.integrations : [
        for n, a in i.add_permissions : join("; ", compact([
          can(regex(local.rules.scope_name, a.name)) ? "" : join("", [
            "integrations[\"${id}\"].add_permissions[${n}].name is \"${a.name}\"; expected a delegated scope",
            " name such as \"Mail.Read\"",
          ]),
          can(regex(local.rules.guid, a.id)) ? "" : join("", [
            "integrations[\"${id}\"].add_permissions[${n}].id is \"${a.id}\"; expected a GUID such as",
            " \"00000000-0000-0000-0000-000000000000\"",
          ]),
          length(trimspace(a.justification)) >= local.rules.min_justification ? "" : join("", [
            "integrations[\"${id}\"].add_permissions[${n}].justification is \"${a.justification}\"; expected",
            " a justification of at least ${local.rules.min_justification} characters saying why the",
            " integration needs this permission beyond Kindo's guide",
          ]),
          contains(["read", "write"], a.access) ? "" : join("", [
            "integrations[\"${id}\"].add_permissions[${n}].access is \"${a.access}\"; expected \"read\" or",
            " \"write\"",
          ]),
        ]))
      ]
      if contains(local.delegated, id)
    ])))
  }

  validation {
    condition = alltrue(flatten([
      for id, i in var.integrations : [
        for a in i.add_permissions : [
          for p in local.catalog_permissions : p.api != a.api || (p.name == a.name) == (p.id == lower(a.id))
        ]
      ]
      if contains(local.delegated, id)
    ]))
    error_message = format("%s.", join("; ", flatten([
      for id, i in var.integrations : [
        for n, a in i.add_permissions : [
          for p in local.catalog_permissions : (
            p.name == a.name
            ? join("", [
              "integrations[\"${id}\"].add_permissions[${n}].id is \"${a.id}\", but the catalog gives",
              " ${a.api} ${a.name} the scope ID ${p.id}; expected that ID",
            ])
            : join("", [
              "integrations[\"${id}\"].add_permissions[${n}].name is \"${a.name}\", but ${a.id} is",
              " ${a.api} ${p.name} in the catalog; expected that name",
            ])
          )
          if p.api == a.api && (p.name == a.name) != (p.id == lower(a.id))
        ]
      ]
      if contains(local.delegated, id)
    ])))
  }

  validation {
    condition = alltrue(flatten([
      for id, i in var.integrations : [
        for n, a in i.add_permissions : !contains(concat(
          [
            for p in local.catalog[id].permissions : p.name
            if p.api == a.api && !anytrue([for r in i.remove_permissions : contains([p.name, "${p.api}/${p.name}"], r)])
          ],
          [for m, other in i.add_permissions : other.name if m < n && other.api == a.api],
        ), a.name)
      ]
      if contains(local.delegated, id)
    ]))
    error_message = format("%s.", join("; ", flatten([
      for id, i in var.integrations : [
        for n, a in i.add_permissions : join("", [
          "integrations[\"${id}\"].add_permissions[${n}].name is \"${a.name}\", which ${id} already requests;",
          " expected a permission beyond its list",
        ])
        if contains(concat(
          [
            for p in local.catalog[id].permissions : p.name
            if p.api == a.api && !anytrue([for r in i.remove_permissions : contains([p.name, "${p.api}/${p.name}"], r)])
          ],
          [for m, other in i.add_permissions : other.name if m < n && other.api == a.api],
        ), a.name)
      ]
      if contains(local.delegated, id)
    ])))
  }
}

# The module's inputs, written by hand, but for the region marked below: `npm run module` writes there the
# constructs' rules for Nango fields (src/nango/nango-fields.ts), which must stop the plan before any
# value is shown, as only a root module's variable does. Rules shared with modules/kindo-saas-consent
# (integration ids, permission changes) are checked by modules/catalog, and the constructs' patterns are
# read from its `rules` output, which the generator writes from the constructs.

variable "integrations" {
  description = <<-EOT
    The Kindo Microsoft integrations to set up, by id, each with its settings; each gets its own Entra ID
    app registration. Ids: defender, ediscovery, entra-id, entra-id-governance, excel-online, fabric,
    graph-security, intune, outlook, outlook-calendar, purview-compliance, purview-data-governance,
    sharepoint-online, teams. `{}` takes every default, e.g. `{ teams = {}, fabric = {} }`.

    - `nango` - (Optional) the Nango registration of a delegated integration (every one but fabric):
      - `unique_key` - its unique key in Nango. Default: "kindo-<id>".
      - `provider` - an OAUTH2 provider of Nango's catalog (@nangohq/providers) that signs in at the
        tenant's own endpoint (any OAUTH2 provider with sign_in_audience = "AzureADMultipleOrgs").
        Default: the catalog's, "microsoft-tenant-specific".
      - `fields` - integration-specific fields registered in the Nango integration's custom settings
        (step 4 of Kindo's guide), e.g. `{ purview_endpoint = "https://contoso.purview.azure.com" }`.
        Checked: tenant_id, purview_endpoint, subscription_id, target_user_id; other snake-case names pass
        through; names that say secret, password, key, token or credential are refused. tenant_id
        defaults to the apps' tenant; "" clears a field in Nango. Which integration needs which: the
        package README's table.
      - `adopt_existing` - take over a Nango integration that exists already under the unique key, made
        outside this Terraform state (e.g. by hand from Kindo's guide): updated in place, its connections
        kept, deleted by a destroy. Without it, apply fails on an existing integration, naming its key.
        Default: false.
    - `remove_permissions` - (Optional) permissions of Kindo's guide list (PERMISSIONS.md) to leave out, by
      name or as "<API>/<name>" where two APIs share the name, e.g. `["Mail.Send"]`. They leave the app's
      required permissions, its admin consent and its Nango scopes; the app's notes record each removal.
      `offline_access` is refused: Nango requests it at every sign-in.
    - `add_permissions` - (Optional) delegated permissions beyond the guide list: `api` (its catalog name,
      one the integration's guide list already uses: the module has one admin-consent grant per such API),
      `name` and `id` as the API's service principal publishes the scope, `justification` (why, at least
      20 characters), and for reviewers `access` ("read" or "write", default "write") and
      `admin_consent_required` (default true). They join the app's required permissions, its admin consent
      and, for Microsoft Graph, its Nango scopes; the app's notes record each addition.
    - `allowed_groups` - (Optional) object IDs of the groups whose direct members may connect this
      integration, each assigned the default access role. Default: the module's `allowed_groups`.
    - `existing_app` - (Optional) an app registration set up by hand to take over (docs/adopting.md), as
      `kindo-microsoft-integrations adopt --format hcl` prints it: `application_object_id`,
      `service_principal_object_id`, `permission_grant_ids` (its admin consent grants' IDs by API name) and
      `client_secrets` (its hand-made secrets: left in place, listed in the hand_made_client_secrets output
      for you to delete). The import blocks go in your root module: Terraform allows them nowhere else.
      A delegated integration taken over sets `nango.adopt_existing`.
  EOT
  type = map(object({
    nango = optional(object({
      unique_key     = optional(string)
      provider       = optional(string)
      fields         = optional(map(string), {})
      adopt_existing = optional(bool, false)
    }))
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
    existing_app = optional(object({
      application_object_id       = string
      service_principal_object_id = optional(string)
      permission_grant_ids        = optional(map(string), {})
      client_secrets = optional(list(object({
        key_id      = string
        expires     = optional(string)
        description = optional(string)
      })), [])
    }))
  }))
  nullable = false

  validation {
    condition     = length(var.integrations) > 0
    error_message = "integrations is empty; expected at least one integration id, e.g. { teams = {} }."
  }

  validation {
    condition = alltrue([
      for id, i in var.integrations : i.nango == null || contains(module.catalog.delegated, id)
    ])
    error_message = join("", [
      join("; ", [
        for id, i in var.integrations : "integrations[\"${id}\"].nango is set"
        if i.nango != null && !contains(module.catalog.delegated, id)
      ]),
      "; expected Nango settings only for integrations registered with Nango: ",
      join(", ", module.catalog.delegated),
      " (fabric signs in with client credentials).",
    ])
  }

  validation {
    condition = alltrue([
      for i in values(var.integrations) : can(regex(module.catalog.rules.nango_unique_key, i.nango.unique_key))
      if try(i.nango.unique_key, null) != null
    ])
    error_message = join("", [
      join("; ", [
        for id, key in { for id, i in var.integrations : id => try(i.nango.unique_key, null) } :
        "integrations[\"${id}\"].nango.unique_key is ${jsonencode(key)}"
        if key != null && !can(regex(module.catalog.rules.nango_unique_key, key))
      ]),
      "; expected keys of 1 to 255 letters, digits or ~ : . @ _ - and spaces, e.g. \"kindo-teams\".",
    ])
  }

  validation {
    # Each delegated integration's key, given or "kindo-<id>": as many distinct keys as integrations.
    condition = length(setintersection(keys(var.integrations), module.catalog.delegated)) == length(distinct([
      for id, i in var.integrations : coalesce(try(i.nango.unique_key, null), "kindo-${id}")
      if contains(module.catalog.delegated, id)
    ]))
    error_message = join("", [
      "integrations gives two integrations the same Nango unique key (",
      jsonencode({ for id, i in var.integrations : id => i.nango.unique_key if try(i.nango.unique_key, null) != null }),
      "); expected a distinct key per integration.",
    ])
  }

  validation {
    condition = alltrue([
      for i in values(var.integrations) : contains(module.catalog.rules.nango_providers[var.sign_in_audience], i.nango.provider)
      if try(i.nango.provider, null) != null
    ])
    error_message = join("", [
      join("; ", [
        for id, i in var.integrations : "integrations[\"${id}\"].nango.provider is ${jsonencode(i.nango.provider)}"
        if try(!contains(module.catalog.rules.nango_providers[var.sign_in_audience], i.nango.provider), false)
      ]),
      "; expected OAUTH2 providers of Nango's catalog (@nangohq/providers)",
      var.sign_in_audience == "AzureADMyOrg" ? join("", [
        " that sign in at the tenant's own endpoint, e.g. \"microsoft-tenant-specific\", since the apps are",
        " single tenant (or sign_in_audience = \"AzureADMultipleOrgs\").",
      ]) : ".",
    ])
  }

  validation {
    condition = alltrue([
      for id, i in var.integrations : i.existing_app == null || try(i.nango.adopt_existing, false)
      if contains(module.catalog.delegated, id)
    ])
    error_message = join("", [
      "integrations adopts an app registration made by hand for ",
      join(", ", [
        for id, i in var.integrations : id
        if contains(module.catalog.delegated, id) && i.existing_app != null && !try(i.nango.adopt_existing, false)
      ]),
      " without saying whether the Nango integration made by hand with each is taken over; expected",
      " nango = { adopt_existing = true } with each, and unique_key unless it is \"kindo-<id>\".",
    ])
  }

  validation {
    condition = alltrue(flatten([
      for i in values(var.integrations) : [
        for v in concat(
          [i.existing_app.application_object_id, i.existing_app.service_principal_object_id],
          i.existing_app.client_secrets[*].key_id,
        ) : v == null || can(regex(module.catalog.rules.guid, v))
      ]
      if i.existing_app != null
    ]))
    error_message = join("", [
      join("; ", flatten([
        for id, i in var.integrations : [
          for field, v in merge(
            {
              application_object_id       = i.existing_app.application_object_id
              service_principal_object_id = i.existing_app.service_principal_object_id
            },
            { for n, s in i.existing_app.client_secrets : "client_secrets[${n}].key_id" => s.key_id },
          ) : "integrations[\"${id}\"].existing_app.${field} is \"${v}\""
          if v != null && !can(regex(module.catalog.rules.guid, v))
        ]
        if i.existing_app != null
      ])),
      "; expected GUIDs such as \"00000000-0000-0000-0000-000000000000\".",
    ])
  }

  validation {
    condition = alltrue(flatten([
      for i in values(var.integrations) : [
        for g in values(i.existing_app.permission_grant_ids) : can(regex(module.catalog.rules.grant_id, g))
      ]
      if i.existing_app != null
    ]))
    error_message = join("", [
      join("; ", flatten([
        for id, i in var.integrations : [
          for api, g in i.existing_app.permission_grant_ids :
          "integrations[\"${id}\"].existing_app.permission_grant_ids[\"${api}\"] is \"${g}\""
          if !can(regex(module.catalog.rules.grant_id, g))
        ]
        if i.existing_app != null
      ])),
      "; expected oauth2PermissionGrant ids (base64url text).",
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

  # BEGIN generated by `npm run module`: the constructs' rules for Nango fields (src/nango/nango-fields.ts)
  validation {
    condition = alltrue(flatten([
      for id, fields in { for id, i in var.integrations : id => try(i.nango.fields, {}) } : [
        for name, value in fields : !can(regex("(?i)secret|passw|key|token|credential", name))
      ]
    ]))
    error_message = join("", [
      join("; ", flatten([
        for id, fields in { for id, i in var.integrations : id => try(i.nango.fields, {}) } : [
          for name, value in fields : join("", [
            "`integrations[\"${id}\"].nango.fields` has a field named '${name}', which names a ",
            "secret (secret, password, key, token or credential); expected only non-secret ",
            "values, such as a Purview endpoint URL: Nango and plans show fields in clear ",
            "(docs/nango-registration.md#integration-specific-fields)",
          ])
          if can(regex("(?i)secret|passw|key|token|credential", name))
        ]
      ])),
      ".",
    ])
  }

  validation {
    condition = alltrue(flatten([
      for id, fields in { for id, i in var.integrations : id => try(i.nango.fields, {}) } : [
        for name, value in fields : !(
          !can(regex("(?i)secret|passw|key|token|credential", name))
          && !can(regex("^[a-z][a-z0-9_]{0,63}$", name))
        )
      ]
    ]))
    error_message = join("", [
      join("; ", flatten([
        for id, fields in { for id, i in var.integrations : id => try(i.nango.fields, {}) } : [
          for name, value in fields : join("", [
            "`integrations[\"${id}\"].nango.fields` has a field named '${name}'; expected a name ",
            "in snake case of 1 to 64 lower-case letters, digits and _, starting with a letter, ",
            "e.g. 'purview_endpoint'",
          ])
          if(
            !can(regex("(?i)secret|passw|key|token|credential", name))
            && !can(regex("^[a-z][a-z0-9_]{0,63}$", name))
          )
        ]
      ])),
      ".",
    ])
  }

  validation {
    condition = alltrue(flatten([
      for id, fields in { for id, i in var.integrations : id => try(i.nango.fields, {}) } : [
        for name, value in fields : !(
          !can(regex("(?i)secret|passw|key|token|credential", name))
          && can(regex("^[a-z][a-z0-9_]{0,63}$", name))
          && contains(
            [
              "app_id",
              "private_key",
              "username",
              "password",
              "oauth_client_name",
              "oauth_client_uri",
              "oauth_client_logo_uri",
              "iv",
            ],
            name,
          )
        )
      ]
    ]))
    error_message = join("", [
      join("; ", flatten([
        for id, fields in { for id, i in var.integrations : id => try(i.nango.fields, {}) } : [
          for name, value in fields : join("", [
            "`integrations[\"${id}\"].nango.fields` has a field named '${name}'; expected a name ",
            "Nango does not read itself (it uses app_id, private_key, username, password, ",
            "oauth_client_name, oauth_client_uri, oauth_client_logo_uri, iv of an integration's ",
            "custom settings)",
          ])
          if(
            !can(regex("(?i)secret|passw|key|token|credential", name))
            && can(regex("^[a-z][a-z0-9_]{0,63}$", name))
            && contains(
              [
                "app_id",
                "private_key",
                "username",
                "password",
                "oauth_client_name",
                "oauth_client_uri",
                "oauth_client_logo_uri",
                "iv",
              ],
              name,
            )
          )
        ]
      ])),
      ".",
    ])
  }

  validation {
    condition = alltrue(flatten([
      for id, fields in { for id, i in var.integrations : id => try(i.nango.fields, {}) } : [
        for name, value in fields : !(
          !can(regex("(?i)secret|passw|key|token|credential", name))
          && can(regex("^[a-z][a-z0-9_]{0,63}$", name))
          && !contains(
            [
              "app_id",
              "private_key",
              "username",
              "password",
              "oauth_client_name",
              "oauth_client_uri",
              "oauth_client_logo_uri",
              "iv",
            ],
            name,
          )
          && !(length(value) <= 8192)
        )
      ]
    ]))
    error_message = join("", [
      join("; ", flatten([
        for id, fields in { for id, i in var.integrations : id => try(i.nango.fields, {}) } : [
          for name, value in fields : join("", [
            "`integrations[\"${id}\"].nango.fields.${name}` is ${length(value)} characters long; ",
            "expected a string of at most 8192 characters",
          ])
          if(
            !can(regex("(?i)secret|passw|key|token|credential", name))
            && can(regex("^[a-z][a-z0-9_]{0,63}$", name))
            && !contains(
              [
                "app_id",
                "private_key",
                "username",
                "password",
                "oauth_client_name",
                "oauth_client_uri",
                "oauth_client_logo_uri",
                "iv",
              ],
              name,
            )
            && !(length(value) <= 8192)
          )
        ]
      ])),
      ".",
    ])
  }

  validation {
    condition = alltrue(flatten([
      for id, fields in { for id, i in var.integrations : id => try(i.nango.fields, {}) } : [
        for name, value in fields : !(
          !can(regex("(?i)secret|passw|key|token|credential", name))
          && can(regex("^[a-z][a-z0-9_]{0,63}$", name))
          && !contains(
            [
              "app_id",
              "private_key",
              "username",
              "password",
              "oauth_client_name",
              "oauth_client_uri",
              "oauth_client_logo_uri",
              "iv",
            ],
            name,
          )
          && length(value) <= 8192
          && name == "tenant_id"
          && value != ""
          && !can(regex(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
            value,
          ))
        )
      ]
    ]))
    error_message = join("", [
      join("; ", flatten([
        for id, fields in { for id, i in var.integrations : id => try(i.nango.fields, {}) } : [
          for name, value in fields : join("", [
            "`integrations[\"${id}\"].nango.fields.${name}` is '${value}'; expected a directory ",
            "(tenant) ID GUID such as '72f988bf-86f1-41af-91ab-2d7cd011db47'",
          ])
          if(
            !can(regex("(?i)secret|passw|key|token|credential", name))
            && can(regex("^[a-z][a-z0-9_]{0,63}$", name))
            && !contains(
              [
                "app_id",
                "private_key",
                "username",
                "password",
                "oauth_client_name",
                "oauth_client_uri",
                "oauth_client_logo_uri",
                "iv",
              ],
              name,
            )
            && length(value) <= 8192
            && name == "tenant_id"
            && value != ""
            && !can(regex(
              "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
              value,
            ))
          )
        ]
      ])),
      ".",
    ])
  }

  validation {
    condition = alltrue(flatten([
      for id, fields in { for id, i in var.integrations : id => try(i.nango.fields, {}) } : [
        for name, value in fields : !(
          !can(regex("(?i)secret|passw|key|token|credential", name))
          && can(regex("^[a-z][a-z0-9_]{0,63}$", name))
          && !contains(
            [
              "app_id",
              "private_key",
              "username",
              "password",
              "oauth_client_name",
              "oauth_client_uri",
              "oauth_client_logo_uri",
              "iv",
            ],
            name,
          )
          && length(value) <= 8192
          && name == "subscription_id"
          && value != ""
          && !can(regex(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
            value,
          ))
        )
      ]
    ]))
    error_message = join("", [
      join("; ", flatten([
        for id, fields in { for id, i in var.integrations : id => try(i.nango.fields, {}) } : [
          for name, value in fields : join("", [
            "`integrations[\"${id}\"].nango.fields.${name}` is '${value}'; expected an Azure ",
            "subscription ID GUID such as '00000000-0000-0000-0000-000000000000'",
          ])
          if(
            !can(regex("(?i)secret|passw|key|token|credential", name))
            && can(regex("^[a-z][a-z0-9_]{0,63}$", name))
            && !contains(
              [
                "app_id",
                "private_key",
                "username",
                "password",
                "oauth_client_name",
                "oauth_client_uri",
                "oauth_client_logo_uri",
                "iv",
              ],
              name,
            )
            && length(value) <= 8192
            && name == "subscription_id"
            && value != ""
            && !can(regex(
              "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
              value,
            ))
          )
        ]
      ])),
      ".",
    ])
  }

  validation {
    condition = alltrue(flatten([
      for id, fields in { for id, i in var.integrations : id => try(i.nango.fields, {}) } :
      [
        for name, value in fields :
        !(
          !can(regex("(?i)secret|passw|key|token|credential", name))
          && can(regex("^[a-z][a-z0-9_]{0,63}$", name))
          && !contains(
            [
              "app_id",
              "private_key",
              "username",
              "password",
              "oauth_client_name",
              "oauth_client_uri",
              "oauth_client_logo_uri",
              "iv",
            ],
            name,
          )
          && length(value) <= 8192
          && name == "target_user_id"
          && value != ""
          && !(
            can(regex(
              "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
              value,
            ))
            || can(regex(
              "^[A-Za-z0-9'._!#^~-]{1,113}@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$",
              value,
            ))
          )
        )
      ]
    ]))
    error_message = join("", [
      join("; ", flatten([
        for id, fields in { for id, i in var.integrations : id => try(i.nango.fields, {}) } :
        [
          for name, value in fields : join("", [
            "`integrations[\"${id}\"].nango.fields.${name}` is '${value}'; expected the user's ",
            "object ID (a GUID) or user principal name, e.g. 'alex@contoso.com'",
          ])
          if(
            !can(regex("(?i)secret|passw|key|token|credential", name))
            && can(regex("^[a-z][a-z0-9_]{0,63}$", name))
            && !contains(
              [
                "app_id",
                "private_key",
                "username",
                "password",
                "oauth_client_name",
                "oauth_client_uri",
                "oauth_client_logo_uri",
                "iv",
              ],
              name,
            )
            && length(value) <= 8192
            && name == "target_user_id"
            && value != ""
            && !(
              can(regex(
                "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
                value,
              ))
              || can(regex(
                "^[A-Za-z0-9'._!#^~-]{1,113}@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$",
                value,
              ))
            )
          )
        ]
      ])),
      ".",
    ])
  }

  validation {
    condition = alltrue(flatten([
      for id, fields in { for id, i in var.integrations : id => try(i.nango.fields, {}) } :
      [
        for name, value in fields :
        !(
          !can(regex("(?i)secret|passw|key|token|credential", name))
          && can(regex("^[a-z][a-z0-9_]{0,63}$", name))
          && !contains(
            [
              "app_id",
              "private_key",
              "username",
              "password",
              "oauth_client_name",
              "oauth_client_uri",
              "oauth_client_logo_uri",
              "iv",
            ],
            name,
          )
          && length(value) <= 8192
          && name == "purview_endpoint"
          && value != ""
          && !can(regex(
            "(?i)^https:\\/\\/(([a-z0-9][a-z0-9-]{1,61}[a-z0-9]\\.((catalog|scan|guardian)\\.)?purview\\.azure\\.com|api\\.purview-service\\.microsoft\\.com))(:443)?(\\/[^?#]*)?\\??#?$",
            value,
          ))
        )
      ]
    ]))
    error_message = join("", [
      join("; ", flatten([
        for id, fields in { for id, i in var.integrations : id => try(i.nango.fields, {}) } :
        [
          for name, value in fields : join("", [
            "`integrations[\"${id}\"].nango.fields.${name}` is '${value}'; expected an https URL ",
            "of the Microsoft Purview account, e.g. 'https://contoso.purview.azure.com' ",
            "({account}.purview.azure.com, or its catalog., scan. or guardian. endpoint), or the ",
            "new portal's 'https://api.purview-service.microsoft.com'",
          ])
          if(
            !can(regex("(?i)secret|passw|key|token|credential", name))
            && can(regex("^[a-z][a-z0-9_]{0,63}$", name))
            && !contains(
              [
                "app_id",
                "private_key",
                "username",
                "password",
                "oauth_client_name",
                "oauth_client_uri",
                "oauth_client_logo_uri",
                "iv",
              ],
              name,
            )
            && length(value) <= 8192
            && name == "purview_endpoint"
            && value != ""
            && !can(regex(
              "(?i)^https:\\/\\/(([a-z0-9][a-z0-9-]{1,61}[a-z0-9]\\.((catalog|scan|guardian)\\.)?purview\\.azure\\.com|api\\.purview-service\\.microsoft\\.com))(:443)?(\\/[^?#]*)?\\??#?$",
              value,
            ))
          )
        ]
      ])),
      ".",
    ])
  }

  validation {
    condition = length([
      for id, fields in { for id, i in var.integrations : id => try(i.nango.fields, {}) } :
      join("", [
        "`integrations[\"${id}\"]` takes more than 65535 bytes as JSON; expected at most 65535 ",
        "for all fields of an integration together, so that the request fits in one environment ",
        "variable: shorten or drop fields (docs/nango-registration.md#integration-specific-fields)",
      ])
      if length(base64encode(jsonencode(fields))) > 87380
    ]) == 0
    error_message = join("", [
      join("; ", [
        for id, fields in { for id, i in var.integrations : id => try(i.nango.fields, {}) } :
        join("", [
          "`integrations[\"${id}\"]` takes more than 65535 bytes as JSON; expected at most 65535 ",
          "for all fields of an integration together, so that the request fits in one environment ",
          "variable: shorten or drop fields ",
          "(docs/nango-registration.md#integration-specific-fields)",
        ])
        if length(base64encode(jsonencode(fields))) > 87380
      ]),
      ".",
    ])
  }
  # END generated
}

variable "allowed_groups" {
  description = <<-EOT
    Object IDs of the groups whose direct members may connect every integration that has no
    `allowed_groups` of its own, each assigned the default access role, e.g. `["<security team>"]`. Only
    with require_assignment = true. Group-based assignment needs Entra ID P1 or P2.
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
    Require users to be assigned to each integration's enterprise application (service principal) before
    Entra ID issues it a token (app_role_assignment_required). Users are assigned through allowed_groups,
    or by an administrator under Enterprise applications.
  EOT
  type        = bool
  default     = false
  nullable    = false
}

variable "nango_server_url" {
  description = "Base URL of the Nango API of your Kindo deployment."
  type        = string
  default     = "https://api.nango.dev"
  nullable    = false

  validation {
    condition = can(regex(module.catalog.rules.service_url, var.nango_server_url))
    error_message = join("", [
      "nango_server_url must be an https:// URL without credentials, query or fragment (http:// only for",
      " 127.0.0.1, localhost or [::1]), e.g. \"https://api.nango.dev\".",
    ])
  }
}

variable "nango_callback_url" {
  description = <<-EOT
    OAuth callback URL that Nango shows in its integration setup; becomes the apps' Web redirect URI.
    Default: "<nango_server_url>/oauth/callback".
  EOT
  type        = string
  default     = null

  validation {
    condition = var.nango_callback_url == null || can(regex(module.catalog.rules.service_url, var.nango_callback_url))
    error_message = join("", [
      "nango_callback_url must be an https:// URL without credentials, query or fragment (http:// only for",
      " 127.0.0.1, localhost or [::1]), e.g. \"https://api.nango.dev/oauth/callback\".",
    ])
  }
}

variable "nango_secret_key" {
  description = <<-EOT
    Nango secret key of the environment the integrations are registered in (Nango dashboard > Environment
    Settings). Ephemeral: kept out of state and plans; destroy-time requests read it from the environment
    variable TF_VAR_nango_secret_key.
  EOT
  type        = string
  nullable    = false
  sensitive   = true
  ephemeral   = true

  validation {
    condition = can(regex(module.catalog.rules.nango_secret_key, var.nango_secret_key))
    error_message = join("", [
      "nango_secret_key is not a Nango secret key (its value is not shown); expected a UUID v4,",
      " xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx in hexadecimal digits, from the Nango dashboard > Environment Settings.",
    ])
  }
}

variable "nango_environment" {
  description = <<-EOT
    Name of the Nango environment nango_secret_key belongs to, e.g. "prod". Recorded in state at the
    first apply; a later plan that names another environment fails, naming both and the two steps of a
    move (docs/nango-registration.md). null records nothing.
  EOT
  type        = string
  default     = null

  validation {
    condition = var.nango_environment == null || can(regex(module.catalog.rules.nango_environment, var.nango_environment))
    error_message = join("", [
      "nango_environment is ${jsonencode(var.nango_environment)}; expected a Nango environment name: 1 to 255",
      " lower-case letters, digits, _ or -, e.g. \"prod\".",
    ])
  }
}

variable "name_prefix" {
  description = <<-EOT
    Text put before each integration's name to form its app registration's display name, e.g.
    "Kindo - Microsoft Teams".
  EOT
  type        = string
  default     = "Kindo - "
  nullable    = false

  validation {
    condition     = length(var.name_prefix) <= 60 && !strcontains(var.name_prefix, "\n")
    error_message = "name_prefix is \"${var.name_prefix}\"; expected at most 60 characters on one line."
  }
}

variable "sign_in_audience" {
  description = <<-EOT
    Who may sign in to the apps: "AzureADMyOrg" (this directory only, as Kindo's guide asks) or
    "AzureADMultipleOrgs" (any organizational directory).
  EOT
  type        = string
  default     = "AzureADMyOrg"
  nullable    = false

  validation {
    condition     = contains(["AzureADMyOrg", "AzureADMultipleOrgs"], var.sign_in_audience)
    error_message = "sign_in_audience is \"${var.sign_in_audience}\"; expected \"AzureADMyOrg\" or \"AzureADMultipleOrgs\"."
  }
}

variable "secret_lifetime_days" {
  description = <<-EOT
    Lifetime of each client secret, in days (1 to 730). The expiry is fixed when the secret is created.
  EOT
  type        = number
  default     = 180
  nullable    = false

  validation {
    condition = (
      var.secret_lifetime_days == floor(var.secret_lifetime_days)
      && var.secret_lifetime_days >= 1
      && var.secret_lifetime_days <= 730
    )
    error_message = "secret_lifetime_days is ${var.secret_lifetime_days}; expected a whole number of days from 1 to 730."
  }
}

variable "secret_expiry_warning_days" {
  description = <<-EOT
    Plans warn (a `check` block) when a client secret expires within this many days (0 to 730); 0 turns
    the warning off.
  EOT
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition = (
      var.secret_expiry_warning_days == floor(var.secret_expiry_warning_days)
      && var.secret_expiry_warning_days >= 0
      && var.secret_expiry_warning_days <= 730
    )
    error_message = "secret_expiry_warning_days is ${var.secret_expiry_warning_days}; expected a whole number of days from 0 to 730."
  }
}

variable "secret_rotation" {
  description = <<-EOT
    Any value; changing it rotates every client secret. Each new secret is created and pushed to Nango
    before the old one is deleted.
  EOT
  type        = string
  default     = ""
  nullable    = false
}

variable "owners" {
  description = <<-EOT
    Object IDs of further users or service principals that own the app registrations and their service
    principals, in any case (written in lower case, as Entra returns them). The identity that first
    applied each integration is recorded (terraform_data.first_applier) and stays an owner whoever plans
    later, so two identities never remove each other (docs/entra-apps.md#owners). List every other
    identity that runs Terraform with Application.ReadWrite.OwnedBy: it may update only apps it owns.
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

variable "prevent_duplicate_names" {
  description = <<-EOT
    Stop when an app registration with the same display name exists already (azuread's
    prevent_duplicate_names, checked at plan and again at apply). Kindo's guide suggests the same names
    as this package, so apps set up by hand from it are found: when the plan stops with 'An existing
    "azuread_application" with name "…" (ID: "…") was found and `prevent_duplicate_names` was
    specified', adopt those apps instead (docs/adopting.md), or set false to create a second app of the
    same name.
  EOT
  type        = bool
  default     = true
  nullable    = false
}

variable "admin_consent" {
  description = <<-EOT
    Grant tenant-wide admin consent for each app's delegated permissions (the portal's "Grant admin
    consent" button), one grant per API.
  EOT
  type        = bool
  default     = true
  nullable    = false
}

variable "tenant_id" {
  description = <<-EOT
    Directory (tenant) ID reported in the outputs and registered with Nango, for Kindo's forms, in any
    case. Default: the tenant of the azuread provider.
  EOT
  type        = string
  default     = null

  validation {
    condition     = var.tenant_id == null || can(regex(module.catalog.rules.guid, var.tenant_id))
    error_message = "tenant_id is ${jsonencode(var.tenant_id)}; expected a GUID such as \"00000000-0000-0000-0000-000000000000\"."
  }
}

variable "fabric_sql_endpoint_host" {
  description = <<-EOT
    Microsoft Fabric's Lakehouse SQL endpoint as host,port, passed to the fabric_connection output for
    Kindo's form, e.g. "foo.datawarehouse.fabric.microsoft.com,1433".
  EOT
  type        = string
  default     = null

  validation {
    # RE2 has no lookahead, so the host's 253-character limit is a length check of its own.
    condition = var.fabric_sql_endpoint_host == null || can(
      length(split(",", var.fabric_sql_endpoint_host)) == 2
      && length(split(",", var.fabric_sql_endpoint_host)[0]) <= 253
      && regex(local.fabric_host_pattern, split(",", var.fabric_sql_endpoint_host)[0]) != ""
      && regex(local.tcp_port_pattern, split(",", var.fabric_sql_endpoint_host)[1]) != ""
    )
    error_message = join("", [
      "fabric_sql_endpoint_host is ${jsonencode(var.fabric_sql_endpoint_host)}; expected host,port,",
      " e.g. \"foo.datawarehouse.fabric.microsoft.com,1433\".",
    ])
  }

  validation {
    condition     = var.fabric_sql_endpoint_host == null || contains(keys(var.integrations), "fabric")
    error_message = "fabric_sql_endpoint_host is set, but fabric is not in integrations; expected it only with fabric enabled."
  }
}

variable "fabric_lakehouse_database" {
  description = "Microsoft Fabric's Lakehouse database name, passed to the fabric_connection output for Kindo's form."
  type        = string
  default     = null

  validation {
    condition = var.fabric_lakehouse_database == null || can(regex(local.fabric_database_pattern, var.fabric_lakehouse_database))
    error_message = join("", [
      "fabric_lakehouse_database is ${jsonencode(var.fabric_lakehouse_database)}; expected a database name",
      " of 1 to 128 characters without brackets, quotes or semicolons.",
    ])
  }

  validation {
    condition     = var.fabric_lakehouse_database == null || contains(keys(var.integrations), "fabric")
    error_message = "fabric_lakehouse_database is set, but fabric is not in integrations; expected it only with fabric enabled."
  }
}

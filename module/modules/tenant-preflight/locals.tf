# Written by hand: what the lookups in main.tf read and assert, per Microsoft API.

locals {
  requests = { for r in var.requested_permissions : r.api => r... }

  requested_apis = {
    for api, requests in local.requests : api => {
      resource_app_id = requests[0].resource_app_id
      requesters      = sort(distinct([for r in requests : "${var.requester} '${r.integration}'"]))
      # Each scope requested under one ID, with who requests it under that ID.
      scopes = [
        for scope in distinct([for r in requests : { name = r.name, id = r.id }]) : merge(scope, {
          requesters = sort(distinct([
            for r in requests : "${var.requester} '${r.integration}'" if r.name == scope.name && r.id == scope.id
          ]))
        })
      ]
    }
  }
}

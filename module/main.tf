# Kindo's Microsoft MCP integrations: per enabled integration an Entra ID app registration, its client
# secret, service principal, delegated permissions and tenant-wide admin consent (main.entra.tf) and,
# for every integration but Microsoft Fabric, its Nango registration (main.nango.tf). Those blocks are
# folded from the package's cdktf constructs by `npm run module`; this file and the others without a
# "Generated" header are written by hand.
#
# The catalog (Kindo's guide lists of permissions) and what remove_permissions and add_permissions make
# of them, shared with modules/kindo-saas-consent.
module "catalog" {
  source = "./modules/catalog"

  integrations = var.integrations
}

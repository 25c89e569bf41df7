# Data and arithmetic only: no provider.
terraform {
  required_version = ">= 1.10"
}

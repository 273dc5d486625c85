/**
 * The Terraform version every stack is planned and applied with, pinned in each synthesized
 * stack (`terraform.required_version`). A state written by a newer Terraform cannot be read by an
 * older one, so a laptop with another version must not touch state: Terraform refuses to run with
 * "Unsupported Terraform Core version". Bumping it here changes every stack's configuration, so
 * `affected` plans every stack; the workflows take the version from `affected`'s outputs
 * (`terraform-version`), never from a copy of their own.
 */
export const TERRAFORM_VERSION = '1.11.4';

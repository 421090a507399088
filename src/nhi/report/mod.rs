//! `keytrace nhi check` and `keytrace nhi report`: what is due in the manifest, and the
//! inventory a security team hands an auditor (identities, owners, exposures, unowned
//! credentials, and figures each tied to the control it serves).
//!
//! Everything printed goes through [`crate::escape::sanitize`] (manifest text and paths
//! are user input); secrets appear only in their redacted form.
//!
//! `due` finds what is due, `inventory` builds the report's model, `org` the inventory
//! across repositories (`report --from`), `codeowners` reads
//! CODEOWNERS for owner suggestions, `render` prints both commands' formats.

mod codeowners;
mod due;
mod inventory;
mod org;
mod render;

pub use codeowners::CodeOwners;
pub use due::{due_items, is_placeholder, Due, PLACEHOLDER};
pub use inventory::{
    credential_count, inventory, suggest_owner, CredentialEntry, Exposure, Figure, IdentityEntry,
    Inventory, Scanned, Seen, UnownedEntry,
};
pub use org::{
    org_inventory, write_org_report, OrgCredential, OrgInventory, Owner, Place, RepoLine,
};
pub use render::{write_check, write_manifest_errors, write_report};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codeowners_last_match_wins() {
        let c = CodeOwners::parse(
            "# comment\n* @acme/all\n/deploy/ @acme/platform\n*.env @acme/sec # inline\ndocs/** \n",
        );
        assert_eq!(c.owners("src/a.rs").as_deref(), Some("@acme/all"));
        assert_eq!(c.owners("deploy/x.yml").as_deref(), Some("@acme/platform"));
        assert_eq!(c.owners("deploy/prod.env").as_deref(), Some("@acme/sec"));
        assert_eq!(c.owners("docs/readme.md"), None);
    }

    #[test]
    fn placeholders_are_not_owners() {
        assert!(is_placeholder("TODO"));
        assert!(is_placeholder(" "));
        assert!(!is_placeholder("group:payments"));
    }
}

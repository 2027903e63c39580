//! Replays every committed fuzz input through its target's checks, on stable Rust, as
//! part of `cargo test`: the corpus of each target (`fuzz/corpus/<target>/`) and the
//! inputs that once broke a check (`fuzz/regressions/<target>/`). A crash found once
//! stays fixed. A target without a corpus fails the test: nothing is skipped.

#[path = "checks/common.rs"]
mod common;

#[path = "checks/base32_token.rs"]
mod base32_token;
#[cfg(feature = "flows")]
#[path = "checks/device_link.rs"]
mod device_link;
#[path = "checks/http_date.rs"]
mod http_date;
#[cfg(feature = "import")]
#[path = "checks/import.rs"]
mod import;
#[cfg(feature = "migration")]
#[path = "checks/migration.rs"]
mod migration;
#[cfg(feature = "qr")]
#[path = "checks/qr.rs"]
mod qr;
#[cfg(feature = "flows")]
#[path = "checks/records.rs"]
mod records;
#[path = "checks/uri.rs"]
mod uri;
#[cfg(feature = "vault")]
#[path = "checks/vault.rs"]
mod vault;

use std::path::{Path, PathBuf};

/// The files of a folder, sorted; `None` when there is no such folder.
fn files(dir: &Path) -> Option<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .map(|entry| entry.expect("a readable folder").path())
        .filter(|path| path.is_file())
        .collect();
    out.sort();
    Some(out)
}

/// Runs `check` on every input of `target`'s corpus and regressions.
fn replay(target: &str, check: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let corpus = files(&root.join("corpus").join(target))
        .unwrap_or_else(|| panic!("fuzz/corpus/{target} is missing"));
    assert!(!corpus.is_empty(), "fuzz/corpus/{target} is empty");
    let regressions = files(&root.join("regressions").join(target)).unwrap_or_default();
    for path in corpus.iter().chain(&regressions) {
        let data = std::fs::read(path).expect("a readable input");
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            panic!("{} fails its checks", path.display());
        }
    }
}

#[test]
fn base32_and_tokens() {
    replay("base32_token", base32_token::check);
}

#[test]
fn otpauth_uris() {
    replay("uri", uri::check);
}

#[test]
fn http_dates() {
    replay("http_date", http_date::check);
}

#[cfg(feature = "migration")]
#[test]
fn migration_payloads() {
    replay("migration", migration::check);
}

#[cfg(feature = "qr")]
#[test]
fn qr_pixels() {
    replay("qr", qr::check);
}

#[cfg(feature = "vault")]
#[test]
fn vaults() {
    replay("vault", vault::check);
}

#[cfg(feature = "flows")]
#[test]
fn device_tokens_and_action_links() {
    replay("device_link", device_link::check);
}

#[cfg(feature = "flows")]
#[test]
fn flow_records() {
    replay("records", records::check);
}

#[cfg(feature = "import")]
#[test]
fn import_zip() {
    replay("import_zip", |data| import::check("zip", data));
}

#[cfg(feature = "import")]
#[test]
fn import_freeotp() {
    replay("import_freeotp", |data| import::check("freeotp", data));
}

#[cfg(feature = "import")]
#[test]
fn import_stratum() {
    replay("import_stratum", |data| import::check("stratum", data));
}

#[cfg(feature = "import")]
#[test]
fn import_andotp() {
    replay("import_andotp", |data| import::check("andotp", data));
}

#[cfg(feature = "import")]
#[test]
fn import_totp_authenticator() {
    replay("import_totp_authenticator", |data| {
        import::check("totp-authenticator", data)
    });
}

#[cfg(feature = "import")]
#[test]
fn import_battlenet() {
    replay("import_battlenet", |data| import::check("battlenet", data));
}

#[cfg(feature = "import")]
#[test]
fn import_aegis() {
    replay("import_aegis", |data| import::check("aegis", data));
}

#[cfg(feature = "import")]
#[test]
fn import_twofas() {
    replay("import_twofas", |data| import::check("twofas", data));
}

#[cfg(feature = "import")]
#[test]
fn import_bitwarden() {
    replay("import_bitwarden", |data| import::check("bitwarden", data));
}

#[cfg(feature = "import")]
#[test]
fn import_ente() {
    replay("import_ente", |data| import::check("ente", data));
}

#[cfg(feature = "import")]
#[test]
fn import_proton() {
    replay("import_proton", |data| import::check("proton", data));
}

#[cfg(feature = "import")]
#[test]
fn import_extension() {
    replay("import_extension", |data| import::check("extension", data));
}

#[cfg(feature = "import")]
#[test]
fn import_lastpass() {
    replay("import_lastpass", |data| import::check("lastpass", data));
}

#[cfg(feature = "import")]
#[test]
fn import_freeotp_plus() {
    replay("import_freeotp_plus", |data| {
        import::check("freeotp-plus", data)
    });
}

#[cfg(feature = "import")]
#[test]
fn import_steam() {
    replay("import_steam", |data| import::check("steam", data));
}

#[cfg(feature = "import")]
#[test]
fn import_text() {
    replay("import_text", |data| import::check("text", data));
}

/// Every reader family of `transfer::import` has its fuzz target.
#[cfg(feature = "import")]
#[test]
fn every_import_family_has_a_target() {
    let targets: Vec<String> = twofa::fuzzing::import::families()
        .iter()
        .map(|family| format!("import_{}", family.replace('-', "_")))
        .collect();
    let this = include_str!("replay.rs");
    for target in &targets {
        assert!(
            this.contains(&format!("replay(\"{target}\"")),
            "{target} has no target"
        );
    }
}

/// Every target of `fuzz/Cargo.toml` is replayed here.
#[test]
fn every_target_is_replayed() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/Cargo.toml"))
            .expect("fuzz/Cargo.toml");
    let targets: Vec<&str> = manifest
        .lines()
        .filter_map(|line| line.strip_prefix("name = \""))
        .filter_map(|rest| rest.strip_suffix('"'))
        .filter(|name| *name != "twofa-fuzz")
        .collect();
    assert_eq!(
        targets,
        [
            "base32_token",
            "uri",
            "http_date",
            "migration",
            "qr",
            "vault",
            "device_link",
            "records",
            "import_zip",
            "import_freeotp",
            "import_stratum",
            "import_andotp",
            "import_totp_authenticator",
            "import_battlenet",
            "import_aegis",
            "import_twofas",
            "import_bitwarden",
            "import_ente",
            "import_proton",
            "import_extension",
            "import_lastpass",
            "import_freeotp_plus",
            "import_steam",
            "import_text",
        ]
    );
    let this = include_str!("replay.rs");
    for target in targets {
        assert!(
            this.contains(&format!("replay(\"{target}\"")),
            "{target} is not replayed"
        );
    }
}

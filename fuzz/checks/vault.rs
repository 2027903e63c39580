//! The vault: any text is read or refused with a reason, the cost a vault asks for stays
//! within the limits, a forged vault never opens, and a sealed one (version 1 or 2, as the
//! key seals) opens to its plaintext and to nothing once any byte of it is changed, nor
//! under another key. The vault's own NFC, which version 2 passphrases go through, is
//! held to `unicode-normalization`'s.
//!
//! Keys come from `VaultKey::from_bytes`, so no run is spent in Argon2: every cost the
//! floor allows is too dear for a fuzz input.

use super::common::{refused, Input};
use std::sync::OnceLock;
use twofa::vault::{params_of, VaultKey, VaultParams};
use twofa::Code;
use unicode_normalization::UnicodeNormalization;

const PREFIXES: [&str; 2] = ["$twofa-vault$v=1$argon2id$", "$twofa-vault$v=2$argon2id$"];

pub fn check(data: &[u8]) {
    let mut input = Input::new(data);
    match input.byte() % 4 {
        0 | 2 => forged(&String::from_utf8_lossy(input.rest())),
        1 => sealed(&mut input),
        _ => normalised(&String::from_utf8_lossy(input.rest())),
    }
}

/// The vault's NFC is Unicode's, and normalising twice changes nothing.
fn normalised(text: &str) {
    let ours = twofa::fuzzing::vault::nfc(text);
    let reference: String = text.nfc().collect();
    assert_eq!(ours, reference, "NFC of {text:?}");
    assert_eq!(
        twofa::fuzzing::vault::nfc(&ours),
        ours,
        "NFC twice of {text:?}"
    );
}

/// Whether a key of these bytes, salt and cost is accepted: the cost check alone, no
/// derivation.
fn allowed(params: VaultParams) -> bool {
    let mut bytes = vec![0u8; 48];
    bytes.extend_from_slice(&params.memory_kib.to_be_bytes());
    bytes.extend_from_slice(&params.iterations.to_be_bytes());
    VaultKey::from_bytes(&bytes).is_ok()
}

/// The smallest cost a vault may ask for, found from the library itself (the floor is
/// the library's to choose; the check only holds it to being one).
fn floor() -> VaultParams {
    static FLOOR: OnceLock<VaultParams> = OnceLock::new();
    *FLOOR.get_or_init(|| {
        let least = |ok: &dyn Fn(u32) -> bool, max: u32| {
            let (mut lo, mut hi) = (0u32, max);
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if ok(mid) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            lo
        };
        let memory_kib = least(
            &|m| {
                allowed(VaultParams {
                    memory_kib: m,
                    iterations: VaultParams::MAX_ITERATIONS,
                })
            },
            VaultParams::MAX_MEMORY_KIB,
        );
        let iterations = least(
            &|t| {
                allowed(VaultParams {
                    memory_kib,
                    iterations: t,
                })
            },
            VaultParams::MAX_ITERATIONS,
        );
        let floor = VaultParams {
            memory_kib,
            iterations,
        };
        assert!(allowed(floor), "no cost is allowed");
        floor
    })
}

/// A cost that a vault was read with: at most the ceiling, and one the library allows.
fn within(params: VaultParams) {
    assert!(
        params.memory_kib <= VaultParams::MAX_MEMORY_KIB
            && params.iterations <= VaultParams::MAX_ITERATIONS
            && allowed(params),
        "a vault asks for a cost out of range: {params:?}"
    );
}

fn forged(text: &str) {
    let params = match params_of(text) {
        Ok(params) => params,
        Err(err) => {
            refused(&err, &[Code::InvalidVault], &[]);
            assert!(err.to_string().starts_with("invalid vault: "), "{err}");
            return;
        }
    };
    within(params);
    let Some(salt) = salt_of(text) else {
        panic!("a vault that reads has a salt of 16 bytes");
    };
    let mut bytes = vec![7u8; 32];
    bytes.extend_from_slice(&salt);
    bytes.extend_from_slice(&params.memory_kib.to_be_bytes());
    bytes.extend_from_slice(&params.iterations.to_be_bytes());
    bytes.push(3); // opens versions 1 and 2
    let key = VaultKey::from_bytes(&bytes).expect("an allowed cost");
    if let Err(err) = key.open(text) {
        refused(&err, &[Code::WrongPassphrase], &[]);
    }
}

fn sealed(input: &mut Input<'_>) {
    let least = floor();
    let memory_kib = least
        .memory_kib
        .max(input.u32() % (VaultParams::MAX_MEMORY_KIB + 1));
    let iterations = least
        .iterations
        .max(u32::from(input.byte()) % (VaultParams::MAX_ITERATIONS + 1));
    // The 56 bytes of a key kept before version 2, or 57 with the versions it opens.
    let opens = input.byte() % 4;
    let mut bytes = vec![0u8; 56];
    for b in &mut bytes[..48] {
        *b = input.byte();
    }
    bytes[48..52].copy_from_slice(&memory_kib.to_be_bytes());
    bytes[52..].copy_from_slice(&iterations.to_be_bytes());
    if opens > 0 {
        bytes.push(opens);
    }
    let key = VaultKey::from_bytes(&bytes).expect("an allowed cost");
    let version = if opens & 2 != 0 { 2 } else { 1 };
    assert_eq!(key.version(), version);
    assert_eq!(&key.to_bytes()[..56], &bytes[..56]);
    assert_eq!(key.to_bytes().len(), 57);
    assert_eq!(
        format!("{key:?}"),
        format!("VaultKey(argon2id m={memory_kib} t={iterations})")
    );
    let mut nonce = [0u8; 24];
    for b in &mut nonce {
        *b = input.byte();
    }
    let at = usize::from(input.u16());
    let with = input.byte();
    let plaintext = input.rest();

    let vault = key.seal(plaintext, nonce).expect("seal");
    assert!(
        vault.starts_with(PREFIXES[usize::from(version - 1)]),
        "{version}"
    );
    assert_eq!(params_of(&vault).expect("its own vault"), key.params());
    assert_eq!(&key.open(&vault).expect("its own vault")[..], plaintext);

    // Any one byte changed: refused.
    let mut changed = vault.clone().into_bytes();
    let at = at % changed.len();
    if changed[at] != with {
        changed[at] = with;
        if let Ok(changed) = String::from_utf8(changed) {
            let err = key.open(&changed).expect_err("a changed vault opens");
            refused(&err, &[Code::InvalidVault, Code::WrongPassphrase], &[]);
        }
    }
    // Another key: refused (in version 2 by the commitment, before decrypting).
    let mut other = bytes.clone();
    other[0] ^= 1;
    let other = VaultKey::from_bytes(&other).expect("an allowed cost");
    let err = other.open(&vault).expect_err("another key opens");
    assert_eq!(err.code(), Code::WrongPassphrase);

    // Costs out of range are refused before any work.
    for params in [
        VaultParams {
            memory_kib: VaultParams::MAX_MEMORY_KIB + 1,
            iterations,
        },
        VaultParams {
            memory_kib,
            iterations: VaultParams::MAX_ITERATIONS + 1,
        },
        VaultParams {
            memory_kib: least.memory_kib.saturating_sub(1),
            iterations: VaultParams::MAX_ITERATIONS,
        },
        VaultParams {
            memory_kib: least.memory_kib,
            iterations: least.iterations.saturating_sub(1),
        },
    ] {
        assert!(!allowed(params), "{params:?} is allowed");
        let err = VaultKey::derive(b"", [0; 16], params).expect_err("out of range");
        refused(&err, &[Code::InvalidVault], &[]);
    }
}

/// The salt field of a vault's text: 16 bytes of unpadded URL-safe base64.
fn salt_of(text: &str) -> Option<[u8; 16]> {
    let field = PREFIXES
        .iter()
        .find_map(|prefix| text.strip_prefix(prefix))?
        .split('$')
        .nth(1)?;
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in field.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out.try_into().ok()
}

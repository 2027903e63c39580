//! An encrypted vault for an authenticator's accounts: a passphrase stretched by
//! Argon2id (RFC 9106) into a 256-bit key, and XChaCha20-Poly1305 authenticated
//! encryption with a key commitment.
//!
//! A sealed vault is one line of text, in the manner of the PHC string format. Version 2,
//! which every new seal writes:
//!
//! ```text
//! $twofa-vault$v=2$argon2id$m=65536,t=3,p=1$<salt>$<commitment>$<nonce>$<ciphertext>
//! ```
//!
//! - `m` is Argon2id's memory in KiB, `t` its passes and `p` its lanes (always 1).
//! - `salt` (16 bytes), `commitment` (32 bytes), `nonce` (24 bytes) and `ciphertext` (the
//!   plaintext's length plus a 16-byte tag) are unpadded URL-safe base64.
//! - The passphrase is normalised to Unicode NFC and stretched as UTF-8:
//!   `K = Argon2id-v1.3(NFC(passphrase), salt, m, t, p = 1, 32 bytes)`. An "é" typed as one
//!   character or as "e" and a combining accent opens the same vault.
//! - `commitment = HMAC-SHA-256(K, "twofa-vault v=2 commitment")` and the cipher's key is
//!   `HMAC-SHA-256(K, "twofa-vault v=2 encryption")`.
//! - Everything before the ciphertext, with its final `$`, is the associated data, so no
//!   field of the header can be changed without the vault failing to open.
//!
//! Version 1 (`$twofa-vault$v=1$argon2id$m=…,t=…,p=1$<salt>$<nonce>$<ciphertext>`, no
//! commitment, the passphrase's bytes as given and `K` the cipher's key) still opens: a
//! key unlocked from one seals version 2 when its passphrase is already in NFC (as every
//! ASCII passphrase is), and version 1 otherwise, so a vault never stops opening with the
//! passphrase as typed.
//!
//! # Key commitment
//!
//! XChaCha20-Poly1305 alone is not key-committing: a ciphertext can be crafted that opens
//! under two keys, each to its own plaintext. The commitment binds a version 2 vault to the
//! one key that made it: [`VaultKey::open`] compares it in constant time before decrypting,
//! so a vault crafted for two passphrases opens under at most the one it commits to.
//!
//! # Cost
//!
//! A vault asks for at least [`VaultParams::MIN_MEMORY_KIB`] of memory and at least
//! [`VaultParams::MIN_COST_KIB`] of memory times passes (OWASP's cheapest Argon2id
//! settings: 7 MiB and 5 passes, or 47 MiB and one pass), and at most
//! [`VaultParams::MAX_MEMORY_KIB`] and [`VaultParams::MAX_ITERATIONS`]: cheaper or dearer
//! vaults are refused when made and when read, before any work.
//!
//! A new nonce is drawn for every seal. The key is derived once per unlock: [`VaultKey`]
//! holds it (zeroed on drop) and seals and opens as often as needed.

use crate::entropy::{self, Entropy};
use crate::error::{Error, ErrorKind};
use crate::otp::hmac_sha256;
use crate::transfer::base64::{self, URL_SAFE};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use core::fmt;
use subtle::ConstantTimeEq;
use unicode_normalization::char::{canonical_combining_class, compose, decompose_canonical};
use zeroize::Zeroizing;

const PREFIX_V1: &str = "$twofa-vault$v=1$argon2id$";
const PREFIX_V2: &str = "$twofa-vault$v=2$argon2id$";
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const COMMIT_LEN: usize = 32;
const COMMIT_LABEL: &[u8] = b"twofa-vault v=2 commitment";
const CIPHER_LABEL: &[u8] = b"twofa-vault v=2 encryption";
/// The key, salt and cost of [`VaultKey::to_bytes`], before the byte that says which
/// versions the key opens.
const KEY_BYTES: usize = 32 + SALT_LEN + 8;
/// The key opens version 1: it is Argon2id of the passphrase's bytes as given.
const OPENS_V1: u8 = 1;
/// The key opens and seals version 2: it is Argon2id of the NFC passphrase.
const OPENS_V2: u8 = 2;

/// Argon2id's cost: memory in KiB and passes. One lane: WebAssembly has one thread.
///
/// ```
/// use twofa::vault::VaultParams;
///
/// // OWASP's cheapest settings are the floor: 7 MiB and 5 passes is accepted...
/// let floor = VaultParams { memory_kib: 7168, iterations: 5 };
/// assert_eq!(floor.check(), Ok(()));
/// // ...and one pass fewer is refused, saying which bound it broke.
/// let err = VaultParams { memory_kib: 7168, iterations: 4 }.check().unwrap_err();
/// assert_eq!(err.to_string(), "invalid vault: m * t must be at least 35840 KiB");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct VaultParams {
    /// Memory in KiB: from [`VaultParams::MIN_MEMORY_KIB`] (7 MiB) to
    /// [`VaultParams::MAX_MEMORY_KIB`] (1 GiB).
    pub memory_kib: u32,
    /// Passes over the memory: from 1 to 16, with `memory_kib * iterations` at least
    /// [`VaultParams::MIN_COST_KIB`].
    pub iterations: u32,
}

impl VaultParams {
    /// RFC 9106's second recommendation, with one lane: 64 MiB and 3 passes.
    pub const DEFAULT: VaultParams = VaultParams {
        memory_kib: 64 * 1024,
        iterations: 3,
    };
    /// The cheapest cost a vault may ask for, OWASP's cheapest Argon2id setting (7 MiB,
    /// 5 passes): about 10 ms natively, so tests and examples stay quick.
    pub const MIN: VaultParams = VaultParams {
        memory_kib: Self::MIN_MEMORY_KIB,
        iterations: 5,
    };
    /// The least memory a vault may ask for: 7 MiB, OWASP's smallest Argon2id setting.
    pub const MIN_MEMORY_KIB: u32 = 7 * 1024;
    /// The least memory times passes a vault may ask for, in KiB: 35840 admits each of
    /// OWASP's five Argon2id settings (47104 × 1, 19456 × 2, 12288 × 3, 9216 × 4 and
    /// 7168 × 5) and nothing cheaper.
    pub const MIN_COST_KIB: u32 = 35_840;
    /// The most memory a vault may ask for: more is refused before any work.
    pub const MAX_MEMORY_KIB: u32 = 1024 * 1024;
    /// The most passes a vault may ask for.
    pub const MAX_ITERATIONS: u32 = 16;

    /// Whether a vault may ask for this cost: between the floor and the ceiling.
    ///
    /// # Errors
    ///
    /// `INVALID_VAULT`: `m must be from 7168 to 1048576 KiB`, `t must be from 1 to 16` or
    /// `m * t must be at least 35840 KiB`.
    pub fn check(self) -> Result<(), Error> {
        if self.memory_kib < Self::MIN_MEMORY_KIB || self.memory_kib > Self::MAX_MEMORY_KIB {
            return Err(Error::new(ErrorKind::Vault(
                "m must be from 7168 to 1048576 KiB",
            )));
        }
        if self.iterations < 1 || self.iterations > Self::MAX_ITERATIONS {
            return Err(Error::new(ErrorKind::Vault("t must be from 1 to 16")));
        }
        if u64::from(self.memory_kib) * u64::from(self.iterations) < u64::from(Self::MIN_COST_KIB) {
            return Err(Error::new(ErrorKind::Vault(
                "m * t must be at least 35840 KiB",
            )));
        }
        Ok(())
    }

    fn argon2(self) -> Result<Argon2<'static>, Error> {
        self.check()?;
        let params = Params::new(self.memory_kib, self.iterations, 1, Some(32))
            .map_err(|_| Error::new(ErrorKind::Vault("argon2 parameters are out of range")))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

impl Default for VaultParams {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A key derived from a passphrase, with the salt and cost it was derived with.
///
/// ```
/// use twofa::vault::{VaultKey, VaultParams};
///
/// // The cheapest cost keeps the example fast; real vaults use `VaultParams::DEFAULT`.
/// let key = VaultKey::derive("correct horse".as_bytes(), [7; 16], VaultParams::MIN)?;
/// let sealed = key.seal(b"otpauth://totp/...", [9; 24])?;
/// assert!(sealed.starts_with("$twofa-vault$v=2$argon2id$m=7168,t=5,p=1$"));
///
/// // Unlocking later: the vault names its salt and cost.
/// let again = VaultKey::unlock(b"correct horse", &sealed)?;
/// assert_eq!(&again.open(&sealed)?[..], b"otpauth://totp/...");
/// let err = VaultKey::unlock(b"wrong", &sealed)?.open(&sealed).unwrap_err();
/// assert_eq!(err.code(), "WRONG_PASSPHRASE");
///
/// // The passphrase is read as NFC: "é" as one character or as "e" and an accent.
/// let key = VaultKey::derive("caf\u{e9}".as_bytes(), [7; 16], VaultParams::MIN)?;
/// let sealed = key.seal(b"{}", [9; 24])?;
/// assert_eq!(&VaultKey::unlock("cafe\u{301}".as_bytes(), &sealed)?.open(&sealed)?[..], b"{}");
/// # Ok::<(), twofa::Error>(())
/// ```
pub struct VaultKey {
    key: Zeroizing<[u8; 32]>,
    salt: [u8; SALT_LEN],
    params: VaultParams,
    /// Which versions the key opens: [`OPENS_V1`], [`OPENS_V2`] or both.
    opens: u8,
}

impl VaultKey {
    /// Stretches `passphrase`, UTF-8 text normalised to NFC, with Argon2id over `salt`
    /// (16 random bytes, new for each new passphrase). The key seals version 2 vaults.
    ///
    /// # Errors
    ///
    /// `INVALID_VAULT` for a cost out of range ([`VaultParams::check`]); `INVALID_OPTIONS`
    /// for a passphrase that is not UTF-8 (`passphrase is not utf-8 text from byte 3`).
    pub fn derive(
        passphrase: &[u8],
        salt: [u8; SALT_LEN],
        params: VaultParams,
    ) -> Result<VaultKey, Error> {
        let argon2 = params.argon2()?;
        let text = core::str::from_utf8(passphrase)
            .map_err(|e| Error::new(ErrorKind::PassphraseUtf8(e.valid_up_to())))?;
        let nfc = nfc(text);
        let opens = if nfc.as_bytes() == passphrase {
            OPENS_V1 | OPENS_V2
        } else {
            OPENS_V2
        };
        let key = stretch(&argon2, nfc.as_bytes(), &salt)?;
        Ok(VaultKey {
            key,
            salt,
            params,
            opens,
        })
    }

    /// Derives the key that `sealed` names: its version, salt and cost, and `passphrase`.
    /// Whether the passphrase is right shows when [`VaultKey::open`] is called.
    ///
    /// A version 2 vault reads the passphrase as [`VaultKey::derive`] does. A version 1
    /// vault reads its bytes as given, as it was sealed: a passphrase typed in another
    /// normalisation than the original does not open it.
    ///
    /// # Errors
    ///
    /// `INVALID_VAULT` for text that is not a vault, or a cost out of range;
    /// `INVALID_OPTIONS` for a version 2 vault and a passphrase that is not UTF-8.
    pub fn unlock(passphrase: &[u8], sealed: &str) -> Result<VaultKey, Error> {
        let parts = Parts::read(sealed)?;
        if parts.version == 2 {
            return VaultKey::derive(passphrase, parts.salt, parts.params);
        }
        let key = stretch(&parts.params.argon2()?, passphrase, &parts.salt)?;
        let nfc = core::str::from_utf8(passphrase).is_ok_and(|text| *nfc(text) == text);
        Ok(VaultKey {
            key,
            salt: parts.salt,
            params: parts.params,
            opens: if nfc { OPENS_V1 | OPENS_V2 } else { OPENS_V1 },
        })
    }

    /// A key kept from an earlier [`VaultKey::to_bytes`], so an unlocked vault survives a
    /// page reload without the passphrase. The 56 bytes of a key kept before version 2
    /// open version 1 vaults.
    ///
    /// # Errors
    ///
    /// `INVALID_VAULT` for bytes that are not a key.
    pub fn from_bytes(bytes: &[u8]) -> Result<VaultKey, Error> {
        let bad = || Error::new(ErrorKind::Vault("key bytes are malformed"));
        let (key_bytes, rest) = bytes.split_first_chunk::<32>().ok_or_else(bad)?;
        let (salt, rest) = rest.split_first_chunk::<SALT_LEN>().ok_or_else(bad)?;
        let (m, rest) = rest.split_first_chunk::<4>().ok_or_else(bad)?;
        let (t, rest) = rest.split_first_chunk::<4>().ok_or_else(bad)?;
        let opens = match rest {
            [] => OPENS_V1,
            [opens @ 1..=3] => *opens,
            _ => return Err(bad()),
        };
        let key = Zeroizing::new(*key_bytes);
        let salt = *salt;
        let params = VaultParams {
            memory_kib: u32::from_be_bytes(*m),
            iterations: u32::from_be_bytes(*t),
        };
        params.check()?;
        Ok(VaultKey {
            key,
            salt,
            params,
            opens,
        })
    }

    /// The key, salt, cost and the versions it opens as 57 bytes, for
    /// [`VaultKey::from_bytes`]. They open the vault without the passphrase: keep them only
    /// in memory that is cleared on lock.
    #[must_use]
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(KEY_BYTES + 1));
        out.extend_from_slice(&self.key[..]);
        out.extend_from_slice(&self.salt);
        out.extend_from_slice(&self.params.memory_kib.to_be_bytes());
        out.extend_from_slice(&self.params.iterations.to_be_bytes());
        out.push(self.opens);
        out
    }

    /// The cost this key was derived with.
    #[must_use]
    pub fn params(&self) -> VaultParams {
        self.params
    }

    /// The version [`VaultKey::seal`] writes: 2, or 1 for a key unlocked from a version 1
    /// vault with a passphrase that is not in NFC (a new key from [`VaultKey::derive`]
    /// moves such a vault to version 2).
    ///
    /// ```
    /// use twofa::vault::{VaultKey, VaultParams};
    ///
    /// // A key kept as 56 bytes before version 2 opens and seals version 1.
    /// let key = VaultKey::derive(b"pw", [1; 16], VaultParams::MIN)?;
    /// assert_eq!(key.version(), 2);
    /// let old = VaultKey::from_bytes(&key.to_bytes()[..56])?;
    /// assert_eq!(old.version(), 1);
    /// assert!(old.seal(b"{}", [2; 24])?.starts_with("$twofa-vault$v=1$"));
    /// # Ok::<(), twofa::Error>(())
    /// ```
    #[must_use]
    pub fn version(&self) -> u8 {
        if self.opens & OPENS_V2 != 0 {
            2
        } else {
            1
        }
    }

    /// Seals `plaintext` with `nonce`, which must be 24 fresh random bytes.
    ///
    /// # Errors
    ///
    /// `INVALID_VAULT` for a plaintext past XChaCha20's 256 GiB limit.
    pub fn seal(&self, plaintext: &[u8], nonce: [u8; NONCE_LEN]) -> Result<String, Error> {
        let version = self.version();
        let mut text = self.header(version, &nonce);
        let sealed = self
            .cipher(version)
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad: text.as_bytes(),
                },
            )
            .map_err(|_| Error::new(ErrorKind::Vault("plaintext is too long to seal")))?;
        text.push_str(&base64::encode(&sealed, URL_SAFE));
        Ok(text)
    }

    /// Seals with a nonce drawn from `entropy`.
    ///
    /// # Errors
    ///
    /// `ENTROPY_UNAVAILABLE` when `entropy` fails.
    pub fn seal_with(&self, plaintext: &[u8], mut entropy: impl Entropy) -> Result<String, Error> {
        let mut nonce = [0u8; NONCE_LEN];
        entropy::fill(&mut entropy, &mut nonce)?;
        self.seal(plaintext, nonce)
    }

    /// Opens a vault sealed under this key. A version 2 vault's commitment is compared, in
    /// constant time, before anything is decrypted.
    ///
    /// # Errors
    ///
    /// `INVALID_VAULT` for text that is not a vault, or one sealed with another salt, cost
    /// or version; `WRONG_PASSPHRASE` when the key does not open it: a wrong passphrase, a
    /// vault that commits to another key, or a vault that was changed.
    pub fn open(&self, sealed: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
        let parts = Parts::read(sealed)?;
        let opens = if parts.version == 2 {
            OPENS_V2
        } else {
            OPENS_V1
        };
        if parts.salt != self.salt || parts.params != self.params || self.opens & opens == 0 {
            return Err(Error::new(ErrorKind::Vault(
                "vault was sealed with another salt, cost or version; unlock it with its passphrase",
            )));
        }
        if let Some(commitment) = parts.commitment {
            if !bool::from(commitment.ct_eq(&self.commitment())) {
                return Err(Error::new(ErrorKind::WrongPassphrase));
            }
        }
        self.cipher(parts.version)
            .decrypt(
                &XNonce::from(parts.nonce),
                Payload {
                    msg: &parts.ciphertext,
                    aad: sealed.get(..parts.aad_len).unwrap_or_default().as_bytes(),
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| Error::new(ErrorKind::WrongPassphrase))
    }

    /// What a version 2 vault stores to commit to this key.
    fn commitment(&self) -> [u8; COMMIT_LEN] {
        hmac_sha256(&self.key[..], &[COMMIT_LABEL])
    }

    /// The cipher of `version`: the key itself for version 1, a subkey for version 2.
    fn cipher(&self, version: u8) -> XChaCha20Poly1305 {
        if version == 1 {
            return XChaCha20Poly1305::new(&Key::from(*self.key));
        }
        let key = Zeroizing::new(hmac_sha256(&self.key[..], &[CIPHER_LABEL]));
        XChaCha20Poly1305::new(&Key::from(*key))
    }

    fn header(&self, version: u8, nonce: &[u8; NONCE_LEN]) -> String {
        let commitment = if version == 2 {
            let mut field = String::from(base64::encode(&self.commitment(), URL_SAFE).as_str());
            field.push('$');
            field
        } else {
            String::new()
        };
        format!(
            "{}m={},t={},p=1${}${commitment}{}$",
            if version == 2 { PREFIX_V2 } else { PREFIX_V1 },
            self.params.memory_kib,
            self.params.iterations,
            &*base64::encode(&self.salt, URL_SAFE),
            &*base64::encode(nonce, URL_SAFE),
        )
    }
}

/// `text` in Unicode Normalization Form C (UAX #15): the canonical decomposition, in
/// canonical order, then the canonical composition.
///
/// Written on `unicode-normalization`'s per-character tables rather than its `nfc()`
/// iterator, which also links the compatibility tables (NFKC's): 35 KB of gzip in a module
/// that never uses them. The tests check it against `nfc()` for every character.
pub(crate) fn nfc(text: &str) -> Zeroizing<String> {
    // Decomposed, each mark moved back past the marks of a higher class before it.
    let mut chars = Zeroizing::new(Vec::<(char, u8)>::with_capacity(text.len()));
    for c in text.chars() {
        decompose_canonical(c, |d| {
            let class = canonical_combining_class(d);
            let mut at = chars.len();
            if class != 0 {
                while let Some(&(_, before)) = at.checked_sub(1).and_then(|i| chars.get(i)) {
                    if before <= class {
                        break;
                    }
                    at -= 1;
                }
            }
            chars.insert(at, (d, class));
        });
    }
    // Composed: each character with the last starter, unless a character between them is
    // a starter or has a class as high.
    let mut out = Zeroizing::new(Vec::<char>::with_capacity(chars.len()));
    let mut starter: Option<usize> = None;
    let mut last_class: Option<u8> = None;
    for &(c, class) in chars.iter() {
        if let Some(slot) = starter.and_then(|at| out.get_mut(at)) {
            if last_class.is_none_or(|last| last < class) {
                if let Some(composed) = compose(*slot, c) {
                    *slot = composed;
                    continue;
                }
            }
        }
        if class == 0 {
            starter = Some(out.len());
            last_class = None;
        } else if starter.is_some() {
            last_class = Some(class);
        }
        out.push(c);
    }
    Zeroizing::new(out.iter().collect())
}

/// Argon2id of `passphrase` into a 32-byte key.
fn stretch(
    argon2: &Argon2<'_>,
    passphrase: &[u8],
    salt: &[u8; SALT_LEN],
) -> Result<Zeroizing<[u8; 32]>, Error> {
    let mut key = Zeroizing::new([0u8; 32]);
    argon2
        .hash_password_into(passphrase, salt, &mut key[..])
        .map_err(|_| Error::new(ErrorKind::Vault("argon2 parameters are out of range")))?;
    Ok(key)
}

impl fmt::Debug for VaultKey {
    /// Never the key: `VaultKey(argon2id m=65536 t=3)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "VaultKey(argon2id m={} t={})",
            self.params.memory_kib, self.params.iterations
        )
    }
}

/// The cost a sealed vault names, without deriving anything: to tell a user how long an
/// unlock will take, or to refuse a vault before the work.
///
/// # Errors
///
/// `INVALID_VAULT` for text that is not a vault, or a cost out of range.
pub fn params_of(sealed: &str) -> Result<VaultParams, Error> {
    Parts::read(sealed).map(|p| p.params)
}

/// A sealed vault's fields.
struct Parts {
    version: u8,
    params: VaultParams,
    salt: [u8; SALT_LEN],
    /// Version 2's key commitment.
    commitment: Option<[u8; COMMIT_LEN]>,
    nonce: [u8; NONCE_LEN],
    ciphertext: Zeroizing<Vec<u8>>,
    /// The length of the header, which is the associated data.
    aad_len: usize,
}

impl Parts {
    fn read(sealed: &str) -> Result<Parts, Error> {
        let bad = |what: &'static str| Error::new(ErrorKind::Vault(what));
        let (version, rest) = match sealed.strip_prefix(PREFIX_V2) {
            Some(rest) => (2, rest),
            None => (
                1,
                sealed
                    .strip_prefix(PREFIX_V1)
                    .ok_or_else(|| bad("text is not a twofa vault (version 1 or 2)"))?,
            ),
        };
        let mut fields = rest.split('$');
        let cost = fields.next().unwrap_or_default();
        let salt = fields.next().ok_or_else(|| bad("salt is missing"))?;
        let commitment = if version == 2 {
            Some(fields.next().ok_or_else(|| bad("commitment is missing"))?)
        } else {
            None
        };
        let nonce = fields.next().ok_or_else(|| bad("nonce is missing"))?;
        let data = fields.next().ok_or_else(|| bad("ciphertext is missing"))?;
        if fields.next().is_some() {
            return Err(bad("vault has a field too many"));
        }
        let mut m = None;
        let mut t = None;
        let mut p = None;
        for pair in cost.split(',') {
            let (name, value) = pair
                .split_once('=')
                .ok_or_else(|| bad("cost is malformed"))?;
            let number = if value.len() <= 10 && value.bytes().all(|b| b.is_ascii_digit()) {
                value.parse::<u32>().ok()
            } else {
                None
            };
            let number = number.ok_or_else(|| bad("cost is malformed"))?;
            let slot = match name {
                "m" => &mut m,
                "t" => &mut t,
                "p" => &mut p,
                _ => return Err(bad("cost is malformed")),
            };
            if slot.replace(number).is_some() {
                return Err(bad("cost is malformed"));
            }
        }
        let (Some(memory_kib), Some(iterations), Some(1)) = (m, t, p) else {
            return Err(bad("cost is malformed"));
        };
        let params = VaultParams {
            memory_kib,
            iterations,
        };
        params.check()?;
        let salt = fixed::<SALT_LEN>(salt).ok_or_else(|| bad("salt is malformed"))?;
        let commitment = match commitment {
            Some(text) => {
                Some(fixed::<COMMIT_LEN>(text).ok_or_else(|| bad("commitment is malformed"))?)
            }
            None => None,
        };
        let nonce = fixed::<NONCE_LEN>(nonce).ok_or_else(|| bad("nonce is malformed"))?;
        let ciphertext = base64::decode(data).map_err(|_| bad("ciphertext is malformed"))?;
        if ciphertext.len() < TAG_LEN || base64::encode(&ciphertext, URL_SAFE).as_str() != data {
            return Err(bad("ciphertext is malformed"));
        }
        Ok(Parts {
            version,
            params,
            salt,
            commitment,
            nonce,
            ciphertext,
            aad_len: sealed.len() - data.len(),
        })
    }
}

/// Exactly `N` bytes of canonical URL-safe base64.
fn fixed<const N: usize>(text: &str) -> Option<[u8; N]> {
    let bytes = base64::decode(text).ok()?;
    if base64::encode(&bytes, URL_SAFE).as_str() != text {
        return None;
    }
    bytes.as_slice().try_into().ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

    use super::*;

    /// The NFC above is `unicode-normalization`'s `nfc()`: for every character alone, after
    /// a letter, and before marks of every order.
    #[test]
    fn nfc_is_the_reference_nfc() {
        use unicode_normalization::UnicodeNormalization;
        let same = |text: &str| assert_eq!(*nfc(text), text.nfc().collect::<String>(), "{text:?}");
        let marks = [
            '\u{300}',
            '\u{301}',
            '\u{308}',
            '\u{323}',
            '\u{327}',
            '\u{31b}',
            '\u{345}',
            '\u{334}',
            '\u{5b0}',
            '\u{93c}',
            '\u{f71}',
            '\u{f72}',
            '\u{1161}',
            '\u{11a8}',
            '\u{3099}',
            '\u{309a}',
            '\u{1d165}',
            '\u{1d16e}',
            '\u{e0100}',
        ];
        // Every character to the last canonical decomposition (U+2FA1D), alone and before
        // every mark; beyond it no character decomposes or composes.
        let mut text = String::new();
        for c in (0..=0x2_fa20).filter_map(char::from_u32) {
            same(c.encode_utf8(&mut [0; 4]));
            text.clear();
            text.push(c);
            text.extend(marks);
            same(&text);
        }
        // Letters of scripts that compose, before every pair of marks, in both orders.
        let letters = [
            0x41..0x250,
            0x391..0x3ca,
            0x410..0x450,
            0x1100..0x1113,
            0xac00..0xac20,
        ];
        for c in letters.into_iter().flatten().filter_map(char::from_u32) {
            for &a in &marks {
                for &b in &marks {
                    same(&[c, a, b].iter().collect::<String>());
                }
            }
        }
        for text in [
            "caf\u{e9}",
            "cafe\u{301}",
            "\u{212b}",
            "\u{1100}\u{1161}\u{11a8}",
            "a\u{328}\u{301}\u{323}",
            "",
        ] {
            same(text);
        }
    }

    /// A vault whose ciphertext opens under key `a` (a valid tag over its header) but whose
    /// header commits to key `b`: what a ciphertext crafted to open under two keys looks
    /// like to the key it does not commit to. The commitment refuses it.
    #[test]
    fn a_vault_committing_to_another_key_is_refused_before_decryption() {
        let a = VaultKey::derive(b"first", [1; 16], VaultParams::MIN).unwrap();
        let b = VaultKey::derive(b"second", [1; 16], VaultParams::MIN).unwrap();
        let nonce = [2u8; NONCE_LEN];
        let header = b.header(2, &nonce);
        let body = a
            .cipher(2)
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: b"forged",
                    aad: header.as_bytes(),
                },
            )
            .unwrap();
        let forged = format!("{header}{}", &*base64::encode(&body, URL_SAFE));
        // The AEAD alone would open it under `a`...
        let parts = Parts::read(&forged).unwrap();
        let aad = forged.get(..parts.aad_len).unwrap().as_bytes();
        let payload = Payload {
            msg: &parts.ciphertext,
            aad,
        };
        assert!(a.cipher(2).decrypt(&XNonce::from(nonce), payload).is_ok());
        // ...but the vault commits to `b`: `a` refuses it, and so does `b`.
        let err = a.open(&forged).unwrap_err();
        assert_eq!(err.code().as_str(), "WRONG_PASSPHRASE");
        assert_eq!(
            err.to_string(),
            "wrong passphrase, or the vault was changed"
        );
        assert_eq!(
            b.open(&forged).unwrap_err().code().as_str(),
            "WRONG_PASSPHRASE"
        );
        // The commitment is HMAC-SHA-256 of the Argon2id key under its label.
        assert_eq!(
            parts.commitment,
            Some(hmac_sha256(&b.key[..], &[b"twofa-vault v=2 commitment"]))
        );
    }
}

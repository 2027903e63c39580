//! An encrypted vault for an authenticator's accounts: a passphrase stretched by
//! Argon2id (RFC 9106) into a 256-bit key, and XChaCha20-Poly1305 authenticated
//! encryption.
//!
//! A sealed vault is one line of text, in the manner of the PHC string format:
//!
//! ```text
//! $twofa-vault$v=1$argon2id$m=65536,t=3,p=1$<salt>$<nonce>$<ciphertext>
//! ```
//!
//! - `m` is Argon2id's memory in KiB, `t` its passes and `p` its lanes (always 1).
//! - `salt` (16 bytes), `nonce` (24 bytes) and `ciphertext` (the plaintext's length plus a
//!   16-byte tag) are unpadded URL-safe base64.
//! - Everything before the ciphertext, with its final `$`, is the associated data, so no
//!   field of the header can be changed without the vault failing to open.
//!
//! A new nonce is drawn for every seal. The key is derived once per unlock: [`VaultKey`]
//! holds it (zeroed on drop) and seals and opens as often as needed.

use crate::entropy::{self, Entropy};
use crate::error::{Error, ErrorKind};
use crate::transfer::base64::{self, URL_SAFE};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use core::fmt;
use zeroize::Zeroizing;

const PREFIX: &str = "$twofa-vault$v=1$argon2id$";
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

/// Argon2id's cost: memory in KiB and passes. One lane: WebAssembly has one thread.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct VaultParams {
    /// Memory in KiB: from 8 to 1,048,576 (1 GiB).
    pub memory_kib: u32,
    /// Passes over the memory: from 1 to 16.
    pub iterations: u32,
}

impl VaultParams {
    /// RFC 9106's second recommendation, with one lane: 64 MiB and 3 passes.
    pub const DEFAULT: VaultParams = VaultParams {
        memory_kib: 64 * 1024,
        iterations: 3,
    };
    /// The most memory a vault may ask for: more is refused before any work.
    pub const MAX_MEMORY_KIB: u32 = 1024 * 1024;
    /// The most passes a vault may ask for.
    pub const MAX_ITERATIONS: u32 = 16;

    fn argon2(self) -> Result<Argon2<'static>, Error> {
        if self.memory_kib < 8 || self.memory_kib > Self::MAX_MEMORY_KIB {
            return Err(Error::new(ErrorKind::Vault(
                "m must be from 8 to 1048576 KiB",
            )));
        }
        if self.iterations < 1 || self.iterations > Self::MAX_ITERATIONS {
            return Err(Error::new(ErrorKind::Vault("t must be from 1 to 16")));
        }
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
/// // Light parameters keep the example fast; real vaults use `VaultParams::DEFAULT`.
/// let params = VaultParams { memory_kib: 64, iterations: 1 };
/// let key = VaultKey::derive(b"correct horse", [7; 16], params)?;
/// let sealed = key.seal(b"otpauth://totp/...", [9; 24])?;
/// assert!(sealed.starts_with("$twofa-vault$v=1$argon2id$m=64,t=1,p=1$"));
///
/// // Unlocking later: the vault names its salt and cost.
/// let again = VaultKey::unlock(b"correct horse", &sealed)?;
/// assert_eq!(&again.open(&sealed)?[..], b"otpauth://totp/...");
/// let err = VaultKey::unlock(b"wrong", &sealed)?.open(&sealed).unwrap_err();
/// assert_eq!(err.code(), "WRONG_PASSPHRASE");
/// # Ok::<(), twofa::Error>(())
/// ```
pub struct VaultKey {
    key: Zeroizing<[u8; 32]>,
    salt: [u8; SALT_LEN],
    params: VaultParams,
}

impl VaultKey {
    /// Stretches `passphrase` with Argon2id over `salt` (16 random bytes, new for each
    /// new passphrase).
    ///
    /// # Errors
    ///
    /// `INVALID_VAULT` for parameters out of range.
    pub fn derive(
        passphrase: &[u8],
        salt: [u8; SALT_LEN],
        params: VaultParams,
    ) -> Result<VaultKey, Error> {
        let mut key = Zeroizing::new([0u8; 32]);
        params
            .argon2()?
            .hash_password_into(passphrase, &salt, &mut key[..])
            .map_err(|_| Error::new(ErrorKind::Vault("argon2 parameters are out of range")))?;
        Ok(VaultKey { key, salt, params })
    }

    /// Derives the key that `sealed` names: its salt and cost, and `passphrase`. Whether
    /// the passphrase is right shows when [`VaultKey::open`] is called.
    ///
    /// # Errors
    ///
    /// `INVALID_VAULT` for text that is not a vault.
    pub fn unlock(passphrase: &[u8], sealed: &str) -> Result<VaultKey, Error> {
        let parts = Parts::read(sealed)?;
        VaultKey::derive(passphrase, parts.salt, parts.params)
    }

    /// A key kept from an earlier [`VaultKey::derive`] (its [`VaultKey::to_bytes`]), so
    /// an unlocked vault survives a page reload without the passphrase.
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
        if !rest.is_empty() {
            return Err(bad());
        }
        let key = Zeroizing::new(*key_bytes);
        let salt = *salt;
        let params = VaultParams {
            memory_kib: u32::from_be_bytes(*m),
            iterations: u32::from_be_bytes(*t),
        };
        params.argon2()?;
        Ok(VaultKey { key, salt, params })
    }

    /// The key, salt and cost as 56 bytes, for [`VaultKey::from_bytes`]. They open the
    /// vault without the passphrase: keep them only in memory that is cleared on lock.
    #[must_use]
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(32 + SALT_LEN + 8));
        out.extend_from_slice(&self.key[..]);
        out.extend_from_slice(&self.salt);
        out.extend_from_slice(&self.params.memory_kib.to_be_bytes());
        out.extend_from_slice(&self.params.iterations.to_be_bytes());
        out
    }

    /// The cost this key was derived with.
    #[must_use]
    pub fn params(&self) -> VaultParams {
        self.params
    }

    /// Seals `plaintext` with `nonce`, which must be 24 fresh random bytes.
    ///
    /// # Errors
    ///
    /// `INVALID_VAULT` for a plaintext past XChaCha20's 256 GiB limit.
    pub fn seal(&self, plaintext: &[u8], nonce: [u8; NONCE_LEN]) -> Result<String, Error> {
        let mut text = self.header(&nonce);
        let cipher = XChaCha20Poly1305::new(&Key::from(*self.key));
        let sealed = cipher
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

    /// Opens a vault sealed under this key.
    ///
    /// # Errors
    ///
    /// `INVALID_VAULT` for text that is not a vault, or one sealed with another salt or
    /// cost; `WRONG_PASSPHRASE` when the key does not open it: a wrong passphrase, or a
    /// vault that was changed.
    pub fn open(&self, sealed: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
        let parts = Parts::read(sealed)?;
        if parts.salt != self.salt || parts.params != self.params {
            return Err(Error::new(ErrorKind::Vault(
                "vault was sealed with another salt or cost; unlock it with its passphrase",
            )));
        }
        let cipher = XChaCha20Poly1305::new(&Key::from(*self.key));
        cipher
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

    fn header(&self, nonce: &[u8; NONCE_LEN]) -> String {
        format!(
            "{PREFIX}m={},t={},p=1${}${}$",
            self.params.memory_kib,
            self.params.iterations,
            &*base64::encode(&self.salt, URL_SAFE),
            &*base64::encode(nonce, URL_SAFE),
        )
    }
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
/// `INVALID_VAULT` for text that is not a vault.
pub fn params_of(sealed: &str) -> Result<VaultParams, Error> {
    Parts::read(sealed).map(|p| p.params)
}

/// A sealed vault's fields.
struct Parts {
    params: VaultParams,
    salt: [u8; SALT_LEN],
    nonce: [u8; NONCE_LEN],
    ciphertext: Zeroizing<Vec<u8>>,
    /// The length of the header, which is the associated data.
    aad_len: usize,
}

impl Parts {
    fn read(sealed: &str) -> Result<Parts, Error> {
        let bad = |what: &'static str| Error::new(ErrorKind::Vault(what));
        let rest = sealed
            .strip_prefix(PREFIX)
            .ok_or_else(|| bad("text is not a twofa vault (version 1)"))?;
        let mut fields = rest.split('$');
        let cost = fields.next().unwrap_or_default();
        let salt = fields.next().ok_or_else(|| bad("salt is missing"))?;
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
        params.argon2()?;
        let salt = fixed::<SALT_LEN>(salt).ok_or_else(|| bad("salt is malformed"))?;
        let nonce = fixed::<NONCE_LEN>(nonce).ok_or_else(|| bad("nonce is malformed"))?;
        let ciphertext = base64::decode(data).map_err(|_| bad("ciphertext is malformed"))?;
        if ciphertext.len() < TAG_LEN || base64::encode(&ciphertext, URL_SAFE).as_str() != data {
            return Err(bad("ciphertext is malformed"));
        }
        Ok(Parts {
            params,
            salt,
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

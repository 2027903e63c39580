//! The binding of `crate::vault`: a passphrase in, sealed text out, and a key that lives
//! in WebAssembly memory between unlock and lock. The `twofa/vault` entry.

use super::convert::{
    csprng, export, fail, lock, reply, reply_bytes, u32_option, Input, Out, Slab, SCRUB_KDF,
};
use crate::vault::{VaultKey, VaultParams};
use crate::{Code, Error};
use spin::Mutex;

/// Every live `VaultKey` of the page.
static KEYS: Mutex<Slab<VaultKey>> = Mutex::new(Slab::new());

/// The longest passphrase read, in characters. One with a lone surrogate never gets here:
/// the JavaScript layer refuses it (`passphrase:lone`) before it is encoded.
const MAX_PASSPHRASE_CHARS: usize = 1024;

fn passphrase(text: Option<&str>) -> Out<&str> {
    let text = text.unwrap_or_default();
    if super::convert::chars(text) > MAX_PASSPHRASE_CHARS {
        return Err(fail(
            Code::InvalidOptions,
            "passphrase must be at most 1024 characters",
        ));
    }
    Ok(text)
}

fn vault_error(what: &'static str) -> Error {
    Error::new(crate::error::ErrorKind::Vault(what))
}

export! {
    /// Derives a key from a passphrase (the input) with a new random salt, at
    /// `memory_kib` (default 65536) and `iterations` (default 3).
    #[scrub = SCRUB_KDF]
    fn vault_derive(passphrase_text: u32, memory_kib: f64, iterations: f64) {
        let input = Input::take()?;
        let [text] = input.texts([passphrase_text])?;
        let passphrase = passphrase(text)?;
        let defaults = VaultParams::DEFAULT;
        let params = VaultParams {
            memory_kib: u32_option(memory_kib, "memoryKib", defaults.memory_kib)?,
            iterations: u32_option(iterations, "iterations", defaults.iterations)?,
        };
        let mut salt = [0u8; 16];
        csprng(&mut salt).map_err(|_| Error::new(crate::error::ErrorKind::Entropy))?;
        let key = VaultKey::derive(passphrase.as_bytes(), salt, params)?;
        Ok(lock(&KEYS)?.insert(key))
    }

    /// Derives the key a sealed vault names from a passphrase: the input's texts are the
    /// passphrase and the vault. A vault asking for more than `max_memory_kib` or
    /// `max_iterations` is refused before any work.
    #[scrub = SCRUB_KDF]
    fn vault_unlock(passphrase_text: u32, vault: u32, max_memory_kib: f64, max_iterations: f64) {
        let input = Input::take()?;
        let [text, vault] = input.texts([passphrase_text, vault])?;
        let passphrase = passphrase(text)?;
        let vault = vault.unwrap_or_default();
        let cost = crate::vault::params_of(vault)?;
        if cost.memory_kib > u32_option(max_memory_kib, "maxMemoryKib", u32::MAX)?
            || cost.iterations > u32_option(max_iterations, "maxIterations", u32::MAX)?
        {
            return Err(vault_error("vault asks for more work than this reader allows").into());
        }
        let key = VaultKey::unlock(passphrase.as_bytes(), vault)?;
        Ok(lock(&KEYS)?.insert(key))
    }

    /// A key from the 57 bytes `vault_to_bytes` gave (the input), or the 56 it gave
    /// before version 2.
    fn vault_from_bytes(bytes: u32) {
        let input = Input::take()?;
        let [bytes] = input.segments([bytes])?;
        let bytes = bytes.unwrap_or_default();
        if bytes.len() != 56 && bytes.len() != 57 {
            return Err(vault_error("key bytes are malformed").into());
        }
        let key = VaultKey::from_bytes(bytes)?;
        Ok(lock(&KEYS)?.insert(key))
    }

    /// The key, salt, cost and the versions it opens as 57 bytes, in the output.
    fn vault_to_bytes(key: u32) {
        reply_bytes(&lock(&KEYS)?.get(key)?.to_bytes())
    }

    /// Seals text (the input) under a key, with a new random nonce.
    fn vault_seal(key: u32, text: u32) {
        let input = Input::take()?;
        let [text] = input.texts([text])?;
        let keys = lock(&KEYS)?;
        reply(&keys.get(key)?.seal_with(text.unwrap_or_default().as_bytes(), csprng)?)
    }

    /// Opens a vault (the input) sealed under a key: its text in the output.
    fn vault_open(key: u32, vault: u32) {
        let input = Input::take()?;
        let [vault] = input.texts([vault])?;
        let keys = lock(&KEYS)?;
        let plain = keys.get(key)?.open(vault.unwrap_or_default())?;
        let text = core::str::from_utf8(&plain).map_err(|_| vault_error("plaintext is not UTF-8"))?;
        reply(text)
    }

    /// Argon2id's memory in KiB times 64, plus 32 when the key seals version 2, plus its
    /// passes (at most 16).
    fn vault_params(key: u32) {
        let keys = lock(&KEYS)?;
        let key = keys.get(key)?;
        let params = key.params();
        let v2 = if key.version() == 2 { 32.0 } else { 0.0 };
        Ok(f64::from(params.memory_kib) * 64.0 + v2 + f64::from(params.iterations))
    }

    /// Zeroes a key now: the vault is locked.
    fn vault_free(key: u32) {
        lock(&KEYS)?.remove(key);
        Ok(0.0)
    }
}

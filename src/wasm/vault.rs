//! The binding of the vault (`crate::vault`): a passphrase in, sealed text out, and a
//! key object that lives in WebAssembly memory between unlock and lock.

use super::{core_error, csprng, options_error, options_object, scrubbed, u32_field, utf16_text};
use crate::vault::{VaultKey, VaultParams};
use crate::EntropyError;
use js_sys::{JsString, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use zeroize::Zeroizing;

/// The longest passphrase read, in UTF-16 units.
const MAX_PASSPHRASE_UNITS: u32 = 1024;
/// The longest text sealed or opened: 16 Mi UTF-16 units, far past any authenticator.
const MAX_TEXT_UNITS: u32 = 16 * 1024 * 1024;

fn text_arg(value: &JsValue, what: &str, max: u32) -> Result<Zeroizing<String>, JsValue> {
    let text = value
        .dyn_ref::<JsString>()
        .ok_or_else(|| options_error(&format!("{what} must be a string")))?;
    if text.length() > max {
        return Err(options_error(&format!(
            "{what} must be at most {max} characters"
        )));
    }
    Ok(utf16_text(text))
}

/// A key derived from a passphrase (Argon2id), that seals and opens the vault
/// (XChaCha20-Poly1305). Free it to lock: the key is zeroed.
///
/// ```js
/// const key = VaultKey.derive(passphrase);          // new salt; about a second
/// const vault = key.seal(JSON.stringify(accounts)); // "$twofa-vault$v=1$argon2id$..."
/// key.free();
/// const again = VaultKey.unlock(passphrase, vault);
/// const accounts = JSON.parse(again.open(vault));   // WRONG_PASSPHRASE if it is not
/// ```
#[wasm_bindgen(js_name = VaultKey)]
pub struct JsVaultKey {
    inner: VaultKey,
}

#[wasm_bindgen(js_class = VaultKey)]
impl JsVaultKey {
    /// Derives a key from `passphrase` with a new random salt, at `memoryKib` (default
    /// 65536, 64 MiB) and `iterations` (default 3). Throws `INVALID_OPTIONS`,
    /// `INVALID_VAULT` (cost out of range) or `ENTROPY_UNAVAILABLE`.
    pub fn derive(
        #[wasm_bindgen(unchecked_param_type = "string")] passphrase: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "VaultCost")] options: Option<JsValue>,
    ) -> Result<JsVaultKey, JsValue> {
        scrubbed(|| -> Result<JsVaultKey, JsValue> {
            let passphrase = text_arg(&passphrase, "passphrase", MAX_PASSPHRASE_UNITS)?;
            let options = options_object(options.as_ref(), "derive", false)?;
            let defaults = VaultParams::DEFAULT;
            let params = VaultParams {
                memory_kib: u32_field(options.as_ref(), "memoryKib", defaults.memory_kib)?,
                iterations: u32_field(options.as_ref(), "iterations", defaults.iterations)?,
            };
            let mut salt = [0u8; 16];
            csprng(&mut salt).map_err(|EntropyError| {
                core_error(crate::Error::new(crate::error::ErrorKind::Entropy))
            })?;
            let inner =
                VaultKey::derive(passphrase.as_bytes(), salt, params).map_err(core_error)?;
            Ok(JsVaultKey { inner })
        })
    }

    /// Derives the key a sealed vault names (its salt and cost) from `passphrase`. A
    /// wrong passphrase shows at `open`. `limits` caps the cost a vault from elsewhere
    /// (an imported backup) may ask for, so a crafted file cannot stall the page:
    /// `{ maxMemoryKib, maxIterations }`. Throws `INVALID_VAULT` or `INVALID_OPTIONS`.
    pub fn unlock(
        #[wasm_bindgen(unchecked_param_type = "string")] passphrase: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] vault: JsValue,
        #[wasm_bindgen(
            unchecked_optional_param_type = "{ maxMemoryKib?: number | undefined; maxIterations?: number | undefined }"
        )]
        limits: Option<JsValue>,
    ) -> Result<JsVaultKey, JsValue> {
        scrubbed(|| -> Result<JsVaultKey, JsValue> {
            let passphrase = text_arg(&passphrase, "passphrase", MAX_PASSPHRASE_UNITS)?;
            let vault = text_arg(&vault, "vault", MAX_TEXT_UNITS)?;
            if let Some(limits) = options_object(limits.as_ref(), "unlock", false)? {
                let cost = crate::vault::params_of(&vault).map_err(core_error)?;
                let limits = Some(&limits);
                if cost.memory_kib > u32_field(limits, "maxMemoryKib", u32::MAX)?
                    || cost.iterations > u32_field(limits, "maxIterations", u32::MAX)?
                {
                    return Err(core_error(crate::Error::new(
                        crate::error::ErrorKind::Vault(
                            "vault asks for more work than this reader allows",
                        ),
                    )));
                }
            }
            let inner = VaultKey::unlock(passphrase.as_bytes(), &vault).map_err(core_error)?;
            Ok(JsVaultKey { inner })
        })
    }

    /// A key from `toBytes()`: the vault stays unlocked across a reload without the
    /// passphrase. Throws `INVALID_VAULT`.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: JsValue,
    ) -> Result<JsVaultKey, JsValue> {
        scrubbed(|| -> Result<JsVaultKey, JsValue> {
            let array = bytes
                .dyn_ref::<Uint8Array>()
                .ok_or_else(|| options_error("key bytes must be a Uint8Array"))?;
            if array.length() != 56 {
                return Err(core_error(crate::Error::new(
                    crate::error::ErrorKind::Vault("key bytes are malformed"),
                )));
            }
            let mut copy = Zeroizing::new(vec![0u8; 56]);
            array.copy_to(&mut copy);
            let inner = VaultKey::from_bytes(&copy).map_err(core_error)?;
            Ok(JsVaultKey { inner })
        })
    }

    /// The key, salt and cost as 56 bytes. They open the vault without the passphrase:
    /// keep them only where locking clears them (`chrome.storage.session`, memory).
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Uint8Array {
        scrubbed(|| Uint8Array::from(&self.inner.to_bytes()[..]))
    }

    /// Seals `text` under this key with a new random nonce. Throws `INVALID_OPTIONS` or
    /// `ENTROPY_UNAVAILABLE`.
    pub fn seal(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    ) -> Result<String, JsValue> {
        scrubbed(|| -> Result<String, JsValue> {
            let text = text_arg(&text, "text", MAX_TEXT_UNITS)?;
            self.inner
                .seal_with(text.as_bytes(), &mut csprng)
                .map_err(core_error)
        })
    }

    /// Opens a vault sealed under this key. Throws `WRONG_PASSPHRASE` (a wrong passphrase,
    /// or a vault that was changed) or `INVALID_VAULT`.
    pub fn open(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vault: JsValue,
    ) -> Result<JsString, JsValue> {
        scrubbed(|| -> Result<JsString, JsValue> {
            let vault = text_arg(&vault, "vault", MAX_TEXT_UNITS)?;
            let plain = self.inner.open(&vault).map_err(core_error)?;
            let text = core::str::from_utf8(&plain).map_err(|_| {
                core_error(crate::Error::new(crate::error::ErrorKind::Vault(
                    "plaintext is not UTF-8",
                )))
            })?;
            Ok(JsString::from(text))
        })
    }

    /// Argon2id's memory for this key, in KiB.
    #[wasm_bindgen(getter, js_name = memoryKib)]
    pub fn memory_kib(&self) -> u32 {
        self.inner.params().memory_kib
    }

    /// Argon2id's passes for this key.
    #[wasm_bindgen(getter)]
    pub fn iterations(&self) -> u32 {
        self.inner.params().iterations
    }
}

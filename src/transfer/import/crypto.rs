//! The ciphers and key derivations of other apps' encrypted exports, each behind a
//! function that checks its cost against [`Limits`] before any work and returns
//! plaintext in zeroizing buffers. Only RustCrypto primitives: nothing is written here
//! but the glue.

use super::Limits;
use crate::error::{Error, ErrorKind, ImportProblem};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use alloc::vec;
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// A size or cost over its limit: `IMPORT_LIMIT`, before any work.
pub(crate) fn over(what: &'static str, found: u64, max: u64) -> Error {
    Error::new(ErrorKind::Import(ImportProblem::Limit { what, found, max }))
}

/// Checks `found` against `max` for a cost read from a file.
pub(crate) fn check(what: &'static str, found: u64, max: u64) -> Result<(), Error> {
    if found > max {
        Err(over(what, found, max))
    } else {
        Ok(())
    }
}

/// AES-GCM (128- or 256-bit key, 96-bit nonce, 128-bit tag at the end of `sealed`).
/// `None` when the tag does not match: a wrong key or changed bytes.
pub(crate) fn aes_gcm_open(
    key: &[u8],
    nonce: &[u8],
    sealed: &[u8],
    aad: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    let nonce: &[u8; 12] = nonce.try_into().ok()?;
    let payload = Payload { msg: sealed, aad };
    let plain = match key.len() {
        32 => aes_gcm::Aes256Gcm::new_from_slice(key)
            .ok()?
            .decrypt(nonce.into(), payload),
        16 => aes_gcm::Aes128Gcm::new_from_slice(key)
            .ok()?
            .decrypt(nonce.into(), payload),
        _ => return None,
    };
    plain.ok().map(Zeroizing::new)
}

/// AES-GCM sealing, for the exports twofa writes (Aegis): ciphertext then tag.
pub(crate) fn aes_gcm_seal(key: &[u8; 32], nonce: &[u8; 12], plain: &[u8]) -> Option<Vec<u8>> {
    aes_gcm::Aes256Gcm::new_from_slice(key)
        .ok()?
        .encrypt(nonce.into(), plain)
        .ok()
}

/// AES-CBC with PKCS#7 padding (128-, 192- or 256-bit key). `None` for a length that is
/// not whole blocks or padding that is not PKCS#7: CBC has no tag, so a wrong key is
/// usually, not always, found here; callers check what they decrypted.
pub(crate) fn aes_cbc_open(key: &[u8], iv: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    use cbc::cipher::{BlockModeDecrypt, KeyIvInit};
    if sealed.is_empty() || !sealed.len().is_multiple_of(16) {
        return None;
    }
    let mut buf = Zeroizing::new(sealed.to_vec());
    let len = match key.len() {
        32 => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
            .ok()?
            .decrypt_padded::<cbc::cipher::block_padding::Pkcs7>(&mut buf)
            .ok()?
            .len(),
        24 => cbc::Decryptor::<aes::Aes192>::new_from_slices(key, iv)
            .ok()?
            .decrypt_padded::<cbc::cipher::block_padding::Pkcs7>(&mut buf)
            .ok()?
            .len(),
        16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
            .ok()?
            .decrypt_padded::<cbc::cipher::block_padding::Pkcs7>(&mut buf)
            .ok()?
            .len(),
        _ => return None,
    };
    buf.truncate(len);
    Some(buf)
}

/// The hash of a PBKDF2-HMAC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Prf {
    Sha1,
    Sha256,
    Sha512,
}

/// PBKDF2-HMAC into `len` bytes, iterations checked against the limit first.
pub(crate) fn pbkdf2(
    prf: Prf,
    password: &[u8],
    salt: &[u8],
    iterations: u64,
    len: usize,
    limits: &Limits,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    check("PBKDF2 iterations", iterations, limits.max_iterations)?;
    check("PBKDF2 key length", len as u64, 64)?;
    let rounds = u32::try_from(iterations.max(1))
        .map_err(|_| over("PBKDF2 iterations", iterations, limits.max_iterations))?;
    let mut out = Zeroizing::new(vec![0u8; len]);
    match prf {
        Prf::Sha1 => pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, rounds, &mut out),
        Prf::Sha256 => pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, rounds, &mut out),
        Prf::Sha512 => pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password, salt, rounds, &mut out),
    }
    Ok(out)
}

/// Argon2 (id, i or d; version 0x13) into `len` bytes, memory (KiB), passes and lanes
/// checked against the limits first.
#[allow(clippy::too_many_arguments)]
pub(crate) fn argon2(
    algorithm: argon2::Algorithm,
    password: &[u8],
    salt: &[u8],
    memory_kib: u64,
    passes: u64,
    lanes: u64,
    len: usize,
    limits: &Limits,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    check("Argon2 memory (KiB)", memory_kib, limits.max_memory_kib)?;
    check("Argon2 passes", passes, MAX_PASSES)?;
    check("Argon2 lanes", lanes, MAX_LANES)?;
    check(
        "Argon2 memory × passes (KiB)",
        memory_kib.saturating_mul(passes),
        MAX_MEMORY_PASSES_KIB,
    )?;
    let invalid = || {
        Error::new(ErrorKind::Import(ImportProblem::Malformed {
            app: "Argon2",
            what: "its parameters are out of range",
        }))
    };
    let params = argon2::Params::new(
        u32::try_from(memory_kib).map_err(|_| invalid())?,
        u32::try_from(passes).map_err(|_| invalid())?,
        u32::try_from(lanes).map_err(|_| invalid())?,
        Some(len),
    )
    .map_err(|_| invalid())?;
    let mut out = Zeroizing::new(vec![0u8; len]);
    argon2::Argon2::new(algorithm, argon2::Version::V0x13, params)
        .hash_password_into(password, salt, &mut out)
        .map_err(|err| match err {
            // Its memory is allocated fallibly: a device without it gets an error.
            argon2::Error::OutOfMemory => out_of_memory("Argon2", memory_kib),
            _ => invalid(),
        })?;
    Ok(out)
}

/// scrypt into `len` bytes; `log_n` is log2(N). Memory (128·N·r bytes) and parallelism
/// checked against the limits first.
pub(crate) fn scrypt(
    password: &[u8],
    salt: &[u8],
    log_n: u8,
    r: u32,
    p: u32,
    len: usize,
    limits: &Limits,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let memory_kib = scrypt_cost(log_n, r, p, limits)?;
    let invalid = || {
        Error::new(ErrorKind::Import(ImportProblem::Malformed {
            app: "scrypt",
            what: "its parameters are out of range",
        }))
    };
    let params = scrypt::Params::new(log_n, r, p).map_err(|_| invalid())?;
    // scrypt allocates its memory infallibly, which traps in WebAssembly when the memory
    // cannot grow: try the same allocation fallibly first, and give it back.
    let bytes = usize::try_from(memory_kib.saturating_mul(1024)).map_err(|_| invalid())?;
    let mut probe: Vec<u8> = Vec::new();
    probe
        .try_reserve_exact(bytes)
        .map_err(|_| out_of_memory("scrypt", memory_kib))?;
    drop(probe);
    let mut out = Zeroizing::new(vec![0u8; len]);
    scrypt::scrypt(password, salt, &params, &mut out).map_err(|_| invalid())?;
    Ok(out)
}

/// Checks scrypt's cost against the limits: its memory (KiB), when within them.
pub(crate) fn scrypt_cost(log_n: u8, r: u32, p: u32, limits: &Limits) -> Result<u64, Error> {
    let memory_kib = scrypt_memory_kib(log_n, r, p);
    check("scrypt memory (KiB)", memory_kib, limits.max_memory_kib)?;
    check("scrypt parallelism", u64::from(p), MAX_LANES)?;
    check(
        "scrypt memory × parallelism (KiB)",
        memory_kib.saturating_mul(u64::from(p)),
        MAX_MEMORY_PASSES_KIB,
    )?;
    Ok(memory_kib)
}

/// The memory scrypt allocates, in KiB: 128·r bytes for each of N blocks (V), p blocks
/// (B) and two more (X, Y).
pub(crate) fn scrypt_memory_kib(log_n: u8, r: u32, p: u32) -> u64 {
    (1u64 << log_n.min(63))
        .saturating_add(u64::from(p))
        .saturating_add(2)
        .saturating_mul(u64::from(r))
        .saturating_mul(128)
        / 1024
}

/// `IMPORT_LIMIT` for a key derivation whose memory could not be allocated.
pub(crate) fn out_of_memory(what: &'static str, kib: u64) -> Error {
    Error::new(ErrorKind::Import(ImportProblem::OutOfMemory { what, kib }))
}

/// The most Argon2 passes a file may ask for (Ente's "sensitive" asks 4, its moderate 16).
pub const MAX_PASSES: u64 = 64;
/// The most Argon2 lanes or scrypt parallelism a file may ask for.
pub const MAX_LANES: u64 = 16;
/// The most memory × passes a file may ask for: 8 GiB-passes, twice Ente's dearest.
pub const MAX_MEMORY_PASSES_KIB: u64 = 8 << 20;

/// Checks an Argon2 cost read from a file against the limits, as [`argon2`] does, for
/// readers that check it before asking for the password.
pub(crate) fn argon2_cost(
    memory_kib: u64,
    passes: u64,
    lanes: u64,
    limits: &Limits,
) -> Result<(), Error> {
    check("Argon2 memory (KiB)", memory_kib, limits.max_memory_kib)?;
    check("Argon2 passes", passes, MAX_PASSES)?;
    check("Argon2 lanes", lanes, MAX_LANES)?;
    check(
        "Argon2 memory × passes (KiB)",
        memory_kib.saturating_mul(passes),
        MAX_MEMORY_PASSES_KIB,
    )
}

//! Ente Auth's encrypted export (`ente-encrypted`).
//!
//! The file is JSON: `{"version": 1, "kdfParams": {"memLimit", "opsLimit", "salt"},
//! "encryptedData", "encryptionNonce"}`, the byte values in base64. The key is libsodium's
//! `crypto_pwhash` with Argon2id: the password, the 16-byte `salt`, `opsLimit` passes over
//! `memLimit` bytes (`memLimit / 1024` KiB), one lane, 32 bytes. `encryptedData` is one
//! message of libsodium's `crypto_secretstream_xchacha20poly1305`, whose 24-byte header is
//! `encryptionNonce`, tagged `MESSAGE` or `FINAL` (Ente reads it with one pull whatever its
//! tag, and so does this). Its plaintext is Ente's
//! plain export: otpauth:// URIs, one a line, read as the otpauth text reader reads them
//! (parameters of Ente's own, such as `codeDisplay`, are passed over).
//!
//! Ente's plain export (the same lines, unencrypted) is otpauth text, read by that reader.
//!
//! Costs are checked before any work: `memLimit` against the cap on memory (1 GiB, what
//! Ente's "sensitive" setting asks, by default), `opsLimit` against the cap on passes. A
//! tag that does not match is `WRONG_PASSWORD`. A line that is not an otpauth:// URI, and
//! an URI that cannot be used, is left out with `UNSUPPORTED_ACCOUNT` naming its index
//! (the line's position among the lines that are not blank).
//!
//! # Secretstream
//!
//! libsodium's `crypto_secretstream_xchacha20poly1305` is written here from its
//! documentation and specification, on the `chacha20` and `poly1305` crates. The pull of
//! one message, with the 24-byte header `h` and the 32-byte key `k`:
//!
//! - the stream key is HChaCha20(`k`, `h[..16]`); the 12-byte ChaCha20 nonce is the
//!   counter 1 (32 bits, little-endian) and then `h[16..]`;
//! - ChaCha20 block 0 gives the Poly1305 key (its first 32 bytes); block 1, its first
//!   byte XORed with the message's first byte, gives the tag; the rest of the message but
//!   its last 16 bytes is the ciphertext, decrypted from block 2 on;
//! - the MAC is Poly1305 over one run of bytes: the (empty) associated data, the 64-byte
//!   block 1 with the message's first byte in place of its first byte, the ciphertext,
//!   `len % 16` zero bytes (libsodium's `(0x10 - 64 + len) & 0xf`: not a padding to a
//!   whole block), then the associated data's length and 64 plus the ciphertext's
//!   length, each 64 bits little-endian; it is compared in constant time with the
//!   message's last 16 bytes before anything is decrypted.

use super::json::Value;
use super::{
    crypto, malformed, password, wrong_password, Accounts, ImportFormat, ImportOptions, Input,
};
use crate::error::Error;
use crate::transfer::base64;
use alloc::vec::Vec;
use chacha20::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};
use poly1305::universal_hash::KeyInit;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// What secretstream adds to a message: the tag byte and the 16-byte MAC.
const ABYTES: usize = 17;

pub(crate) fn read(
    input: &Input<'_>,
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Option<Result<ImportFormat, Error>> {
    let json = input.json.as_ref()?;
    let kdf = json.get("kdfParams")?;
    json.get("encryptedData")?;
    json.get("encryptionNonce")?;
    Some(read_encrypted(json, kdf, options, out))
}

fn read_encrypted(
    json: &Value,
    kdf: &Value,
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Result<ImportFormat, Error> {
    let format = ImportFormat::EnteEncrypted;
    let bytes = |value: Option<&str>, what: &'static str| {
        value
            .and_then(|v| base64::decode(v).ok())
            .ok_or_else(|| malformed(format, what))
    };
    let mem_limit = kdf
        .get("memLimit")
        .and_then(Value::u64)
        .ok_or_else(|| malformed(format, "its kdfParams.memLimit is not a whole number"))?;
    let ops_limit = kdf
        .get("opsLimit")
        .and_then(Value::u64)
        .ok_or_else(|| malformed(format, "its kdfParams.opsLimit is not a whole number"))?;
    let salt = bytes(kdf.get_str("salt"), "its kdfParams.salt is not base64")?;
    let header = bytes(
        json.get_str("encryptionNonce"),
        "its encryptionNonce is not base64",
    )?;
    let header: &[u8; 24] = header
        .as_slice()
        .try_into()
        .map_err(|_| malformed(format, "its encryptionNonce is not 24 bytes"))?;
    let sealed = bytes(
        json.get_str("encryptedData"),
        "its encryptedData is not base64",
    )?;
    if salt.len() != 16 {
        return Err(malformed(format, "its kdfParams.salt is not 16 bytes"));
    }
    if sealed.len() < ABYTES {
        return Err(malformed(format, "its encryptedData is too short"));
    }
    let memory_kib = mem_limit / 1024;
    crypto::argon2_cost(memory_kib, ops_limit, 1, &options.limits)?;
    let password = password(options, format)?;
    let key = crypto::argon2(
        argon2::Algorithm::Argon2id,
        password.as_bytes(),
        &salt,
        memory_kib,
        ops_limit,
        1,
        32,
        &options.limits,
    )?;
    let key: &[u8; 32] = key
        .as_slice()
        .try_into()
        .map_err(|_| malformed(format, "its key is malformed"))?;
    // Ente writes the export as one message, tagged `MESSAGE` or `FINAL`, and reads it
    // with one pull whatever the tag: so does this.
    let (_tag, plain) = pull(key, header, &sealed).ok_or_else(|| wrong_password(format))?;
    let text =
        core::str::from_utf8(&plain).map_err(|_| malformed(format, "its data is not UTF-8"))?;
    read_lines(text, out)?;
    Ok(format)
}

/// Ente's plain export, as the decrypted text holds it: otpauth:// URIs one a line, blank
/// lines skipped; index = the line's position among the others. (The otpauth text reader
/// reads the same lines from unencrypted exports; the two should stay alike.)
fn read_lines(text: &str, out: &mut Accounts) -> Result<(), Error> {
    let lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    for (index, line) in lines.enumerate() {
        let is_uri = line
            .get(..10)
            .is_some_and(|p| p.eq_ignore_ascii_case("otpauth://"));
        if is_uri {
            out.add_uri(index, line, "")?;
        } else {
            out.left(
                index,
                super::Left::Other("the line is not an otpauth:// URI"),
            )?;
        }
    }
    Ok(())
}

/// Pulls the first message of a `crypto_secretstream_xchacha20poly1305` stream: its tag
/// and plaintext, or `None` when its MAC does not match (a wrong key or changed bytes).
pub(crate) fn pull(
    key: &[u8; 32],
    header: &[u8; 24],
    message: &[u8],
) -> Option<(u8, Zeroizing<Vec<u8>>)> {
    let (first, rest) = message.split_first()?;
    let (sealed, mac) = rest.split_at_checked(rest.len().checked_sub(16)?)?;
    let (salt, inonce) = header.split_at(16);
    let stream_key = Zeroizing::new(chacha20::hchacha::<chacha20::R20>(
        key.into(),
        salt.try_into().ok()?,
    ));
    let mut nonce = [0u8; 12];
    let (counter, rest_nonce) = nonce.split_at_mut(4);
    counter.copy_from_slice(&1u32.to_le_bytes());
    rest_nonce.copy_from_slice(inonce);
    let mut cipher = chacha20::ChaCha20::new(&stream_key, &nonce.into());

    let mut block = Zeroizing::new([0u8; 64]);
    cipher.apply_keystream(block.as_mut_slice());
    let poly_key: &[u8; 32] = block.get(..32)?.try_into().ok()?;
    let poly = poly1305::Poly1305::new(poly_key.into());

    // Block 1: its keystream, the first byte giving the tag.
    let mut tag_block = Zeroizing::new([0u8; 64]);
    cipher.try_seek(64u64).ok()?;
    cipher.apply_keystream(tag_block.as_mut_slice());
    let tag = tag_block.first()? ^ first;
    if let Some(b) = tag_block.first_mut() {
        *b = *first;
    }
    // libsodium pads the ciphertext with `(0x10 - 64 + mlen) & 0xf` zero bytes, which is
    // `mlen % 16`, not the AEAD padding to a whole block: the MAC input is one run of
    // bytes, not whole blocks.
    let mut mac_input = Zeroizing::new(Vec::with_capacity(64 + sealed.len() + 32));
    mac_input.extend_from_slice(tag_block.as_slice());
    mac_input.extend_from_slice(sealed);
    let padded = mac_input.len() + sealed.len() % 16;
    mac_input.resize(padded, 0);
    mac_input.extend_from_slice(&0u64.to_le_bytes());
    mac_input.extend_from_slice(&(64 + sealed.len() as u64).to_le_bytes());
    let computed = poly.compute_unpadded(&mac_input);
    if !bool::from(computed.as_slice().ct_eq(mac)) {
        return None;
    }
    let mut plain = Zeroizing::new(sealed.to_vec());
    cipher.try_seek(128u64).ok()?;
    cipher.apply_keystream(&mut plain);
    Some((tag, plain))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::pull;
    use alloc::vec::Vec;

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    /// Messages of every length around the block and padding edges, pushed by libsodium
    /// (`scripts/import-fixtures/ente.py`): each opens to its plaintext and tag, and every
    /// flipped bit or missing byte makes it fail.
    #[test]
    fn pull_opens_what_libsodium_pushed() {
        let text = include_str!("../../../tests/fixtures/import/ente/secretstream.json");
        let vectors: serde_json::Value = serde_json::from_str(text).unwrap();
        let vectors = vectors.as_array().unwrap();
        assert_eq!(vectors.len(), 13);
        for v in vectors {
            let key: [u8; 32] = hex(v["key"].as_str().unwrap()).try_into().unwrap();
            let header: [u8; 24] = hex(v["header"].as_str().unwrap()).try_into().unwrap();
            let sealed = hex(v["sealed"].as_str().unwrap());
            let plain = hex(v["plain"].as_str().unwrap());
            let (tag, opened) = pull(&key, &header, &sealed).unwrap();
            assert_eq!(u64::from(tag), v["tag"].as_u64().unwrap());
            assert_eq!(opened.as_slice(), plain.as_slice());
            for at in 0..sealed.len() {
                let mut bad = sealed.clone();
                bad[at] ^= 0x20;
                assert!(pull(&key, &header, &bad).is_none(), "byte {at} flipped");
                assert!(pull(&key, &header, &sealed[..at]).is_none(), "{at} bytes");
            }
            let mut other = header;
            other[23] ^= 1;
            assert!(pull(&key, &other, &sealed).is_none());
        }
    }
}

//! HMAC (RFC 2104) over SHA-1, SHA-256 and SHA-512: one path for the three hashes, on
//! RustCrypto's compression functions.
//!
//! Keying an HMAC compresses two blocks, `K ⊕ ipad` and `K ⊕ opad`; [`Keyed`] keeps the
//! two chaining values that come out (the midstates), so each code afterwards costs two
//! compressions instead of four. The midstates are as good as the key: they are zeroed
//! when dropped, and every block and chaining value this module puts on the stack is
//! zeroed before it returns.

use zeroize::Zeroize;

/// A Merkle–Damgård hash as HMAC needs it: its chaining value, its block and its
/// compression function.
pub(crate) trait Hash {
    /// The chaining value.
    type State: Copy + Zeroize;
    /// One block of input.
    type Block: Copy + Zeroize + AsRef<[u8]> + AsMut<[u8]>;
    /// The digest.
    type Output: Copy + Zeroize + AsRef<[u8]> + AsMut<[u8]>;
    /// The initial chaining value.
    const IV: Self::State;
    /// An all-zero block.
    const ZERO_BLOCK: Self::Block;
    /// An all-zero digest.
    const ZERO_OUTPUT: Self::Output;
    /// Bytes of the message length at the end of the last block: 8, or 16 for SHA-512.
    const LENGTH_BYTES: usize;

    fn compress(state: &mut Self::State, block: &Self::Block);
    /// The chaining value as the digest: its words in big-endian order.
    fn output(state: &Self::State) -> Self::Output;
}

/// SHA-1 (FIPS 180-4).
pub(crate) struct Sha1;
/// SHA-256 (FIPS 180-4).
pub(crate) struct Sha256;

#[cfg(sha1_rolled)]
#[allow(clippy::many_single_char_names)]
fn sha1_rolled(state: &mut [u32; 5], block: &[u8; 64]) {
    let mut w = [0u32; 16];
    for (word, bytes) in w.iter_mut().zip(block.chunks_exact(4)) {
        *word = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    }
    let [mut a, mut b, mut c, mut d, mut e] = *state;
    for i in 0..80 {
        if i >= 16 {
            let x = w[(i + 13) & 15] ^ w[(i + 8) & 15] ^ w[(i + 2) & 15] ^ w[i & 15];
            w[i & 15] = x.rotate_left(1);
        }
        let (f, k) = match i / 20 {
            0 => ((b & c) | (!b & d), 0x5A82_7999),
            1 => (b ^ c ^ d, 0x6ED9_EBA1),
            2 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
            _ => (b ^ c ^ d, 0xCA62_C1D6),
        };
        let t = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(w[i & 15]);
        e = d;
        d = c;
        c = b.rotate_left(30);
        b = a;
        a = t;
    }
    for (s, v) in state.iter_mut().zip([a, b, c, d, e]) {
        *s = s.wrapping_add(v);
    }
    core::hint::black_box(&mut w);
}
/// SHA-512 (FIPS 180-4).
pub(crate) struct Sha512;

impl Hash for Sha1 {
    type State = [u32; 5];
    type Block = [u8; 64];
    type Output = [u8; 20];
    const IV: [u32; 5] = [
        0x6745_2301,
        0xefcd_ab89,
        0x98ba_dcfe,
        0x1032_5476,
        0xc3d2_e1f0,
    ];
    const ZERO_BLOCK: [u8; 64] = [0; 64];
    const ZERO_OUTPUT: [u8; 20] = [0; 20];
    const LENGTH_BYTES: usize = 8;

    fn compress(state: &mut [u32; 5], block: &[u8; 64]) {
        #[cfg(not(sha1_rolled))]
        sha1::block_api::compress(state, core::slice::from_ref(block));
        #[cfg(sha1_rolled)]
        sha1_rolled(state, block);
    }

    fn output(state: &[u32; 5]) -> [u8; 20] {
        let mut out = [0; 20];
        for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        out
    }
}

impl Hash for Sha256 {
    type State = [u32; 8];
    type Block = [u8; 64];
    type Output = [u8; 32];
    const IV: [u32; 8] = [
        0x6a09_e667,
        0xbb67_ae85,
        0x3c6e_f372,
        0xa54f_f53a,
        0x510e_527f,
        0x9b05_688c,
        0x1f83_d9ab,
        0x5be0_cd19,
    ];
    const ZERO_BLOCK: [u8; 64] = [0; 64];
    const ZERO_OUTPUT: [u8; 32] = [0; 32];
    const LENGTH_BYTES: usize = 8;

    fn compress(state: &mut [u32; 8], block: &[u8; 64]) {
        sha2::block_api::compress256(state, core::slice::from_ref(block));
    }

    fn output(state: &[u32; 8]) -> [u8; 32] {
        let mut out = [0; 32];
        for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        out
    }
}

impl Hash for Sha512 {
    type State = [u64; 8];
    type Block = [u8; 128];
    type Output = [u8; 64];
    const IV: [u64; 8] = [
        0x6a09_e667_f3bc_c908,
        0xbb67_ae85_84ca_a73b,
        0x3c6e_f372_fe94_f82b,
        0xa54f_f53a_5f1d_36f1,
        0x510e_527f_ade6_82d1,
        0x9b05_688c_2b3e_6c1f,
        0x1f83_d9ab_fb41_bd6b,
        0x5be0_cd19_137e_2179,
    ];
    const ZERO_BLOCK: [u8; 128] = [0; 128];
    const ZERO_OUTPUT: [u8; 64] = [0; 64];
    const LENGTH_BYTES: usize = 16;

    fn compress(state: &mut [u64; 8], block: &[u8; 128]) {
        sha2::block_api::compress512(state, core::slice::from_ref(block));
    }

    fn output(state: &[u64; 8]) -> [u8; 64] {
        let mut out = [0; 64];
        for (chunk, word) in out.chunks_exact_mut(8).zip(state) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        out
    }
}

/// Overwrites a copy of something secret on the stack with `with`: one store or
/// `memory.fill`, kept by `black_box`, where `zeroize` would write a byte at a time.
pub(crate) fn wipe<T: Copy>(value: &mut T, with: T) {
    *value = with;
    core::hint::black_box(value);
}

/// A hash over a message given in parts, continuing from `state` after `done` bytes
/// already compressed (a whole number of blocks): the padding of FIPS 180-4 §5.1. The
/// blocks and chaining values it leaves on the stack are overwritten before it returns.
fn finish<H: Hash>(mut state: H::State, done: usize, parts: &[&[u8]]) -> H::Output {
    let mut block = H::ZERO_BLOCK;
    let size = block.as_ref().len();
    let mut filled = 0;
    let mut total = done;
    for part in parts {
        let mut rest: &[u8] = part;
        while !rest.is_empty() {
            let (now, later) = rest.split_at(rest.len().min(size - filled));
            if let Some(slot) = block.as_mut().get_mut(filled..filled + now.len()) {
                slot.copy_from_slice(now);
            }
            filled += now.len();
            rest = later;
            if filled == size {
                H::compress(&mut state, &block);
                filled = 0;
            }
        }
        total = total.wrapping_add(part.len());
    }
    if let Some(slot) = block.as_mut().get_mut(filled) {
        *slot = 0x80;
    }
    if let Some(rest) = block.as_mut().get_mut(filled + 1..) {
        rest.fill(0);
    }
    if filled + 1 + H::LENGTH_BYTES > size {
        H::compress(&mut state, &block);
        block = H::ZERO_BLOCK;
    }
    // The length in bits, big-endian, in the block's last bytes (the high half of
    // SHA-512's 128-bit length is always zero here).
    let bits = (total as u64).wrapping_mul(8).to_be_bytes();
    if let Some(tail) = block.as_mut().get_mut(size - 8..) {
        tail.copy_from_slice(&bits);
    }
    H::compress(&mut state, &block);
    let out = H::output(&state);
    wipe(&mut block, H::ZERO_BLOCK);
    wipe(&mut state, H::IV);
    out
}

/// The digest of `data`.
pub(crate) fn hash<H: Hash>(data: &[u8]) -> H::Output {
    finish::<H>(H::IV, 0, &[data])
}

/// An HMAC keyed once: the chaining values after `K ⊕ ipad` and after `K ⊕ opad`.
pub(crate) struct Keyed<H: Hash> {
    inner: H::State,
    outer: H::State,
}

impl<H: Hash> Clone for Keyed<H> {
    fn clone(&self) -> Keyed<H> {
        Keyed {
            inner: self.inner,
            outer: self.outer,
        }
    }
}

impl<H: Hash> Keyed<H> {
    /// Keys the HMAC. A key longer than a block is hashed first (RFC 2104 §2).
    pub(crate) fn new(key: &[u8]) -> Keyed<H> {
        let mut padded = H::ZERO_BLOCK;
        let mut digest = H::ZERO_OUTPUT;
        let key = if key.len() > padded.as_ref().len() {
            digest = hash::<H>(key);
            digest.as_ref()
        } else {
            key
        };
        for (slot, byte) in padded.as_mut().iter_mut().zip(key) {
            *slot = *byte;
        }
        let pad = |with: u8| {
            let mut block = padded;
            for b in block.as_mut() {
                *b ^= with;
            }
            let mut state = H::IV;
            H::compress(&mut state, &block);
            wipe(&mut block, H::ZERO_BLOCK);
            state
        };
        let keyed = Keyed {
            inner: pad(0x36),
            outer: pad(0x5c),
        };
        wipe(&mut padded, H::ZERO_BLOCK);
        wipe(&mut digest, H::ZERO_OUTPUT);
        keyed
    }

    /// HMAC of the message made of `parts`, one after the other.
    pub(crate) fn mac(&self, parts: &[&[u8]]) -> H::Output {
        let block = H::ZERO_BLOCK.as_ref().len();
        let mut inner = finish::<H>(self.inner, block, parts);
        let out = finish::<H>(self.outer, block, &[inner.as_ref()]);
        wipe(&mut inner, H::ZERO_OUTPUT);
        out
    }
}

impl<H: Hash> Drop for Keyed<H> {
    fn drop(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

/// HMAC-SHA-256 of `parts` under `key`, for the flows' records and tokens.
pub(crate) fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    Keyed::<Sha256>::new(key).mac(parts)
}

/// PBKDF2-HMAC-SHA-256 (RFC 8018 §5.2) with one block of output, 32 bytes: all the
/// backup codes need.
pub(crate) fn pbkdf2_sha256(password: &[u8], salt: &[u8], iterations: u32) -> [u8; 32] {
    let keyed = Keyed::<Sha256>::new(password);
    let mut u = keyed.mac(&[salt, &1u32.to_be_bytes()]);
    let mut out = u;
    for _ in 1..iterations {
        let next = keyed.mac(&[&u]);
        u = next;
        for (o, b) in out.iter_mut().zip(&u) {
            *o ^= b;
        }
    }
    wipe(&mut u, [0; 32]);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)] // tests may panic: that is how they fail
mod tests {
    use super::*;
    use alloc::string::String;
    use alloc::vec::Vec;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| alloc::format!("{b:02x}")).collect()
    }

    fn unhex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn fips_180_digests() {
        // FIPS 180-2 Appendix A–C: "abc", a two-block message, and the empty message.
        assert_eq!(
            hex(&hash::<Sha1>(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex(&hash::<Sha256>(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(
            hex(&hash::<Sha512>(b"")),
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce\
             47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
        );
    }

    /// RFC 2202 §3 (HMAC-SHA-1) and RFC 4231 §4 (HMAC-SHA-256 and -512): key, data, and
    /// the three MACs (SHA-1 from RFC 2202 where it has the case, else empty).
    const VECTORS: &[(&str, &str, &str, &str, &str)] = &[
        // Test case 1.
        (
            "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
            "4869205468657265",
            "b617318655057264e28bc0b6fb378c8ef146be00",
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde\
             daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
        ),
        // Test case 2: a key shorter than the output.
        (
            "4a656665",
            "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554\
             9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
        ),
        // RFC 4231 test case 6, a 131-byte key: hashed first (H(K)) for every algorithm.
        (
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
             aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
             aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
             aaaaaaaaaaaaaaaaaaaaaa",
            "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a\
             65204b6579202d2048617368204b6579204669727374",
            "",
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352\
             6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
        ),
        // RFC 2202 test case 6: an 80-byte key, longer than SHA-1's 64-byte block.
        (
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
             aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a\
             65204b6579202d2048617368204b6579204669727374",
            "aa4ae5e15272d00e95705637ce8a3b55ed402112",
            "",
            "",
        ),
    ];

    #[test]
    fn rfc_2202_and_4231_vectors() {
        for &(key, data, sha1, sha256, sha512) in VECTORS {
            let (key, data) = (unhex(key), unhex(data));
            if !sha1.is_empty() {
                assert_eq!(hex(&Keyed::<Sha1>::new(&key).mac(&[&data])), sha1);
            }
            if !sha256.is_empty() {
                assert_eq!(hex(&hmac_sha256(&key, &[&data])), sha256);
            }
            if !sha512.is_empty() {
                assert_eq!(hex(&Keyed::<Sha512>::new(&key).mac(&[&data])), sha512);
            }
        }
    }

    /// The same MACs as RustCrypto's `hmac` for keys around every block edge and
    /// messages around every padding edge, in one part or split in two.
    #[test]
    fn the_same_as_rustcrypto_hmac() {
        use ::hmac::{Hmac, KeyInit, Mac};
        macro_rules! theirs {
            ($hash:ty, $key:expr, $data:expr) => {{
                let mut mac = <Hmac<$hash> as KeyInit>::new_from_slice($key).unwrap();
                mac.update($data);
                mac.finalize().into_bytes().to_vec()
            }};
        }
        let bytes: Vec<u8> = (0..300u32).map(|i| (i * 131 + 7) as u8).collect();
        for key_len in [0, 1, 19, 20, 63, 64, 65, 127, 128, 129, 200] {
            let key = &bytes[..key_len];
            for data_len in [0, 1, 8, 55, 56, 63, 64, 111, 112, 119, 128, 129, 250] {
                let data = &bytes[50..50 + data_len];
                let (a, b) = data.split_at(data_len / 3);
                let label = alloc::format!("key {key_len}, data {data_len}");
                let sha1 = Keyed::<Sha1>::new(key);
                assert_eq!(
                    sha1.mac(&[data]).to_vec(),
                    theirs!(sha1::Sha1, key, data),
                    "{label}"
                );
                assert_eq!(
                    sha1.mac(&[a, b]).to_vec(),
                    theirs!(sha1::Sha1, key, data),
                    "{label}"
                );
                let sha256 = Keyed::<Sha256>::new(key);
                assert_eq!(
                    sha256.mac(&[a, b]).to_vec(),
                    theirs!(sha2::Sha256, key, data),
                    "{label}"
                );
                let sha512 = Keyed::<Sha512>::new(key);
                assert_eq!(
                    sha512.mac(&[a, b]).to_vec(),
                    theirs!(sha2::Sha512, key, data),
                    "{label}"
                );
            }
        }
    }

    #[test]
    fn pbkdf2_sha256_vectors() {
        // RFC 7914 §11, the first 32 bytes of each.
        assert_eq!(
            hex(&pbkdf2_sha256(b"passwd", b"salt", 1)),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        );
        assert_eq!(
            hex(&pbkdf2_sha256(b"Password", b"NaCl", 80_000)),
            "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
        );
        // And RustCrypto's `pbkdf2` for a backup code's parameters.
        let mut theirs = [0u8; 32];
        ::pbkdf2::pbkdf2_hmac::<sha2::Sha256>(
            b"0123ABCD4567",
            b"sixteen byte sal",
            10_000,
            &mut theirs,
        );
        assert_eq!(
            pbkdf2_sha256(b"0123ABCD4567", b"sixteen byte sal", 10_000),
            theirs
        );
    }
}

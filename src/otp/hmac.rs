//! HMAC (RFC 2104) over SHA-1, SHA-256 and SHA-512: one path for the three hashes, on
//! RustCrypto's compression functions.
//!
//! The path is one piece of code, not one per hash: a [`Hash`] says how long its block
//! and digest are, and keeps its chaining value as sixteen 32-bit words in the order the
//! digest writes them (SHA-512's 64-bit words as high half, low half). The WebAssembly
//! module then carries the padding, keying and MAC once.
//!
//! Keying an HMAC compresses two blocks, `K ⊕ ipad` and `K ⊕ opad`; [`Keyed`] keeps the
//! two chaining values that come out (the midstates), so each code afterwards costs two
//! compressions instead of four. The midstates are as good as the key: they are zeroed
//! when dropped, and every block and chaining value this module puts on the stack is
//! zeroed before it returns.

use zeroize::Zeroize;

/// A chaining value: SHA-1 uses five words, SHA-256 eight, SHA-512 all sixteen.
pub(crate) type State = [u32; 16];
/// A block of input: SHA-1 and SHA-256 use the first 64 bytes.
type Block = [u8; 128];

/// A Merkle–Damgård hash as HMAC needs it.
pub(crate) struct Hash {
    /// Bytes in a block: 64, or 128 for SHA-512.
    block: usize,
    /// Bytes in a digest.
    output: usize,
    /// The initial chaining value.
    iv: State,
    /// Compresses one block into the chaining value.
    compress: fn(&mut State, &Block),
}

/// SHA-1 (FIPS 180-4).
pub(crate) static SHA1: Hash = Hash {
    block: 64,
    output: 20,
    iv: words([
        0x6745_2301,
        0xefcd_ab89,
        0x98ba_dcfe,
        0x1032_5476,
        0xc3d2_e1f0,
    ]),
    compress: |state, block| {
        if let (Some(words), Some(block)) = (state.first_chunk_mut(), block.first_chunk()) {
            sha1::block_api::compress(words, core::slice::from_ref(block));
        }
    },
};

/// SHA-256 (FIPS 180-4).
pub(crate) static SHA256: Hash = Hash {
    block: 64,
    output: 32,
    iv: words([
        0x6a09_e667,
        0xbb67_ae85,
        0x3c6e_f372,
        0xa54f_f53a,
        0x510e_527f,
        0x9b05_688c,
        0x1f83_d9ab,
        0x5be0_cd19,
    ]),
    compress: |state, block| {
        if let (Some(words), Some(block)) = (state.first_chunk_mut(), block.first_chunk()) {
            sha2::block_api::compress256(words, core::slice::from_ref(block));
        }
    },
};

/// SHA-512 (FIPS 180-4).
pub(crate) static SHA512: Hash = Hash {
    block: 128,
    output: 64,
    iv: [
        0x6a09_e667,
        0xf3bc_c908,
        0xbb67_ae85,
        0x84ca_a73b,
        0x3c6e_f372,
        0xfe94_f82b,
        0xa54f_f53a,
        0x5f1d_36f1,
        0x510e_527f,
        0xade6_82d1,
        0x9b05_688c,
        0x2b3e_6c1f,
        0x1f83_d9ab,
        0xfb41_bd6b,
        0x5be0_cd19,
        0x137e_2179,
    ],
    compress: |state, block| {
        let mut wide = [0u64; 8];
        for (w, pair) in wide.iter_mut().zip(state.chunks_exact(2)) {
            if let [high, low] = *pair {
                *w = (u64::from(high) << 32) | u64::from(low);
            }
        }
        sha2::block_api::compress512(&mut wide, core::slice::from_ref(block));
        for (pair, w) in state.chunks_exact_mut(2).zip(wide) {
            #[allow(clippy::cast_possible_truncation)] // the halves of a 64-bit word
            pair.copy_from_slice(&[(w >> 32) as u32, w as u32]);
        }
        wipe(&mut wide, [0; 8]);
    },
};

/// A chaining value of fewer words, the rest zero.
#[allow(clippy::indexing_slicing)] // run at compile time: a bad index fails the build
const fn words<const N: usize>(first: [u32; N]) -> State {
    let mut state = [0; 16];
    let mut i = 0;
    while i < N && i < 16 {
        state[i] = first[i];
        i += 1;
    }
    state
}

/// Overwrites a copy of something secret on the stack with `with`: one store or
/// `memory.fill`, kept by `black_box`, where `zeroize` would write a byte at a time.
pub(crate) fn wipe<T: Copy>(value: &mut T, with: T) {
    *value = with;
    core::hint::black_box(value);
}

/// A digest: its first `len` bytes.
pub(crate) struct Digest {
    bytes: [u8; 64],
    len: usize,
}

impl Digest {
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
}

impl Drop for Digest {
    fn drop(&mut self) {
        wipe(&mut self.bytes, [0; 64]);
    }
}

/// A hash over a message given in parts, continuing from `state` after `done` bytes
/// already compressed (a whole number of blocks): the padding of FIPS 180-4 §5.1. The
/// blocks and chaining values it leaves on the stack are overwritten before it returns.
fn finish(hash: &Hash, mut state: State, done: usize, parts: &[&[u8]]) -> Digest {
    let size = hash.block;
    let mut block: Block = [0; 128];
    let mut filled = 0;
    let mut total = done;
    for part in parts {
        let mut rest: &[u8] = part;
        while !rest.is_empty() {
            let (now, later) = rest.split_at(rest.len().min(size - filled));
            if let Some(slot) = block.get_mut(filled..filled + now.len()) {
                slot.copy_from_slice(now);
            }
            filled += now.len();
            rest = later;
            if filled == size {
                (hash.compress)(&mut state, &block);
                filled = 0;
            }
        }
        total = total.wrapping_add(part.len());
    }
    if let Some(slot) = block.get_mut(filled) {
        *slot = 0x80;
    }
    if let Some(rest) = block.get_mut(filled + 1..) {
        rest.fill(0);
    }
    // The length takes the block's last 8 bytes, 16 for SHA-512.
    if filled + 1 + size / 8 > size {
        (hash.compress)(&mut state, &block);
        block = [0; 128];
    }
    // The length in bits, big-endian (the high half of SHA-512's 128-bit length is
    // always zero here).
    let bits = (total as u64).wrapping_mul(8).to_be_bytes();
    if let Some(tail) = block.get_mut(size - 8..size) {
        tail.copy_from_slice(&bits);
    }
    (hash.compress)(&mut state, &block);
    let mut digest = Digest {
        bytes: [0; 64],
        len: hash.output,
    };
    // Plain loops: the root module is built at opt-level "z", where iterator adapters and
    // small `copy_from_slice`s stay calls, and this runs for every code.
    let mut i = 0;
    while let (Some(word), Some([a, b, c, d])) =
        (state.get(i), digest.bytes.get_mut(4 * i..4 * i + 4))
    {
        [*a, *b, *c, *d] = word.to_be_bytes();
        i += 1;
    }
    wipe(&mut block, [0; 128]);
    wipe(&mut state, [0; 16]);
    digest
}

/// The digest of `data`.
pub(crate) fn hash(hash: &Hash, data: &[u8]) -> Digest {
    finish(hash, hash.iv, 0, &[data])
}

/// An HMAC keyed once: the chaining values after `K ⊕ ipad` and after `K ⊕ opad`.
#[derive(Clone)]
pub(crate) struct Keyed {
    hash: &'static Hash,
    inner: State,
    outer: State,
}

impl Keyed {
    /// Keys the HMAC. A key longer than a block is hashed first (RFC 2104 §2).
    pub(crate) fn new(hash: &'static Hash, key: &[u8]) -> Keyed {
        let mut padded: Block = [0; 128];
        let digest;
        let key = if key.len() > hash.block {
            digest = self::hash(hash, key);
            digest.as_bytes()
        } else {
            key
        };
        for (slot, byte) in padded.iter_mut().zip(key) {
            *slot = *byte;
        }
        let mut keyed = Keyed {
            hash,
            inner: hash.iv,
            outer: hash.iv,
        };
        for (state, pad) in [(&mut keyed.inner, 0x36), (&mut keyed.outer, 0x36 ^ 0x5c)] {
            // The block holds K ⊕ ipad, then K ⊕ opad.
            for b in padded.get_mut(..hash.block).unwrap_or_default() {
                *b ^= pad;
            }
            (hash.compress)(state, &padded);
        }
        wipe(&mut padded, [0; 128]);
        keyed
    }

    /// HMAC of the message made of `parts`, one after the other.
    pub(crate) fn mac(&self, parts: &[&[u8]]) -> Digest {
        let inner = finish(self.hash, self.inner, self.hash.block, parts);
        finish(self.hash, self.outer, self.hash.block, &[inner.as_bytes()])
    }
}

impl Drop for Keyed {
    fn drop(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

/// The first 32 bytes of a SHA-256 digest.
fn bytes32(digest: &Digest) -> [u8; 32] {
    digest
        .as_bytes()
        .first_chunk::<32>()
        .copied()
        .unwrap_or_default()
}

/// HMAC-SHA-256 of `parts` under `key`, for the flows' records and tokens.
pub(crate) fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    bytes32(&Keyed::new(&SHA256, key).mac(parts))
}

/// PBKDF2-HMAC-SHA-256 (RFC 8018 §5.2) with one block of output, 32 bytes: all the
/// backup codes need.
pub(crate) fn pbkdf2_sha256(password: &[u8], salt: &[u8], iterations: u32) -> [u8; 32] {
    let keyed = Keyed::new(&SHA256, password);
    let mut u = bytes32(&keyed.mac(&[salt, &1u32.to_be_bytes()]));
    let mut out = u;
    for _ in 1..iterations {
        u = bytes32(&keyed.mac(&[&u]));
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
            hex(hash(&SHA1, b"abc").as_bytes()),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex(hash(
                &SHA256,
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )
            .as_bytes()),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(
            hex(hash(&SHA512, b"").as_bytes()),
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
                assert_eq!(hex(Keyed::new(&SHA1, &key).mac(&[&data]).as_bytes()), sha1);
            }
            if !sha256.is_empty() {
                assert_eq!(hex(&hmac_sha256(&key, &[&data])), sha256);
            }
            if !sha512.is_empty() {
                assert_eq!(
                    hex(Keyed::new(&SHA512, &key).mac(&[&data]).as_bytes()),
                    sha512
                );
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
                let sha1 = Keyed::new(&SHA1, key);
                assert_eq!(
                    sha1.mac(&[data]).as_bytes().to_vec(),
                    theirs!(sha1::Sha1, key, data),
                    "{label}"
                );
                assert_eq!(
                    sha1.mac(&[a, b]).as_bytes().to_vec(),
                    theirs!(sha1::Sha1, key, data),
                    "{label}"
                );
                let sha256 = Keyed::new(&SHA256, key);
                assert_eq!(
                    sha256.mac(&[a, b]).as_bytes().to_vec(),
                    theirs!(sha2::Sha256, key, data),
                    "{label}"
                );
                let sha512 = Keyed::new(&SHA512, key);
                assert_eq!(
                    sha512.mac(&[a, b]).as_bytes().to_vec(),
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

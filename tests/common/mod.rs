//! What the native test files share: a small deterministic generator, so that a failing
//! random case replays from its seed.

// Each test file uses the part it needs.
#![allow(dead_code, clippy::indexing_slicing)]

/// Marsaglia's xorshift64.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Up to `max` pieces from `pool`, trimmed: readers drop white space at the ends of
    /// names, so valid names have none.
    pub fn text(&mut self, pool: &[&str], max: usize) -> String {
        let len = self.below(max + 1);
        let s: String = (0..len).map(|_| pool[self.below(pool.len())]).collect();
        s.trim().to_owned()
    }
}

/// A stand-in for the CSPRNG, deterministic so failures replay.
pub fn entropy(seed: u64) -> impl FnMut(&mut [u8]) -> Result<(), twofa::EntropyError> {
    let mut rng = Rng(seed | 1);
    move |buf| {
        for b in buf {
            *b = (rng.next() >> 24) as u8;
        }
        Ok(())
    }
}

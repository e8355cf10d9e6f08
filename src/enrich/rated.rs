//! The set of case ids that ratings name (评价率's numerator), built chunk by chunk
//! and probed by every chunk of cases.

use polars::prelude::*;

use crate::error::{PolarsContext, Result};

/// The case ids ratings name, gathered chunk by chunk and probed by every chunk of cases.
/// Ids that are numbers (up to 19 digits, no leading zero: most platforms' 办件编号) are
/// kept as `u64` — 8 bytes, nothing to compare byte by byte —, any other id as text.
#[derive(Debug, Default)]
pub struct RatedCases {
    numbers: NumberSet,
    texts: PlHashSet<String>,
}

impl RatedCases {
    /// Makes room for `ids` more numeric ids, so that adding them never regrows the set.
    pub fn reserve(&mut self, ids: usize) {
        self.numbers.reserve(ids);
    }

    /// Adds the case ids of (a chunk of) the ratings table.
    pub fn add(&mut self, ratings: &DataFrame) -> Result<()> {
        let ids = ratings.column("case_id").context("ratings")?;
        // As in `flags`: the slots of a batch are fetched ahead, so the waits overlap.
        let mut batch: Vec<(&str, Option<u64>)> = Vec::with_capacity(PROBE_BATCH);
        for id in ids.str().context("ratings")?.iter().flatten() {
            batch.push((id, id_number(id)));
            if batch.len() == PROBE_BATCH {
                self.insert_batch(&batch);
                batch.clear();
            }
        }
        self.insert_batch(&batch);
        Ok(())
    }

    fn insert_batch(&mut self, batch: &[(&str, Option<u64>)]) {
        for (_, n) in batch {
            if let Some(n) = n {
                self.numbers.prefetch(*n);
            }
        }
        for (id, n) in batch {
            match n {
                Some(n) => self.numbers.insert(*n),
                None if !self.texts.contains(*id) => {
                    self.texts.insert((*id).to_owned());
                }
                None => {}
            }
        }
    }

    /// Whether a rating names each case. At province scale the set outgrows the caches
    /// and each probe waits on memory: numeric ids are probed in batches whose slots are
    /// fetched ahead, so the waits overlap.
    pub(super) fn flags(&self, case_ids: &Column) -> Result<Column> {
        let ids = case_ids.str().context("case ids")?;
        let mut flags = Vec::with_capacity(ids.len());
        let mut batch: Vec<Option<&str>> = Vec::with_capacity(PROBE_BATCH);
        let mut numbers = [None; PROBE_BATCH];
        for id in ids.iter() {
            batch.push(id);
            if batch.len() == PROBE_BATCH {
                self.probe(&batch, &mut numbers, &mut flags);
                batch.clear();
            }
        }
        self.probe(&batch, &mut numbers, &mut flags);
        Ok(BooleanChunked::from_slice("rated".into(), &flags)
            .into_series()
            .into())
    }

    fn probe(&self, batch: &[Option<&str>], numbers: &mut [Option<u64>], flags: &mut Vec<bool>) {
        for (id, n) in batch.iter().zip(numbers.iter_mut()) {
            *n = id.and_then(id_number);
            if let Some(n) = n {
                self.numbers.prefetch(*n);
            }
        }
        for (id, n) in batch.iter().zip(numbers.iter()) {
            flags.push(match (id, n) {
                (_, Some(n)) => self.numbers.contains(*n),
                (Some(id), None) => self.texts.contains(*id),
                (None, None) => false,
            });
        }
    }
}

/// Ids probed together (their slots fetched ahead).
const PROBE_BATCH: usize = 16;

/// A set of non-zero `u64`s: open addressing with linear probing in one array (0 marks
/// an empty slot), at most 3/4 full — a slot can be fetched ahead of the probe.
#[derive(Debug, Default)]
struct NumberSet {
    slots: Vec<u64>,
    len: usize,
}

impl NumberSet {
    fn slot(&self, n: u64) -> usize {
        // Fibonacci hashing: the top bits of n × 2^64/φ.
        let bits = self.slots.len().trailing_zeros();
        (n.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
    }

    /// Grows the table once to hold `more` more numbers at most 3/4 full.
    fn reserve(&mut self, more: usize) {
        let size = ((self.len + more) * 4 / 3 + 1)
            .next_power_of_two()
            .max(1024);
        if size > self.slots.len() {
            self.regrow(size);
        }
    }

    fn regrow(&mut self, size: usize) {
        let old = std::mem::replace(&mut self.slots, vec![0; size]);
        self.len = 0;
        for m in old.into_iter().filter(|m| *m != 0) {
            self.insert(m);
        }
    }

    fn insert(&mut self, n: u64) {
        debug_assert!(n != 0);
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.regrow((self.slots.len() * 2).max(1024));
        }
        let mask = self.slots.len() - 1;
        let mut i = self.slot(n);
        loop {
            match self.slots[i] {
                0 => {
                    self.slots[i] = n;
                    self.len += 1;
                    return;
                }
                m if m == n => return,
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn contains(&self, n: u64) -> bool {
        if self.slots.is_empty() {
            return false;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.slot(n);
        loop {
            match self.slots[i] {
                0 => return false,
                m if m == n => return true,
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Asks the CPU to bring `n`'s slot into cache (a hint; nothing else happens).
    fn prefetch(&self, n: u64) {
        if self.slots.is_empty() {
            return;
        }
        #[cfg(target_arch = "x86_64")]
        // SAFETY: prefetching is a hint and cannot fault; the address is inside `slots`.
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            _mm_prefetch::<_MM_HINT_T0>(self.slots.as_ptr().add(self.slot(n)).cast());
        }
    }
}

/// An id of 1–19 digits without a leading zero as the number it writes (so that two ids
/// are equal exactly when their numbers are); `None` for any other id.
fn id_number(id: &str) -> Option<u64> {
    let b = id.as_bytes();
    if b.is_empty() || b.len() > 19 || b[0] == b'0' {
        return None;
    }
    b.iter().try_fold(0u64, |n, &c| {
        let d = c.wrapping_sub(b'0');
        // 19 digits stay below 10^19 < 2^64.
        (d < 10).then(|| n * 10 + u64::from(d))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rated_case_ids_match_as_text_whether_kept_as_numbers_or_not() {
        let rated_ids = [
            "3703022024010000000",
            "0123",
            "A-77",
            "9999999999999999999",
            "12",
        ];
        let ratings = df!("case_id" => [Some(rated_ids[0]), None, Some(rated_ids[1]), Some(rated_ids[2]), Some(rated_ids[3]), Some(rated_ids[4]), Some(rated_ids[4])]).unwrap();
        let mut rated = RatedCases::default();
        rated.add(&ratings).unwrap();
        assert_eq!(
            rated.numbers.len, 3,
            "19 digits, and no leading zero, are numbers"
        );
        assert_eq!(rated.texts.len(), 2);
        let cases = Column::new(
            "case_id".into(),
            [
                Some("3703022024010000000"),
                Some("123"), // not "0123"
                Some("0123"),
                Some("A-77"),
                Some("a-77"),
                Some("9999999999999999999"),
                Some("99999999999999999990"), // 20 digits: text, not rated
                Some("012"),
                None,
            ],
        );
        let flags = rated.flags(&cases).unwrap();
        let got: Vec<bool> = flags.bool().unwrap().iter().map(|v| v.unwrap()).collect();
        assert_eq!(
            got,
            [true, false, true, true, false, true, false, false, false]
        );
        assert_eq!(
            id_number("9999999999999999999"),
            Some(9_999_999_999_999_999_999)
        );
        assert_eq!(id_number("1x"), None);
    }

    proptest::proptest! {
        /// The slot table answers like a hash set, across growth and collisions.
        #[test]
        fn number_set_is_a_set(
            inserted in proptest::collection::vec(1u64..5000, 0..3000),
            asked in proptest::collection::vec(1u64..6000, 0..500),
            reserved_at in 0usize..3000,
            reserved in 0usize..5000,
        ) {
            let mut set = NumberSet::default();
            let mut oracle = std::collections::HashSet::new();
            for (i, n) in inserted.iter().enumerate() {
                if i == reserved_at {
                    set.reserve(reserved);
                }
                set.insert(*n);
                oracle.insert(*n);
            }
            proptest::prop_assert_eq!(set.len, oracle.len());
            for n in asked.iter().chain(&inserted) {
                proptest::prop_assert_eq!(set.contains(*n), oracle.contains(n));
            }
        }
    }
}

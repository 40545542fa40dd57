//! A bounded map whose entries expire: the in-process store of everything that is kept for a
//! while and shared through Redis when there is one (CAPTCHA spends, phone verdicts).
//!
//! Entries leave in the order they came: expired ones from the front as new ones arrive, and,
//! once the map is full, the oldest. Both in O(1), whatever the load: a full map is never
//! scanned.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

pub struct TtlMap<K, V> {
    entries: HashMap<K, Entry<V>>,
    /// Keys in the order they were inserted, with their expiry and insertion number (a key
    /// inserted again is listed twice; the stale listing is skipped when it comes up).
    order: VecDeque<(K, u64, u64)>,
    inserted: u64,
    cap: usize,
}

struct Entry<V> {
    value: V,
    expires_ms: u64,
    number: u64,
}

impl<K: Hash + Eq + Clone, V> TtlMap<K, V> {
    /// A map of at most `cap` entries. Room grows as entries come: an idle instance holds none.
    pub fn new(cap: usize) -> TtlMap<K, V> {
        TtlMap { entries: HashMap::new(), order: VecDeque::new(), inserted: 0, cap: cap.max(1) }
    }

    /// The live entry under `key`.
    pub fn get(&self, key: &K, now_ms: u64) -> Option<&V> {
        self.entries.get(key).filter(|e| now_ms < e.expires_ms).map(|e| &e.value)
    }

    /// The live entry under `key`, made with `make` (to live until `expires_ms`) when there is
    /// none.
    pub fn get_or_insert_with(
        &mut self,
        key: K,
        expires_ms: u64,
        now_ms: u64,
        make: impl FnOnce() -> V,
    ) -> &mut V {
        let live = self.entries.get(&key).is_some_and(|e| now_ms < e.expires_ms);
        if !live {
            self.insert(key.clone(), make(), expires_ms, now_ms);
        }
        &mut self.entries.get_mut(&key).expect("inserted above").value
    }

    /// Puts `value` under `key` until `expires_ms`, making room first.
    pub fn insert(&mut self, key: K, value: V, expires_ms: u64, now_ms: u64) {
        self.make_room(now_ms);
        self.inserted += 1;
        self.order.push_back((key.clone(), expires_ms, self.inserted));
        self.entries.insert(key, Entry { value, expires_ms, number: self.inserted });
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.len()
    }

    /// Drops expired entries from the front, then the oldest while the map is full.
    fn make_room(&mut self, now_ms: u64) {
        while let Some((_, expires_ms, _)) = self.order.front() {
            let full = self.entries.len() >= self.cap || self.order.len() >= 2 * self.cap;
            if *expires_ms > now_ms && !full {
                break;
            }
            let Some((key, _, number)) = self.order.pop_front() else { break };
            // Only the listing the entry was last inserted with removes it.
            if self.entries.get(&key).is_some_and(|e| e.number == number) {
                self.entries.remove(&key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expired_entries_leave_and_the_cap_holds() {
        let mut map = TtlMap::new(3);
        map.insert(1, "a", 100, 0);
        map.insert(2, "b", 100, 0);
        assert_eq!(map.get(&1, 50), Some(&"a"));
        assert_eq!(map.get(&1, 100), None, "expired");
        map.insert(3, "c", 300, 150);
        assert_eq!(map.len(), 1, "the two expired ones left as the new one came");
        for k in 10..20 {
            map.insert(k, "x", 1_000, 200);
            assert!(map.len() <= 3);
        }
        assert_eq!(map.get(&19, 200), Some(&"x"));
        assert_eq!(map.get(&10, 200), None, "the oldest went first");
    }

    #[test]
    fn a_key_inserted_again_is_not_removed_by_its_old_listing() {
        let mut map = TtlMap::new(10);
        map.insert(1, 1, 100, 0);
        map.insert(1, 2, 500, 50);
        map.insert(2, 0, 500, 200);
        assert_eq!(map.get(&1, 200), Some(&2));
        *map.get_or_insert_with(3, 500, 200, || 7) += 1;
        assert_eq!(map.get(&3, 200), Some(&8));
        assert_eq!(*map.get_or_insert_with(3, 900, 200, || 0), 8, "a live entry is kept");
    }

    #[test]
    fn re_inserting_one_key_forever_keeps_the_listing_bounded() {
        let mut map = TtlMap::new(4);
        for now in 0..1_000 {
            map.insert(1, now, u64::MAX, now);
        }
        assert!(map.order.len() <= 8);
        assert_eq!(map.get(&1, 0), Some(&999));
    }
}

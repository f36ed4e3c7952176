//! A bounded cache of answers, keyed by the request and the caller's visibility, valid for one
//! generation of the index: any commit (a publish, an edit, a catch-up) starts a new generation and
//! empties it, so a cached answer is never staler than an uncached one, and answers for callers who
//! see different things are never shared.

use std::collections::HashMap;
use std::sync::Mutex;

use super::SearchRequest;
use crate::auth::policy::Visible;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub request: SearchRequest,
    pub visible: Visible,
}

pub struct ResultCache<V> {
    capacity: usize,
    inner: Mutex<Inner<V>>,
}

struct Inner<V> {
    generation: u64,
    tick: u64,
    entries: HashMap<Key, (V, u64)>,
}

impl<V: Clone> ResultCache<V> {
    /// Holds at most `capacity` answers; 0 turns the cache off.
    pub fn new(capacity: usize) -> Self {
        ResultCache {
            capacity,
            inner: Mutex::new(Inner {
                generation: 0,
                tick: 0,
                entries: HashMap::new(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<V>> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The answer cached for `key` in index generation `generation`.
    pub fn get(&self, key: &Key, generation: u64) -> Option<V> {
        if self.capacity == 0 {
            return None;
        }
        let mut inner = self.lock();
        if inner.generation != generation {
            if generation > inner.generation {
                inner.entries.clear();
                inner.generation = generation;
            }
            return None;
        }
        inner.tick += 1;
        let tick = inner.tick;
        let entry = inner.entries.get_mut(key)?;
        entry.1 = tick;
        Some(entry.0.clone())
    }

    /// Keeps `value`, computed on an index of generation `generation` (read before computing it).
    pub fn insert(&self, key: Key, value: V, generation: u64) {
        if self.capacity == 0 {
            return;
        }
        let mut inner = self.lock();
        if generation < inner.generation {
            return;
        }
        if generation > inner.generation {
            inner.entries.clear();
            inner.generation = generation;
        }
        if inner.entries.len() >= self.capacity {
            // Drop the least recently used half.
            let mut ticks: Vec<u64> = inner.entries.values().map(|(_, t)| *t).collect();
            let mid = ticks.len() / 2;
            let (_, cut, _) = ticks.select_nth_unstable(mid);
            let cut = *cut;
            inner.entries.retain(|_, (_, t)| *t >= cut);
        }
        inner.tick += 1;
        let tick = inner.tick;
        inner.entries.insert(key, (value, tick));
    }

    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Slug;

    fn key(q: &str, visible: Visible) -> Key {
        Key {
            request: SearchRequest {
                q: Some(q.into()),
                limit: 20,
                ..SearchRequest::default()
            },
            visible,
        }
    }

    #[test]
    fn answers_are_kept_per_caller_view_and_per_generation() {
        let cache = ResultCache::new(10);
        let public = Visible::Levels {
            policing: false,
            own_org: None,
        };
        let met = Visible::Levels {
            policing: true,
            own_org: Some(Slug::parse("org", "met").unwrap()),
        };
        cache.insert(key("custody", public.clone()), "public answer", 1);
        assert_eq!(
            cache.get(&key("custody", public.clone()), 1),
            Some("public answer")
        );
        assert_eq!(
            cache.get(&key("custody", met.clone()), 1),
            None,
            "another view"
        );
        assert_eq!(
            cache.get(&key("custody", Visible::All), 1),
            None,
            "another view"
        );
        assert_eq!(cache.get(&key("custodian", public.clone()), 1), None);
        // A new generation empties it, and an answer computed on an older one is not kept.
        assert_eq!(cache.get(&key("custody", public.clone()), 2), None);
        assert!(cache.is_empty());
        cache.insert(key("custody", public.clone()), "stale", 1);
        assert_eq!(cache.get(&key("custody", public.clone()), 2), None);
    }

    #[test]
    fn it_stays_within_capacity_dropping_the_least_recently_used() {
        let cache = ResultCache::new(4);
        let v = || Visible::All;
        for q in ["a", "b", "c", "d"] {
            cache.insert(key(q, v()), q.to_string(), 1);
        }
        assert_eq!(cache.get(&key("a", v()), 1).as_deref(), Some("a"));
        assert_eq!(cache.get(&key("b", v()), 1).as_deref(), Some("b"));
        cache.insert(key("e", v()), "e".into(), 1);
        assert!(cache.len() <= 4);
        assert!(cache.get(&key("a", v()), 1).is_some(), "recently used");
        assert!(cache.get(&key("b", v()), 1).is_some(), "recently used");
        assert!(
            cache.get(&key("c", v()), 1).is_none(),
            "least recently used"
        );
        let off = ResultCache::new(0);
        off.insert(key("a", v()), 1, 1);
        assert_eq!(off.get(&key("a", v()), 1), None);
    }
}

//! [`OriginLists`]: the origin lists of a policy, replaceable while it answers requests
//! ([`Cors::replace_allowed_origins`](crate::Cors::replace_allowed_origins)), read without
//! an atomic read-modify-write until they are first replaced.

use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use arc_swap::{ArcSwap, Guard};

use crate::allow_origin::Origins;

/// The lists as built, and the lists in use.
///
/// Every request with an `Origin` reads them. An `ArcSwap` load takes and gives back a
/// debt slot with atomic read-modify-write operations: 22 ns a load against 2.5 ns for a
/// plain reference, in a loop of 50 million on the 2-vCPU machine of BENCHMARKS.md. Most
/// policies are never replaced, so until the first replacement a request reads the lists as built,
/// after one atomic load (an ordinary load on x86 and ARM). From the first replacement on,
/// every request goes through the `ArcSwap`: it sees the old lists or the new, never a mix.
pub(crate) struct OriginLists {
    /// The lists as built; the `ArcSwap` starts with the same allocation. Kept as long as
    /// the policy, after a replacement too.
    built: Arc<Origins>,
    /// Set, after the store, by the first replacement.
    replaced: AtomicBool,
    current: ArcSwap<Origins>,
}

impl OriginLists {
    /// The lists of a policy being built.
    pub(crate) fn new(origins: Origins) -> Self {
        let built = Arc::new(origins);
        OriginLists {
            current: ArcSwap::new(Arc::clone(&built)),
            built,
            replaced: AtomicBool::new(false),
        }
    }

    /// The lists in use.
    #[inline]
    pub(crate) fn load(&self) -> Current<'_> {
        if self.replaced.load(Ordering::Acquire) {
            Current::Replaced(self.current.load())
        } else {
            Current::Built(&self.built)
        }
    }

    /// Replaces the lists for every request from now on.
    pub(crate) fn store(&self, origins: Origins) {
        self.current.store(Arc::new(origins));
        self.replaced.store(true, Ordering::Release);
    }
}

/// The lists one request reads.
pub(crate) enum Current<'a> {
    /// As built: never replaced.
    Built(&'a Origins),
    /// As last replaced.
    Replaced(Guard<Arc<Origins>>),
}

impl Deref for Current<'_> {
    type Target = Origins;

    #[inline]
    fn deref(&self) -> &Origins {
        match self {
            Current::Built(origins) => origins,
            Current::Replaced(guard) => guard,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CorsConfig;

    #[test]
    fn reads_the_built_lists_until_replaced_then_always_the_latest() {
        let cors = CorsConfig::new()
            .allowed_origins(["https://a.example"])
            .build()
            .expect("a valid policy");
        let lists = &cors.inner.origins.lists;
        assert!(matches!(lists.load(), Current::Built(_)));
        assert_eq!(lists.load().origins, ["https://a.example"]);
        for origin in ["https://b.example", "https://c.example"] {
            cors.replace_allowed_origins([origin], Vec::<String>::new())
                .expect("a valid list");
            assert!(matches!(lists.load(), Current::Replaced(_)));
            assert_eq!(lists.load().origins, [origin]);
            assert!(cors.is_origin_allowed(origin.as_bytes()));
            assert!(!cors.is_origin_allowed(b"https://a.example"));
        }
    }

    #[test]
    fn a_request_racing_replacements_reads_one_whole_version() {
        let cors = CorsConfig::new()
            .allowed_origins(["https://v0.example"])
            .build()
            .expect("a valid policy");
        let versions: Vec<String> = (1..=200).map(|i| format!("https://v{i}.example")).collect();
        std::thread::scope(|scope| {
            for _ in 0..2 {
                scope.spawn(|| {
                    for _ in 0..20_000 {
                        let lists = cors.inner.origins.lists.load();
                        // The compiled lists and the configured ones of one load agree.
                        let origin = &lists.origins[0];
                        assert!(lists.compiled.lists(origin.as_bytes()), "{origin}");
                        assert_eq!(lists.origins.len(), 1);
                    }
                });
            }
            for origin in &versions {
                cors.replace_allowed_origins([origin.as_str()], Vec::<String>::new())
                    .expect("a valid list");
                // Seen at once by the thread that replaced them.
                assert_eq!(cors.inner.origins.lists.load().origins, [origin.as_str()]);
            }
        });
    }
}

//! [`AsyncOriginPredicate`]: an origin check that awaits (origins kept in a database or a
//! tenant service), asked only when the lists and the synchronous predicate miss; the
//! question it leaves an adapter with ([`Pending`], in [`Decision::Check`](crate::Decision::Check))
//! and its answer ([`Verdict`]).

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::reason::Reason;

/// What an asynchronous origin check returns: whether the origin is allowed, or why it
/// could not tell.
pub type CheckFuture =
    Pin<Box<dyn Future<Output = Result<bool, Box<dyn Error + Send + Sync>>> + Send>>;

type CheckFn = dyn Fn(String) -> CheckFuture + Send + Sync;

/// What [`Pending::verdict`] returns.
pub type VerdictFuture = Pin<Box<dyn Future<Output = Verdict> + Send>>;

/// An asynchronous check for origins that cannot be listed, asked after the listed
/// origins, patterns, regexes and [`OriginPredicate`](crate::OriginPredicate) miss, for a
/// preflight and an actual request alike (never for `null`, a malformed `Origin`, or a
/// same-origin request).
///
/// It is called for every request it decides, by any client that sends an `Origin` (not
/// only browsers): cache in it what your store answers, with a bound, as the example does
/// (a crate such as `moka` gives a bounded cache with expiry). An error, a panic, or no
/// answer within the time-out (1 second unless [`timeout`](Self::timeout) says otherwise)
/// refuses the origin and is logged (with the `tracing` feature, a `warn` event, target
/// `cors`); never a 500 and never a grant. A panic is caught when panics unwind (the
/// default; with `panic = "abort"` it ends the process); a `Mutex` held across it stays
/// poisoned, so take the lock without `unwrap` (as the example does). The time-out runs on Tokio's timer, which the
/// runtimes of axum, actix-web, Rocket and warp all have; it cannot stop a check that
/// blocks its thread, so await the store, never block on it.
///
/// ```
/// use std::collections::HashMap;
/// use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
/// use std::time::{Duration, Instant};
/// use cors_core::{AsyncOriginPredicate, CorsConfig};
///
/// /// What the tenant store said about an origin, and when: at most `CACHED` of them, for
/// /// a minute each (any client can send any origin).
/// type Cache = Arc<Mutex<HashMap<String, (bool, Instant)>>>;
/// const CACHED: usize = 10_000;
///
/// /// The cache, even after a panic while it was held.
/// fn lock(cache: &Cache) -> MutexGuard<'_, HashMap<String, (bool, Instant)>> {
///     cache.lock().unwrap_or_else(PoisonError::into_inner)
/// }
///
/// async fn tenant_exists(origin: &str) -> Result<bool, std::io::Error> {
///     Ok(origin.ends_with(".tenants.example.net")) // a query in a real app
/// }
///
/// let cache: Cache = Arc::default();
/// let check = AsyncOriginPredicate::new(move |origin: String| {
///     let cache = cache.clone();
///     async move {
///         if let Some(&(allowed, at)) = lock(&cache).get(&origin) {
///             if at.elapsed() < Duration::from_secs(60) {
///                 return Ok(allowed);
///             }
///         }
///         let allowed = tenant_exists(&origin).await?;
///         let mut cache = lock(&cache);
///         if cache.len() >= CACHED {
///             cache.retain(|_, (_, at)| at.elapsed() < Duration::from_secs(60));
///             if cache.len() >= CACHED {
///                 cache.clear();
///             }
///         }
///         cache.insert(origin, (allowed, Instant::now()));
///         Ok::<_, std::io::Error>(allowed)
///     }
/// })
/// .timeout(Duration::from_millis(300));
/// let cors = CorsConfig::new()
///     .allowed_origins(["https://app.example.com"])
///     .allow_origin_async(check)
///     .build()?;
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
#[derive(Clone)]
pub struct AsyncOriginPredicate {
    check: Arc<CheckFn>,
    timeout: Duration,
}

impl AsyncOriginPredicate {
    /// Wraps an async function of the origin (its serialised form, as the browser sent
    /// it) that says whether it is allowed.
    ///
    /// ```
    /// use cors_core::AsyncOriginPredicate;
    /// let check = AsyncOriginPredicate::new(|origin: String| async move {
    ///     Ok::<_, std::convert::Infallible>(origin.ends_with(".example.net"))
    /// });
    /// ```
    pub fn new<F, Fut, E>(check: F) -> Self
    where
        F: Fn(String) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<bool, E>> + Send + 'static,
        E: Into<Box<dyn Error + Send + Sync>>,
    {
        let check = move |origin: String| -> CheckFuture {
            let asked = check(origin);
            Box::pin(async move { asked.await.map_err(Into::into) })
        };
        AsyncOriginPredicate {
            check: Arc::new(check),
            timeout: Duration::from_secs(1),
        }
    }

    /// How long a request waits for the check before its origin is refused (1 second by
    /// default).
    ///
    /// ```
    /// use std::time::Duration;
    /// use cors_core::AsyncOriginPredicate;
    /// let check = AsyncOriginPredicate::new(|_: String| async { Ok::<_, std::io::Error>(false) })
    ///     .timeout(Duration::from_millis(250));
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// Two checks are equal when they are clones of one, with the same time-out.
impl PartialEq for AsyncOriginPredicate {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.check, &other.check) && self.timeout == other.timeout
    }
}

impl fmt::Debug for AsyncOriginPredicate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncOriginPredicate")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// The question a request leaves when only the [`AsyncOriginPredicate`] can decide its
/// origin: await [`verdict`](Self::verdict), then classify the request again with it
/// ([`Cors::classify_http_checked`](crate::Cors::classify_http_checked),
/// [`Cors::classify_lines_checked`](crate::Cors::classify_lines_checked)). Owns what it
/// needs, so an adapter can keep it across awaits.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use cors_core::{AsyncOriginPredicate, CorsConfig, Decision};
///
/// let cors = CorsConfig::new()
///     .allow_origin_async(AsyncOriginPredicate::new(|origin: String| async move {
///         Ok::<_, std::io::Error>(origin == "https://tenant.example.net")
///     }))
///     .build()?;
/// let request = http::Request::get("/api").header("origin", "https://tenant.example.net").body(())?;
/// let mut joined = Vec::new();
/// let (decision, _) = cors.classify_http(request.method(), "/api", None, request.headers(), &mut joined);
/// let Decision::Check(pending) = decision else { unreachable!() };
/// assert_eq!(pending.origin(), "https://tenant.example.net");
/// let verdict = pending.verdict().await;
/// let (decision, _) = cors.classify_http_checked(verdict, request.method(), "/api", None, request.headers(), &mut joined);
/// let Decision::Forward(forward) = decision else { unreachable!() };
/// assert!(forward.echoes_origin());
/// # Ok(())
/// # }
/// ```
#[derive(Clone, PartialEq)]
pub struct Pending {
    origin: String,
    predicate: AsyncOriginPredicate,
}

impl Pending {
    pub(crate) fn new(origin: String, predicate: AsyncOriginPredicate) -> Self {
        Pending { origin, predicate }
    }

    /// The origin asked about.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Asks the check, within its time-out. An error, a panic (when panics unwind, the
    /// default) or the time-out is a refusal, logged with the reason. A named, boxed
    /// future, so that an adapter can keep it in its own future type.
    pub fn verdict(self) -> VerdictFuture {
        Box::pin(self.ask())
    }

    async fn ask(self) -> Verdict {
        // A panic in the check is its failure, not the server's: caught, logged, refused.
        let asked = std::panic::catch_unwind(AssertUnwindSafe(|| {
            (self.predicate.check)(self.origin.clone())
        }))
        .map(|asked| CatchUnwind(Some(asked)));
        let answer = match asked {
            Ok(asked) => tokio::time::timeout(self.predicate.timeout, asked).await,
            Err(panic) => Ok(Err(Failure::Panicked(said(&*panic)))),
        };
        let answer = match answer {
            Ok(Ok(true)) => Answer::Allowed,
            Ok(Ok(false)) => Answer::Refused,
            Ok(Err(error)) => {
                #[cfg(feature = "tracing")]
                tracing::warn!(target: "cors", origin = %self.origin, %error, "the origin check failed: the origin is refused");
                #[cfg(not(feature = "tracing"))]
                let _ = error;
                Answer::Failed
            }
            Err(_) => {
                #[cfg(feature = "tracing")]
                tracing::warn!(target: "cors", origin = %self.origin, timeout = ?self.predicate.timeout, "the origin check did not answer in time: the origin is refused");
                Answer::TimedOut
            }
        };
        Verdict {
            answer,
            origin: self.origin,
        }
    }
}

/// Why the check gave no answer.
enum Failure {
    Error(Box<dyn Error + Send + Sync>),
    /// What the panic said, when it said it in text.
    Panicked(String),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Error(error) => error.fmt(f),
            Failure::Panicked(said) => write!(f, "the check panicked: {said}"),
        }
    }
}

/// A panic's message, when it is text.
fn said(panic: &(dyn std::any::Any + Send)) -> String {
    match (panic.downcast_ref::<&str>(), panic.downcast_ref::<String>()) {
        (Some(text), _) => (*text).to_owned(),
        (_, Some(text)) => text.clone(),
        _ => "(no message)".to_owned(),
    }
}

/// The check's future, a panic while it is polled or dropped caught as a [`Failure`]
/// (`None` once it panicked: dropped there, never polled again).
struct CatchUnwind(Option<CheckFuture>);

impl Future for CatchUnwind {
    type Output = Result<bool, Failure>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let Some(asked) = self.0.as_mut() else {
            return Poll::Ready(Err(Failure::Panicked("polled after a panic".to_owned())));
        };
        match std::panic::catch_unwind(AssertUnwindSafe(|| asked.as_mut().poll(cx))) {
            Ok(Poll::Ready(answer)) => Poll::Ready(answer.map_err(Failure::Error)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(panic) => {
                let said = said(&*panic);
                let asked = self.0.take();
                let _ = std::panic::catch_unwind(AssertUnwindSafe(move || drop(asked)));
                Poll::Ready(Err(Failure::Panicked(said)))
            }
        }
    }
}

impl Drop for CatchUnwind {
    fn drop(&mut self) {
        let asked = self.0.take();
        let _ = std::panic::catch_unwind(AssertUnwindSafe(move || drop(asked)));
    }
}

impl fmt::Debug for Pending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pending")
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl Eq for Pending {}

/// What the [`AsyncOriginPredicate`] said about one origin.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use cors_core::{AsyncOriginPredicate, CorsConfig, Decision, HeaderField, RequestView};
///
/// let cors = CorsConfig::new()
///     .allow_origin_async(AsyncOriginPredicate::new(|_: String| async {
///         Err::<bool, _>(std::io::Error::other("the tenant store is down"))
///     }))
///     .build()?;
/// let view = RequestView { method: "GET", path: "/", origin: HeaderField::One(b"https://t.example.net"), ..RequestView::default() };
/// let Decision::Check(pending) = cors.classify(&view) else { unreachable!() };
/// let verdict = pending.verdict().await;
/// assert!(!verdict.is_allowed());
/// let Decision::Forward(forward) = cors.classify_checked(verdict, &view) else { unreachable!() };
/// assert_eq!(forward.rejection(), Some(cors_core::Reason::OriginCheckFailed));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    answer: Answer,
    /// The origin asked about: a verdict never decides another's.
    origin: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Allowed,
    Refused,
    Failed,
    TimedOut,
}

impl Verdict {
    /// Whether the check allowed the origin.
    pub fn is_allowed(&self) -> bool {
        self.answer == Answer::Allowed
    }

    /// The origin check with this verdict in place of the lists' refusal: only for the
    /// origin it is about (another request's verdict refuses).
    pub(crate) fn settle<'a>(&self, origin: &'a [u8]) -> Result<Option<&'a [u8]>, Reason<'static>> {
        if self.origin.as_bytes() != origin || origin == b"null" {
            return Err(Reason::OriginNotAllowed);
        }
        match self.answer {
            Answer::Allowed => Ok(Some(origin)),
            Answer::Refused => Err(Reason::OriginNotAllowed),
            Answer::Failed => Err(Reason::OriginCheckFailed),
            Answer::TimedOut => Err(Reason::OriginCheckTimedOut),
        }
    }
}

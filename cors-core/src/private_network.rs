//! `allow_private_network`: [Private Network Access](https://wicg.github.io/private-network-access/),
//! the preflight header Chromium before 142 sends before a public page reaches a private
//! or loopback address, and its answer.
//!
//! Every rule of it lives here but two: the preflight `Vary` always names
//! `Access-Control-Request-Private-Network` ([`vary`](crate::vary)), and building warns
//! when it is on together with `allow_all_origins` (`check_private_network` in `build.rs`).

use http::HeaderName;

use crate::headers::{TRUE, Value};
use crate::reason::Reason;
use crate::request::HeaderField;

/// `Access-Control-Request-Private-Network`, which the `http` crate has no constant for.
///
/// ```
/// assert_eq!(cors_core::ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK, "access-control-request-private-network");
/// ```
pub static ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-request-private-network");

/// `Access-Control-Allow-Private-Network`, which the `http` crate has no constant for.
///
/// ```
/// assert_eq!(cors_core::ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK, "access-control-allow-private-network");
/// ```
pub const ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-allow-private-network");

/// The compiled `allow_private_network`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PrivateNetwork {
    pub(crate) allowed: bool,
}

impl PrivateNetwork {
    /// The `Access-Control-Allow-Private-Network` answer to a preflight's
    /// `Access-Control-Request-Private-Network`: only `true` asks; granted with `true` when
    /// allowed, refused otherwise.
    #[inline]
    pub(crate) fn answer<'a>(
        &self,
        requested: HeaderField<'_>,
    ) -> Result<Option<Value<'a>>, Reason<'a>> {
        match (requested == HeaderField::One(b"true"), self.allowed) {
            (false, _) => Ok(None),
            (true, true) => Ok(Some(Value::Policy(&TRUE))),
            (true, false) => Err(Reason::PrivateNetworkNotAllowed),
        }
    }
}

//! `allowed_methods`: which methods a preflight may ask for, and the
//! `Access-Control-Allow-Methods` answer.

use http::HeaderValue;

use crate::error::{ConfigError, ConfigErrorKind};
use crate::token::NameList;

/// The compiled `allowed_methods`.
#[derive(Debug, Clone)]
pub(crate) struct AllowMethods(NameList);

impl AllowMethods {
    pub(crate) fn build(items: &[String]) -> Result<Self, ConfigError> {
        NameList::parse(
            "allowed_methods",
            items,
            ConfigErrorKind::InvalidMethod,
            false,
        )
        .map(Self)
    }

    /// Whether a requested method (a token) is allowed. Methods compare case-sensitively:
    /// `patch` is not `PATCH`.
    pub(crate) fn allows(&self, method: &[u8]) -> bool {
        match &self.0 {
            NameList::Any => true,
            NameList::Names(names, _) => names.iter().any(|n| n.as_bytes() == method),
        }
    }

    /// The configured answer: `None` for `*` (the caller decides between `*` and mirroring).
    pub(crate) fn listed(&self) -> Option<Option<&HeaderValue>> {
        self.0.listed()
    }
}

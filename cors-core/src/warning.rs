//! [`ConfigWarning`]: settings that are legal but probably not what the user meant.

use std::borrow::Cow;
use std::fmt;

/// A legal but risky or surprising setting, found while building a policy.
///
/// Building never fails for a warning. The warnings are kept on the policy
/// ([`Cors::warnings`](crate::Cors::warnings)) and, with the `tracing` feature, each one is
/// also emitted as a `warn` event with target `cors`.
///
/// ```
/// use cors_core::CorsConfig;
///
/// let cors = CorsConfig::new().allowed_origins(["https://A.example.com:443"]).build()?;
/// let messages: Vec<String> = cors.warnings().iter().map(|w| w.to_string()).collect();
/// assert_eq!(messages, [
///     "allowed_origins: `https://A.example.com:443` spells out the default port; browsers \
///      omit it, so it is used as `https://a.example.com`",
///     "allowed_origins: `https://A.example.com:443` has upper-case letters; browsers send \
///      origins in lower case, so it is used as `https://a.example.com`",
/// ]);
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigWarning {
    field: Cow<'static, str>,
    value: String,
    message: String,
}

impl ConfigWarning {
    pub(crate) fn new(
        field: &'static str,
        value: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ConfigWarning {
            field: Cow::Borrowed(field),
            value: value.into(),
            message: message.into(),
        }
    }

    /// The configuration field the warning is about.
    ///
    /// ```
    /// # use cors_core::CorsConfig;
    /// let cors = CorsConfig::new().allowed_origins(["null"]).build()?;
    /// assert_eq!(cors.warnings()[0].field(), "allowed_origins");
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The same warning about a field of an entry of `paths` (`paths[1].allowed_origins`).
    pub(crate) fn within(self, entry: &str) -> Self {
        ConfigWarning {
            field: Cow::Owned(format!("{entry}.{}", self.field)),
            ..self
        }
    }

    /// The value the warning is about, as the user wrote it.
    ///
    /// ```
    /// # use cors_core::CorsConfig;
    /// let cors = CorsConfig::new().allowed_origins(["null"]).build()?;
    /// assert_eq!(cors.warnings()[0].value(), "null");
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: `{}` {}", self.field, self.value, self.message)
    }
}

//! [`CorsBody`]: the app's body, or the (usually empty) body of an answer the layer sends.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use pin_project_lite::pin_project;

pin_project! {
    /// The response body of a [`CorsService`](crate::CorsService): the inner service's body,
    /// passed through frame by frame, or the layer's own answer (empty, or in debug mode
    /// the rejection reason).
    ///
    /// ```
    /// use cors_axum::CorsBody;
    /// use http_body::Body;
    ///
    /// let body: CorsBody<String> = CorsBody::message("CORS preflight rejected\n");
    /// assert_eq!(body.size_hint().exact(), Some(24));
    /// ```
    pub struct CorsBody<B> {
        #[pin]
        kind: Kind<B>,
    }
}

pin_project! {
    #[project = KindProj]
    enum Kind<B> {
        Inner {
            #[pin]
            body: B,
        },
        Message {
            data: Option<Bytes>,
        },
    }
}

impl<B> CorsBody<B> {
    /// The inner service's body, passed through untouched.
    ///
    /// ```
    /// # use http_body::Body;
    /// let body = cors_axum::CorsBody::inner(String::from("hello"));
    /// assert_eq!(body.size_hint().exact(), Some(5));
    /// ```
    pub fn inner(body: B) -> Self {
        CorsBody {
            kind: Kind::Inner { body },
        }
    }

    /// An empty body.
    ///
    /// ```
    /// # use http_body::Body;
    /// assert!(cors_axum::CorsBody::<String>::empty().is_end_stream());
    /// ```
    pub fn empty() -> Self {
        CorsBody {
            kind: Kind::Message { data: None },
        }
    }

    /// A body holding `text`.
    ///
    /// ```
    /// # use http_body::Body;
    /// assert!(!cors_axum::CorsBody::<String>::message("x").is_end_stream());
    /// ```
    pub fn message(text: impl Into<Bytes>) -> Self {
        let data: Bytes = text.into();
        CorsBody {
            kind: Kind::Message {
                data: (!data.is_empty()).then_some(data),
            },
        }
    }
}

impl<B> Body for CorsBody<B>
where
    B: Body,
    B::Data: From<Bytes>,
{
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        match self.project().kind.project() {
            KindProj::Inner { body } => body.poll_frame(cx),
            KindProj::Message { data } => {
                Poll::Ready(data.take().map(|d| Ok(Frame::data(B::Data::from(d)))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.kind {
            Kind::Inner { body } => body.is_end_stream(),
            Kind::Message { data } => data.is_none(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.kind {
            Kind::Inner { body } => body.size_hint(),
            Kind::Message { data } => {
                SizeHint::with_exact(data.as_ref().map_or(0, |d| d.len() as u64))
            }
        }
    }
}

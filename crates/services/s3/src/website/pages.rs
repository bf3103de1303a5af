//! The HTML error pages S3 website endpoints answer with (never XML).

use http::StatusCode;
use s3s::Body;

/// One error page: a status, S3's code and message, and named details.
pub struct ErrorPage {
    status: StatusCode,
    code: &'static str,
    message: String,
    details: Vec<(&'static str, String)>,
}

impl ErrorPage {
    pub fn no_such_bucket(bucket: &str) -> ErrorPage {
        ErrorPage {
            status: StatusCode::NOT_FOUND,
            code: "NoSuchBucket",
            message: "The specified bucket does not exist".into(),
            details: vec![("BucketName", bucket.to_string())],
        }
    }

    pub fn no_such_website_configuration(bucket: &str) -> ErrorPage {
        ErrorPage {
            status: StatusCode::NOT_FOUND,
            code: "NoSuchWebsiteConfiguration",
            message: "The specified bucket does not have a website configuration".into(),
            details: vec![("BucketName", bucket.to_string())],
        }
    }

    pub fn no_such_key(key: &str) -> ErrorPage {
        ErrorPage {
            status: StatusCode::NOT_FOUND,
            code: "NoSuchKey",
            message: "The specified key does not exist.".into(),
            details: vec![("Key", key.to_string())],
        }
    }

    pub fn access_denied() -> ErrorPage {
        ErrorPage {
            status: StatusCode::FORBIDDEN,
            code: "AccessDenied",
            message: "Access Denied".into(),
            details: vec![],
        }
    }

    pub fn method_not_allowed(method: &http::Method) -> ErrorPage {
        ErrorPage {
            status: StatusCode::METHOD_NOT_ALLOWED,
            code: "MethodNotAllowed",
            message: "The specified method is not allowed against this resource.".into(),
            details: vec![("Method", method.to_string()), ("ResourceType", "OBJECT".to_string())],
        }
    }

    pub fn into_response(self) -> http::Response<Body> {
        let title = format!("{} {}", self.status.as_u16(), self.status.canonical_reason().unwrap_or(""));
        let mut html = format!("<html>\n<head><title>{title}</title></head>\n<body>\n<h1>{title}</h1>\n<ul>\n");
        html.push_str(&format!("<li>Code: {}</li>\n<li>Message: {}</li>\n", self.code, escape(&self.message)));
        for (name, value) in &self.details {
            html.push_str(&format!("<li>{name}: {}</li>\n", escape(value)));
        }
        html.push_str("</ul>\n<hr/>\n</body>\n</html>\n");
        let mut response = http::Response::new(Body::from(html));
        *response.status_mut() = self.status;
        response
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("text/html; charset=utf-8"));
        response
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn pages_are_html() {
        let response = ErrorPage::no_such_key("a<b").into_response();
        assert_eq!(response.status(), 404);
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let mut body = response.into_body();
        let bytes = body.store_all_limited(4096).await.unwrap();
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        assert!(text.contains("<li>Code: NoSuchKey</li>") && text.contains("<li>Key: a&lt;b</li>"));
    }
}

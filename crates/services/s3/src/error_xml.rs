//! S3's `<Error>` documents as bytes: [`s3_error_xml`] writes one (code,
//! message and any extra members, every text escaped), and
//! [`ErrorDocument`] reads one back for the layers that check or complete
//! an error another layer wrote. Every error document cloudbox-s3 writes
//! itself goes through [`s3_error_xml`]; the ones s3s writes come from
//! `S3Error`.

use cloudbox_protocol::engines::xml_read;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// `<?xml version="1.0" encoding="UTF-8"?>` and a line break (as S3 sends
/// it), then `<Error><Code/><Message/>…extra…</Error>`. An empty message is
/// left out, as S3 leaves it out of errors that have none.
pub fn s3_error_xml<'a>(code: &str, message: &str, extra: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<u8> {
    let mut writer = Writer::new(Vec::with_capacity(256));
    emit(&mut writer, Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    emit(&mut writer, Event::Text(BytesText::from_escaped("\n")));
    emit(&mut writer, Event::Start(BytesStart::new("Error")));
    member(&mut writer, "Code", code);
    if !message.is_empty() {
        member(&mut writer, "Message", message);
    }
    for (name, text) in extra {
        member(&mut writer, name, text);
    }
    emit(&mut writer, Event::End(BytesEnd::new("Error")));
    writer.into_inner()
}

fn member(writer: &mut Writer<Vec<u8>>, name: &str, text: &str) {
    emit(writer, Event::Start(BytesStart::new(name)));
    emit(writer, Event::Text(BytesText::new(text)));
    emit(writer, Event::End(BytesEnd::new(name)));
}

fn emit(writer: &mut Writer<Vec<u8>>, event: Event<'_>) {
    // Writing into a Vec cannot fail.
    let _ = writer.write_event(event);
}

/// The members of an `<Error>` document, in order, their text unescaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorDocument {
    members: Vec<(String, String)>,
}

impl ErrorDocument {
    /// `None` when `body` is not a well-formed document whose root is
    /// `<Error>` with only text members.
    pub fn parse(body: &[u8]) -> Option<ErrorDocument> {
        let root = xml_read::parse(body).ok()?;
        if root.name != "Error" || root.children.iter().any(|member| !member.children.is_empty()) {
            return None;
        }
        Some(ErrorDocument { members: root.children.into_iter().map(|member| (member.name, member.text)).collect() })
    }

    /// The text of the first member called `name`.
    pub fn member(&self, name: &str) -> Option<&str> {
        self.members.iter().find(|(member, _)| member == name).map(|(_, text)| text.as_str())
    }

    pub fn code(&self) -> Option<&str> {
        self.member("Code")
    }

    /// The message, empty when the document has none.
    pub fn message(&self) -> &str {
        self.member("Message").unwrap_or_default()
    }

    /// Give the error `message` where it has none.
    pub fn set_message_if_missing(&mut self, message: &str) {
        if self.member("Message").is_none() {
            let after_code = self.members.iter().position(|(name, _)| name == "Code").map_or(0, |at| at + 1);
            self.members.insert(after_code, ("Message".to_string(), message.to_string()));
        }
    }

    /// Add a member at the end.
    pub fn push(&mut self, name: &str, text: &str) {
        self.members.push((name.to_string(), text.to_string()));
    }

    /// The document written again with [`s3_error_xml`].
    pub fn to_xml(&self) -> Vec<u8> {
        let others = self.members.iter().filter(|(name, _)| name != "Code" && name != "Message");
        s3_error_xml(self.code().unwrap_or_default(), self.message(), others.map(|(n, t)| (n.as_str(), t.as_str())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_code_message_and_extra_members_escaped() {
        let xml = s3_error_xml("AccessDenied", "it's <late> & \"gone\"", [("X-Amz-Expires", "1")]);
        assert_eq!(
            String::from_utf8(xml).unwrap(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code>\
             <Message>it&apos;s &lt;late&gt; &amp; &quot;gone&quot;</Message>\
             <X-Amz-Expires>1</X-Amz-Expires></Error>"
        );
    }

    #[test]
    fn leaves_out_an_empty_message() {
        let xml = s3_error_xml("MalformedXML", "", []);
        assert!(String::from_utf8(xml).unwrap().ends_with("<Error><Code>MalformedXML</Code></Error>"));
    }

    #[test]
    fn reads_back_what_it_writes() {
        let xml = s3_error_xml("A", "it's <x>", [("Key", "a&b")]);
        let document = ErrorDocument::parse(&xml).unwrap();
        assert_eq!((document.code(), document.message(), document.member("Key")), (Some("A"), "it's <x>", Some("a&b")));
        assert_eq!(document.to_xml(), xml);
    }

    #[test]
    fn completes_a_missing_message_after_the_code() {
        let mut document =
            ErrorDocument::parse(b"<Error><Code>MalformedXML</Code><RequestId>r</RequestId></Error>").unwrap();
        document.set_message_if_missing("bad");
        let text = String::from_utf8(document.to_xml()).unwrap();
        assert!(text.ends_with("<Code>MalformedXML</Code><Message>bad</Message><RequestId>r</RequestId></Error>"));
    }

    #[test]
    fn other_documents_are_not_errors() {
        assert!(ErrorDocument::parse(b"<ListBucketResult><Name>b</Name></ListBucketResult>").is_none());
        assert!(ErrorDocument::parse(b"<Error><Code>A</Code>").is_none());
        assert!(ErrorDocument::parse(b"not xml").is_none());
    }
}

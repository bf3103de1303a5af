//! Which bytes a GET or HEAD returns: the whole object, a `Range`, or one
//! part of a multipart object (`partNumber`).

use super::errors;
use crate::state::ObjectRecord;
use s3s::S3Result;
use s3s::dto::Range;

/// The bytes to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub start: u64,
    pub end: u64,
    /// `Content-Range` for a 206 answer.
    pub content_range: Option<String>,
    /// `x-amz-mp-parts-count` when a part was asked for.
    pub parts_count: Option<i32>,
}

impl Selection {
    pub fn len(&self) -> u64 {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// Select the bytes of `record` a request asks for.
pub fn select(record: &ObjectRecord, range: Option<&Range>, part_number: Option<i32>) -> S3Result<Selection> {
    let size = record.size;
    if let Some(part) = part_number {
        return select_part(record, part);
    }
    let whole = Selection { start: 0, end: size, content_range: None, parts_count: None };
    let Some(range) = range else { return Ok(whole) };
    if let Range::Int { first, last: Some(last) } = *range
        && last < first
    {
        return Ok(whole);
    }
    let bytes = range.check(size).map_err(|_| errors::invalid_range())?;
    let content_range = format!("bytes {}-{}/{size}", bytes.start, bytes.end - 1);
    Ok(Selection { start: bytes.start, end: bytes.end, content_range: Some(content_range), parts_count: None })
}

/// Part `part` (from 1) of a multipart object; a plain object has one part.
fn select_part(record: &ObjectRecord, part: i32) -> S3Result<Selection> {
    let sizes = if record.part_sizes.is_empty() { vec![record.size] } else { record.part_sizes.clone() };
    let index =
        usize::try_from(part).ok().filter(|p| *p >= 1 && *p <= sizes.len()).ok_or_else(errors::invalid_part_number)?;
    let start: u64 = sizes[..index - 1].iter().sum();
    let end = start + sizes[index - 1];
    let parts_count = (!record.part_sizes.is_empty()).then(|| i32::try_from(sizes.len()).unwrap_or(i32::MAX));
    let content_range = parts_count.map(|_| format!("bytes {start}-{}/{}", end.saturating_sub(1), record.size));
    Ok(Selection { start, end, content_range, parts_count })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(size: u64) -> ObjectRecord {
        ObjectRecord { size, ..ObjectRecord::default() }
    }

    fn range(text: &str) -> Range {
        Range::parse(text).unwrap()
    }

    #[test]
    fn ranges_as_s3_answers_them() {
        let ten = object(10);
        assert_eq!(
            select(&ten, Some(&range("bytes=2-4")), None).unwrap().content_range.as_deref(),
            Some("bytes 2-4/10")
        );
        assert_eq!(select(&ten, Some(&range("bytes=7-")), None).unwrap().start, 7);
        let suffix = select(&ten, Some(&range("bytes=-3")), None).unwrap();
        assert_eq!((suffix.start, suffix.end), (7, 10));
        assert_eq!(select(&ten, Some(&range("bytes=5-100")), None).unwrap().end, 10);
        assert_eq!(select(&ten, Some(&range("bytes=10-")), None).unwrap_err().code().as_str(), "InvalidRange");
        assert_eq!(select(&ten, None, None).unwrap().content_range, None);
    }

    #[test]
    fn parts_of_multipart_objects() {
        let record = ObjectRecord { size: 15, part_sizes: vec![10, 5], ..ObjectRecord::default() };
        let second = select(&record, None, Some(2)).unwrap();
        assert_eq!((second.start, second.end, second.parts_count), (10, 15, Some(2)));
        assert!(select(&record, None, Some(3)).is_err());
        assert_eq!(select(&object(4), None, Some(1)).unwrap().end, 4);
    }
}

//! REST URI templates: `/{Bucket}/{Key+}?uploads`, `/2015-03-31/functions/{FunctionName}`.
//!
//! A template matches a request path segment by segment. `{Name}` takes one
//! non-empty segment, `{Name+}` the rest of the path (slashes included). A
//! segment may put literal text around a label (`{Name}:batch`). Literals
//! after `?` must be present in the query string (`uploads`, `list-type=2`).

use percent_encoding::percent_decode_str;

/// Labels taken from a path, percent-decoded, in template order.
pub type Labels = Vec<(String, String)>;

/// How specific a template is: more literal path segments first, then more
/// required query literals. Routing prefers the most specific match.
pub fn specificity(template: &str) -> (usize, usize, usize) {
    let (path, query) = template.split_once('?').unwrap_or((template, ""));
    let literals = path.split('/').filter(|s| !s.is_empty() && !s.contains('{')).count();
    let queries = query.split('&').filter(|s| !s.is_empty()).count();
    let segments = path.split('/').filter(|s| !s.is_empty()).count();
    (literals, queries, segments)
}

/// Match a request's raw path and raw query string against `template`.
pub fn match_template(template: &str, raw_path: &str, raw_query: &str) -> Option<Labels> {
    let (tpath, tquery) = template.split_once('?').unwrap_or((template, ""));
    if !query_literals_present(tquery, raw_query) {
        return None;
    }
    let mut labels = Labels::new();
    let tsegs: Vec<&str> = split_path(tpath);
    let rsegs: Vec<&str> = split_path(raw_path);
    let mut r = 0;
    for (i, tseg) in tsegs.iter().enumerate() {
        if let Some(name) = greedy_label(tseg) {
            if i + 1 != tsegs.len() || r >= rsegs.len() {
                return None;
            }
            let rest = rsegs[r..].join("/");
            labels.push((name.to_string(), decode(&rest)?));
            return Some(labels);
        }
        let rseg = rsegs.get(r)?;
        match_segment(tseg, rseg, &mut labels)?;
        r += 1;
    }
    // A trailing slash on the request is tolerated only when the template has one.
    (r == rsegs.len()).then_some(labels)
}

fn split_path(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

fn greedy_label(segment: &str) -> Option<&str> {
    segment.strip_prefix('{')?.strip_suffix("+}")
}

fn match_segment(template: &str, segment: &str, labels: &mut Labels) -> Option<()> {
    let Some(open) = template.find('{') else {
        return (decode(segment)? == template).then_some(());
    };
    let close = template[open..].find('}')? + open;
    let (prefix, name, suffix) = (&template[..open], &template[open + 1..close], &template[close + 1..]);
    let inner = segment.strip_prefix(prefix)?.strip_suffix(suffix)?;
    if inner.is_empty() {
        return None;
    }
    labels.push((name.to_string(), decode(inner)?));
    Some(())
}

fn decode(s: &str) -> Option<String> {
    percent_decode_str(s).decode_utf8().ok().map(|c| c.into_owned())
}

fn query_literals_present(template_query: &str, raw_query: &str) -> bool {
    template_query.split('&').filter(|s| !s.is_empty()).all(|literal| {
        let (key, value) = literal.split_once('=').map_or((literal, None), |(k, v)| (k, Some(v)));
        raw_query.split('&').any(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            decode(k).as_deref() == Some(key) && value.is_none_or(|want| decode(v).as_deref() == Some(want))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_greedy_labels() {
        let l = match_template("/{Bucket}/{Key+}", "/b/a/b%20c.txt", "").unwrap();
        assert_eq!(l, vec![("Bucket".into(), "b".into()), ("Key".into(), "a/b c.txt".into())]);
        let l = match_template("/{accountId}/vaults", "/-/vaults", "").unwrap();
        assert_eq!(l, vec![("accountId".into(), "-".into())]);
        assert!(match_template("/{accountId}/vaults", "/-/vaults/x", "").is_none());
        assert!(match_template("/{accountId}/vaults/{vaultName}", "/-/vaults/", "").is_none());
    }

    #[test]
    fn query_literals_must_be_present() {
        assert!(match_template("/{Bucket}?uploads", "/b", "uploads").is_some());
        assert!(match_template("/{Bucket}?uploads", "/b", "").is_none());
        assert!(match_template("/{Bucket}?list-type=2", "/b", "list-type=2&prefix=x").is_some());
        assert!(match_template("/{Bucket}?list-type=2", "/b", "list-type=1").is_none());
    }

    #[test]
    fn literal_text_around_a_label() {
        let l = match_template("/things/{name}:batch", "/things/abc:batch", "").unwrap();
        assert_eq!(l, vec![("name".into(), "abc".into())]);
        assert!(match_template("/things/{name}:batch", "/things/abc", "").is_none());
    }

    #[test]
    fn more_literals_are_more_specific() {
        assert!(specificity("/{a}/vaults") > specificity("/{a}/{b}"));
        assert!(specificity("/{Bucket}?uploads") > specificity("/{Bucket}"));
    }
}

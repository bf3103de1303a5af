//! Lists in one header: `a, "b,c", d`. Items that hold a comma or a double
//! quote are quoted (with `\` escapes); HTTP dates are not, so the comma
//! after a date's weekday does not end an item.

/// The items of a header list. With `http_dates`, each item is an HTTP date
/// (`Mon, 16 Dec 2019 23:48:18 GMT`) and keeps its weekday.
pub(super) fn split(text: &str, http_dates: bool) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    let mut items = Vec::new();
    let mut rest = text.trim_start();
    loop {
        let (item, after) = match rest.strip_prefix('"') {
            Some(quoted) => take_quoted(quoted),
            None => {
                let end = rest.find(',').unwrap_or(rest.len());
                (rest[..end].trim().to_string(), &rest[end..])
            }
        };
        items.push(item);
        match after.find(',') {
            Some(comma) => rest = after[comma + 1..].trim_start(),
            None if http_dates => return join_weekdays(items),
            None => return items,
        }
    }
}

/// A quoted item (after its opening quote), unescaped, and the text after
/// its closing quote.
fn take_quoted(text: &str) -> (String, &str) {
    let mut item = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => item.extend(chars.next().map(|(_, escaped)| escaped)),
            '"' => return (item, &text[i + 1..]),
            other => item.push(other),
        }
    }
    (item, "")
}

/// `["Mon", "16 Dec 2019 23:48:18 GMT"]` -> `["Mon, 16 Dec 2019 23:48:18 GMT"]`.
fn join_weekdays(pieces: Vec<String>) -> Vec<String> {
    let mut dates: Vec<String> = Vec::with_capacity(pieces.len() / 2 + 1);
    let mut weekday: Option<String> = None;
    for piece in pieces {
        match weekday.take() {
            Some(day) => dates.push(format!("{day}, {piece}")),
            None if piece.len() == 3 && piece.chars().all(|c| c.is_ascii_alphabetic()) => weekday = Some(piece),
            None => dates.push(piece),
        }
    }
    dates.extend(weekday);
    dates
}

/// Join items into one header value. An item marked quotable that holds a
/// comma or a double quote is quoted (and escaped); HTTP dates are not.
pub(super) fn join(items: impl IntoIterator<Item = (String, bool)>) -> String {
    let mut out = String::new();
    for (i, (item, may_quote)) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if may_quote && item.contains([',', '"']) {
            out.push('"');
            out.push_str(&item.replace('\\', "\\\\").replace('"', "\\\""));
            out.push('"');
        } else {
            out.push_str(&item);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_split_on_commas_outside_quotes() {
        assert_eq!(split("a, b,c", false), ["a", "b", "c"]);
        assert_eq!(split(r#""b,c", "\"def\"", a"#, false), ["b,c", "\"def\"", "a"]);
        assert_eq!(split(r#""a,b", "say \"hi\"", c"#, false), ["a,b", r#"say "hi""#, "c"]);
        assert_eq!(split("", false), Vec::<String>::new());
        assert_eq!(split("a,", false), ["a", ""]);
        assert_eq!(split(r#""unterminated"#, false), ["unterminated"]);
    }

    #[test]
    fn http_dates_keep_their_weekday_comma() {
        let dates = split("Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT", true);
        assert_eq!(dates, ["Mon, 16 Dec 2019 23:48:18 GMT", "Tue, 17 Dec 2019 23:48:18 GMT"]);
    }

    #[test]
    fn items_with_commas_or_quotes_are_quoted_when_allowed() {
        let items = [("a".to_string(), true), ("b,c".to_string(), true), ("say \"hi\"".to_string(), true)];
        assert_eq!(join(items), r#"a, "b,c", "say \"hi\"""#);
        assert_eq!(join([("Mon, 16 Dec 2019 23:48:18 GMT".to_string(), false)]), "Mon, 16 Dec 2019 23:48:18 GMT");
    }
}

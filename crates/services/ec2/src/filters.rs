//! EC2's `Filter.N.Name` / `Filter.N.Value.M` semantics, shared by every
//! Describe operation: a resource is listed when it passes every filter, and
//! passes a filter when one of its values for that filter matches one of the
//! filter's patterns. A filter without values matches nothing.

use crate::errors;
use crate::wildcard::Pattern;
use cloudbox_core::AwsError;
use serde::Deserialize;

/// One filter as the request carries it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Filter {
    pub name: Option<String>,
    pub values: Vec<String>,
}

/// Filters checked against an operation's filter names and compiled.
#[derive(Debug)]
pub struct FilterSet {
    filters: Vec<(String, Vec<Pattern>)>,
}

impl FilterSet {
    /// Accepts only filter names in `known`; AWS's error names the first
    /// unknown one (a filter without a name is `null`).
    pub fn compile(filters: &[Filter], known: &[&str]) -> Result<Self, AwsError> {
        let mut compiled = Vec::with_capacity(filters.len());
        for filter in filters {
            let name = filter.name.as_deref().unwrap_or("null");
            if !known.contains(&name) {
                return Err(errors::invalid_filter(name));
            }
            compiled.push((name.to_string(), filter.values.iter().map(|v| Pattern::new(v)).collect()));
        }
        Ok(FilterSet { filters: compiled })
    }

    /// Whether a resource passes every filter. `values_of(name)` gives the
    /// resource's values for a filter name (empty when it has none).
    pub fn admits<'a>(&self, values_of: impl Fn(&str) -> Vec<&'a str>) -> bool {
        self.filters.iter().all(|(name, patterns)| {
            let values = values_of(name);
            patterns.iter().any(|pattern| values.iter().any(|value| pattern.matches(value)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(name: &str, values: &[&str]) -> Filter {
        Filter { name: Some(name.into()), values: values.iter().map(|v| v.to_string()).collect() }
    }

    #[test]
    fn unknown_names_are_rejected_with_ec2_wording() {
        let err = FilterSet::compile(&[filter("colour", &["red"])], &["size"]).unwrap_err();
        assert_eq!((err.code.as_str(), err.status), ("InvalidParameterValue", 400));
        assert_eq!(err.message, "The filter 'colour' is invalid");
        let err = FilterSet::compile(&[Filter::default()], &["size"]).unwrap_err();
        assert_eq!(err.message, "The filter 'null' is invalid");
    }

    #[test]
    fn values_are_ored_and_filters_anded() {
        let set =
            FilterSet::compile(&[filter("size", &["s", "m"]), filter("colour", &["r*"])], &["size", "colour"]).unwrap();
        let item = |size: &'static str, colour: &'static str| {
            move |name: &str| if name == "size" { vec![size] } else { vec![colour] }
        };
        assert!(set.admits(item("m", "red")));
        assert!(!set.admits(item("l", "red")));
        assert!(!set.admits(item("s", "blue")));
    }

    #[test]
    fn a_filter_without_values_matches_nothing() {
        let set = FilterSet::compile(&[filter("size", &[])], &["size"]).unwrap();
        assert!(!set.admits(|_| vec!["s"]));
    }
}
